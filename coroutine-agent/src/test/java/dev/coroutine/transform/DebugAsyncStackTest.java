package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coroutine.AsyncStackTrace;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Future;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Async stack traces: in debug mode an exception thrown three awaits deep, after every level
 * suspended (so the callers were resumed by the task's trampoline, not on the Java stack), carries
 * the awaiting frames in one suppressed {@link AsyncStackTrace}; outside debug mode nothing.
 */
class DebugAsyncStackTest {
  static final String SOURCE = "DebugChain.java";
  static Class<?> c;

  @BeforeAll
  static void load() {
    c = Samples.load("DebugChain");
  }

  private static Future<Integer> failingGate() {
    Future<Integer> gate = new Future<>();
    gate.setResult(-1);
    return gate;
  }

  private Throwable failure(String method, boolean debug) throws Throwable {
    Coroutine<?> co = Samples.call(c, method, failingGate());
    return catchThrowable(() -> Coroutines.runWithVirtualTime(co, debug));
  }

  private String element(String method, String marker) {
    return c.getName() + "." + method + "(" + SOURCE + ":" + Samples.line(SOURCE, marker) + ")";
  }

  @Test
  void debugMode_exceptionThreeAwaitsDeep_showsAllThreeUserFramesWithTheirLines() throws Throwable {
    Throwable t = failure("outer", true);

    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessage("negative -1");
    assertThat(t.getStackTrace()[0].toString()).isEqualTo(element("inner", "innerThrow"));
    AsyncStackTrace async = AsyncStackTrace.of(t);
    assertThat(async).isNotNull();
    assertThat(async.getMessage()).isEqualTo("awaited by (task \"Task-1\")");
    assertThat(Arrays.stream(async.getStackTrace()).map(StackTraceElement::toString))
        .containsExactly(element("middle", "middleAwait"), element("outer", "outerAwait"));

    StringWriter printed = new StringWriter();
    t.printStackTrace(new PrintWriter(printed));
    String text = printed.toString();
    assertThat(text)
        .contains("at " + element("inner", "innerThrow"))
        .contains("Suppressed: dev.coroutine.AsyncStackTrace: awaited by (task \"Task-1\")")
        .contains("at " + element("middle", "middleAwait"))
        .contains("at " + element("outer", "outerAwait"));
    assertThat(text.indexOf(element("middle", "middleAwait")))
        .isLessThan(text.indexOf(element("outer", "outerAwait")));
  }

  @Test
  void debugMode_exceptionCaughtAndRethrownByACaller_getsTheAsyncStackOnce() throws Throwable {
    Throwable t = failure("rethrowing", true);

    assertThat(t).isInstanceOf(IllegalStateException.class);
    assertThat(t.getSuppressed()).hasSize(1);
    assertThat(
            Arrays.stream(AsyncStackTrace.of(t).getStackTrace()).map(StackTraceElement::toString))
        .containsExactly(
            element("middle", "middleAwait"), element("rethrowing", "rethrowingAwait"));
  }

  @Test
  void outsideDebugMode_theExceptionIsLeftAsItIs() throws Throwable {
    Throwable t = failure("outer", false);

    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessage("negative -1");
    assertThat(t.getSuppressed()).isEmpty();
    assertThat(AsyncStackTrace.of(t)).isNull();
    assertThat(t.getStackTrace()[0].toString()).isEqualTo(element("inner", "innerThrow"));
  }
}
