package dev.coroutine.test;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.test.AsyncTests.runTest;
import static dev.coroutine.test.AsyncTests.runTestInRealTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link AsyncTests#runTest}: the kit from a plain Jupiter test, as kotlinx's {@code runTest}. */
class RunTestTest {

  @Async
  private static Coroutine<Integer> slowSquare(int x, Duration delay) {
    await(sleep(delay));
    return done(x * x);
  }

  @Async
  private static Coroutine<Duration> threeSquaresInParallel() {
    List<Integer> squares =
        await(
            gather(
                slowSquare(2, Duration.ofMinutes(10)),
                slowSquare(3, Duration.ofMinutes(30)),
                slowSquare(4, Duration.ofMinutes(20))));
    assertThat(squares).containsExactly(4, 9, 16);
    return done(TestTime.currentTime());
  }

  @Test
  void runTest_returnsTheBodysResult_onAVirtualClock() {
    assertThat(runTest(threeSquaresInParallel())).isEqualTo(Duration.ofMinutes(30));
  }

  @Async
  private static Coroutine<Void> failsWith(Throwable t) throws Throwable {
    await(sleep(Duration.ofSeconds(1)));
    throw t;
  }

  @Test
  void runTest_rethrowsTheBodysFailure_theSameInstance() {
    IOException e = new IOException("unchanged");
    Throwable t = catchThrowable(() -> runTest(failsWith(e)));
    assertThat(t).isSameAs(e);
  }

  @Async
  private static Coroutine<Void> leavesAChild() {
    createTask(slowSquare(5, Duration.ofDays(1)), "leftover");
    return done();
  }

  @Test
  void runTest_failsWhenATaskIsLeftPending_namingTheTestMethod() {
    Throwable t = catchThrowable(() -> runTest(leavesAChild()));
    assertThat(t)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "1 task was still pending when"
                + " RunTestTest.runTest_failsWhenATaskIsLeftPending_namingTheTestMethod() ended")
        .hasMessageContaining("\"leftover\" sleeping until 86400.000 s");
  }

  @Async
  private static Coroutine<Void> waitsForAFutureNobodyCompletes() {
    await(Coroutines.getRunningLoop().createFuture());
    return done();
  }

  @Test
  void runTest_withARealTimeLimit_failsInsteadOfHanging() {
    Throwable t =
        catchThrowable(() -> runTest(waitsForAFutureNobodyCompletes(), Duration.ofMillis(300)));
    assertThat(t)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("did not finish within its real-time limit of 300 ms")
        .hasMessageContaining("waiting on Future");
  }

  @Async
  private static Coroutine<Void> leavesAnExecutorJobRunning(CountDownLatch release) {
    Coroutines.getRunningLoop() // a job nobody awaits: no task is left pending
        .runInExecutor(
            () -> {
              release.await();
              return null;
            });
    await(sleep(1));
    return done();
  }

  @Test
  void runTest_waitsForTheDefaultExecutorsJobs_andATimeoutThereSaysSo() {
    // as asyncio's test case, the executor's jobs end with the test; past the limit the failure
    // says the test had finished (found by a review: it read as a hang with an empty task dump)
    CountDownLatch release = new CountDownLatch(1);
    try {
      Throwable t =
          catchThrowable(
              () -> runTest(leavesAnExecutorJobRunning(release), Duration.ofMillis(500)));
      assertThat(t)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("did not finish within its real-time limit of 500 ms")
          .hasMessageContaining("The test itself had finished")
          .hasMessageContaining("default executor");
    } finally {
      release.countDown();
    }
  }

  @Async
  private static Coroutine<Void> publishesItsLoopThenWaits(AtomicReference<EventLoop> loop) {
    loop.set(Coroutines.getRunningLoop());
    await(Coroutines.getRunningLoop().createFuture());
    return done();
  }

  @Test
  void interruptingTheWaitingRunner_stopsAndClosesTheTestsLoop() throws Exception {
    AtomicReference<EventLoop> loop = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread runner =
        new Thread(
            () -> thrown.set(catchThrowable(() -> runTest(publishesItsLoopThenWaits(loop)))));
    runner.start();
    while (loop.get() == null) {
      Thread.sleep(5);
    }
    runner.interrupt();
    runner.join(30_000); // hang guard only
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    long giveUp = System.nanoTime() + 30_000_000_000L; // hang guard only
    while (!loop.get().isClosed() && System.nanoTime() < giveUp) {
      Thread.sleep(5);
    }
    assertThat(loop.get().isClosed()).isTrue();
  }

  @Async
  private static Coroutine<Boolean> onTheRealClock() {
    await(sleep(5));
    return done(Coroutines.getRunningLoop().isVirtualTime());
  }

  @Test
  void runTestInRealTime_usesTheRealClock() {
    assertThat(runTestInRealTime(onTheRealClock())).isFalse();
  }

  @Test
  void coroutineTestTimeoutProperty_isSecondsAndBadValuesAreNamed() {
    String old = System.getProperty("coroutine.test.timeout");
    try {
      System.setProperty("coroutine.test.timeout", "2.5");
      assertThat(AsyncTests.defaultTimeout()).isEqualTo(Duration.ofMillis(2500));
      System.setProperty("coroutine.test.timeout", "soon");
      assertThat(catchThrowable(AsyncTests::defaultTimeout))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("-Dcoroutine.test.timeout=soon: expected a positive number of seconds");
      System.clearProperty("coroutine.test.timeout");
      assertThat(AsyncTests.defaultTimeout())
          .isEqualTo(Duration.ofSeconds(AsyncTests.DEFAULT_TIMEOUT_SECONDS));
    } finally {
      if (old != null) {
        System.setProperty("coroutine.test.timeout", old);
      }
    }
  }

  @Async
  private static Coroutine<Boolean> loopDebug() {
    await(sleep(1));
    return done(Coroutines.getRunningLoop().getDebug());
  }

  /**
   * {@code -Dcoroutine.debug=true} turns debug mode on for every test (README), also where the test
   * does not ask for it: the kit's loop is switched on when a test asks, and otherwise left as the
   * loop starts (it was switched off once setDebug(false) stopped deferring to the property). In a
   * JVM of its own, under the same agent: the property is read once per JVM.
   */
  @Test
  void debugProperty_turnsDebugModeOnForEveryTest() throws Exception {
    String agent =
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("-javaagent:"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the tests run under the agent"));
    String javaCommand =
        java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                javaCommand,
                agent,
                "-Xmx64m",
                "-Dcoroutine.debug=true",
                "-cp",
                System.getProperty("java.class.path"),
                DebugChild.class.getName())
            .redirectErrorStream(true)
            .start();
    String out =
        new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("runTest debug: true", "runTestInRealTime debug: true");
  }

  /** The child JVM of {@link #debugProperty_turnsDebugModeOnForEveryTest}. */
  static final class DebugChild {
    public static void main(String[] args) {
      System.out.println("runTest debug: " + runTest(loopDebug()));
      System.out.println("runTestInRealTime debug: " + runTestInRealTime(loopDebug()));
    }
  }
}
