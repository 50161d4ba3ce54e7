package dev.coroutine.transform;

import static dev.coroutine.transform.Samples.log;
import static dev.coroutine.transform.Samples.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC.md "Semantics" as the rewritten code must make them true. */
class SemanticsTest {
  static Class<?> c;

  @BeforeAll
  static void load() {
    c = Samples.load("Semantics");
  }

  @Test
  void laziness_callingAnAsyncMethodRunsNothing() throws Throwable {
    List<String> log = log();
    Coroutine<?> co = Samples.call(c, "sideEffect", log, "x");
    assertThat(log).isEmpty();
    assertThat(Coroutines.run(co)).isEqualTo("x");
    assertThat(log).containsExactly("body x");
  }

  @Test
  void laziness_insideACoroutine_bodyRunsOnlyWhenAwaited_neverIfNot() throws Throwable {
    List<String> log = log();
    assertThat(run(c, "lazyInside", log)).isEqualTo("a");
    assertThat(log).containsExactly("created", "body a", "awaited a true");
  }

  @Test
  void completableFutureCompletedByAnotherThread_resumesOnTheLoopThread() throws Throwable {
    List<String> log = log();
    Thread[] threads = new Thread[3];
    assertThat(run(c, "fromOtherThread", log, threads, false)).isEqualTo("remote");
    assertThat(log).containsExactly("awaiting", "resumed remote");
    assertThat(threads[1]).isNotNull().isNotSameAs(threads[0]);
    assertThat(threads[2]).isSameAs(threads[0]).isSameAs(Thread.currentThread());
  }

  @Test
  void completableFutureFailedByAnotherThread_throwsItsCauseOnTheLoopThread() {
    List<String> log = log();
    Thread[] threads = new Thread[3];
    Throwable t = catchThrowable(() -> run(c, "fromOtherThread", log, threads, true));
    assertThat(t).isInstanceOf(IllegalArgumentException.class).hasMessage("remote");
    assertThat(log).containsExactly("awaiting", "failed remote");
    assertThat(threads[2]).isSameAs(threads[0]);
  }

  @Test
  void completedCompletionStage_fastPath() throws Throwable {
    List<String> log = log();
    assertThat(run(c, "completedStage", log)).isEqualTo("now");
    assertThat(log).containsExactly("got now");
  }

  @Test
  void cancellation_whileSuspended_throwsAtTheAwait_finallyRuns() throws Throwable {
    List<String> log = log();
    assertThat(run(c, "cancelling", log, false)).isEqualTo("cancelled");
    assertThat(log)
        .containsExactly(
            "victim start", "cancel true", "victim caught", "victim finally", "cancelled=true");
  }

  @Test
  void cancellation_caughtByTheCoroutine_whichAwaitsAgainAndReturns() throws Throwable {
    List<String> log = log();
    assertThat(run(c, "cancelling", log, true)).isEqualTo("caught 1");
    assertThat(log)
        .containsExactly(
            "victim start",
            "cancel true",
            "victim caught",
            "~1",
            "victim finally",
            "result caught 1 cancelled=false");
  }

  @Test
  void coroutineAwaitedTwice_secondAwaitThrowsIllegalStateException() throws Throwable {
    List<String> log = log();
    assertThat(run(c, "awaitTwice", log)).isEqualTo("first 1");
    assertThat(log).containsExactly("one", "second await: ISE");
  }

  @Test
  void coroutineWrappedInATask_thenAwaitedDirectly_throwsIllegalStateException() throws Throwable {
    List<String> log = log();
    assertThat(run(c, "awaitTwiceAfterTask", log)).isEqualTo("task 1");
    assertThat(log).containsExactly("await of a scheduled coroutine: ISE", "one");
  }

  @Test
  void coroutineRunTwice_secondRunThrowsIllegalStateException() throws Throwable {
    Coroutine<?> co = Samples.call(c, "sideEffect", log(), "x");
    Coroutines.run(co);
    assertThat(catchThrowable(() -> Coroutines.run(co))).isInstanceOf(IllegalStateException.class);
  }

  /** Runs {@code body} on a thread with a small stack, so a chain that recursed would overflow. */
  static Object onSmallStack(Callable body) throws Throwable {
    AtomicReference<Object> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                result.set(body.call());
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "small-stack",
            128 * 1024); // a small stack: the trampoline must keep deep chains within it
    t.start();
    t.join();
    if (failure.get() != null) {
      throw failure.get();
    }
    return result.get();
  }

  interface Callable {
    Object call() throws Throwable;
  }

  @Test
  void recursion_100000DeepInlineAwaitChain_startsWithoutStackOverflow() throws Throwable {
    assertThat(onSmallStack(() -> run(c, "depth", 100_000, false))).isEqualTo(100_000);
  }

  @Test
  void recursion_100000DeepInlineAwaitChain_resumesAfterARealSuspensionAtTheBottom()
      throws Throwable {
    assertThat(onSmallStack(() -> run(c, "depth", 100_000, true))).isEqualTo(100_000);
  }

  @Test
  void recursion_100000DeepTailReturnChain_bothWays() throws Throwable {
    assertThat(onSmallStack(() -> run(c, "tailDepth", 100_000, false))).isEqualTo(0);
    assertThat(onSmallStack(() -> run(c, "tailDepth", 100_000, true))).isEqualTo(0);
  }

  @Test
  void waitForTimeout_throwsCheckedTimeoutExceptionAtTheAwait_innerFinallyRuns() throws Throwable {
    List<String> log = log();
    assertThat(run(c, "timesOut", log)).isEqualTo("timed out");
    assertThat(log).containsExactly("inner finally", "timeout");
  }

  @Test
  void asCompletedTimeout_isACheckedTimeoutExceptionAtTheAwait() throws Throwable {
    List<String> log = log();
    assertThat(run(c, "asCompletedTimesOut", log)).isEqualTo("timed out");
    assertThat(log).containsExactly("quick", "timeout");
  }

  @Test
  void twoTasksOfTheSameMethod_interleaveAtEachYield_withTheirOwnLocals() throws Throwable {
    List<String> log = log();
    assertThat(run(c, "interleaved", log)).isEqualTo(List.of("a012", "b012"));
    assertThat(log).containsExactly("a0", "b0", "a1", "b1", "a2", "b2");
  }
}
