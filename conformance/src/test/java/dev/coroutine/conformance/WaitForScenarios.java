package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.currentTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.shield;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.waitFor;
import static dev.coroutine.conformance.Trace.chain;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** Twins of src/test/python/wait_for.py. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class WaitForScenarios {
  private WaitForScenarios() {}

  /** The scenarios' own exception. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Async
  static <T> Coroutine<T> work(String name, long millis, T value) {
    try {
      await(sleep(millis));
      log(name, "finished");
      return done(value);
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    } finally {
      log(name, "finally");
    }
  }

  @Async
  static Coroutine<String> slowCleanup(String name, long millis) {
    try {
      await(sleep(millis));
      return done(name);
    } finally {
      log(name, "cleanup starts");
      await(sleep(2));
      log(name, "cleanup done");
    }
  }

  @Scenario("result_before_timeout")
  @Async
  static Coroutine<Void> resultBeforeTimeout() throws TimeoutException {
    log(await(waitFor(work("w", 1, "v"), ms(5000))));
    return done();
  }

  @Scenario("timeout_cancels_inner_and_raises_timeout_error")
  @Async
  static Coroutine<Void> timeoutCancelsInner() {
    try {
      await(waitFor(work("w", 10_000, null), ms(2)));
    } catch (TimeoutException e) {
      log("raised", chain(e));
    }
    return done();
  }

  @Scenario("timeout_waits_for_inner_cleanup")
  @Async
  static Coroutine<Void> timeoutWaitsForCleanup() {
    try {
      await(waitFor(slowCleanup("w", 10_000), ms(2)));
    } catch (TimeoutException e) {
      log("timeout raised after the cleanup");
    }
    return done();
  }

  @Async
  private static Coroutine<String> stubborn() {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("swallowed");
    }
    return done("kept");
  }

  @Scenario("inner_swallowing_the_timeout_returns_its_value")
  @Async
  static Coroutine<Void> innerSwallows() throws TimeoutException {
    log(await(waitFor(stubborn(), ms(2))));
    return done();
  }

  @Async
  private static Coroutine<Void> converts() {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      throw new Boom();
    }
    return done();
  }

  @Scenario("inner_raising_other_error_on_timeout")
  @Async
  static Coroutine<Void> innerRaisesOther() {
    try {
      await(waitFor(converts(), ms(2)));
    } catch (Exception e) {
      log("raised", e);
    }
    return done();
  }

  @Async
  private static Coroutine<Void> fails(Boom e) {
    await(sleep(0));
    throw e;
  }

  @Scenario("exception_passes_unchanged")
  @Async
  static Coroutine<Void> exceptionUnchanged() throws TimeoutException {
    Boom e = new Boom();
    try {
      await(waitFor(fails(e), ms(5000)));
    } catch (Boom x) {
      log("same instance", x == e);
    }
    return done();
  }

  @Scenario("zero_timeout_done_future_returns")
  @Async
  static Coroutine<Void> zeroTimeoutDoneFuture() throws TimeoutException {
    Future<String> f = getRunningLoop().createFuture();
    f.setResult("ready");
    log(await(waitFor(f, Duration.ZERO)));
    return done();
  }

  @Async
  private static Coroutine<Integer> loggingBody() {
    log("body runs");
    return done(1);
  }

  @Scenario("zero_timeout_coroutine_never_starts")
  @Async
  static Coroutine<Void> zeroTimeoutNeverStarts() {
    try {
      await(waitFor(loggingBody(), Duration.ZERO));
    } catch (TimeoutException e) {
      log("raised", chain(e));
    }
    return done();
  }

  @Scenario("negative_timeout_cancels_pending_task")
  @Async
  static Coroutine<Void> negativeTimeout() {
    Task<Object> t = createTask(work("t", 10_000, null));
    await(sleep(0));
    try {
      await(waitFor(t, Duration.ofSeconds(-1)));
    } catch (TimeoutException e) {
      log("raised", chain(e));
    }
    log(state(t));
    return done();
  }

  @Scenario("zero_timeout_task_swallowing_returns_value")
  @Async
  static Coroutine<Void> zeroTimeoutSwallowing() throws TimeoutException {
    Task<String> t = createTask(stubborn());
    await(sleep(0));
    log(await(waitFor(t, Duration.ZERO)));
    return done();
  }

  @Scenario("zero_timeout_failed_future_raises_its_error")
  @Async
  static Coroutine<Void> zeroTimeoutFailed() throws TimeoutException {
    Future<String> f = getRunningLoop().createFuture();
    f.setException(new Boom());
    try {
      await(waitFor(f, Duration.ZERO));
    } catch (Boom e) {
      log("raised", e);
    }
    return done();
  }

  @Scenario("none_timeout_just_waits")
  @Async
  static Coroutine<Void> noneTimeout() throws TimeoutException {
    log(await(waitFor(work("w", 2, "v"), null)));
    return done();
  }

  @Async
  private static Coroutine<String> outerWithCleanup() throws TimeoutException {
    try {
      return done(await(waitFor(slowCleanup("inner", 10_000), ms(5000))));
    } finally {
      log("outer finally");
    }
  }

  @Scenario("cancel_from_outside_waits_for_inner_cleanup")
  @Async
  static Coroutine<Void> cancelWaitsForCleanup() throws TimeoutException {
    Task<String> t = createTask(outerWithCleanup());
    await(sleep(1));
    t.cancel();
    try {
      await(t);
    } catch (CancellationException e) {
      log("outer cancelled, after the inner cleanup");
    }
    log(state(t));
    return done();
  }

  @Async
  private static Coroutine<String> outerOnTask(Task<String> inner) throws TimeoutException {
    return done(await(waitFor(inner, ms(5000))));
  }

  @Scenario("cancel_from_outside_cancels_inner_task")
  @Async
  static Coroutine<Void> cancelCancelsInnerTask() throws TimeoutException {
    Task<String> inner = createTask(slowCleanup("inner", 10_000));
    Task<String> t = createTask(outerOnTask(inner));
    await(sleep(1));
    t.cancel();
    try {
      await(t);
    } catch (CancellationException e) {
      log("outer cancelled");
    }
    log("outer", state(t), "inner", state(inner));
    return done();
  }

  @Async
  private static Coroutine<Void> outerTellingApart() {
    try {
      await(waitFor(work("inner", 10_000, null), ms(5000)));
    } catch (TimeoutException e) {
      log("wrongly a timeout");
    } catch (CancellationException e) {
      log("outer sees CancelledError");
      throw e;
    }
    return done();
  }

  @Scenario("cancel_from_outside_is_not_a_timeout")
  @Async
  static Coroutine<Void> cancelIsNotTimeout() {
    Task<Void> t = createTask(outerTellingApart());
    await(sleep(1));
    t.cancel();
    try {
      await(t);
    } catch (CancellationException e) {
      // expected
    }
    log(state(t), t.cancelling());
    return done();
  }

  @Scenario("timeout_leaves_cancelling_count_at_zero")
  @Async
  static Coroutine<Void> cancellingAtZero() {
    Task<?> me = currentTask();
    try {
      await(waitFor(work("w", 10_000, null), ms(1)));
    } catch (TimeoutException e) {
      log("cancelling after timeout", me.cancelling());
    }
    await(sleep(0));
    log("not cancelled afterwards");
    return done();
  }

  @Scenario("future_cancelled_by_someone_else_raises_cancelled")
  @Async
  static Coroutine<Void> futureCancelledElsewhere() {
    EventLoop loop = getRunningLoop();
    Future<Object> f = loop.createFuture();
    loop.callSoon(() -> f.cancel());
    try {
      await(waitFor(f, ms(5000)));
    } catch (TimeoutException e) {
      log("wrongly a timeout");
    } catch (CancellationException e) {
      log("raised CancelledError");
    }
    return done();
  }

  @Scenario("future_result_set_later")
  @Async
  static Coroutine<Void> futureSetLater() throws TimeoutException {
    EventLoop loop = getRunningLoop();
    Future<String> f = loop.createFuture();
    loop.callLater(0.001, () -> f.setResult("later"));
    log(await(waitFor(f, ms(5000))));
    return done();
  }

  @Scenario("timeout_on_future_cancels_it")
  @Async
  static Coroutine<Void> timeoutCancelsFuture() {
    Future<Object> f = getRunningLoop().createFuture();
    try {
      await(waitFor(f, ms(1)));
    } catch (TimeoutException e) {
      log("raised", chain(e));
    }
    log(state(f));
    return done();
  }

  @Async
  private static Coroutine<String> survivor(Future<Void> gate) {
    await(gate);
    log("survivor finished");
    return done("survivor");
  }

  @Scenario("shielded_task_survives_the_timeout")
  @Async
  static Coroutine<Void> shieldedSurvives() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<String> t = createTask(survivor(gate));
    try {
      await(waitFor(shield(t), ms(1)));
    } catch (TimeoutException e) {
      log("timed out", state(t));
    }
    gate.setResult(null);
    log(await(t));
    return done();
  }

  @Async
  private static Coroutine<String> innerFirstBody() {
    try {
      await(waitFor(work("inner", 10_000, null), ms(1)));
    } catch (TimeoutException e) {
      log("inner timed out");
    }
    return done("outer body done");
  }

  @Scenario("nested_inner_timeout_first")
  @Async
  static Coroutine<Void> nestedInnerFirst() throws TimeoutException {
    log(await(waitFor(innerFirstBody(), ms(5000))));
    return done();
  }

  @Async
  private static Coroutine<Void> outerFirstBody() {
    try {
      await(waitFor(work("inner", 10_000, null), ms(5000)));
    } catch (TimeoutException e) {
      log("inner wrongly timed out");
    } catch (CancellationException e) {
      log("inner sees CancelledError");
      throw e;
    }
    return done();
  }

  @Scenario("nested_outer_timeout_first")
  @Async
  static Coroutine<Void> nestedOuterFirst() {
    try {
      await(waitFor(outerFirstBody(), ms(2)));
    } catch (TimeoutException e) {
      log("outer timed out", chain(e));
    }
    return done();
  }

  @Scenario("timeout_task_inner_is_cancelled_task")
  @Async
  static Coroutine<Void> timeoutTaskInner() {
    Task<Object> t = createTask(work("t", 10_000, null));
    try {
      await(waitFor(t, ms(1)));
    } catch (TimeoutException e) {
      log("timed out");
    }
    log(state(t), t.cancelling());
    return done();
  }

  @Async
  private static Coroutine<String> sameTaskBody(Task<?> me) {
    log("same task", currentTask() == me);
    return done("ok");
  }

  @Scenario("coroutine_runs_inline_in_the_awaiting_task")
  @Async
  static Coroutine<Void> runsInline() throws TimeoutException {
    Task<?> me = currentTask();
    log(await(waitFor(sameTaskBody(me), ms(5000))));
    return done();
  }

  @Async
  private static Coroutine<Void> startsBody() {
    log("body starts");
    await(sleep(0));
    log("body resumes");
    return done();
  }

  @Scenario("coroutine_starts_before_scheduled_callbacks")
  @Async
  static Coroutine<Void> startsBeforeCallbacks() throws TimeoutException {
    EventLoop loop = getRunningLoop();
    loop.callSoon(() -> log("soon"));
    await(waitFor(startsBody(), ms(5000)));
    log("end");
    return done();
  }

  @Scenario("zero_timeout_done_task_returns_result")
  @Async
  static Coroutine<Void> zeroTimeoutDoneTask() throws TimeoutException {
    Future<Integer> f = getRunningLoop().createFuture();
    f.setResult(3);
    log(await(waitFor(f, Duration.ZERO)));
    Task<String> t = createTask(work("t", 0, "done task"));
    await(t);
    log(await(waitFor(t, Duration.ZERO)));
    return done();
  }

  @Async
  private static Coroutine<Integer> holdsUpCancellation() {
    try {
      await(sleep(100));
    } catch (CancellationException e) {
      log("inner caught 1");
      try {
        await(sleep(100));
      } catch (CancellationException e2) {
        log("inner caught 2");
        await(sleep(10));
      }
    }
    return done(42);
  }

  @Scenario("cancel_absorbed_by_inner_task_returns_its_result")
  @Async
  static Coroutine<Void> cancelAbsorbed() throws TimeoutException {
    Task<Integer> innerTask = createTask(holdsUpCancellation());
    Task<Integer> task = createTask(waitFor(innerTask, ms(20)));
    await(sleep(60));
    task.cancel();
    try {
      log("task result", await(task));
    } catch (CancellationException e) {
      log("task cancelled");
    }
    log(await(innerTask), state(task));
    return done();
  }

  @Async
  private static Coroutine<Void> failsInFinally() {
    try {
      await(sleep(10_000));
    } finally {
      throw new Boom();
    }
  }

  @Scenario("inner_task_error_during_timeout_cancellation_propagates")
  @Async
  static Coroutine<Void> errorDuringTimeoutCancellation() {
    Task<Void> t = createTask(failsInFinally());
    try {
      await(waitFor(t, ms(2)));
    } catch (Exception e) {
      log("raised", e);
    }
    log(state(t));
    return done();
  }
}
