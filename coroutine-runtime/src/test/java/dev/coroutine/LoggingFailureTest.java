package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A logging back end that throws does not stop the loop. Found from outside: with every file
 * descriptor in use, the JDK's log formatter failed to open its time-zone data and threw a {@code
 * NoClassDefFoundError} that its console handler let through; the default exception handler's
 * report of a failed {@code accept()} then failed, its fallback report failed again, and the loop
 * closed itself (asyncio's logging swallows its own failures).
 */
class LoggingFailureTest {

  @Test
  void aLoggerThatThrows_neitherStopsTheLoopNorLosesTheReport() {
    PrintStream stderr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> ran = new ArrayList<>();
    CapturingLoggerFinder.failWith =
        new NoClassDefFoundError("simulated: no descriptor left for the time-zone data");
    try (EventLoop l = new EventLoop()) { // the default exception handler: it logs
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      l.callSoon(
          () -> {
            throw new IllegalStateException("first callback failure");
          });
      l.callSoon(() -> ran.add("the next callback"));
      l.callSoon(l::stop);
      l.runForever();
      l.callSoon(
          () -> {
            throw new IllegalStateException("second callback failure");
          });
      l.callSoon(() -> ran.add("after the second"));
      l.callSoon(l::stop);
      l.runForever();
      assertThat(l.isClosed()).isFalse();
    } finally {
      CapturingLoggerFinder.failWith = null;
      System.setErr(stderr);
    }
    assertThat(ran).containsExactly("the next callback", "after the second");
    String reported = err.toString(StandardCharsets.UTF_8);
    assertThat(reported)
        .contains("first callback failure")
        .contains("second callback failure")
        .contains("logging this failed: java.lang.NoClassDefFoundError: simulated");
  }

  /**
   * The runtime asks for its loggers when it first logs: {@code System.getLogger} starts the
   * logging back end (java.util.logging reads its configuration), which took 80 ms of every
   * program's first {@code run()} when the runtime's classes asked as they loaded.
   */
  @Test
  void aProgramThatLogsNothing_neverStartsTheLoggingBackEnd() throws Exception {
    String out = ChildJvm.runOk(List.of("-Xlog:class+load=info"), LogsLate.class);
    int mark = out.indexOf("--- now a report");
    assertThat(mark).as(out).isPositive();
    assertThat(out.substring(0, mark)).contains("ran: 3").doesNotContain("LoggerFinder");
    assertThat(out.substring(mark)).contains("LoggerFinder"); // the check sees it when it happens
  }

  /** The child JVM's program: a run() that logs nothing, then a callback failure it reports. */
  static final class LogsLate {
    public static void main(String[] args) {
      Object r =
          Coroutines.run(
              Co.seq(
                  v -> Co.await(Coroutines.sleep(1)),
                  v -> Co.await(Coroutines.gather(Coroutines.createTask(Co.seq(x -> 3)))),
                  v -> ((List<?>) v).get(0)));
      System.out.println("ran: " + r);
      System.out.println("--- now a report");
      try (EventLoop l = new EventLoop()) { // the default exception handler logs
        l.callSoon(
            () -> {
              throw new IllegalStateException("reported");
            });
        l.callSoon(l::stop);
        l.runForever();
      }
    }
  }
}
