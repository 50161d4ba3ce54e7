package dev.coroutine.test;

import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.time.Duration;

/**
 * The test clock, as kotlinx-coroutines-test's {@code TestCoroutineScheduler}: inside a test of the
 * kit ({@link AsyncTest} or {@link AsyncTests#runTest}) on a virtual clock, time moves only when
 * the loop has nothing to run, straight to the next timer, so {@code sleep}, {@code callLater},
 * {@code waitFor}, {@code timeout} and every deadline of the runtime take no real time. These
 * methods let the test stop the clock where it wants to look.
 *
 * <pre>{@code
 * Task<Void> t = createTask(heartbeat.every(Duration.ofSeconds(10)));
 * await(advanceTimeBy(Duration.ofSeconds(25)));      // timers at 10 s and 20 s fired
 * assertThat(beats).hasSize(2);
 * assertThat(currentTime()).isEqualTo(Duration.ofSeconds(25));
 * t.cancel();
 * await(runCurrent());                                // let the cancellation run
 * }</pre>
 *
 * <p>Each advance returns a future for the calling task to await; it completes when the loop is
 * idle at the requested instant, so the awaiting task resumes after everything that instant made
 * ready. One advance at a time. Only timers are virtual: work on other threads ({@code toThread},
 * {@code runInExecutor}, a {@code CompletableFuture}) and I/O take real time, and the clock does
 * not wait for them (use {@code @AsyncTest(virtualTime = false)} for such tests).
 */
public final class TestTime {
  private TestTime() {}

  /**
   * The loop's time since the test started: virtual time on a virtual clock (0 at the start), real
   * elapsed time otherwise.
   *
   * @return the time since the test's loop was created
   * @throws IllegalStateException outside a test of the kit
   */
  public static Duration currentTime() {
    EventLoop loop = TestRun.current("currentTime()").loop;
    return Duration.ofNanos(Math.round(loop.time() * 1e9));
  }

  /**
   * Moves the virtual clock {@code delay} ahead: every timer due until then fires, in order, and
   * what it makes ready runs; the future completes with the clock exactly {@code delay} later and
   * nothing left to run at that instant. Timers due later do not fire.
   *
   * @param delay how far to move the clock; zero is {@link #runCurrent()}
   * @return a future to await; it completes at the new time
   * @throws IllegalArgumentException if {@code delay} is negative
   * @throws IllegalStateException outside a test of the kit, on a real clock, or while another
   *     advance is pending
   */
  public static Future<Void> advanceTimeBy(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("advanceTimeBy(" + delay + "): the delay is negative");
    }
    TestRun r = virtual("advanceTimeBy(" + delay + ")");
    long now = Math.round(r.loop.time() * 1e9);
    long target;
    try {
      target = Math.addExact(now, delay.toNanos());
    } catch (ArithmeticException tooFar) {
      target = Long.MAX_VALUE - 1; // as far as loop time goes: every timer that ever fires
    }
    return r.clock.advance(r.loop, TestClock.UNTIL, target, "advanceTimeBy");
  }

  /**
   * Runs the loop, jumping from timer to timer, until nothing is left to run and no timer is
   * pending (timers that never fire aside). A task that re-arms a timer for ever keeps it from
   * ending: the test's real-time limit then fails it with a task dump.
   *
   * @return a future to await; it completes when the loop is idle with no timer left
   * @throws IllegalStateException outside a test of the kit, on a real clock, or while another
   *     advance is pending
   */
  public static Future<Void> advanceUntilIdle() {
    TestRun r = virtual("advanceUntilIdle()");
    return r.clock.advance(r.loop, TestClock.IDLE, 0, "advanceUntilIdle");
  }

  /**
   * Runs what is ready at the current instant, and what that makes ready, without moving the clock.
   *
   * @return a future to await; it completes when nothing is left to run at this instant
   * @throws IllegalStateException outside a test of the kit, on a real clock, or while another
   *     advance is pending
   */
  public static Future<Void> runCurrent() {
    TestRun r = virtual("runCurrent()");
    return r.clock.advance(r.loop, TestClock.CURRENT, 0, "runCurrent");
  }

  private static TestRun virtual(String what) {
    TestRun r = TestRun.current(what);
    if (r.clock == null) {
      throw new IllegalStateException(
          what
              + " needs a virtual clock, and this test runs on the real one"
              + " (@AsyncTest(virtualTime = false) or AsyncTests.runTestInRealTime)");
    }
    return r;
  }
}
