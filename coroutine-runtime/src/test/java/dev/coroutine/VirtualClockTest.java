package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@link EventLoop#withVirtualTime(VirtualClock)}: the loop asks its clock where to go each time it
 * is idle, clamps the answer between now and the first timer, runs work the clock schedules at
 * once, and waits for real only when the clock says so with no timer left.
 */
class VirtualClockTest {

  private static void log(List<String> trace, EventLoop l, String what) {
    trace.add(String.format(Locale.ROOT, "%.3f %s", l.time(), what));
  }

  @Test
  void clockStoppingAtAnInstant_firesTimersUpToIt_andNoneAfter() {
    long stopAt = 5_000_000_000L;
    List<String> trace = new ArrayList<>();
    VirtualClock untilFive =
        (loop, now, next) -> {
          if (now == stopAt) {
            log(trace, loop, "idle at the stop");
            loop.stop();
            return now;
          }
          return Math.min(next, stopAt);
        };
    try (EventLoop loop = EventLoop.withVirtualTime(untilFive)) {
      loop.callLater(1.0, () -> log(trace, loop, "timer 1s"));
      loop.callLater(5.0, () -> log(trace, loop, "timer 5s"));
      loop.callLater(7.0, () -> log(trace, loop, "timer 7s"));
      loop.runForever();
      assertThat(trace)
          .containsExactly("1.000 timer 1s", "5.000 timer 5s", "5.000 idle at the stop");
      assertThat(loop.time()).isEqualTo(5.0);
    }
  }

  @Test
  void clockAnsweringBeyondTheFirstTimer_isClampedToIt() {
    List<Long> asked = new ArrayList<>();
    VirtualClock overshoot =
        (loop, now, next) -> {
          asked.add(next);
          return next == Long.MAX_VALUE ? schedulesStop(loop, now) : next + 3_000_000_000L;
        };
    try (EventLoop loop = EventLoop.withVirtualTime(overshoot)) {
      List<Double> fired = new ArrayList<>();
      loop.callLater(2.0, () -> fired.add(loop.time()));
      loop.runForever();
      assertThat(fired).containsExactly(2.0);
      assertThat(asked).containsExactly(2_000_000_000L, Long.MAX_VALUE);
    }
  }

  private static long schedulesStop(EventLoop loop, long now) {
    loop.callSoon(loop::stop);
    return now;
  }

  @Test
  void clockAnsweringBeforeNow_neverMovesTimeBackwards() {
    int[] calls = new int[1];
    VirtualClock backwards =
        (loop, now, next) -> {
          if (++calls[0] == 3) {
            loop.stop();
          }
          return now == 0 ? 4_000_000_000L : 1_000_000_000L;
        };
    try (EventLoop loop = EventLoop.withVirtualTime(backwards)) {
      loop.callLater(10.0, () -> {});
      loop.runForever();
      assertThat(loop.time()).isEqualTo(4.0);
    }
  }

  @Test
  void idleWithNoTimer_clockSchedulingWork_runsItAtOnceWithoutWaiting() {
    List<String> trace = new ArrayList<>();
    VirtualClock wakeWhenIdle =
        (loop, now, next) -> {
          if (next == Long.MAX_VALUE) {
            loop.callSoon(
                () -> {
                  log(trace, loop, "woken by the clock");
                  loop.stop();
                });
          }
          return next;
        };
    try (EventLoop loop = EventLoop.withVirtualTime(wakeWhenIdle)) {
      loop.callLater(3.0, () -> log(trace, loop, "timer 3s"));
      loop.runForever(); // would block for ever if the idle loop did not ask the clock
      assertThat(trace).containsExactly("3.000 timer 3s", "3.000 woken by the clock");
    }
  }

  @Test
  void idleWithNoTimer_clockSayingWait_waitsForRealForAnotherThread() throws Exception {
    try (EventLoop loop = EventLoop.withVirtualTime(VirtualClock.NEXT_TIMER)) {
      Thread other =
          new Thread(
              () -> {
                while (!loop.isRunning()) {
                  Thread.onSpinWait();
                }
                loop.callSoonThreadsafe(loop::stop);
              });
      other.start();
      loop.runForever();
      other.join();
      assertThat(loop.time()).isEqualTo(0.0);
    }
  }

  @Test
  void onlyLoopsMadeWithAClock_areVirtual() {
    try (EventLoop real = new EventLoop();
        EventLoop virtual = EventLoop.withVirtualTime(VirtualClock.NEXT_TIMER)) {
      assertThat(real.isVirtualTime()).isFalse();
      assertThat(virtual.isVirtualTime()).isTrue();
    }
  }
}
