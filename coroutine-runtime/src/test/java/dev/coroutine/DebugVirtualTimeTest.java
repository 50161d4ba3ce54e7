package dev.coroutine;

import static dev.coroutine.Coroutines.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Loops with a virtual clock: timers fire in order at once, time() follows, runs repeat exactly.
 */
class DebugVirtualTimeTest {

  /** A coroutine sleeping {@code n} times {@code millis}, then returning the loop time. */
  private static Coroutine<Object> sleeps(int n, long millis) {
    Co.Step[] steps = new Co.Step[n + 1];
    for (int i = 0; i < n; i++) {
      steps[i] = v -> Co.await(sleep(millis));
    }
    steps[n] = v -> Coroutines.getRunningLoop().time();
    return Co.seq(steps);
  }

  /**
   * An hour of program: a ticker sleeping 3,600 times one second, a task sleeping 45 minutes,
   * timers at various times (scheduled out of order); returns the trace of what happened when.
   */
  private static List<String> oneHour(EventLoop loop) {
    List<String> trace = new ArrayList<>();
    Coroutine<Object> main =
        Co.seq(
            v -> {
              EventLoop l = Coroutines.getRunningLoop();
              l.callLater(
                  Duration.ofMinutes(59).plusSeconds(30), () -> log(trace, l, "timer 59.5min"));
              l.callLater(Duration.ofSeconds(10), () -> log(trace, l, "timer 10s"));
              l.callLater(Duration.ofMinutes(30), () -> log(trace, l, "timer 30min"));
              l.callAt(1800.0, () -> log(trace, l, "callAt 1800")); // same deadline: FIFO
              l.callLater(Duration.ofMillis(1), () -> log(trace, l, "timer 1ms"));
              Task<Object> sleeper =
                  l.createTask(
                      Co.seq(
                          w -> Co.await(sleep(Duration.ofMinutes(45))),
                          w -> log(trace, l, "slept 45min")),
                      "sleeper");
              Task<Object> ticker = l.createTask(sleeps(3600, 1000), "ticker");
              return Co.await(Coroutines.gather(sleeper, ticker));
            },
            v -> {
              log(trace, Coroutines.getRunningLoop(), "all done");
              return v;
            });
    assertThat(loop.runUntilComplete(loop.createTask(main))).isNotNull();
    return trace;
  }

  private static Object log(List<String> trace, EventLoop l, String what) {
    trace.add(String.format(Locale.ROOT, "%.3f %s", l.time(), what));
    return what;
  }

  @Test
  void oneHourOfSleepsAndTimers_runsAtOnce_inDeadlineOrder() {
    long start = System.nanoTime();
    List<String> trace;
    double end;
    try (EventLoop loop = EventLoop.withVirtualTime()) {
      assertThat(loop.isVirtualTime()).isTrue();
      trace = oneHour(loop);
      end = loop.time();
    }
    double wallSeconds = (System.nanoTime() - start) / 1e9;
    assertThat(trace)
        .containsExactly(
            "0.001 timer 1ms",
            "10.000 timer 10s",
            "1800.000 timer 30min",
            "1800.000 callAt 1800",
            "2700.000 slept 45min",
            "3570.000 timer 59.5min",
            "3600.000 all done");
    assertThat(end).isEqualTo(3600.0);
    assertThat(wallSeconds).as("wall-clock seconds (loose sanity bound)").isLessThan(10.0);
  }

  @Test
  void twoRunsOfTheSameProgram_giveTheSameTrace() {
    List<String> first;
    List<String> second;
    try (EventLoop loop = EventLoop.withVirtualTime()) {
      first = oneHour(loop);
    }
    try (EventLoop loop = EventLoop.withVirtualTime()) {
      second = oneHour(loop);
    }
    assertThat(second).isEqualTo(first);
  }

  @Test
  void runWithVirtualTime_isTheOneLineTest() {
    assertThat(Coroutines.runWithVirtualTime(sleeps(24, 3_600_000))).isEqualTo(86_400.0);
  }

  @Test
  void readyCallbacks_doNotAdvanceTheClock_onlyJumpsToTimersDo() {
    try (EventLoop loop = EventLoop.withVirtualTime()) {
      List<Double> times = new ArrayList<>();
      loop.callSoon(() -> times.add(loop.time()));
      loop.callSoon(() -> loop.callSoon(() -> times.add(loop.time())));
      loop.callLater(2.5, () -> times.add(loop.time()));
      loop.callLater(2.5, loop::stop);
      loop.runForever();
      assertThat(times).containsExactly(0.0, 0.0, 2.5);
      assertThat(loop.time()).isEqualTo(2.5);
    }
  }

  @Test
  void waitForUnderVirtualTime_timesOutAtTheVirtualDeadline() {
    double[] at = new double[1];
    Throwable t =
        catchThrowable(
            () ->
                Coroutines.runWithVirtualTime(
                    Co.steps(
                            v ->
                                Co.await(
                                    Coroutines.waitFor(
                                        sleep(Duration.ofHours(1)), Duration.ofMinutes(30))))
                        .onError(
                            e -> {
                              at[0] = Coroutines.getRunningLoop().time();
                              throw e;
                            })
                        .build()));
    assertThat(t).isInstanceOf(TimeoutException.class);
    assertThat(at[0]).isEqualTo(1800.0);
  }

  @Test
  void realLoop_isNotVirtual() {
    try (EventLoop loop = new EventLoop()) {
      assertThat(loop.isVirtualTime()).isFalse();
    }
  }
}
