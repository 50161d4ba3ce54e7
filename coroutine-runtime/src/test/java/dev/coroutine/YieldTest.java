package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sleep(0)} yields to the loop once, whatever else the loop has to do. A task that yields
 * while nothing else is ready may resume without a full pass (a fast path of the loop); these tests
 * pin what a pass must still attend to: timers, thread-safe callbacks, stop, cancellation, other
 * ready tasks, and the code around an eager start.
 */
@Timeout(
    value = 30,
    threadMode =
        Timeout.ThreadMode.SEPARATE_THREAD) // a task that never stops yielding must fail, not hang
class YieldTest extends TestBase {

  /**
   * A coroutine that yields with {@code sleep(0)} until {@code done.test(i)} for the number of
   * yields so far, then returns that number. Written against the frame protocol: the label counts
   * the yields that suspended, {@code prim0} all of them (a yield goes on without suspending when
   * nothing else is ready).
   */
  static Coroutine<Integer> yieldUntil(IntPredicate done) {
    return AsyncFrame.create(
        f -> {
          if (f.label < 0) {
            return null; // a DESCRIBE query (PROTOCOL.md): no source location
          }
          if (f.label > 0) {
            f.resumed(); // throws what the yield was resumed with (a cancellation)
          }
          while (!done.test(f.prim0)) {
            f.prim0++;
            if (AsyncFrame.await(Coroutines.sleep(0), f) == AsyncFrame.SUSPEND) {
              f.label++;
              return AsyncFrame.SUSPEND;
            }
          }
          return f.prim0;
        },
        0,
        0);
  }

  @Test
  void loneYieldingTask_stillLetsADueTimerFire() {
    AtomicBoolean fired = new AtomicBoolean();
    loop.callLater(2, () -> fired.set(true));
    int yields = run(yieldUntil(i -> fired.get()));
    assertThat(yields).isPositive();
  }

  @Test
  void loneYieldingTask_stillRunsThreadsafeCallbacks() throws Exception {
    AtomicBoolean seen = new AtomicBoolean();
    Thread other = new Thread(() -> loop.callSoonThreadsafe(() -> seen.set(true)));
    Task<Integer> t =
        loop.createTask(
            yieldUntil(
                i -> {
                  if (i == 1) {
                    other.start(); // once the loop runs, from another thread
                  }
                  return seen.get();
                }));
    assertThat(loop.runUntilComplete(t)).isGreaterThan(1);
    other.join();
  }

  @Test
  void stopDuringYield_returnsFromRunForeverWithTheTaskPending() {
    Task<Integer> t =
        loop.createTask(
            yieldUntil(
                i -> {
                  if (i == 3) {
                    loop.stop();
                  }
                  return i == 5;
                }));
    loop.runForever();
    assertThat(t.isDone()).isFalse();
    assertThat(loop.runUntilComplete(t)).isEqualTo(5);
  }

  @Test
  void selfCancelBeforeYield_isThrownInAtTheYield() {
    Task<Integer> t =
        loop.createTask(
            yieldUntil(
                i -> {
                  if (i == 2) {
                    Coroutines.currentTask().cancel("enough");
                  }
                  return false;
                }));
    assertThatThrownBy(() -> loop.runUntilComplete(t))
        .isInstanceOf(CancellationException.class)
        .hasMessage("enough");
  }

  @Test
  void twoYieldingTasks_alternate() {
    List<String> log = new ArrayList<>();
    Task<Integer> a = loop.createTask(yieldUntil(i -> !log.add("a" + i) || i == 3));
    Task<Integer> b = loop.createTask(yieldUntil(i -> !log.add("b" + i) || i == 3));
    loop.runUntilComplete(b);
    assertThat(a.isDone()).isTrue();
    assertThat(log).containsExactly("a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3");
  }

  @Test
  void eagerTaskYieldingInACallback_returnsToTheCallbackAtItsFirstYield() {
    List<String> log = new ArrayList<>();
    loop.callSoon(
        () -> {
          Task<Integer> t =
              loop.createTask(yieldUntil(i -> !log.add("task" + i) || i == 3), null, true);
          log.add("callback continues");
          t.addDoneCallback(f -> loop.stop());
        });
    loop.runForever();
    assertThat(log).containsExactly("task0", "callback continues", "task1", "task2", "task3");
  }

  @Test
  void eagerTaskStartedByARunningTask_returnsToItAtItsFirstYield() {
    List<String> log = new ArrayList<>();
    Task<Integer> outer =
        loop.createTask(
            yieldUntil(
                i -> {
                  if (i == 0) {
                    // nothing else is ready, yet the eager task must come back here at once
                    loop.createTask(yieldUntil(j -> !log.add("inner" + j) || j == 2), null, true);
                    log.add("outer continues");
                  }
                  log.add("outer" + i);
                  return i == 1;
                }));
    loop.runUntilComplete(outer);
    loop.runUntilComplete(Coroutines.sleep(0));
    assertThat(log)
        .containsExactly("inner0", "outer continues", "outer0", "inner1", "outer1", "inner2");
  }

  @Test
  void callbackScheduledByTheYieldingTask_runsBeforeItsNextStep() {
    List<String> log = new ArrayList<>();
    run(
        yieldUntil(
            i -> {
              log.add("step" + i);
              if (i < 2) {
                loop.callSoon(() -> log.add("callback" + i));
              }
              return i == 2;
            }));
    assertThat(log).containsExactly("step0", "callback0", "step1", "callback1", "step2");
  }

  @Test
  void yieldedTaskCancelledByTheNextReadyTask_resumesOnceWithTheCancellation() {
    List<String> log = new ArrayList<>();
    Task<Integer> a = loop.createTask(yieldUntil(i -> !log.add("a" + i) || i == 5));
    Task<Integer> b =
        loop.createTask(
            yieldUntil(
                i -> {
                  log.add("b" + i);
                  if (i == 1) {
                    a.cancel("stop a"); // a yielded just before and is queued: it must step again
                  }
                  return i == 3;
                }));
    loop.runUntilComplete(b);
    assertThat(a.isCancelled()).isTrue();
    assertThat(log).containsExactly("a0", "b0", "a1", "b1", "b2", "b3");
  }
}
