package dev.coroutine.bench.floor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The IO echo's floor: what a line echo on loopback costs with no framework at all, on this
 * machine. The same protocol as {@code EchoBench} (each connection writes a line, waits for its
 * whole echo, repeats; the server echoes each complete line) with the least work a selector loop
 * can do: one thread per side, one {@link Selector} each, one direct buffer per thread that the
 * kernel reads into and the echo is written back from (no copy in user space; a line that arrives
 * in pieces is gathered in a buffer of its own), the separator found eight bytes per step, a write
 * at once and {@code OP_WRITE} only when the socket does not take a line whole, one {@code
 * select()} per wake-up and no poll between, no allocation per message (unless a line arrives in
 * pieces or the socket takes a write in part). An event loop with asyncio's passes does more (a
 * task resumes in the pass after the I/O callback that woke it, and that pass polls the selector
 * again; a stream hands out each line as an array of its own), so this is what the work costs
 * without a framework on this machine. Its runs spread like every echo's (ours beat its median at
 * 32 B and 100 connections in session 19's run), so the goal lines call a goal out of reach only
 * when it is above every run of the floor.
 */
public final class EchoFloor {
  private EchoFloor() {}

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long NEWLINES = '\n' * ONES;

  /** Index of the first '\n' in {@code b[from, to)}, eight bytes per step; -1 if none. */
  static int newline(ByteBuffer b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = b.getLong(i) ^ NEWLINES;
      long found = (x - ONES) & ~x & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b.get(i) == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * A server connection: nothing while it is idle (every read goes to the thread's one buffer); the
   * start of a line that came in pieces, and an echo the socket did not take whole.
   */
  private static final class Served {
    final SocketChannel ch;

    /** The part of a line read so far, when it came in pieces; else null. */
    ByteBuffer partial;

    /** While the socket did not take an echo whole: the part left to write, else null. */
    ByteBuffer pending;

    Served(SocketChannel ch) {
      this.ch = ch;
    }
  }

  /** A client connection: the line it sends, the bytes of its echo read so far. */
  private static final class Client {
    final SocketChannel ch;
    final ByteBuffer line;
    int got;

    Client(SocketChannel ch, ByteBuffer line) {
      this.ch = ch;
      this.line = line.duplicate();
    }
  }

  /**
   * Round trips per second of {@code connections} clients sending {@code line} (ending in '\n') for
   * {@code seconds}.
   *
   * @param connections concurrent connections
   * @param seconds how long to count
   * @param line the message, newline included
   * @return round trips per second
   */
  public static double run(int connections, double seconds, byte[] line) throws Exception {
    int size = line.length;
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", 0), connections);
    server.configureBlocking(false);
    Selector serverSel = Selector.open();
    server.register(serverSel, SelectionKey.OP_ACCEPT);
    Selector clientSel = Selector.open();
    ByteBuffer message = ByteBuffer.allocateDirect(size);
    message.put(line).flip();
    int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    AtomicLong count = new AtomicLong();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    CountDownLatch serverReady = new CountDownLatch(1);
    volatileStop = false;
    serverStop = false;
    Thread serving =
        new Thread(() -> serve(server, serverSel, size, serverReady), "echo-floor-server");
    serving.start();
    serverReady.await(); // accepting before the first connect: the backlog never fills
    List<SocketChannel> opened = new ArrayList<>();
    Thread driving =
        new Thread(
            () -> {
              try {
                // connected in the measured window, as the other systems' clients are
                Client[] clients = new Client[connections];
                for (int i = 0; i < connections; i++) {
                  SocketChannel c = SocketChannel.open();
                  opened.add(c);
                  c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                  c.connect(new InetSocketAddress("127.0.0.1", port));
                  c.configureBlocking(false);
                  clients[i] = new Client(c, message);
                  c.register(clientSel, SelectionKey.OP_READ, clients[i]);
                }
                count.set(drive(clients, clientSel, size, () -> volatileStop));
              } catch (Throwable e) {
                failed.set(e);
              }
            },
            "echo-floor-clients");
    long t0 = System.nanoTime();
    driving.start();
    Thread.sleep((long) (seconds * 1000));
    volatileStop = true;
    driving.join();
    double secs = (System.nanoTime() - t0) / 1e9;
    for (SocketChannel c : opened) {
      c.close();
    }
    serverStop = true;
    serverSel.wakeup();
    serving.join();
    server.close();
    clientSel.close();
    if (failed.get() != null) {
      throw new IllegalStateException("the echo floor's clients failed", failed.get());
    }
    return count.get() / secs;
  }

  private static volatile boolean volatileStop;
  private static volatile boolean serverStop;

  /** The clients' loop: every connection writes its line, then writes again once it is echoed. */
  private static long drive(Client[] clients, Selector sel, int size, BooleanSupplier stop) {
    long n = 0;
    ByteBuffer in = ByteBuffer.allocateDirect(2 * size).order(ByteOrder.LITTLE_ENDIAN);
    try {
      for (Client c : clients) {
        send(c, sel);
      }
      while (!stop.getAsBoolean()) {
        sel.select(100);
        Iterator<SelectionKey> it = sel.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey k = it.next();
          it.remove();
          Client c = (Client) k.attachment();
          if (k.isWritable()) {
            c.ch.write(c.line);
            if (!c.line.hasRemaining()) {
              k.interestOps(SelectionKey.OP_READ);
            }
            continue;
          }
          in.clear();
          int r = c.ch.read(in);
          if (r < 0) {
            throw new IOException("the server closed a connection");
          }
          c.got += r;
          if (c.got >= size) {
            if (c.got > size || newline(in, 0, r) != r - 1) {
              throw new IOException("an echo is not the line sent (" + c.got + " bytes)");
            }
            n++;
            c.got = 0;
            send(c, sel);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  private static void send(Client c, Selector sel) throws IOException {
    c.line.rewind();
    c.ch.write(c.line);
    if (c.line.hasRemaining()) {
      c.ch.keyFor(sel).interestOps(SelectionKey.OP_WRITE);
    }
  }

  /** The server's loop: accepts, and echoes each complete line from the buffer it was read into. */
  private static void serve(
      ServerSocketChannel server, Selector sel, int size, CountDownLatch ready) {
    ready.countDown();
    ByteBuffer in = ByteBuffer.allocateDirect(2 * size).order(ByteOrder.LITTLE_ENDIAN);
    try {
      while (!serverStop) {
        sel.select();
        Iterator<SelectionKey> it = sel.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey k = it.next();
          it.remove();
          if (!k.isValid()) {
            continue;
          }
          if (k.isAcceptable()) {
            SocketChannel ch;
            while ((ch = server.accept()) != null) {
              ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
              ch.configureBlocking(false);
              ch.register(sel, SelectionKey.OP_READ, new Served(ch));
            }
            continue;
          }
          Served s = (Served) k.attachment();
          try {
            if (k.isWritable()) {
              s.ch.write(s.pending);
              if (!s.pending.hasRemaining()) {
                s.pending = null;
                k.interestOps(SelectionKey.OP_READ);
              }
              continue;
            }
            in.clear();
            if (s.ch.read(in) < 0) {
              s.ch.close();
              continue;
            }
            int end = newline(in, 0, in.position());
            ByteBuffer line = in;
            if (s.partial != null || end < 0) { // a line in pieces: gathered in a buffer of its own
              if (s.partial == null) {
                s.partial = ByteBuffer.allocateDirect(2 * size).order(ByteOrder.LITTLE_ENDIAN);
              }
              int from = s.partial.position();
              s.partial.put(in.flip());
              end = newline(s.partial, from, s.partial.position());
              if (end < 0) {
                continue;
              }
              line = s.partial;
              s.partial = null;
            }
            // a client sends its next line only after this echo: what was read is one line
            line.limit(end + 1).position(0);
            s.ch.write(line);
            if (line.hasRemaining()) {
              s.pending =
                  line == in ? ByteBuffer.allocateDirect(line.remaining()).put(line).flip() : line;
              k.interestOps(SelectionKey.OP_WRITE);
            }
          } catch (IOException e) {
            s.ch.close(); // the client went away at the end of a run
          }
        }
      }
      for (SelectionKey k : sel.keys()) {
        k.channel().close();
      }
      sel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
