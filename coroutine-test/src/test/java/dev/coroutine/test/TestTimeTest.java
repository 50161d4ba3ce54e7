package dev.coroutine.test;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.timeout;
import static dev.coroutine.Coroutines.waitFor;
import static dev.coroutine.test.TestTime.advanceTimeBy;
import static dev.coroutine.test.TestTime.advanceUntilIdle;
import static dev.coroutine.test.TestTime.currentTime;
import static dev.coroutine.test.TestTime.runCurrent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The test clock, used the way users use it: these are {@code @AsyncTest} methods, run by the kit's
 * own engine under the agent (see the pom's argLine).
 */
class TestTimeTest {

  @AsyncTest
  @Async
  Coroutine<Void> anHourOfWaitForTimeouts_endsAtExactlyOneVirtualHour() throws Exception {
    int timeouts = 0;
    for (int i = 0; i < 3600; i++) {
      try {
        await(waitFor(sleep(Duration.ofSeconds(2)), Duration.ofSeconds(1)));
      } catch (TimeoutException expected) {
        timeouts++;
      }
    }
    assertThat(timeouts).isEqualTo(3600);
    assertThat(currentTime()).isEqualTo(Duration.ofHours(1));
    return done();
  }

  @AsyncTest
  @Async
  Coroutine<Void> timeoutBlock_andCallLater_followTheVirtualClock() throws Exception {
    EventLoop loop = getRunningLoop();
    List<Double> fired = new ArrayList<>();
    loop.callLater(Duration.ofMinutes(90), () -> fired.add(loop.time()));
    Throwable t = null;
    try {
      await(timeout(Duration.ofHours(2), sleep(Duration.ofDays(1))));
    } catch (TimeoutException e) {
      t = e;
    }
    assertThat(t).isInstanceOf(TimeoutException.class);
    assertThat(fired).containsExactly(5400.0);
    assertThat(currentTime()).isEqualTo(Duration.ofHours(2));
    return done();
  }

  @AsyncTest
  @Async
  Coroutine<Void> advanceTimeBy_firesTimersUpToTheTarget_andStopsThere() {
    EventLoop loop = getRunningLoop();
    List<String> fired = new ArrayList<>();
    loop.callLater(Duration.ofSeconds(10), () -> fired.add("10s"));
    loop.callLater(Duration.ofSeconds(25), () -> fired.add("25s"));
    loop.callLater(Duration.ofSeconds(30), () -> fired.add("30s"));
    await(advanceTimeBy(Duration.ofSeconds(25)));
    assertThat(fired).containsExactly("10s", "25s");
    assertThat(currentTime()).isEqualTo(Duration.ofSeconds(25));
    await(advanceTimeBy(Duration.ofMillis(4_999)));
    assertThat(fired).containsExactly("10s", "25s");
    assertThat(currentTime()).isEqualTo(Duration.ofMillis(29_999));
    await(advanceUntilIdle());
    assertThat(fired).containsExactly("10s", "25s", "30s");
    assertThat(currentTime()).isEqualTo(Duration.ofSeconds(30));
    return done();
  }

  @Async
  private Coroutine<Void> ticker(List<String> beats, int n) {
    for (int i = 1; i <= n; i++) {
      await(sleep(Duration.ofSeconds(10)));
      beats.add("beat " + i + " at " + currentTime().toSeconds() + " s");
    }
    return done();
  }

  @AsyncTest
  @Async
  Coroutine<Void> advanceTimeBy_resumesTheCallerAfterTasksWokenAtTheTarget() {
    List<String> beats = new ArrayList<>();
    Task<Void> t = createTask(ticker(beats, 5));
    await(advanceTimeBy(Duration.ofSeconds(20)));
    assertThat(beats).containsExactly("beat 1 at 10 s", "beat 2 at 20 s");
    assertThat(t.isDone()).isFalse();
    await(advanceUntilIdle());
    assertThat(beats).hasSize(5).last().isEqualTo("beat 5 at 50 s");
    assertThat(t.isDone()).isTrue();
    return done();
  }

  @AsyncTest
  @Async
  Coroutine<Void> runCurrent_runsWhatIsReady_withoutMovingTheClock() {
    List<String> steps = new ArrayList<>();
    Task<Void> t = createTask(stepsThenSleep(steps));
    assertThat(steps).isEmpty(); // created, not started
    await(runCurrent());
    assertThat(steps).containsExactly("started", "after a yield");
    assertThat(currentTime()).isEqualTo(Duration.ZERO);
    t.cancel();
    await(runCurrent());
    assertThat(t.isCancelled()).isTrue();
    return done();
  }

  @Async
  private Coroutine<Void> stepsThenSleep(List<String> steps) {
    steps.add("started");
    await(sleep(0));
    steps.add("after a yield");
    await(sleep(Duration.ofMinutes(5)));
    steps.add("slept");
    return done();
  }

  @AsyncTest
  @Async
  Coroutine<Void> secondAdvanceWhileOneIsPending_isRefused_andNegativeDelaysToo() {
    Future<Void> first = advanceTimeBy(Duration.ofSeconds(1));
    Throwable second = catchThrowable(TestTime::advanceUntilIdle);
    assertThat(second)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only one task may advance the test clock at a time");
    await(first);
    assertThat(currentTime()).isEqualTo(Duration.ofSeconds(1));
    assertThat(catchThrowable(() -> advanceTimeBy(Duration.ofSeconds(-1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    return done();
  }

  @AsyncTest(virtualTime = false)
  @Async
  Coroutine<Void> realClockTest_refusesToAdvance_butHasACurrentTime() {
    await(sleep(20));
    assertThat(getRunningLoop().isVirtualTime()).isFalse();
    assertThat(currentTime()).isPositive();
    assertThat(catchThrowable(TestTime::advanceUntilIdle))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a virtual clock");
    return done();
  }

  @Test
  void outsideAKitTest_theClockIsRefused_namingWhereItWorks() {
    assertThat(catchThrowable(TestTime::currentTime))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("currentTime() works only inside a test of the test kit");
    Throwable onAnotherLoop =
        catchThrowable(() -> dev.coroutine.Coroutines.runWithVirtualTime(clockOutsideTheKit()));
    assertThat(onAnotherLoop)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("currentTime() works only inside a test of the test kit");
  }

  @Async
  private static Coroutine<Duration> clockOutsideTheKit() {
    await(sleep(1));
    return done(currentTime());
  }
}
