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
}
