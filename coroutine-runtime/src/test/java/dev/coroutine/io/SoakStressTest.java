package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Future;
import dev.coroutine.TestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many connections exchanging many messages through one loop, nothing lost or reordered. Scaled by
 * {@code -Dcoroutine.io.soak.connections=1000 -Dcoroutine.io.soak.messages=1000}; the default (200
 * x 200) keeps the suite fast.
 */
@Timeout(
    value = 300,
    threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung loop must fail, not hang
class SoakStressTest extends TestBase {
  static final int CONNECTIONS = Integer.getInteger("coroutine.io.soak.connections", 200);
  static final int MESSAGES = Integer.getInteger("coroutine.io.soak.messages", 200);

  /**
   * A client: connects, sends {@code lines} numbered lines two at a time, checks each echo, closes;
   * returns the number of echoes checked.
   */
  static Coroutine<Integer> client(int port, int id, int lines) throws Exception {
    return new Machine<Integer>() {
      Connection c;
      int sent;
      int got;

      @Override
      protected Object step(Object v, Throwable e) throws Throwable {
        if (e != null) {
          throw e;
        }
        switch (state) {
          case 0:
            state = 1;
            return await(Streams.openConnection(StreamsTest.HOST, port));
          case 1:
            c = (Connection) v;
            state = 2;
            return send();
          case 2: // drained: read the next echo
            state = 3;
            return await(c.reader().readLine());
          case 3:
            String expected = id + ":" + got + ":" + "x".repeat(got % 50);
            if (!expected.equals(v)) {
              throw new AssertionError("client " + id + " expected " + expected + " got " + v);
            }
            got++;
            if (got == lines) {
              c.writer().close();
              state = 4;
              return await(c.writer().waitClosed());
            }
            if (sent < lines) {
              state = 2;
              return send();
            }
            return await(c.reader().readLine());
          default:
            return got;
        }
      }

      private Object send() throws Exception {
        // keep two lines in flight: pipelining, not just ping-pong
        while (sent < lines && sent - got < 2) {
          c.writer().write(id + ":" + sent + ":" + "x".repeat(sent % 50) + "\n");
          sent++;
        }
        return await(c.writer().drain());
      }
    }.coroutine();
  }

  @Test
  void connectionsTimesMessages_allEchoedInOrder() throws Exception {
    Server s =
        loop.runUntilComplete(
            loop.createTask(Streams.startServer(StreamsTest::echoLines, StreamsTest.HOST, 0)));
    long t0 = System.nanoTime();
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      all.add(loop.createTask(client(s.port(), i, MESSAGES)));
    }
    loop.runUntilComplete(
        loop.createTask(
            new Machine<Void>() {
              @Override
              protected Object step(Object v, Throwable e) throws Throwable {
                if (e != null) {
                  throw e;
                }
                if (state == 1) {
                  return null;
                }
                state = 1;
                return await(Coroutines.gather(all.toArray(new Future<?>[0])));
              }
            }.coroutine()));
    long total = 0;
    for (Future<?> f : all) {
      total += (Integer) f.result();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "soak: %d connections x %d messages = %d echoes in %.2f s (%.0f/s)%n",
        CONNECTIONS, MESSAGES, total, secs, total / secs);
    assertThat(total).isEqualTo((long) CONNECTIONS * MESSAGES);
    s.close();
    loop.runUntilComplete(loop.createTask(s.waitClosed()));
  }
}
