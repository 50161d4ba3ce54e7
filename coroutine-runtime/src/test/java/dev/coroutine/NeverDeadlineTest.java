package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Delays and deadlines at and beyond the edge of a {@code long} of nanoseconds: "never" timers
 * neither fire nor hold up other timers, with or without a selector, on a real or virtual clock;
 * NaN is refused; negative delays run at once.
 */
class NeverDeadlineTest extends TestBase {

  /** Every way of asking for a timer that never fires. */
  static List<Consumer<EventLoop>> neverTimers(List<String> fired) {
    List<Consumer<EventLoop>> all = new ArrayList<>();
    all.add(l -> l.callLater(Double.POSITIVE_INFINITY, () -> fired.add("callLater(+inf)")));
    all.add(l -> l.callLater(Double.MAX_VALUE, () -> fired.add("callLater(MAX_VALUE)")));
    all.add(l -> l.callLater(Duration.ofNanos(Long.MAX_VALUE), () -> fired.add("ofNanos(MAX)")));
    all.add(l -> l.callLater(Duration.ofMillis(Long.MAX_VALUE), () -> fired.add("ofMillis(MAX)")));
    all.add(
        l -> l.callLater(Duration.ofSeconds(Long.MAX_VALUE), () -> fired.add("ofSeconds(MAX)")));
    all.add(l -> l.callAt(Double.POSITIVE_INFINITY, () -> fired.add("callAt(+inf)")));
    all.add(l -> l.callAt(1e300, () -> fired.add("callAt(1e300)")));
    return all;
  }

  @Test
  void neverTimers_doNotFire_andLaterTimersFireOnTime() {
    List<String> fired = new ArrayList<>();
    for (Consumer<EventLoop> never : neverTimers(fired)) {
      never.accept(loop);
    }
    long t0 = System.nanoTime();
    loop.callLater(0.02, () -> fired.add("20ms"));
    loop.callLater(0.04, loop::stop);
    loop.runForever(); // before the fix: parked ~292 years behind the overflowed deadline
    assertThat(fired).containsExactly("20ms");
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30); // it did not park "forever"
  }

  @Test
  void neverTimer_loopWokenByAnotherThread_doesNotFireIt() throws Exception {
    List<String> fired = new ArrayList<>();
    Handle never = loop.callLater(Duration.ofNanos(Long.MAX_VALUE), () -> fired.add("never"));
    // the woken callback stops the loop: no wall-clock window the other thread must hit
    Thread other =
        new Thread(
            () ->
                loop.callSoonThreadsafe(
                    () -> {
                      fired.add("woken");
                      loop.stop();
                    }));
    loop.callSoon(other::start);
    loop.runForever();
    other.join();
    assertThat(fired).containsExactly("woken");
    assertThat(never.when()).isEqualTo(Double.POSITIVE_INFINITY);
    never.cancel();
    assertThat(never.isCancelled()).isTrue();
  }

  @Test
  void neverTimers_withSelector_doNotFire_andLaterTimersFire() throws IOException {
    Pipe pipe = Pipe.open(); // a registered channel: the loop waits in its selector
    loop.addReader(pipe.source(), () -> {});
    List<String> fired = new ArrayList<>();
    for (Consumer<EventLoop> never : neverTimers(fired)) {
      never.accept(loop);
    }
    loop.callAt(9.2e9, () -> fired.add("in 292 years")); // just below the limit: a real deadline
    loop.callLater(0.02, () -> fired.add("20ms"));
    loop.callLater(0.04, loop::stop);
    loop.runForever();
    assertThat(fired).containsExactly("20ms");
    pipe.sink().close();
  }

  @Test
  void virtualClock_neverTimer_isNotJumpedTo() {
    EventLoop v = EventLoop.withVirtualTime();
    try {
      List<String> fired = new ArrayList<>();
      for (Consumer<EventLoop> never : neverTimers(fired)) {
        never.accept(v);
      }
      v.callLater(3600, () -> fired.add("1h"));
      v.callLater(7200, v::stop);
      v.runForever();
      assertThat(fired).containsExactly("1h");
      assertThat(v.time()).isEqualTo(7200.0);
    } finally {
      v.close();
    }
  }

  @Test
  void sleepForever_inEveryForm_isCancellable_andLeavesOtherTimersAlone() {
    List<Coroutine<Void>> sleeps =
        List.of(
            Coroutines.sleep(Long.MAX_VALUE),
            Coroutines.sleep(Duration.ofNanos(Long.MAX_VALUE)),
            Coroutines.sleep(Duration.ofSeconds(Long.MAX_VALUE)));
    List<Task<Object>> tasks = new ArrayList<>();
    for (Coroutine<Void> s : sleeps) {
      tasks.add(loop.createTask(Co.seq(v -> Co.await(s), v -> "woke")));
    }
    Object r =
        runSteps(
            v -> Co.await(Coroutines.sleep(20)),
            v -> {
              for (Task<Object> t : tasks) {
                assertThat(t.isDone()).isFalse();
                t.cancel();
              }
              return Co.await(Coroutines.sleep(1));
            },
            v -> "main");
    assertThat(r).isEqualTo("main");
    for (Task<Object> t : tasks) {
      assertThat(t.isCancelled()).isTrue();
    }
  }

  @Test
  void waitFor_andTimeout_withNeverDeadlines_returnTheValue() {
    Object r =
        runSteps(
            v ->
                Co.await(
                    Coroutines.waitFor(GatherTest.after(5, "a"), Duration.ofNanos(Long.MAX_VALUE))),
            v ->
                Co.await(
                    Coroutines.waitFor(
                        GatherTest.after(5, v + "b"), Duration.ofMillis(Long.MAX_VALUE))),
            v ->
                Co.await(
                    Coroutines.waitFor(
                        GatherTest.after(5, v + "c"), Duration.ofSeconds(Long.MAX_VALUE))),
            v -> {
              String so = (String) v;
              return Co.await(
                  Coroutines.timeout(
                      Duration.ofSeconds(Long.MAX_VALUE),
                      (Timeout t) -> {
                        assertThat(t.when()).isEqualTo(Double.POSITIVE_INFINITY);
                        return GatherTest.after(5, so + "d");
                      }));
            },
            v -> Co.await(Coroutines.sleep(30)), // a spurious late "timeout" would fire now
            v -> "done");
    assertThat(r).isEqualTo("done");
  }

  @Test
  void nan_isRefused_withTheCallNamed() {
    assertThatThrownBy(() -> loop.callAt(Double.NaN, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("callAt")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> loop.callLater(Double.NaN, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("callLater")
        .hasMessageContaining("NaN");
    // a NaN deadline for timeoutAt meant no deadline at all (found by an outside tester: a
    // computed 0/0 silently never timed out)
    assertThatThrownBy(() -> Coroutines.timeoutAt(Double.NaN, Coroutines.sleep(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeoutAt")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> Coroutines.timeoutAt(Double.NaN, to -> Coroutines.sleep(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeoutAt");
  }

  @Test
  void timeoutAt_infinity_isNoDeadline() {
    Object r =
        runSteps(
            v ->
                Co.await(
                    Coroutines.timeoutAt(
                        Double.POSITIVE_INFINITY,
                        to -> {
                          assertThat(to.when()).isEqualTo(Double.POSITIVE_INFINITY);
                          return Co.seq(x -> Co.await(Coroutines.sleep(20)), x -> to.expired());
                        })));
    assertThat(r).isEqualTo(false);
  }

  @Test
  void negativeAndPastDeadlines_runAtOnce_inDeadlineOrder_withoutWrapping() {
    List<String> order = new ArrayList<>();
    loop.callAt(-1, () -> order.add("-1s"));
    loop.callAt(Double.NEGATIVE_INFINITY, () -> order.add("-inf"));
    loop.callAt(-1e300, () -> order.add("-1e300"));
    loop.callLater(-5, () -> order.add("later(-5)"));
    loop.callLater(Duration.ofSeconds(-1), () -> order.add("later(-1s)"));
    loop.callLater(Duration.ofSeconds(Long.MIN_VALUE), () -> order.add("later(MIN)"));
    loop.callLater(0.01, loop::stop);
    loop.runForever();
    // negative delays are deadlines in the past, run in deadline order (as asyncio); the
    // overflowing ones saturate at the earliest deadline instead of wrapping to the latest
    assertThat(order)
        .containsExactly("-inf", "-1e300", "later(MIN)", "later(-5)", "-1s", "later(-1s)");
  }

  @Test
  void sleepNegative_yieldsOnce_andCancellationStillWorks() {
    Task<Object> t =
        loop.createTask(Co.seq(v -> Co.await(Coroutines.sleep(Duration.ofDays(-1))), v -> "ok"));
    assertThat(loop.runUntilComplete(t)).isEqualTo("ok");
    Task<Object> c = loop.createTask(Co.seq(v -> Co.await(Coroutines.sleep(Long.MAX_VALUE))));
    loop.callSoon(c::cancel);
    assertThatThrownBy(() -> loop.runUntilComplete(c)).isInstanceOf(CancellationException.class);
  }
}
