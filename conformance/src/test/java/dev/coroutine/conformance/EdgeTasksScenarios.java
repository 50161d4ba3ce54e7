package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.currentTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.gatherReturnExceptions;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.shield;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.waitFor;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Future;
import dev.coroutine.ReturnWhen;
import dev.coroutine.Task;
import dev.coroutine.WaitResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Twins of src/test/python/edge_tasks.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeTasksScenarios {
  private EdgeTasksScenarios() {}

  static final class Boom extends RuntimeException {
    Boom() {
      super("boom");
    }
  }

  @Async
  static Coroutine<Integer> gated(Future<Void> gate, int value) {
    await(gate);
    return done(value);
  }

  @Async
  static Coroutine<Object> awaiter(
      String name, Task<Integer> inner, Function<Task<Integer>, Awaitable<?>> make) {
    try {
      Object r = await(make.apply(inner));
      log(name, "got", r);
      return done(r);
    } catch (CancellationException e) {
      log(name, "cancelled", msg(e));
      throw e;
    }
  }

  @Async
  static Coroutine<Void> finishThenCancel(Function<Task<Integer>, Awaitable<?>> make) {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gated(gate, 5));
    Task<Object> outer = createTask(awaiter("outer", inner, make));
    await(sleep(0));
    gate.setResult(null);
    await(sleep(0));
    log("inner", state(inner), "outer", state(outer));
    log("cancel", outer.cancel("late"));
    await(gatherReturnExceptions(outer));
    log("outer", state(outer), "inner", state(inner), outer.cancelling());
    return done();
  }

  @Scenario("cancel_after_awaited_task_finished")
  @Async
  static Coroutine<Void> cancelAfterTask() {
    await(finishThenCancel(inner -> inner));
    return done();
  }

  @Scenario("cancel_after_awaited_gather_finished")
  @Async
  static Coroutine<Void> cancelAfterGather() {
    await(finishThenCancel(inner -> gather(inner)));
    return done();
  }

  @Scenario("cancel_after_awaited_shield_finished")
  @Async
  static Coroutine<Void> cancelAfterShield() {
    await(finishThenCancel(inner -> shield(inner)));
    return done();
  }

  static Coroutine<Integer> waitForTen(Task<Integer> inner) {
    try {
      return waitFor(inner, Duration.ofSeconds(10));
    } catch (TimeoutException e) { // declared for the await; never thrown by the call
      throw new AssertionError(e);
    }
  }

  @Scenario("cancel_after_awaited_wait_for_finished")
  @Async
  static Coroutine<Void> cancelAfterWaitFor() {
    await(finishThenCancel(EdgeTasksScenarios::waitForTen));
    return done();
  }

  @Async
  static Coroutine<Integer> waited(Task<Integer> inner) {
    WaitResult<Integer> r = await(Coroutines.wait(List.of(inner), ReturnWhen.ALL_COMPLETED));
    return done(r.done().size());
  }

  @Scenario("cancel_after_awaited_wait_finished")
  @Async
  static Coroutine<Void> cancelAfterWait() {
    await(finishThenCancel(inner -> waited(inner)));
    return done();
  }

  @Async
  static Coroutine<Integer> outerBody(Task<Integer> inner) {
    try {
      await(inner);
    } catch (CancellationException e) {
      log("caught, inner", state(inner), currentTask().cancelling());
    }
    int r = await(inner);
    log("awaited again", r);
    return done(r);
  }

  @Scenario("inner_task_finished_outer_catches_late_cancel")
  @Async
  static Coroutine<Void> innerFinishedOuterCatches() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gated(gate, 5));
    Task<Integer> outer = createTask(outerBody(inner));
    await(sleep(0));
    gate.setResult(null);
    await(sleep(0));
    outer.cancel();
    log("outer", await(outer), state(outer), outer.cancelling());
    return done();
  }

  @Async
  static Coroutine<String> stubborn() {
    Task<?> me = currentTask();
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("first caught", me.cancelling());
    }
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("second caught", me.cancelling());
    }
    log("uncancel", me.uncancel(), me.uncancel());
    await(sleep(0));
    return done("ok");
  }

  @Scenario("cancelling_counts_across_caught_cancellations")
  @Async
  static Coroutine<Void> cancellingCounts() {
    Task<String> t = createTask(stubborn());
    await(sleep(0));
    log("cancel", t.cancel(), t.cancelling());
    await(sleep(0));
    log("after first", t.cancelling(), t.isDone());
    log("cancel", t.cancel(), t.cancelling());
    String r = await(t);
    log(r, state(t), t.cancelling(), t.cancel());
    return done();
  }

  @Async
  static Coroutine<Void> raisesInFinally() {
    try {
      await(sleep(10_000));
    } finally {
      log("finally raises");
      throw new Boom();
    }
  }

  @Scenario("error_in_finally_replaces_cancellation")
  @Async
  static Coroutine<Void> errorInFinally() {
    Task<Void> t = createTask(raisesInFinally());
    await(sleep(0));
    t.cancel();
    try {
      await(t);
    } catch (Boom e) {
      log("awaiter got Boom");
    }
    log(state(t), t.isCancelled(), t.cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> awaitsFuture(Future<Integer> f) {
    try {
      await(f);
    } catch (CancellationException e) {
      log("caught", msg(e), f.isDone());
      throw e;
    }
    return done();
  }

  @Scenario("cancel_with_message_while_awaiting_finished_task_keeps_message")
  @Async
  static Coroutine<Void> cancelMessageWhileWoken() {
    Future<Integer> f = getRunningLoop().createFuture();
    Task<Void> t = createTask(awaitsFuture(f));
    await(sleep(0));
    f.setResult(1);
    t.cancel("first");
    t.cancel("second");
    await(gatherReturnExceptions(t));
    log(state(t), t.cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> awaitsFutureQuiet(Future<Integer> f) {
    try {
      await(f);
    } catch (CancellationException e) {
      log("caught", msg(e));
      throw e;
    }
    return done();
  }

  @Scenario("cancel_task_awaiting_cancelled_future_message_order")
  @Async
  static Coroutine<Void> cancelledFutureMessageOrder() {
    Future<Integer> f = getRunningLoop().createFuture();
    Task<Void> t = createTask(awaitsFutureQuiet(f));
    await(sleep(0));
    f.cancel("from future");
    t.cancel("from task");
    await(gatherReturnExceptions(t));
    log(state(t), t.cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> uncancelInside() {
    Task<?> me = currentTask();
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("caught", me.uncancel());
    }
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("second caught", me.cancelling());
      throw e;
    }
    return done();
  }

  @Scenario("uncancel_inside_then_later_cancel_delivered")
  @Async
  static Coroutine<Void> uncancelInsideThenLater() {
    Task<Void> t = createTask(uncancelInside());
    await(sleep(0));
    t.cancel();
    await(sleep(0));
    log("between", t.cancelling(), t.isDone());
    t.cancel();
    await(gatherReturnExceptions(t));
    log(state(t), t.cancelling());
    return done();
  }

  @Async
  static Coroutine<Integer> quick() {
    return done(1);
  }

  @Scenario("task_cancelled_while_its_done_callback_pending")
  @Async
  static Coroutine<Void> cancelledWhileDoneCallbackPending() {
    Task<Integer> t = createTask(quick());
    t.addDoneCallback(f -> log("callback sees", state(f)));
    await(sleep(0));
    log("after one pass", state(t), t.cancel());
    await(sleep(0));
    log("end");
    return done();
  }

  @Async
  static Coroutine<Void> selfCancelBody(Task<Integer> q) {
    currentTask().cancel();
    int r = await(q);
    log("awaiting a finished task does not yield", r);
    try {
      await(sleep(0));
    } catch (CancellationException e) {
      log("delivered at the first real suspension");
      throw e;
    }
    return done();
  }

  @Scenario("self_cancel_then_await_finished_task_goes_on")
  @Async
  static Coroutine<Void> selfCancelThenAwaitFinished() {
    Task<Integer> q = createTask(quick());
    await(sleep(0));
    Task<Void> t = createTask(selfCancelBody(q));
    await(gatherReturnExceptions(t));
    log(state(t));
    return done();
  }
}
