package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Handle;
import dev.coroutine.Task;
import java.util.List;

/** Twins of src/test/python/callbacks.py: callback order on the loop. */
final class CallbacksScenarios {
  private CallbacksScenarios() {}

  @Scenario("call_soon_order")
  @Async
  static Coroutine<Void> callSoonOrder() {
    EventLoop loop = getRunningLoop();
    for (int i = 0; i < 3; i++) {
      int n = i;
      loop.callSoon(() -> log("cb", n));
    }
    log("scheduled");
    await(sleep(0));
    log("after sleep(0)");
    return done();
  }

  @Scenario("call_soon_from_callback_runs_next_pass")
  @Async
  static Coroutine<Void> callSoonFromCallback() {
    EventLoop loop = getRunningLoop();
    loop.callSoon(
        () -> {
          log("first");
          loop.callSoon(() -> log("scheduled by first"));
        });
    loop.callSoon(() -> log("second"));
    await(sleep(0));
    log("main resumed");
    await(sleep(0));
    log("main again");
    return done();
  }

  @Scenario("call_later_equal_delays_fifo")
  @Async
  static Coroutine<Void> callLaterEqualDelays() {
    EventLoop loop = getRunningLoop();
    Future<Void> finished = loop.createFuture();
    for (String name : List.of("a", "b", "c", "d")) {
      loop.callLater(0.005, () -> log(name));
    }
    loop.callLater(0.005, () -> finished.setResult(null));
    await(finished);
    log("end");
    return done();
  }

  @Scenario("call_later_negative_delays_by_deadline")
  @Async
  static Coroutine<Void> callLaterNegative() {
    EventLoop loop = getRunningLoop();
    loop.callLater(-1, () -> log("minus 1"));
    loop.callLater(-2, () -> log("minus 2"));
    loop.callLater(0, () -> log("zero"));
    loop.callLater(-3, () -> log("minus 3"));
    await(sleep(5));
    log("end");
    return done();
  }

  @Scenario("call_later_negative_runs_after_call_soon")
  @Async
  static Coroutine<Void> callLaterNegativeAfterSoon() {
    EventLoop loop = getRunningLoop();
    loop.callSoon(() -> log("soon 1"));
    loop.callLater(-1, () -> log("later -1"));
    loop.callSoon(() -> log("soon 2"));
    await(sleep(0));
    log("after one pass");
    await(sleep(5));
    log("end");
    return done();
  }

  @Scenario("call_at_past_and_future")
  @Async
  static Coroutine<Void> callAtPastAndFuture() {
    EventLoop loop = getRunningLoop();
    double now = loop.time();
    loop.callAt(now + 0.010, () -> log("at +10ms"));
    loop.callAt(now - 5, () -> log("at -5s"));
    loop.callAt(now + 0.002, () -> log("at +2ms"));
    await(sleep(20));
    log("end");
    return done();
  }

  @Scenario("cancelled_handle_never_runs")
  @Async
  static Coroutine<Void> cancelledHandle() {
    EventLoop loop = getRunningLoop();
    Handle h1 = loop.callSoon(() -> log("soon cancelled"));
    Handle h2 = loop.callLater(0.001, () -> log("later cancelled"));
    loop.callSoon(() -> log("soon kept"));
    h1.cancel();
    h2.cancel();
    h2.cancel();
    log("cancelled", h1.isCancelled(), h2.isCancelled());
    await(sleep(5));
    log("end");
    return done();
  }

  @Scenario("timer_cancels_later_timer_of_same_pass")
  @Async
  static Coroutine<Void> timerCancelsTimer() {
    EventLoop loop = getRunningLoop();
    Handle[] b = new Handle[1];
    double when = loop.time() + 0.002;
    loop.callAt(
        when,
        () -> {
          log("a");
          b[0].cancel();
        });
    b[0] = loop.callAt(when, () -> log("b"));
    loop.callAt(when, () -> log("c"));
    await(sleep(10));
    log("end", b[0].isCancelled());
    return done();
  }

  @Scenario("call_soon_from_timer_runs_after_due_timers")
  @Async
  static Coroutine<Void> callSoonFromTimer() {
    EventLoop loop = getRunningLoop();
    double when = loop.time() + 0.002;
    loop.callAt(
        when,
        () -> {
          log("a");
          loop.callSoon(() -> log("soon from a"));
        });
    loop.callAt(when, () -> log("b"));
    await(sleep(10));
    log("end");
    return done();
  }

  @Scenario("callback_error_goes_to_handler_and_loop_goes_on")
  @Async
  static Coroutine<Void> callbackError() {
    EventLoop loop = getRunningLoop();
    loop.setExceptionHandler((l, ctx) -> log("handler", ctx.exception()));
    loop.callSoon(
        () -> {
          log("bad runs");
          throw new ArithmeticException();
        });
    loop.callSoon(() -> log("next"));
    await(sleep(0));
    log("end");
    return done();
  }

  @Async
  private static Coroutine<Void> interleavedChild() {
    log("child starts");
    await(sleep(0));
    log("child resumes");
    return done();
  }

  @Scenario("task_step_and_callbacks_interleave")
  @Async
  static Coroutine<Void> taskStepAndCallbacks() {
    EventLoop loop = getRunningLoop();
    loop.callSoon(() -> log("cb 1"));
    Task<Void> t = createTask(interleavedChild());
    loop.callSoon(() -> log("cb 2"));
    await(sleep(0));
    log("main 1");
    await(sleep(0));
    log("main 2");
    await(t);
    log("end");
    return done();
  }

  /** The scenarios' own exception. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Scenario("call_later_zero_runs_after_call_soon")
  @Async
  static Coroutine<Void> callLaterZero() {
    EventLoop loop = getRunningLoop();
    loop.callLater(0, () -> log("later 0"));
    loop.callSoon(() -> log("soon"));
    await(sleep(5));
    log("end");
    return done();
  }

  @Scenario("timers_run_by_deadline_not_registration")
  @Async
  static Coroutine<Void> timersByDeadline() {
    EventLoop loop = getRunningLoop();
    double now = loop.time(); // one base: a pause between registrations cannot reorder them
    loop.callAt(now + 0.006, () -> log("6 ms"));
    loop.callAt(now + 0.002, () -> log("2 ms"));
    loop.callAt(now + 0.004, () -> log("4 ms"));
    await(sleep(15));
    log("end");
    return done();
  }

  @Scenario("cancel_after_run_marks_handle_cancelled")
  @Async
  static Coroutine<Void> cancelAfterRun() {
    EventLoop loop = getRunningLoop();
    Handle h = loop.callSoon(() -> log("ran"));
    await(sleep(0));
    log("before cancel", h.isCancelled());
    h.cancel();
    log("after cancel", h.isCancelled());
    return done();
  }

  @Scenario("handle_cancels_itself_while_running")
  @Async
  static Coroutine<Void> handleCancelsItself() {
    EventLoop loop = getRunningLoop();
    Handle[] box = new Handle[1];
    box[0] =
        loop.callSoon(
            () -> {
              box[0].cancel();
              log("running, cancelled", box[0].isCancelled());
            });
    await(sleep(0));
    log("end", box[0].isCancelled());
    return done();
  }

  @Scenario("past_timer_and_call_soon_from_one_callback")
  @Async
  static Coroutine<Void> pastTimerAndSoon() {
    EventLoop loop = getRunningLoop();
    loop.callSoon(
        () -> {
          loop.callLater(-1, () -> log("past timer"));
          loop.callSoon(() -> log("soon"));
        });
    await(sleep(5));
    log("end");
    return done();
  }

  private static void step(EventLoop loop, int n) {
    log("step", n);
    if (n < 3) {
      loop.callSoon(() -> step(loop, n + 1));
    }
  }

  @Scenario("callback_chain_across_passes")
  @Async
  static Coroutine<Void> callbackChain() {
    EventLoop loop = getRunningLoop();
    loop.callSoon(() -> step(loop, 1));
    for (int i = 0; i < 4; i++) {
      await(sleep(0));
      log("main pass", i);
    }
    return done();
  }

  @Scenario("timer_error_goes_to_handler_and_loop_goes_on")
  @Async
  static Coroutine<Void> timerError() {
    EventLoop loop = getRunningLoop();
    loop.setExceptionHandler((l, ctx) -> log("handler", ctx.exception()));
    loop.callLater(
        0.001,
        () -> {
          throw new Boom();
        });
    loop.callLater(0.003, () -> log("later timer"));
    await(sleep(10));
    log("end");
    return done();
  }

  @Scenario("negative_sleep_yields_once")
  @Async
  static Coroutine<Void> negativeSleep() {
    getRunningLoop().callSoon(() -> log("soon"));
    await(sleep(-1000));
    log("after sleep(-1)");
    return done();
  }

  @Async
  private static Coroutine<Void> player(String name) {
    for (int i = 0; i < 3; i++) {
      log(name, i);
      await(sleep(0));
    }
    return done();
  }

  @Scenario("two_tasks_yield_in_turn")
  @Async
  static Coroutine<Void> twoTasksYield() {
    await(gather(player("ping"), player("pong")));
    log("end");
    return done();
  }

  @Scenario("call_soon_threadsafe_runs_on_the_loop")
  @Async
  static Coroutine<Void> callSoonThreadsafe() throws InterruptedException {
    EventLoop loop = getRunningLoop();
    Thread loopThread = Thread.currentThread();
    Future<String> f = loop.createFuture();
    Thread t =
        new Thread(
            () ->
                loop.callSoonThreadsafe(
                    () -> {
                      log("on the loop thread", Thread.currentThread() == loopThread);
                      f.setResult("done");
                    }));
    t.start();
    t.join();
    log(await(f));
    return done();
  }

  @Scenario("loop_time_is_monotonic")
  @Async
  static Coroutine<Void> loopTime() {
    EventLoop loop = getRunningLoop();
    double t1 = loop.time();
    await(sleep(2));
    double t2 = loop.time();
    log(t2 >= t1 + 0.002, t2 > t1);
    return done();
  }
}
