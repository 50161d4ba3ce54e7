package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Stress;
import dev.coroutine.TestBase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Hostile peers against a server on one loop: peers that reset the connection while the server is
 * writing to them, and idle or slow clients that hold connections while others are served. Each
 * asserts that every connection's handler ends (nothing lost or stuck), that the server forgets
 * every closed connection, and that retained heap comes back. Sizes scale with {@code
 * -Dcoroutine.stress.scale}.
 */
class PeerFaultStressTest extends TestBase {
  /**
   * What the server writes to a "flood" client, in 64 KiB chunks, draining after each: far more
   * than loopback socket buffers hold, so a client that stops reading leaves the server mid-write.
   */
  static final int FLOOD_BYTES = 64 << 20;

  /** Counts how each connection's handler ended. */
  static final class Outcomes {
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger floodsReset = new AtomicInteger();

    int ended() {
      return completed.get() + failed.get();
    }
  }

  /**
   * Reads a first line: "flood" makes the server write {@link #FLOOD_BYTES} (an I/O error there is
   * counted as a reset); anything else is echoed, then every further line, until end of stream.
   */
  static StreamHandler handler(Outcomes outcomes) {
    return (r, w) ->
        new Machine<Void>() {
          int written;
          final byte[] chunk = new byte[64 << 10];

          @Override
          protected Object step(Object v, Throwable e) throws Throwable {
            if (e != null) {
              if (state == 2 && e instanceof IOException) {
                outcomes.floodsReset.incrementAndGet(); // the peer reset mid-write: expected
                outcomes.completed.incrementAndGet();
                return null;
              }
              outcomes.failed.incrementAndGet();
              throw e;
            }
            switch (state) {
              case 0:
                state = 1;
                return await(r.readLine());
              case 1:
                if (v == null) { // idle client closed without a word
                  outcomes.completed.incrementAndGet();
                  w.close();
                  return null;
                }
                if (v.equals("flood")) {
                  state = 2;
                  return flood();
                }
                w.write(v + "\n");
                return await(r.readLine());
              case 2:
                return flood();
              default:
                return null;
            }
          }

          private Object flood() throws IOException {
            if (written >= FLOOD_BYTES) {
              outcomes.completed.incrementAndGet();
              w.close();
              state = 3;
              return null;
            }
            w.write(chunk);
            written += chunk.length;
            return await(w.drain());
          }
        }.coroutine();
  }

  /** Runs {@code loop} on its own thread while the test drives blocking clients. */
  private Thread runLoopInBackground() {
    Thread t = new Thread(loop::runForever, "peer-fault-loop");
    t.start();
    return t;
  }

  private <T> T onLoop(Supplier<T> query) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    loop.callSoonThreadsafe(() -> f.complete(query.get()));
    return f.get(30, TimeUnit.SECONDS);
  }

  /** Waits until {@code condition}, asked on the loop, holds; fails after 30 s. */
  private void awaitOnLoop(Supplier<Boolean> condition, String what) throws Exception {
    long end = System.nanoTime() + 30_000_000_000L;
    while (!onLoop(condition)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  private Server startServer(Outcomes outcomes) throws IOException {
    return loop.runUntilComplete(
        loop.createTask(Streams.startServer(handler(outcomes), StreamsTest.HOST, 0)));
  }

  @Test
  void peersResettingMidWrite_everyHandlerEnds_serverForgetsThem_heapComesBack() throws Exception {
    int peers = Stress.scaled(40);
    Outcomes outcomes = new Outcomes();
    Server server = startServer(outcomes);
    long before = Stress.retainedHeap();
    Thread loopThread = runLoopInBackground();
    long t0 = System.nanoTime();
    try (Stress.Watchdog w = Stress.watchdog(loop, 100)) {
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < peers; i++) {
        Thread c =
            new Thread(
                () -> {
                  try (Socket s = new Socket(StreamsTest.HOST, server.port())) {
                    s.setSoTimeout(30_000);
                    OutputStream o = s.getOutputStream();
                    o.write("flood\n".getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[16 << 10];
                    int got = 0;
                    while (got < 200_000) { // the server is mid-write: its buffers are full
                      int n = in.read(buf);
                      if (n < 0) {
                        break;
                      }
                      got += n;
                    }
                    s.setSoLinger(true, 0); // close with a reset, unread data still in flight
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
        clients.add(c);
        c.start();
      }
      for (Thread c : clients) {
        c.join(60_000);
      }
      awaitOnLoop(() -> outcomes.ended() == peers, "every handler ended");
      awaitOnLoop(() -> server.clientCount() == 0, "the server forgot every connection");
      onLoop(
          () -> {
            loop.stop();
            return null;
          });
      loopThread.join(30_000);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long after = Stress.retainedHeap();
    System.out.printf(
        "peer resets: %d peers reset mid-write in %.2f s: %d handlers saw the reset, %d failed"
            + " otherwise; retained heap %s before, %s after%n",
        peers,
        secs,
        outcomes.floodsReset.get(),
        outcomes.failed.get(),
        Stress.mb(before),
        Stress.mb(after));
    assertThat(outcomes.floodsReset.get()).isEqualTo(peers);
    assertThat(outcomes.failed.get()).isZero();
    assertThat(after - before).isLessThan(8L << 20);
    server.close();
    loop.runUntilComplete(loop.createTask(server.waitClosed()));
  }

  @Test
  void idleAndSlowClients_holdConnections_whileAnotherIsServed_thenAllAreForgotten()
      throws Exception {
    int idle = Stress.scaled(200);
    int slow = Stress.scaled(5);
    int roundTrips = 500;
    Outcomes outcomes = new Outcomes();
    Server server = startServer(outcomes);
    long before = Stress.retainedHeap();
    Thread loopThread = runLoopInBackground();
    List<Socket> held = new ArrayList<>();
    long t0 = System.nanoTime();
    try (Stress.Watchdog w = Stress.watchdog(loop, 100)) {
      for (int i = 0; i < idle; i++) {
        held.add(new Socket(StreamsTest.HOST, server.port())); // connects, says nothing
      }
      for (int i = 0; i < slow; i++) {
        Socket s = new Socket(StreamsTest.HOST, server.port());
        s.getOutputStream().write("flood\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        held.add(s); // never reads: the server's writes to it wait in drain
      }
      awaitOnLoop(() -> server.clientCount() == idle + slow, "all held connections accepted");
      try (Socket active = new Socket(StreamsTest.HOST, server.port())) {
        active.setSoTimeout(30_000);
        OutputStream o = active.getOutputStream();
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(active.getInputStream(), StandardCharsets.UTF_8));
        for (int i = 0; i < roundTrips; i++) {
          o.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
          o.flush();
          assertThat(in.readLine()).isEqualTo("line " + i);
        }
      }
      double servedSecs = (System.nanoTime() - t0) / 1e9;
      // the held connections are all still there (the active one may have ended meanwhile)
      assertThat(onLoop(server::clientCount)).isGreaterThanOrEqualTo(idle + slow);
      for (Socket s : held) {
        s.close();
      }
      awaitOnLoop(() -> outcomes.ended() == idle + slow + 1, "every handler ended");
      awaitOnLoop(() -> server.clientCount() == 0, "the server forgot every connection");
      onLoop(
          () -> {
            loop.stop();
            return null;
          });
      loopThread.join(30_000);
      long after = Stress.retainedHeap();
      System.out.printf(
          "idle/slow clients: %d idle + %d never-reading clients held while %d round trips were"
              + " served (%.2f s); all %d handlers ended (%d saw a reset); retained heap %s"
              + " before, %s after%n",
          idle,
          slow,
          roundTrips,
          servedSecs,
          outcomes.ended(),
          outcomes.floodsReset.get(),
          Stress.mb(before),
          Stress.mb(after));
      assertThat(outcomes.failed.get()).isZero();
      assertThat(after - before).isLessThan(8L << 20);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    server.close();
    loop.runUntilComplete(loop.createTask(server.waitClosed()));
  }
}
