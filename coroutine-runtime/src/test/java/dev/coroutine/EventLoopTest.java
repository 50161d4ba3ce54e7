package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop itself: callback and timer ordering, passes, errors, stop and close. */
class EventLoopTest extends TestBase {

  /**
   * A time in seconds is the nearest nanosecond, not the one below: {@code callAt(2.01)} answers
   * 2.01 from {@code when()}, runs at loop time 2.01, and ties with a timer asked for as 2,010 ms,
   * in the order they were scheduled (an outside comparison with CPython found 27 of 1,000 times
   * k/100 a nanosecond early, so a later-scheduled timer ran first).
   */
  @Test
  void timesInSeconds_areTheNearestNanosecond() {
    try (EventLoop l = EventLoop.withVirtualTime()) {
      List<String> ran = new ArrayList<>();
      for (int k = 1; k <= 1_000; k++) {
        double at = k / 100.0;
        assertThat(l.callAt(at, () -> {}).when()).isEqualTo(at);
      }
      l.callLater(Duration.ofMillis(2_010), () -> ran.add("2010 ms at " + l.time()));
      l.callAt(2.01, () -> ran.add("callAt(2.01) at " + l.time()));
      l.callLater(2.01, () -> ran.add("callLater(2.01) at " + l.time()));
      l.callLater(2.02, l::stop);
      l.runForever();
      assertThat(ran)
          .containsExactly("2010 ms at 2.01", "callAt(2.01) at 2.01", "callLater(2.01) at 2.01");
    }
  }

  @Test
  void callSoon_runsCallbacksInFifoOrder() {
    loop.callSoon(() -> expect(1));
    loop.callSoon(() -> expect(2));
    loop.callSoon(() -> expect(3));
    loop.callSoon(
        () -> {
          finish(4);
          loop.stop();
        });
    loop.runForever();
  }

  @Test
  void callSoon_scheduledDuringPass_runsInNextPass() {
    List<String> log = new ArrayList<>();
    loop.callSoon(
        () -> {
          log.add("a");
          loop.callSoon(() -> log.add("c")); // next pass, after b though scheduled before b runs
        });
    loop.callSoon(() -> log.add("b"));
    loop.stop(); // stop before running: exactly one pass
    loop.runForever();
    assertThat(log).containsExactly("a", "b");
    loop.stop();
    loop.runForever();
    assertThat(log).containsExactly("a", "b", "c");
  }

  /**
   * From the loop's own thread, {@code callSoonThreadsafe} queues in line with {@code callSoon}:
   * CPython 3.11 logs [a0, cb, a1, a2] for the same task (its call_soon_threadsafe appends to the
   * ready queue); through the inbox the callback ran a pass late, after a1.
   */
  @Test
  void callSoonThreadsafe_fromTheLoopThread_runsInLineWithCallSoon() {
    List<String> log = new ArrayList<>();
    run(
        Co.seq(
            v -> {
              loop.callSoonThreadsafe(() -> log.add("cb"));
              log.add("a0");
              return Co.await(Coroutines.sleep(0));
            },
            v -> {
              log.add("a1");
              return Co.await(Coroutines.sleep(0));
            },
            v -> {
              log.add("a2");
              return null;
            }));
    assertThat(log).containsExactly("a0", "cb", "a1", "a2");
  }

  /** Callbacks other threads put in the inbox first still run before the loop thread's own. */
  @Test
  void callSoonThreadsafe_fromTheLoopThread_waitsBehindOtherThreadsCallbacks() throws Exception {
    List<String> log = new ArrayList<>();
    Thread other = new Thread(() -> loop.callSoonThreadsafe(() -> log.add("other")));
    loop.callSoon(
        () -> {
          other.start();
          try {
            other.join(); // its callback is in the inbox now
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          loop.callSoonThreadsafe(() -> log.add("own"));
          loop.callSoonThreadsafe(loop::stop);
        });
    loop.runForever();
    assertThat(log).containsExactly("other", "own");
  }

  /**
   * CPython's test_call_soon_threadsafe_same_thread: before the loop runs, a thread-safe callback
   * and a later callSoon (or createTask) run in the order of the calls (asyncio appends both to one
   * ready queue); ours put the thread-safe one behind them (found from outside).
   */
  @Test
  void callSoonThreadsafe_beforeTheLoopRuns_keepsItsPlaceBeforeLaterCallbacksAndTasks() {
    List<String> log = new ArrayList<>();
    loop.callSoonThreadsafe(() -> log.add("hello"));
    loop.callSoon(() -> log.add("world"));
    loop.callSoonThreadsafe(() -> log.add("again"));
    loop.createTask(
        Co.seq(
            v -> {
              log.add("task");
              return null;
            }));
    loop.callSoonThreadsafe(() -> log.add("before done"));
    Future<String> f = loop.createFuture();
    f.addDoneCallback(x -> log.add("done callback"));
    f.setResult("x");
    loop.callSoonThreadsafe(() -> log.add("before late callback"));
    f.addDoneCallback(x -> log.add("late callback")); // added to the done future
    loop.callSoon(loop::stop);
    loop.runForever();
    assertThat(log)
        .containsExactly(
            "hello",
            "world",
            "again",
            "task",
            "before done",
            "done callback",
            "before late callback",
            "late callback");
  }

  @Test
  void callLater_equalDeadlines_runInSchedulingOrder() {
    double when = loop.time() + 0.02;
    for (int i = 1; i <= 5; i++) {
      int n = i;
      loop.callAt(when, () -> expect(n));
    }
    loop.callAt(
        when,
        () -> {
          finish(6);
          loop.stop();
        });
    loop.runForever();
  }

  /**
   * asyncio waits through epoll in whole milliseconds, rounded up ({@code call_later(0.0001)} runs
   * about 1.1 ms on, measured): timers due within that millisecond run in one pass. Found from
   * outside: a loop with no channel registered waited exact nanoseconds instead, and split two
   * {@code callLater(0.01)} made back to back into two passes (a callback the first scheduled ran
   * between them) in about 1 of 100 runs, CPython in none of 900.
   */
  @Test
  void aTimerUnderAMillisecondAway_runsAWholeMillisecondOn_withOrWithoutAChannel()
      throws Exception {
    // the median: a pass that itself took longer than the timer's 0.3 ms (a loaded machine)
    // finds it due and waits not at all, as asyncio would (seen once in a full build)
    double withoutChannel = median(waitsOfTimers(40));
    java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
    try {
      pipe.source().configureBlocking(false);
      loop.addReader(pipe.source(), () -> fail("nothing is written"));
      assertThat(median(waitsOfTimers(40))).as("with a channel").isGreaterThanOrEqualTo(0.001);
      loop.removeReader(pipe.source());
    } finally {
      pipe.source().close();
      pipe.sink().close();
    }
    assertThat(withoutChannel).as("without a channel").isGreaterThanOrEqualTo(0.001);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    java.util.Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** How long each of {@code n} timers 0.3 ms away took to run, one after the other, in seconds. */
  private List<Double> waitsOfTimers(int n) {
    List<Double> waits = new ArrayList<>();
    Runnable[] next = new Runnable[1];
    next[0] =
        () -> {
          double start = loop.time();
          loop.callLater(
              0.0003,
              () -> {
                waits.add(loop.time() - start);
                if (waits.size() < n) {
                  next[0].run();
                } else {
                  loop.stop();
                }
              });
        };
    loop.callSoon(next[0]);
    loop.runForever();
    return waits;
  }

  @Test
  void callLater_runsInDeadlineOrder_notSchedulingOrder() {
    // deadlines from one clock reading: two callLater calls could be more than 20 ms apart on a
    // loaded machine, which would make the later-scheduled timer's deadline the later one
    double now = loop.time();
    loop.callAt(
        now + 0.030,
        () -> {
          finish(3);
          loop.stop();
        });
    loop.callAt(now + 0.010, () -> expect(2));
    loop.callSoon(() -> expect(1));
    loop.runForever();
  }

  @Test
  void handleCancel_keepsCallbackFromRunning() {
    Handle soon = loop.callSoon(() -> expect(99));
    Handle later = loop.callLater(Duration.ofMillis(5), () -> expect(99));
    soon.cancel();
    later.cancel();
    assertThat(soon.isCancelled()).isTrue();
    loop.callLater(
        Duration.ofMillis(20),
        () -> {
          finish(1);
          loop.stop();
        });
    loop.runForever();
  }

  @Test
  void callbackThrows_loopKeepsRunning_andHandlerGetsError() {
    RuntimeException boom = new RuntimeException("boom");
    loop.callSoon(
        () -> {
          expect(1);
          throw boom;
        });
    loop.callSoon(() -> expect(2));
    loop.callLater(
        Duration.ofMillis(1),
        () -> {
          finish(3);
          loop.stop();
        });
    loop.runForever();
    assertThat(loopErrors).hasSize(1);
    assertThat(loopErrors.get(0).exception()).isSameAs(boom);
    loopErrors.clear();
  }

  @Test
  void taskThrows_loopKeepsRunning() {
    Task<Object> bad =
        loop.createTask(
            Co.seq(
                v -> {
                  throw new IllegalStateException("task failed");
                }));
    Object r = runSteps(v -> Co.await(Coroutines.sleep(1)), v -> "still running");
    assertThat(r).isEqualTo("still running");
    assertThat(bad.exception()).hasMessage("task failed");
  }

  @Test
  void runUntilComplete_returnsResult_andRethrowsFailureUnchanged() throws Exception {
    Future<String> f = loop.createFuture();
    loop.callSoon(() -> f.setResult("ok"));
    assertThat(loop.runUntilComplete(f)).isEqualTo("ok");
    Future<String> g = loop.createFuture();
    Exception checked = new java.io.IOException("io");
    loop.callSoon(() -> g.setException(checked));
    assertThatThrownBy(() -> loop.runUntilComplete(g)).isSameAs(checked);
  }

  @Test
  void doneCallbacks_neverRunInline_runInOrderAdded() {
    Future<Integer> f = loop.createFuture();
    List<String> log = new ArrayList<>();
    f.addDoneCallback(x -> log.add("first " + x.result()));
    f.addDoneCallback(x -> log.add("second"));
    f.setResult(7);
    assertThat(log).isEmpty();
    f.addDoneCallback(x -> log.add("after done"));
    assertThat(log).isEmpty();
    loop.stop();
    loop.runForever();
    assertThat(log).containsExactly("first 7", "second", "after done");
  }

  @Test
  void future_stateErrors() {
    Future<Integer> f = loop.createFuture();
    assertThatThrownBy(f::result).isInstanceOf(InvalidStateException.class);
    assertThatThrownBy(f::exception).isInstanceOf(InvalidStateException.class);
    f.setResult(1);
    assertThatThrownBy(() -> f.setResult(2)).isInstanceOf(InvalidStateException.class);
    assertThat(f.cancel()).isFalse();
    Future<Integer> c = loop.createFuture();
    assertThat(c.cancel("why")).isTrue();
    assertThat(c.isCancelled()).isTrue();
    assertThatThrownBy(c::result)
        .isInstanceOf(java.util.concurrent.CancellationException.class)
        .hasMessage("why");
  }

  @Test
  void close_refusesNewWork_andIsIdempotent() {
    loop.close();
    loop.close();
    assertThat(loop.isClosed()).isTrue();
    assertThatThrownBy(() -> loop.callSoonThreadsafe(() -> {}))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> loop.createTask(Coroutines.done()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(loop::runForever).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void runningLoop_cannotBeClosedOrReentered() {
    loop.callSoon(
        () -> {
          assertThat(loop.isRunning()).isTrue();
          assertThat(Coroutines.getRunningLoop()).isSameAs(loop);
          assertThatThrownBy(loop::close).isInstanceOf(IllegalStateException.class);
          assertThatThrownBy(loop::runForever).isInstanceOf(IllegalStateException.class);
          loop.stop();
        });
    loop.runForever();
    assertThat(loop.isRunning()).isFalse();
    assertThatThrownBy(Coroutines::getRunningLoop).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void runningLoop_isEachThreadsOwn_whileLoopsRunOnSeveralThreads() throws Exception {
    int threads = 4;
    java.util.concurrent.CyclicBarrier allRunning = new java.util.concurrent.CyclicBarrier(threads);
    List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                try (EventLoop mine = new EventLoop()) {
                  mine.callSoon(
                      () -> {
                        try {
                          allRunning
                              .await(); // every loop entered: the last one entered is not ours
                          for (int k = 0; k < 10_000; k++) {
                            if (Coroutines.getRunningLoop() != mine) {
                              wrong.add(Thread.currentThread().getName());
                              break;
                            }
                          }
                        } catch (Exception e) {
                          wrong.add(e.toString());
                        }
                        mine.stop();
                      });
                  mine.runForever();
                }
                try {
                  Coroutines.getRunningLoop();
                  wrong.add(
                      "a loop still running after exit on " + Thread.currentThread().getName());
                } catch (IllegalStateException expected) {
                  // no loop runs here any more
                }
              });
      t.start();
      started.add(t);
    }
    for (Thread t : started) {
      t.join();
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void closedLoop_refusesCallbacksAndTimers() {
    loop.close();
    assertThatThrownBy(() -> loop.callSoon(() -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> loop.callLater(0.01, () -> {}))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> loop.callAt(loop.time() + 1, () -> {}))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusedNestedRunUntilComplete_leavesNoTaskBehind() {
    loop.callSoon(
        () -> {
          assertThatThrownBy(() -> loop.runUntilComplete(Coroutines.sleep(1)))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("already running");
          loop.stop();
        });
    loop.runForever();
    assertThat(loop.pendingTasks()).isEmpty();
    assertThat((Object) loop.runUntilComplete(Coroutines.sleep(5))).isNull(); // not stopped early
  }

  /**
   * A run of {@code runUntilComplete} that ends before its future (a {@code stop()}) takes its stop
   * callback off the future, as asyncio's does in a {@code finally} (CPython 3.11 and 3.13 both run
   * the later timer): left there, it stopped a later, unrelated run when the future completed.
   */
  @Test
  void runUntilComplete_stoppedEarly_leavesNothingThatStopsALaterRun() {
    Future<Integer> first = loop.createFuture();
    loop.callSoon(loop::stop);
    assertThatThrownBy(() -> loop.runUntilComplete(first))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stopped before the future completed");
    List<String> log = new ArrayList<>();
    loop.callSoon(() -> first.setResult(1));
    loop.callLater(0.02, () -> log.add("later"));
    assertThat((Object) loop.runUntilComplete(Coroutines.sleep(40))).isNull();
    assertThat(log).containsExactly("later");
  }

  /**
   * asyncio's call_soon on a closed loop raises, also when a future's completion schedules its
   * callbacks: the future is done, the callback refused (before, it went into the dead loop's
   * queue, never to run, and a program completing futures of closed loops ran out of memory).
   */
  @Test
  void closedLoop_completingAFutureWithCallbacks_refusesThem() {
    Future<Integer> withCallback = loop.createFuture();
    withCallback.addDoneCallback(f -> fail("a closed loop ran a callback"));
    Future<Integer> plain = loop.createFuture();
    loop.close();
    assertThatThrownBy(() -> withCallback.setResult(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("event loop is closed");
    assertThat(withCallback.result()).isEqualTo(1); // done all the same, as asyncio's
    plain.setResult(2); // nothing to schedule
    assertThatThrownBy(() -> plain.addDoneCallback(f -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("event loop is closed");
  }

  /**
   * A future made outside any loop learns its loop when it is first awaited or completed on one;
   * completed outside a loop while it has callbacks, it refuses before changing state, so it can
   * still be completed on a loop, where its callbacks run (it was left done, its callbacks lost).
   */
  @Test
  void futureWithoutLoop_completedOutsideALoop_refusesAndStaysPending() {
    Future<Integer> f = new Future<>();
    List<Object> seen = new ArrayList<>();
    f.addDoneCallback(done -> seen.add(done.result()));
    assertThatThrownBy(() -> f.setResult(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no event loop");
    assertThatThrownBy(() -> f.setException(new RuntimeException()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(f::cancel).isInstanceOf(IllegalStateException.class);
    assertThat(f.isDone()).isFalse();
    loop.callSoon(() -> f.setResult(2));
    assertThat(loop.runUntilComplete(f)).isEqualTo(2);
    loop.stop();
    loop.runForever(); // the done-callback's pass
    assertThat(seen).containsExactly(2);
  }

  /**
   * The runtime's own hand-offs (a connection for another loop of a group, a server to start there)
   * are given back when the loop closes before running them, and not reported as the user's dropped
   * callbacks; the user's are reported, as before. A group's connection handed to a loop that
   * stopped, then closed, was cancelled with the user's callbacks and never closed.
   */
  @Test
  void close_givesTheRuntimesHandoffsBack_andReportsOnlyTheUsersCallbacks() {
    java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger dropped =
        new java.util.concurrent.atomic.AtomicInteger();
    loop.callSoonThreadsafe(
        new dev.coroutine.internal.RuntimeHandoff() {
          @Override
          public void run() {
            ran.incrementAndGet();
          }

          @Override
          public void dropped() {
            dropped.incrementAndGet();
          }
        });
    loop.callSoonThreadsafe(ran::incrementAndGet); // the user's
    loop.close();
    assertThat(ran).hasValue(0);
    assertThat(dropped).hasValue(1);
    assertThat(loopErrors).hasSize(1);
    assertThat(loopErrors.get(0).message()).contains("close() dropped 1 callback(s)");
    loopErrors.clear();
  }

  /**
   * Found from outside: a thread-safe callback accepted while the loop was not running, then moved
   * to the ready queue by a {@code callSoon} or {@code createTask} on the owning thread (for
   * asyncio's order), was dropped by {@code close()} silently: not run, not cancelled, not
   * reported. It is dropped as the inbox's are.
   */
  @Test
  void close_aThreadsafeCallbackMovedToTheReadyQueue_isCancelledAndReported() throws Exception {
    for (int variant = 0; variant < 3; variant++) {
      EventLoop l = new EventLoop();
      List<EventLoop.ErrorContext> reports = new ArrayList<>();
      l.setExceptionHandler((x, c) -> reports.add(c));
      boolean[] ran = {false};
      Handle[] h = new Handle[1];
      Thread other = new Thread(() -> h[0] = l.callSoonThreadsafe(() -> ran[0] = true));
      other.start();
      other.join();
      if (variant == 1) {
        l.callSoon(() -> {});
      } else if (variant == 2) {
        l.createTask(Coroutines.done(1));
      }
      l.close();
      assertThat(ran[0]).as("variant %d", variant).isFalse();
      assertThat(h[0].isCancelled()).as("variant %d", variant).isTrue();
      assertThat(reports).as("variant %d", variant).hasSize(1);
      assertThat(reports.get(0).message()).contains("close() dropped 1 callback(s)");
    }
  }

  /**
   * A report names a lambda by the class that wrote it (asyncio names the function and its line):
   * the JDK's text for a lambda, {@code EventLoopTest$$Lambda$58/0x0000...@3a93b025}, said nothing
   * more and changed from run to run.
   */
  @Test
  void callbackError_reportNamesTheLambdasClass() {
    loop.callSoon(
        () -> {
          throw new IllegalStateException("boom");
        });
    loop.callSoon(loop::stop);
    loop.runForever();
    assertThat(loopErrors).hasSize(1);
    assertThat(loopErrors.get(0).message())
        .isEqualTo("Exception in callback Handle[lambda in " + EventLoopTest.class.getName() + "]");
    loopErrors.clear();
  }

  /**
   * Cancelling a runCoroutineThreadsafe future hands the task's cancel to the loop; a loop that
   * closes before running it drops it unreported (the task goes with the loop): it was reported as
   * a callback of the user's.
   */
  @Test
  void threadsafeSubmissionCancelled_thenTheLoopCloses_reportsNothing() {
    Future<Object> never = loop.createFuture();
    java.util.concurrent.CompletableFuture<Object> cf =
        Coroutines.runCoroutineThreadsafe(Co.awaiting(never), loop);
    loop.stop();
    loop.runForever(); // the task starts and waits
    assertThat(loop.pendingTasks()).hasSize(1);
    assertThat(cf.cancel(true)).isTrue();
    loop.close();
    assertThat(loopErrors).isEmpty();
  }

  @Test
  void time_isMonotonic() {
    double a = loop.time();
    double b = loop.time();
    assertThat(b).isGreaterThanOrEqualTo(a);
  }
}
