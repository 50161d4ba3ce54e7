package dev.coroutine.io;

import dev.coroutine.AsyncIterable;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.PullIterator;
import dev.coroutine.internal.ResultHandOver;
import dev.coroutine.internal.RuntimeChannelCallback;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;

/**
 * A UDP socket on the loop, made by {@link Datagrams#createEndpoint}: asyncio's datagram transport
 * and protocol in one, with an awaitable per datagram instead of a callback.
 *
 * <pre>{@code
 * DatagramEndpoint e = await(Datagrams.bind("127.0.0.1", 9999));
 * Datagram d = await(e.receive());
 * e.sendTo(d.data(), d.sender());                        // echo
 * }</pre>
 *
 * <p><b>A receiver that falls behind.</b> The endpoint reads the socket whenever the loop finds it
 * readable, so the kernel's buffer overflows only while the loop is held up elsewhere (then, as in
 * asyncio, the kernel drops uncounted). Datagrams nobody waits for are queued, up to the capacity
 * set by {@link DatagramOptions#receiveCapacity} (1,024 by default); one arriving while the queue
 * is full is dropped, as a full socket buffer drops it, and counted in {@link #droppedCount()}.
 * asyncio never queues (its protocol's callback runs for each datagram) and the kernel drops
 * uncounted.
 *
 * <p><b>Sending</b> never blocks: a datagram the socket does not take at once is queued and sent,
 * in order, when it is writable; {@link #drain()} waits while more than 64 KiB are queued. Errors
 * the OS reports for the socket (an ICMP "port unreachable" for a connected endpoint, a send that
 * failed) are asyncio's {@code error_received}: the next {@link #receive()} throws them, and the
 * endpoint goes on.
 *
 * <p>Invariant: {@link #received} (datagrams, and errors to report) holds nothing while {@link
 * #receivers} waits, and each entry goes to the oldest receiver still waiting. Reading is
 * registered with the loop from creation to {@link #close()}; writing exactly while {@link
 * #outgoing} is not empty. Loop-affine.
 */
public final class DatagramEndpoint {
  /** The largest UDP payload over IPv4: 65,535 - 8 (UDP header) - 20 (IPv4 header). */
  static final int MAX_DATAGRAM = 65_507;

  /** The largest UDP payload over IPv6 (no jumbograms): 65,535 - 8 (its header counts not). */
  static final int MAX_DATAGRAM_IPV6 = 65_527;

  /** Datagrams read per readiness event at most, so a flood cannot hog the loop. */
  private static final int READ_BATCH = 64;

  /** Queued output above which {@link #drain()} waits (asyncio's default high-water mark). */
  private static final int HIGH_WATER = 64 * 1024;

  /** The loop. */
  private final EventLoop loop;

  /** The socket. */
  private final DatagramChannel channel;

  /** The peer of a connected endpoint, or null. */
  private final InetSocketAddress remote;

  /** How many datagrams {@link #received} holds at most. */
  private final int capacity;

  /** Datagrams (and errors, as Throwables) nobody has received yet, oldest first. */
  private final ArrayDeque<Object> received = new ArrayDeque<>();

  /** Receives waiting for a datagram, oldest first. */
  private final ArrayDeque<Future<Datagram>> receivers = new ArrayDeque<>();

  /** Datagrams waiting for the socket to take them, oldest first. */
  private final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>();

  /** Drains waiting for {@link #outgoing} to go down. */
  private final ArrayList<Future<Void>> drainers = new ArrayList<>();

  /** Completed once the socket is closed. */
  private final Future<Void> closed;

  /** The receive buffer: one datagram at a time. */
  private final ByteBuffer rbuf = ByteBuffer.allocate(65_536); // any datagram whole, IPv6's too

  /** Reader readiness callback. */
  private final Runnable onReadable = (RuntimeChannelCallback) this::readReady;

  /** Writer readiness callback. */
  private final Runnable onWritable = (RuntimeChannelCallback) this::writeReady;

  /** Bytes in {@link #outgoing}. */
  private int outgoingBytes;

  /** Datagrams dropped because {@link #received} was full. */
  private long dropped;

  /** {@link #close()} was called. */
  private boolean closing;

  /** The address the socket is bound to (kept after close, for messages). */
  private final InetSocketAddress local;

  /** Sends dropped because the endpoint was closed (see {@link IoFrames#droppedWrite}). */
  private int droppedSends;

  /** The socket is closed. */
  private boolean isClosed;

  /** One datagram to send. */
  private record Outgoing(ByteBuffer data, SocketAddress target) {}

  DatagramEndpoint(EventLoop loop, DatagramChannel channel, InetSocketAddress remote, int capacity)
      throws IOException {
    this.loop = loop;
    this.channel = channel;
    this.remote = remote;
    this.capacity = capacity;
    this.closed = loop.createFuture();
    channel.configureBlocking(false);
    this.local = (InetSocketAddress) channel.getLocalAddress(); // kept: gone once closed
    loop.addReader(channel, onReadable);
  }

  // ---- receiving ---------------------------------------------------------------------------

  private void readReady() {
    for (int i = 0; i < READ_BATCH && !closing; i++) {
      SocketAddress from;
      try {
        from = channel.receive(rbuf.clear());
      } catch (IOException e) {
        if (!channel.isOpen()) {
          closeNow();
          return;
        }
        arrived(naming(e, remote)); // asyncio's error_received: ICMP unreachable and the like
        continue;
      }
      if (from == null) {
        return;
      }
      arrived(new Datagram(Arrays.copyOf(rbuf.array(), rbuf.position()), (InetSocketAddress) from));
    }
  }

  /** A datagram or an error: to the oldest waiting receiver, else queued, else dropped. */
  private void arrived(Object x) {
    if (handedOver(x)) {
      return;
    }
    if (received.size() >= capacity) {
      dropped++;
    } else {
      received.addLast(x);
    }
  }

  /** Hands {@code x} to the oldest receiver still waiting; false if none waits. */
  private boolean handedOver(Object x) {
    Future<Datagram> r;
    while ((r = receivers.pollFirst()) != null) {
      if (!r.isDone()) {
        if (x instanceof Datagram) {
          r.setResult((Datagram) x);
        } else {
          r.setException((Throwable) x);
        }
        return true;
      }
    }
    return false;
  }

  /**
   * A waiting receive. What it was handed goes back, first in line, if its task was cancelled
   * before it resumed and so dropped it (see {@link ResultHandOver}): cancelling a receive loses no
   * datagram (an outside test lost one cancelled in the pass it arrived; asyncio keeps it).
   */
  private final class Receiving extends Future<Datagram> implements ResultHandOver {
    Receiving() {
      super(loop);
    }

    /** Cancelled while it waits: out of the line (asyncio's getter leaves the queue's too). */
    @Override
    public boolean cancel(String message) {
      boolean cancelled = super.cancel(message);
      if (cancelled) {
        receivers.remove(this);
      }
      return cancelled;
    }

    @Override
    public void outcomeDropped() {
      Object x = isCancelled() ? null : exception() != null ? exception() : result();
      if (x != null && !handedOver(x)) {
        received.addFirst(x); // it was counted in already: past the capacity, if need be
      }
    }
  }

  /**
   * The next datagram: at once if one is queued, else when one arrives. Null once the endpoint is
   * closed and nothing is left queued. Throws an error the OS reported for the socket (see the
   * class comment); the endpoint goes on. Cancelling a receive loses no datagram.
   *
   * @return a coroutine whose result is the next datagram, or null after close
   * @throws IOException not by this call: where the returned coroutine is awaited, if the OS
   *     reported an error for the socket; declared here so that a {@code catch} around the call
   *     compiles
   */
  public Coroutine<Datagram> receive() throws IOException {
    return IoFrames.lazy(
        () -> {
          Object x = received.pollFirst();
          if (x instanceof Datagram) {
            return IoFrames.completed(loop, (Datagram) x);
          }
          if (x != null) {
            return IoFrames.failed(loop, (Throwable) x);
          }
          if (closing) {
            return IoFrames.completed(loop, null);
          }
          Future<Datagram> f = new Receiving();
          receivers.addLast(f);
          return f;
        });
  }

  /**
   * The datagrams as they arrive, as {@link #receive()} takes them, until the endpoint is closed
   * and nothing is left queued: {@code while (await(it.hasNext())) { Datagram d = it.next(); }}. An
   * error the OS reported for the socket is thrown at the {@code await(it.hasNext())}, and the
   * iteration may go on, as the endpoint does. Iterators share the endpoint (each datagram goes to
   * whichever receive asks first); closing one leaves the endpoint open.
   *
   * @return the datagrams received
   */
  public AsyncIterable<Datagram> datagrams() {
    return () -> new Incoming(this);
  }

  /** One iteration over an endpoint's datagrams: ends at the null receive() gives after close. */
  private static final class Incoming extends PullIterator<Datagram> {
    /** The endpoint. */
    private final DatagramEndpoint endpoint;

    Incoming(DatagramEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    protected Awaitable<Datagram> fetch() throws IOException {
      return endpoint.receive();
    }

    @Override
    protected boolean isEnd(Datagram d) {
      return d == null;
    }
  }

  /**
   * Datagrams dropped so far because the receive queue was full.
   *
   * @return the number dropped
   */
  public long droppedCount() {
    return dropped;
  }

  /** Receives waiting for a datagram (a cancelled one leaves at once). */
  int waitingReceives() {
    return receivers.size();
  }

  /**
   * Datagrams (and errors) queued for {@link #receive()}.
   *
   * @return the number queued
   */
  public int queuedCount() {
    return received.size();
  }

  // ---- sending -----------------------------------------------------------------------------

  /**
   * Sends {@code data} to the peer of a connected endpoint: asyncio's {@code sendto(data)}.
   *
   * @param data the payload, at most 65,507 bytes over IPv4, 65,527 over IPv6 (copied if it must be
   *     queued); dropped once the endpoint is closed, as asyncio drops it
   */
  public void send(byte[] data) {
    if (remote == null) {
      throw new IllegalStateException(
          "send(data) needs a connected endpoint (DatagramOptions.remote): use sendTo(data, address)");
    }
    enqueue(data, null);
  }

  /**
   * Sends {@code data} to {@code target}: asyncio's {@code sendto(data, addr)}. A connected
   * endpoint accepts only its peer's address.
   *
   * @param data the payload, at most 65,507 bytes over IPv4, 65,527 over IPv6 (copied if it must be
   *     queued); dropped once the endpoint is closed (asyncio drops it on a connected endpoint)
   * @param target where to send it: a resolved address of the socket's family
   * @throws IllegalArgumentException for a datagram too large, an unresolved address, or one of
   *     another family than the socket's
   */
  public void sendTo(byte[] data, SocketAddress target) {
    Objects.requireNonNull(target, "target");
    if (remote != null && !remote.equals(target)) {
      throw new IllegalArgumentException(
          "this endpoint is connected to " + remote + ": cannot send to " + target);
    }
    enqueue(data, remote != null ? null : target);
  }

  private void enqueue(byte[] data, SocketAddress target) {
    Objects.requireNonNull(data, "data");
    SocketAddress to = target != null ? target : remote;
    if (to instanceof InetSocketAddress a && a.isUnresolved()) {
      throw new IllegalArgumentException(
          "cannot send to "
              + a
              + ": the address is unresolved (new InetSocketAddress(host, port) looks it up)");
    }
    int max =
        to instanceof InetSocketAddress a && a.getAddress() instanceof Inet6Address
            ? MAX_DATAGRAM_IPV6
            : MAX_DATAGRAM;
    if (data.length > max) {
      throw new IllegalArgumentException(
          "a datagram to " + to + " carries at most " + max + " bytes, not " + data.length);
    }
    if (closing && outgoing.isEmpty() || isClosed) {
      // dropped once closed, as asyncio's connected endpoint drops them (while output is still
      // queued, still taken); asyncio's unconnected one fails oddly (an AttributeError, 3.11-3.13)
      droppedSends = IoFrames.droppedWrite(this, droppedSends);
      return;
    }
    if (outgoing.isEmpty()) {
      try {
        if (sendNow(ByteBuffer.wrap(data), target)) {
          return;
        }
      } catch (UnsupportedAddressTypeException e) {
        throw wrongFamily(to, e);
      } catch (IOException e) {
        arrived(
            naming(e, target != null ? target : remote)); // at the next receive (error_received)
        return;
      }
      loop.addWriter(channel, onWritable);
    }
    outgoing.addLast(new Outgoing(ByteBuffer.wrap(data.clone()), target));
    outgoingBytes += data.length;
  }

  /**
   * {@code e}, or for an error the JDK gives without a message (its {@code
   * PortUnreachableException} has none) one of the same kind that names the peer, with {@code e} as
   * its cause.
   */
  private static IOException naming(IOException e, SocketAddress peer) {
    if (e.getMessage() != null || peer == null) {
      return e;
    }
    IOException named =
        e instanceof PortUnreachableException
            ? new PortUnreachableException(
                "port unreachable: nothing listens on " + peer + " (ICMP from the peer's host)")
            : new IOException(e.getClass().getName() + " for a datagram to or from " + peer);
    named.initCause(e);
    return named;
  }

  /** A target this socket cannot send to (an IPv6 address on an IPv4 socket), named. */
  private IllegalArgumentException wrongFamily(SocketAddress to, RuntimeException e) {
    return new IllegalArgumentException(
        "cannot send to " + to + " from " + this + ": not an address of the socket's family", e);
  }

  /** True if the socket took the datagram (UDP sends all of it or nothing). */
  private boolean sendNow(ByteBuffer b, SocketAddress target) throws IOException {
    int n = target == null ? channel.write(b) : channel.send(b, target);
    return n > 0 || !b.hasRemaining();
  }

  private void writeReady() {
    Outgoing o;
    while ((o = outgoing.peekFirst()) != null) {
      try {
        if (!sendNow(o.data, o.target)) {
          return; // full again: wait for the next readiness
        }
      } catch (UnsupportedAddressTypeException e) {
        arrived(new IOException(wrongFamily(o.target, e).getMessage(), e)); // error_received
      } catch (IOException e) {
        if (!channel.isOpen()) {
          closeNow();
          return;
        }
        arrived(naming(e, o.target != null ? o.target : remote));
      }
      outgoing.pollFirst();
      outgoingBytes -= o.data.limit();
    }
    loop.removeWriter(channel);
    wakeDrainers();
    if (closing) {
      closeNow();
    }
  }

  /**
   * Bytes queued for sending.
   *
   * @return the number of bytes queued
   */
  public int getWriteBufferSize() {
    return outgoingBytes;
  }

  /**
   * Waits while more than 64 KiB are queued for sending, until the queue is empty.
   *
   * @return a coroutine that finishes once the queue is small enough
   */
  public Coroutine<Void> drain() {
    if (outgoingBytes <= HIGH_WATER || isClosed) {
      return Coroutines.done();
    }
    return IoFrames.lazy(
        () -> {
          if (outgoing.isEmpty() || isClosed) {
            return IoFrames.completed(loop, null);
          }
          Future<Void> f = loop.createFuture();
          drainers.add(f);
          return f;
        });
  }

  private void wakeDrainers() {
    for (Future<Void> f : drainers) {
      if (!f.isDone()) {
        f.setResult(null);
      }
    }
    drainers.clear();
  }

  // ---- the socket --------------------------------------------------------------------------

  /**
   * The bound local address.
   *
   * @return the local address (also once closed)
   */
  public InetSocketAddress localAddress() {
    return local;
  }

  /**
   * The peer of a connected endpoint, or null.
   *
   * @return the remote address, or null
   */
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  /**
   * The channel, for socket options the {@link DatagramOptions} do not cover (multicast, buffer
   * sizes). Reading and writing it directly would bypass the endpoint's queues: don't.
   *
   * @return the socket's channel
   */
  public DatagramChannel channel() {
    return channel;
  }

  /**
   * Stops receiving and closes the socket once the queued datagrams are sent (asyncio's {@code
   * close}). Waiting receives, and later ones once the queue is empty, return null.
   */
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    loop.removeReader(channel);
    Future<Datagram> r;
    while ((r = receivers.pollFirst()) != null) {
      if (!r.isDone()) {
        r.setResult(null);
      }
    }
    if (outgoing.isEmpty()) {
      closeNow();
    }
  }

  /** Closes the socket at once, dropping queued datagrams (asyncio's {@code abort}). */
  public void abort() {
    outgoing.clear();
    outgoingBytes = 0;
    close();
    closeNow();
  }

  /**
   * True once {@link #close()} or {@link #abort()} was called.
   *
   * @return true once closing
   */
  public boolean isClosing() {
    return closing;
  }

  /**
   * Finishes once the socket is closed.
   *
   * @return a coroutine that finishes once closed
   */
  public Coroutine<Void> waitClosed() {
    return IoFrames.lazy(() -> IoFrames.follow(loop, closed));
  }

  private void closeNow() {
    if (isClosed) {
      return;
    }
    isClosed = true;
    closing = true;
    IoFrames.closeQuietly(channel);
    outgoing.clear(); // a socket closed under its queue (aborted, or gone): never sent
    outgoingBytes = 0;
    Future<Datagram> r;
    while ((r = receivers.pollFirst()) != null) {
      if (!r.isDone()) {
        r.setResult(null);
      }
    }
    wakeDrainers();
    closed.setResult(null);
  }

  @Override
  public String toString() {
    return "DatagramEndpoint["
        + localAddress()
        + (remote != null ? " -> " + remote : "")
        + (isClosed ? " closed" : closing ? " closing" : "")
        + ", "
        + received.size()
        + " queued, "
        + dropped
        + " dropped]";
  }
}
