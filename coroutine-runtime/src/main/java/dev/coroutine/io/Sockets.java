package dev.coroutine.io;

import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * Low-level socket awaitables on the running loop: asyncio's {@code loop.sock_connect}, {@code
 * sock_accept}, {@code sock_recv}, {@code sock_recv_into} and {@code sock_sendall}. Each is a lazy
 * coroutine: awaited, it tries the operation at once and, if the socket is not ready, waits for
 * readiness with {@link EventLoop#addReader}/{@link EventLoop#addWriter}. Channels are made
 * non-blocking. Cancelling the awaiting task (or a timeout) stops the wait and leaves the channel
 * open; a partial {@link #sockSendall} may have sent a prefix of the data by then.
 *
 * <p>Several operations may wait in the same direction on one channel (two receives, say): they are
 * served in the order they started, each readiness event going to the oldest, and cancelling one
 * leaves the others waiting. The loop keeps one callback per direction and channel; the waits share
 * it through a {@link Waiters} queue. A channel's waits belong to one loop at a time.
 */
public final class Sockets {
  private Sockets() {}

  /**
   * Connects {@code channel} to {@code address}.
   *
   * @param channel an unconnected channel; it is made non-blocking
   * @param address where to connect
   * @return a coroutine that finishes once connected
   * @throws IOException not by this call: where the returned coroutine is awaited, if the
   *     connection fails; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Void> sockConnect(SocketChannel channel, SocketAddress address)
      throws IOException {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(address, "address");
    return IoFrames.lazy(() -> new Connect(EventLoop.running(), channel, address).start());
  }

  /**
   * Accepts a connection; the new channel is non-blocking.
   *
   * @param server a bound server channel
   * @return a coroutine whose result is the accepted, non-blocking channel
   * @throws IOException not by this call: where the returned coroutine is awaited, if accepting
   *     fails; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<SocketChannel> sockAccept(ServerSocketChannel server) throws IOException {
    Objects.requireNonNull(server, "server");
    return IoFrames.lazy(() -> new Accept(EventLoop.running(), server).start());
  }

  /**
   * Receives up to {@code max} bytes, waiting until some are available; an empty array at the end
   * of the stream.
   *
   * @param channel a connected channel
   * @param max the most bytes to receive
   * @return a coroutine whose result is the bytes received (empty at the end of the stream)
   * @throws IOException not by this call: where the returned coroutine is awaited, if reading
   *     fails; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<byte[]> sockRecv(SocketChannel channel, int max) throws IOException {
    Objects.requireNonNull(channel, "channel");
    if (max < 0) {
      throw new IllegalArgumentException("max < 0: " + max);
    }
    return IoFrames.lazy(
        () ->
            new Recv<byte[]>(EventLoop.running(), channel, ByteBuffer.allocate(max), true).start());
  }

  /**
   * Receives into {@code buffer} (from its position), waiting until some bytes are available: the
   * number of bytes read, or -1 at the end of the stream.
   *
   * @param channel a connected channel
   * @param buffer receives the bytes from its position; its position advances
   * @return a coroutine whose result is the number of bytes read, or -1 at the end of the stream
   * @throws IOException not by this call: where the returned coroutine is awaited, if reading
   *     fails; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Integer> sockRecvInto(SocketChannel channel, ByteBuffer buffer)
      throws IOException {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(buffer, "buffer");
    return IoFrames.lazy(
        () -> new Recv<Integer>(EventLoop.running(), channel, buffer, false).start());
  }

  /**
   * Sends all of {@code data} (from its position), waiting for room as needed.
   *
   * @param channel a connected channel
   * @param data the bytes to send, from its position to its limit
   * @return a coroutine that finishes once everything was handed to the socket
   * @throws IOException not by this call: where the returned coroutine is awaited, if writing
   *     fails; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Void> sockSendall(SocketChannel channel, ByteBuffer data)
      throws IOException {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(data, "data");
    return IoFrames.lazy(() -> new SendAll(EventLoop.running(), channel, data).start());
  }

  /**
   * Sends all of {@code data}.
   *
   * @param channel a connected channel
   * @param data the bytes to send
   * @return a coroutine that finishes once everything was handed to the socket
   * @throws IOException not by this call: where the returned coroutine is awaited, if writing
   *     fails; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Void> sockSendall(SocketChannel channel, byte[] data) throws IOException {
    return sockSendall(channel, ByteBuffer.wrap(data));
  }

  /**
   * The queues of channels with waits registered. Weak, so a channel dropped while the loop that
   * served it was closed is not kept; an entry is removed when its last wait ends. Synchronized, as
   * loops on different threads may use it (each entry is touched by its own loop only).
   */
  private static final Map<SelectableChannel, Waiters> WAITERS =
      Collections.synchronizedMap(new WeakHashMap<>());

  static void nonBlocking(SelectableChannel ch) throws IOException {
    if (ch.isBlocking()) {
      ch.configureBlocking(false);
    }
  }

  /**
   * The waits on one channel, per direction, oldest first. The loop's reader (writer) callback is
   * registered exactly while the reader (writer) queue is not empty, and runs the oldest wait.
   */
  private static final class Waiters {
    /** The loop the waits run on. */
    final EventLoop loop;

    /** The channel. */
    final SelectableChannel channel;

    /** Reads (and accepts) waiting, oldest first. */
    private final ArrayDeque<Wait<?>> readers = new ArrayDeque<>(2);

    /** Writes (and connects) waiting, oldest first. */
    private final ArrayDeque<Wait<?>> writers = new ArrayDeque<>(2);

    /** The loop's reader callback. */
    private final Runnable onReadable = () -> ready(readers);

    /** The loop's writer callback. */
    private final Runnable onWritable = () -> ready(writers);

    Waiters(EventLoop loop, SelectableChannel channel) {
      this.loop = loop;
      this.channel = channel;
    }

    /** The queues of {@code channel} on {@code loop}, made if needed. */
    static Waiters of(EventLoop loop, SelectableChannel channel) {
      synchronized (WAITERS) {
        Waiters w = WAITERS.get(channel);
        if (w == null) {
          w = new Waiters(loop, channel);
          WAITERS.put(channel, w);
        } else if (w.loop != loop) {
          throw new IllegalStateException(
              "operations on " + channel + " are waiting on another event loop: " + w.loop);
        }
        return w;
      }
    }

    ArrayDeque<Wait<?>> queue(boolean write) {
      return write ? writers : readers;
    }

    /** True if a wait in that direction is queued: a new one must queue behind it. */
    boolean busy(boolean write) {
      return !queue(write).isEmpty();
    }

    void add(Wait<?> w) {
      ArrayDeque<Wait<?>> q = queue(w.write);
      if (q.isEmpty()) {
        try {
          if (w.write) {
            loop.addWriter(channel, onWritable);
          } else {
            loop.addReader(channel, onReadable);
          }
        } catch (RuntimeException e) {
          forgetIfIdle();
          throw e;
        }
      }
      q.addLast(w);
    }

    void remove(Wait<?> w) {
      ArrayDeque<Wait<?>> q = queue(w.write);
      if (!q.remove(w)) {
        return;
      }
      if (q.isEmpty()) {
        if (w.write) {
          loop.removeWriter(channel);
        } else {
          loop.removeReader(channel);
        }
        forgetIfIdle();
      }
    }

    private void forgetIfIdle() {
      if (readers.isEmpty() && writers.isEmpty()) {
        WAITERS.remove(channel, this);
      }
    }

    /**
     * Readiness: the oldest wait tries its operation. The next one gets the next readiness event
     * (the selector reports a channel as long as it is ready), so each wait sees the channel in
     * turn.
     */
    private void ready(ArrayDeque<Wait<?>> q) {
      Wait<?> w = q.peekFirst();
      if (w != null) {
        w.run();
      }
    }
  }

  /**
   * One operation waiting for readiness: {@link #attempt} is tried at once (unless older waits in
   * the same direction are queued) and each time it is the oldest wait on a readiness callback,
   * until it completes {@link #result}; then it leaves the channel's {@link Waiters}.
   */
  private abstract static class Wait<T> implements Runnable {
    /** The loop. */
    final EventLoop loop;

    /** The channel waited on. */
    final SelectableChannel channel;

    /** Reader (false) or writer (true) readiness. */
    final boolean write;

    /** The outcome. */
    final Future<T> result;

    /** The queues this wait is in, or null. */
    private Waiters waiters;

    Wait(EventLoop loop, SelectableChannel channel, boolean write) {
      this(loop, channel, write, loop.createFuture());
    }

    Wait(EventLoop loop, SelectableChannel channel, boolean write, Future<T> result) {
      this.loop = loop;
      this.channel = channel;
      this.write = write;
      this.result = result;
    }

    /** Tries the operation: true once {@link #result} is set. */
    abstract boolean attempt() throws IOException;

    /** Prepares the channel (non-blocking, connect started, ...); false if already complete. */
    boolean begin() throws IOException {
      nonBlocking(channel);
      return true;
    }

    Future<T> start() {
      try {
        if (!begin()) {
          return result;
        }
        Waiters older = WAITERS.get(channel);
        if ((older == null || !older.busy(write)) && attempt()) {
          return result; // ready at once, and nobody was waiting before us
        }
      } catch (IOException e) {
        result.setException(e);
        return result;
      }
      Waiters w = Waiters.of(loop, channel);
      w.add(this);
      waiters = w;
      result.addDoneCallback(f -> unregister()); // also when the awaiting task is cancelled
      return result;
    }

    @Override
    public void run() {
      if (result.isDone()) {
        unregister();
        return;
      }
      boolean done;
      try {
        done = attempt();
      } catch (IOException e) {
        result.setException(e);
        done = true;
      }
      if (done) {
        unregister();
      }
    }

    private void unregister() {
      Waiters w = waiters;
      if (w != null) {
        waiters = null;
        w.remove(this);
      }
    }
  }

  private static final class Connect extends Wait<Void> {
    /** Where to connect. */
    private final SocketAddress address;

    Connect(EventLoop loop, SocketChannel ch, SocketAddress address) {
      super(loop, ch, true);
      this.address = address;
    }

    @Override
    boolean begin() throws IOException {
      nonBlocking(channel);
      if (((SocketChannel) channel).connect(address)) {
        result.setResult(null);
        return false;
      }
      return true;
    }

    @Override
    boolean attempt() throws IOException {
      if (((SocketChannel) channel).finishConnect()) {
        result.setResult(null);
        return true;
      }
      return false;
    }
  }

  private static final class Accept extends Wait<SocketChannel> {
    Accept(EventLoop loop, ServerSocketChannel server) {
      // an accepted channel its cancelled awaiter dropped is closed: nobody else has it
      super(loop, server, false, new OwnedResult<>(loop, IoFrames::closeQuietly));
    }

    @Override
    boolean attempt() throws IOException {
      SocketChannel ch = ((ServerSocketChannel) channel).accept();
      if (ch == null) {
        return false;
      }
      ch.configureBlocking(false);
      result.setResult(ch);
      return true;
    }
  }

  private static final class Recv<T> extends Wait<T> {
    /** Where the bytes go. */
    private final ByteBuffer buffer;

    /** Complete with a byte[] copy (sockRecv) rather than the count (sockRecvInto). */
    private final boolean copy;

    Recv(EventLoop loop, SocketChannel ch, ByteBuffer buffer, boolean copy) {
      super(loop, ch, false);
      this.buffer = buffer;
      this.copy = copy;
    }

    @SuppressWarnings("unchecked")
    private void complete(Object value) {
      result.setResult((T) value);
    }

    @Override
    boolean attempt() throws IOException {
      if (!buffer.hasRemaining()) {
        complete(copy ? new byte[0] : (Object) 0);
        return true;
      }
      int n = ((SocketChannel) channel).read(buffer);
      if (n == 0) {
        return false;
      }
      if (copy) {
        byte[] b = n < 0 ? new byte[0] : Arrays.copyOf(buffer.array(), buffer.position());
        complete(b);
      } else {
        complete(n);
      }
      return true;
    }
  }

  private static final class SendAll extends Wait<Void> {
    /** What is left to send. */
    private final ByteBuffer data;

    SendAll(EventLoop loop, SocketChannel ch, ByteBuffer data) {
      super(loop, ch, true);
      this.data = data;
    }

    @Override
    boolean attempt() throws IOException {
      while (data.hasRemaining()) {
        if (((SocketChannel) channel).write(data) == 0) {
          return false;
        }
      }
      result.setResult(null);
      return true;
    }
  }
}
