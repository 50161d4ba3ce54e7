package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.currentTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Handle;
import dev.coroutine.Task;
import dev.coroutine.sync.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/** Twins of src/test/python/tasks.py: cancel, cancelling/uncancel counts, self-cancel, awaits. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class TasksScenarios {
  private TasksScenarios() {}

  /** The scenarios' own exception. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** Python's body(name, delay): logs its start, sleeps, returns its name; logs its finally. */
  @Async
  static Coroutine<String> body(String name, long delayMillis) {
    log(name, "starts");
    try {
      await(sleep(delayMillis));
      log(name, "slept");
      return done(name);
    } finally {
      log(name, "finally");
    }
  }

  @Scenario("cancel_before_start_body_never_runs")
  @Async
  static Coroutine<Void> cancelBeforeStart() {
    Task<String> t = createTask(body("t", 1));
    log("cancel", t.cancel(), t.cancelling());
    try {
      await(t);
    } catch (CancellationException e) {
      log("await raised", e);
    }
    log(state(t), t.cancelling());
    return done();
  }

  @Scenario("cancel_while_sleeping_runs_finally")
  @Async
  static Coroutine<Void> cancelWhileSleeping() {
    Task<String> t = createTask(body("t", 10_000));
    await(sleep(0));
    log("cancel", t.cancel());
    log("state right after cancel", state(t));
    try {
      await(t);
    } catch (CancellationException e) {
      log("await raised");
    }
    log(state(t), t.cancelling(), t.isCancelled());
    return done();
  }

  @Async
  private static Coroutine<Void> logCancelInside() {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("inside", e, msg(e));
      throw e;
    }
    return done();
  }

  @Scenario("cancel_message_inside_and_outside")
  @Differs(
      reason =
          "asyncio hands a cancelled task's CancelledError, with its message, to the first"
              + " retrieval only; later ones (result(), exception(), another await) get a new one"
              + " without the message. Ours carries the message every time.",
      asyncio = "result() null",
      ours = "result() the reason")
  @Async
  static Coroutine<Void> cancelMessage() {
    Task<Void> t = createTask(logCancelInside());
    await(sleep(0));
    t.cancel("the reason");
    try {
      await(t);
    } catch (CancellationException e) {
      log("outside", e, msg(e));
    }
    try {
      t.result();
    } catch (CancellationException e) {
      log("result()", msg(e));
    }
    return done();
  }

  @Async
  private static Coroutine<String> stubborn() {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("caught");
    }
    await(sleep(0));
    return done("finished anyway");
  }

  @Scenario("caught_cancel_task_returns_value")
  @Async
  static Coroutine<Void> caughtCancelReturns() {
    Task<String> t = createTask(stubborn());
    await(sleep(0));
    t.cancel();
    log("result", await(t));
    log(state(t), t.isCancelled(), t.cancelling());
    return done();
  }

  @Async
  private static Coroutine<String> stubbornLoop() {
    for (int i = 0; i < 3; i++) {
      try {
        await(sleep(2));
        log("slept", i);
      } catch (CancellationException e) {
        log("cancelled at", i);
      }
    }
    return done("done");
  }

  @Scenario("cancel_twice_counts_two_delivers_one")
  @Async
  static Coroutine<Void> cancelTwice() {
    Task<String> t = createTask(stubbornLoop());
    await(sleep(0));
    log(t.cancel(), t.cancel(), t.cancelling());
    log(await(t), t.cancelling());
    return done();
  }

  @Async
  private static Coroutine<Void> sleeperLoggingMessage() {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("inside", msg(e));
      throw e;
    }
    return done();
  }

  @Scenario("cancel_with_two_messages_keeps_first_delivered")
  @Async
  static Coroutine<Void> cancelTwoMessages() {
    Task<Void> t = createTask(sleeperLoggingMessage());
    await(sleep(0));
    t.cancel("first");
    t.cancel("second");
    try {
      await(t);
    } catch (CancellationException e) {
      log("outside", msg(e));
    }
    return done();
  }

  @Scenario("uncancel_counts_down_to_zero")
  @Async
  static Coroutine<Void> uncancelCountsDown() {
    Task<String> t = createTask(body("t", 10_000));
    await(sleep(0));
    t.cancel();
    t.cancel();
    t.cancel();
    log("cancelling", t.cancelling());
    log("uncancel", t.uncancel(), t.uncancel(), t.uncancel(), t.uncancel());
    log("cancelling", t.cancelling());
    try {
      await(t);
    } catch (CancellationException e) {
      log("still cancelled: the sleep was cancelled already");
    }
    log(state(t), t.cancelling());
    return done();
  }

  @Async
  private static Coroutine<String> resilient() {
    Task<?> me = currentTask();
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("caught, cancelling", me.cancelling());
      log("uncancel", me.uncancel());
    }
    await(sleep(1));
    log("slept after uncancel");
    return done("ok");
  }

  @Scenario("uncancel_inside_the_task_lets_it_go_on")
  @Async
  static Coroutine<Void> uncancelInside() {
    Task<String> t = createTask(resilient());
    await(sleep(0));
    t.cancel();
    log(await(t), state(t), t.cancelling());
    return done();
  }

  @Scenario("uncancel_to_zero_drops_undelivered_self_cancel")
  @Async
  static Coroutine<Void> uncancelDropsSelfCancel() {
    Task<?> me = currentTask();
    me.cancel();
    log("cancelling", me.cancelling());
    log("uncancel", me.uncancel());
    try {
      await(sleep(0));
      log("no cancellation delivered");
    } catch (CancellationException e) {
      log("cancelled anyway");
    }
    return done();
  }

  @Scenario("uncancel_before_start_lets_task_run")
  @Async
  static Coroutine<Void> uncancelBeforeStart() {
    Task<String> t = createTask(body("t", 1));
    t.cancel();
    log("uncancel", t.uncancel());
    log("result", await(t), state(t));
    return done();
  }

  @Scenario("task_cancels_itself_at_next_await")
  @Async
  static Coroutine<Void> cancelsItself() {
    Task<?> me = currentTask();
    log("cancel self", me.cancel(), me.cancelling());
    log("still running", me.isDone());
    try {
      await(sleep(0));
      log("not reached");
    } catch (CancellationException e) {
      log("cancelled at the await", me.cancelling());
    }
    await(sleep(0));
    log("goes on after catching");
    return done();
  }

  @Async
  private static Coroutine<String> quitterReturning() {
    currentTask().cancel();
    log("returning");
    return done("value");
  }

  @Scenario("task_cancels_itself_then_returns")
  @Async
  static Coroutine<Void> cancelsItselfThenReturns() {
    Task<String> t = createTask(quitterReturning());
    try {
      log("result", await(t));
    } catch (CancellationException e) {
      log("await raised CancelledError");
    }
    log(state(t), t.cancelling());
    return done();
  }

  @Async
  private static Coroutine<String> quitterAwaitingDone() {
    Future<String> f = getRunningLoop().createFuture();
    f.setResult("ready");
    currentTask().cancel();
    log("awaited done future", await(f));
    return done("value");
  }

  @Scenario("task_cancels_itself_then_awaits_done_future")
  @Async
  static Coroutine<Void> cancelsItselfAwaitsDone() {
    Task<String> t = createTask(quitterAwaitingDone());
    try {
      log("result", await(t));
    } catch (CancellationException e) {
      log("await raised CancelledError");
    }
    log(state(t));
    return done();
  }

  @Async
  private static Coroutine<Void> quitterRaising() {
    currentTask().cancel();
    throw new Boom();
  }

  @Scenario("task_cancels_itself_then_raises")
  @Async
  static Coroutine<Void> cancelsItselfRaises() {
    Task<Void> t = createTask(quitterRaising());
    try {
      await(t);
    } catch (Throwable e) {
      log("await raised", e);
    }
    log(state(t));
    return done();
  }

  @Async
  private static Coroutine<Void> quitterAwaitingPending() {
    Future<Object> f = getRunningLoop().createFuture();
    currentTask().cancel("self");
    try {
      await(f);
    } catch (CancellationException e) {
      log("caught", msg(e), "future", state(f));
      throw e;
    }
    return done();
  }

  @Scenario("task_cancels_itself_then_awaits_pending_future")
  @Async
  static Coroutine<Void> cancelsItselfAwaitsPending() {
    Task<Void> t = createTask(quitterAwaitingPending());
    try {
      await(t);
    } catch (CancellationException e) {
      log("await raised CancelledError");
    }
    log(state(t));
    return done();
  }

  @Scenario("cancel_done_task_returns_false")
  @Async
  static Coroutine<Void> cancelDoneTask() {
    Task<String> t = createTask(body("t", 0));
    await(t);
    log("cancel", t.cancel(), t.cancelling(), state(t));
    Task<Void> bad = createTask(sleep(0));
    await(bad);
    log("cancel", bad.cancel(), state(bad));
    return done();
  }

  @Async
  private static Coroutine<String> outerAwaiting(Task<String> inner) {
    try {
      return done(await(inner));
    } finally {
      log("outer finally");
    }
  }

  @Scenario("cancel_outer_cancels_awaited_inner_task")
  @Async
  static Coroutine<Void> cancelOuterCancelsInner() {
    Task<String> inner = createTask(body("inner", 10_000));
    Task<String> o = createTask(outerAwaiting(inner));
    await(sleep(0));
    o.cancel();
    try {
      await(o);
    } catch (CancellationException e) {
      log("outer raised CancelledError");
    }
    log("inner", state(inner), inner.cancelling(), "outer", state(o), o.cancelling());
    return done();
  }

  @Async
  private static Coroutine<String> innerSwallowing() {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("inner swallows");
    }
    return done("inner value");
  }

  @Async
  private static Coroutine<String> outerLogging(Task<String> i) {
    String v = await(i);
    log("outer got", v);
    await(sleep(0));
    log("outer not cancelled");
    return done(v);
  }

  @Scenario("inner_swallows_cancel_outer_gets_result")
  @Async
  static Coroutine<Void> innerSwallows() {
    Task<String> i = createTask(innerSwallowing());
    Task<String> o = createTask(outerLogging(i));
    await(sleep(0));
    log("cancel outer", o.cancel());
    log(await(o), state(o), o.cancelling(), state(i), i.cancelling());
    return done();
  }

  @Async
  private static Coroutine<String> outerCatching(Task<String> inner) {
    try {
      await(inner);
    } catch (CancellationException e) {
      log("outer caught inner's cancellation");
      return done("outer ok");
    }
    return done(null);
  }

  @Scenario("cancelling_inner_directly_raises_in_awaiter")
  @Async
  static Coroutine<Void> cancelInnerDirectly() {
    Task<String> inner = createTask(body("inner", 10_000));
    Task<String> o = createTask(outerCatching(inner));
    await(sleep(0));
    inner.cancel();
    log(await(o), state(o), o.cancelling(), state(inner));
    return done();
  }

  @Async
  @SuppressWarnings("unchecked")
  private static Coroutine<String> narcissist() {
    try {
      await((Task<Object>) currentTask());
    } catch (IllegalStateException e) {
      log("raised", e);
    }
    return done("ok");
  }

  @Scenario("task_awaiting_itself_raises_runtime_error")
  @Async
  static Coroutine<Void> awaitingItself() {
    Task<String> t = createTask(narcissist());
    log(await(t));
    return done();
  }

  @Async
  private static Coroutine<Integer> once() {
    return done(1);
  }

  @Scenario("coroutine_awaited_twice_raises_runtime_error")
  @Async
  static Coroutine<Void> awaitedTwice() {
    Coroutine<Integer> c = once();
    log(await(c));
    try {
      await(c);
    } catch (IllegalStateException e) {
      log("second await raised", e);
    }
    return done();
  }

  @Scenario("task_set_result_and_set_exception_refused")
  @Async
  static Coroutine<Void> setResultRefused() {
    Task<String> t = createTask(body("t", 0));
    try {
      t.setResult("1");
    } catch (UnsupportedOperationException e) {
      log("set_result", "raised", e);
    }
    try {
      t.setException(new Boom());
    } catch (UnsupportedOperationException e) {
      log("set_exception", "raised", e);
    }
    await(t);
    log(state(t));
    return done();
  }

  @Scenario("task_result_before_done_raises_invalid_state")
  @Async
  static Coroutine<Void> resultBeforeDone() {
    Task<String> t = createTask(body("t", 1));
    try {
      t.result();
    } catch (Throwable e) {
      log("result raised", e);
    }
    try {
      t.exception();
    } catch (Throwable e) {
      log("exception raised", e);
    }
    await(t);
    log(t.result(), t.exception());
    return done();
  }

  @Async
  private static Coroutine<Void> failing() {
    await(sleep(0));
    throw new Boom();
  }

  @Scenario("failed_task_raises_same_instance_each_await")
  @Async
  static Coroutine<Void> sameInstanceEachAwait() {
    Task<Void> t = createTask(failing());
    List<Throwable> errors = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try {
        await(t);
      } catch (Boom e) {
        errors.add(e);
      }
    }
    log(errors.size(), errors.get(0) == errors.get(1), errors.get(0) == t.exception());
    return done();
  }

  @Async
  private static Coroutine<Void> worker(String name) {
    log(name, "step 1");
    await(sleep(0));
    log(name, "step 2");
    return done();
  }

  @Scenario("tasks_start_in_creation_order")
  @Async
  static Coroutine<Void> startOrder() {
    List<Task<Void>> ts = new ArrayList<>();
    for (String n : List.of("a", "b", "c")) {
      ts.add(createTask(worker(n)));
    }
    log("created");
    for (Task<Void> t : ts) {
      await(t);
    }
    log("end");
    return done();
  }

  @Async
  private static Coroutine<Void> waiter(String name, Task<String> target) {
    log(name, "got", await(target));
    return done();
  }

  @Scenario("awaiters_of_one_task_wake_in_order")
  @Async
  static Coroutine<Void> awaitersWakeInOrder() {
    Task<String> target = createTask(body("target", 1));
    List<Task<Void>> ws = new ArrayList<>();
    for (String n : List.of("w1", "w2", "w3")) {
      ws.add(createTask(waiter(n, target)));
    }
    target.addDoneCallback(t -> log("done callback"));
    for (Task<Void> w : ws) {
      await(w);
    }
    log("end");
    return done();
  }

  @Scenario("task_names")
  @Async
  static Coroutine<Void> taskNames() {
    Task<String> t = createTask(body("t", 0), "worker");
    log(t.getName());
    t.setName("renamed");
    log(t.getName());
    await(t);
    return done();
  }

  @Async
  private static Coroutine<Void> yielder() {
    log("before yield");
    try {
      await(sleep(0));
      log("not reached");
    } catch (CancellationException e) {
      log("cancelled at yield");
      throw e;
    }
    return done();
  }

  @Scenario("cancel_scheduled_task_after_yield")
  @Async
  static Coroutine<Void> cancelAfterYield() {
    Task<Void> t = createTask(yielder());
    await(sleep(0));
    log("task is ready to resume; cancel", t.cancel());
    try {
      await(t);
    } catch (CancellationException e) {
      log("raised");
    }
    log(state(t));
    return done();
  }

  @Scenario("cancelled_task_done_callbacks_run")
  @Async
  static Coroutine<Void> cancelledCallbacks() {
    Task<String> t = createTask(body("t", 10_000));
    t.addDoneCallback(x -> log("callback", state(x)));
    await(sleep(0));
    t.cancel();
    await(sleep(0));
    log("one pass after cancel", state(t));
    await(sleep(0));
    log("two passes", state(t));
    return done();
  }

  @Async
  private static Coroutine<Void> careful() {
    try {
      await(sleep(10_000));
    } finally {
      log("cleanup starts");
      await(sleep(2));
      log("cleanup ends");
    }
    return done();
  }

  @Scenario("cancel_during_finally_await")
  @Async
  static Coroutine<Void> cancelDuringFinally() {
    Task<Void> t = createTask(careful());
    await(sleep(0));
    t.cancel();
    await(sleep(0));
    log("cancel again during cleanup", t.cancel(), t.cancelling());
    try {
      await(t);
    } catch (CancellationException e) {
      log("raised");
    }
    log(state(t));
    return done();
  }

  @Async
  private static Coroutine<Void> killer(Task<?> target) {
    target.cancel("from child");
    return done();
  }

  @Scenario("main_task_cancelled_by_child")
  @Async
  static Coroutine<Void> mainCancelledByChild() {
    Task<?> me = currentTask();
    createTask(killer(me));
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("main cancelled", msg(e), me.cancelling());
    }
    return done();
  }

  @Async
  private static Coroutine<Void> futureWaiter(Future<String> f) {
    try {
      log("got", await(f));
    } catch (CancellationException e) {
      log("cancelled instead of the result");
      throw e;
    }
    return done();
  }

  @Scenario("cancel_after_awaited_future_completed_before_resume")
  @Async
  static Coroutine<Void> cancelAfterFutureCompleted() {
    Future<String> f = getRunningLoop().createFuture();
    Task<Void> t = createTask(futureWaiter(f));
    await(sleep(0));
    f.setResult("value");
    log("cancel", t.cancel());
    try {
      await(t);
    } catch (CancellationException e) {
      log("task cancelled", state(f));
    }
    return done();
  }

  @Scenario("ensure_future_of_task_and_future_is_identity")
  @Async
  static Coroutine<Void> ensureFutureIdentity() {
    Task<String> t = createTask(body("t", 0));
    Future<String> f = getRunningLoop().createFuture();
    log(Coroutines.ensureFuture(t) == t, Coroutines.ensureFuture(f) == f);
    Future<String> c = Coroutines.ensureFuture(body("c", 0));
    log(c instanceof Task, await(c), await(t));
    return done();
  }

  @Scenario("task_and_direct_await_of_one_coroutine")
  @Differs(
      reason =
          "a coroutine runs at most once and the second user is refused at once (SPEC): awaiting a"
              + " coroutine a task already owns throws IllegalStateException before it runs, while"
              + " asyncio lets the direct await start it, the task resume it, and the await fail later",
      asyncio = {"c starts", "c slept", "c finally", "direct await raised RuntimeError"},
      ours = {"direct await raised RuntimeError", "c starts", "c slept", "c finally"})
  @Async
  static Coroutine<Void> taskAndDirectAwait() {
    Coroutine<String> c = body("c", 0);
    Task<String> t = createTask(c);
    try {
      log("direct await got", await(c));
    } catch (IllegalStateException e) {
      log("direct await raised", e);
    }
    try {
      log("task got", await(t));
    } catch (IllegalStateException e) {
      log("task raised", e);
    }
    return done();
  }

  @Scenario("yield_order_with_work_added_during_the_step")
  @Async
  static Coroutine<Void> yieldOrder() {
    // a task that yields while a new task, a callback or a due timer was added in the same step
    Task<Void> t = null;
    for (int i = 0; i < 5; i++) {
      log("main", i);
      if (i == 0) {
        t = createTask(worker("t"));
      } else if (i == 1) {
        getRunningLoop().callSoon(() -> log("soon"));
      } else if (i == 2) {
        getRunningLoop().callLater(0.0, () -> log("later"));
      }
      await(sleep(0));
    }
    log("main done");
    await(t);
    return done();
  }

  @Async
  private static Coroutine<String> inner(String name) {
    log(name, "inner before");
    await(sleep(0));
    log(name, "inner after");
    return done(name);
  }

  @Async
  private static Coroutine<Void> outer(String name) {
    String r = await(inner(name));
    log(name, "outer got", r);
    return done();
  }

  @Scenario("yield_inside_a_nested_coroutine_interleaves")
  @Async
  static Coroutine<Void> nestedYield() {
    Task<Void> a = createTask(outer("a"));
    Task<Void> b = createTask(outer("b"));
    await(sleep(0));
    log("main after one yield");
    await(a);
    log("main after a", state(b));
    await(b);
    log("main done");
    return done();
  }

  // A cancel that arrives in the pass where the task's sleep is over, before or after the sleep's
  // own timer callback: the loop is held (a blocking sleep) so both timers are due in one pass.
  // The sleep's deadline is the latest so far (the runtime keeps the task in its timers' run) or,
  // with a later timer pending, not (a timer entry of its own in the heap).

  @Async
  private static Coroutine<Void> sleeper20() {
    try {
      await(sleep(20));
      log("sleeper woke");
    } catch (CancellationException e) {
      log("sleeper cancelled", msg(e));
      throw e;
    }
    return done();
  }

  @Async
  private static Coroutine<Void> cancelInThePassASleepEnds(double cancellerDelay, boolean longTimer)
      throws InterruptedException {
    EventLoop loop = getRunningLoop();
    Handle pending = longTimer ? loop.callLater(60.0, () -> {}) : null;
    Task<Void> t = createTask(sleeper20());
    await(sleep(0));
    loop.callLater(
        cancellerDelay,
        () -> {
          log("cancel", t.cancel("stop"));
          loop.callSoon(() -> log("callback after the cancel"));
        });
    Thread.sleep(60);
    try {
      await(t);
    } catch (CancellationException e) {
      log("await raised", msg(e));
    }
    log(state(t), t.cancelling());
    if (pending != null) {
      pending.cancel();
    }
    return done();
  }

  @Scenario("cancel_due_before_the_sleep_in_the_same_pass")
  @Async
  static Coroutine<Void> cancelDueBeforeTheSleep() throws InterruptedException {
    return cancelInThePassASleepEnds(0.01, false);
  }

  @Scenario("cancel_due_after_the_sleep_in_the_same_pass")
  @Async
  static Coroutine<Void> cancelDueAfterTheSleep() throws InterruptedException {
    return cancelInThePassASleepEnds(0.03, false);
  }

  @Scenario("cancel_due_before_a_heap_sleep_in_the_same_pass")
  @Async
  static Coroutine<Void> cancelDueBeforeAHeapSleep() throws InterruptedException {
    return cancelInThePassASleepEnds(0.01, true);
  }

  @Scenario("cancel_due_after_a_heap_sleep_in_the_same_pass")
  @Async
  static Coroutine<Void> cancelDueAfterAHeapSleep() throws InterruptedException {
    return cancelInThePassASleepEnds(0.03, true);
  }

  /** A task cancels itself, parks in {@code make}; {@code then} runs before it resumes. */
  @Async
  static Coroutine<Void> selfCancelThenPark(
      java.util.function.Supplier<dev.coroutine.Awaitable<?>> make,
      java.util.function.Consumer<Task<String>> then) {
    Task<String> t = createTask(selfCancelParked(make));
    await(sleep(0)); // it has cancelled itself and parked
    then.accept(t);
    log("ends", await(t), t.cancelling());
    return done();
  }

  @Async
  static Coroutine<String> selfCancelParked(
      java.util.function.Supplier<dev.coroutine.Awaitable<?>> make) {
    currentTask().cancel("first");
    try {
      await(make.get());
      return done("not cancelled");
    } catch (CancellationException e) {
      return done("cancelled: " + msg(e));
    }
  }

  /** What a task may park in: a sleep, an empty queue's get, a full queue's put. */
  static List<java.util.Map.Entry<String, java.util.function.Supplier<dev.coroutine.Awaitable<?>>>>
      parks() {
    EventLoop loop = getRunningLoop();
    Queue<Integer> empty = new Queue<>();
    loop.callLater(0.01, () -> empty.putNowait(1));
    Queue<Integer> full = new Queue<>(1);
    full.putNowait(0);
    loop.callLater(0.01, full::getNowait);
    return List.of(
        java.util.Map.entry("sleep", () -> sleep(10)),
        java.util.Map.entry("get", empty::get),
        java.util.Map.entry("put", () -> full.put(1)));
  }

  @Scenario("self_cancel_committed_when_parking_survives_uncancel")
  @Async
  static Coroutine<Void> selfCancelCommittedSurvivesUncancel() {
    for (var p : parks()) {
      log("parks in", p.getKey());
      await(selfCancelThenPark(p.getValue(), t -> log("uncancel", t.uncancel())));
    }
    return done();
  }

  @Scenario("self_cancel_committed_when_parking_keeps_its_message")
  @Async
  static Coroutine<Void> selfCancelCommittedKeepsMessage() {
    for (var p : parks()) {
      log("parks in", p.getKey());
      await(selfCancelThenPark(p.getValue(), t -> log("cancel again", t.cancel("second"))));
    }
    return done();
  }
}
