package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.gatherReturnExceptions;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.util.List;
import java.util.concurrent.CancellationException;

/** Twins of src/test/python/gather.py. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class GatherScenarios {
  private GatherScenarios() {}

  /** The scenarios' own exception. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** Python's after(delay, value, name): sleeps, logs and returns value; logs a cancellation. */
  @Async
  static <T> Coroutine<T> after(long millis, T value) {
    try {
      await(sleep(millis));
      log(value, "finished");
      return done(value);
    } catch (CancellationException e) {
      log(value, "cancelled", msg(e));
      throw e;
    }
  }

  /** Python's gated(gate, value): finishes when the scenario opens the gate. */
  @Async
  static <T> Coroutine<T> gated(Future<?> gate, T value) {
    try {
      await(gate);
      log(value, "finished");
      return done(value);
    } catch (CancellationException e) {
      log(value, "cancelled", msg(e));
      throw e;
    }
  }

  @Async
  static Coroutine<Object> failAfter(long millis, RuntimeException e) {
    await(sleep(millis));
    log("raising", e);
    throw e;
  }

  @Scenario("results_in_argument_order")
  @Async
  static Coroutine<Void> resultsInOrder() {
    List<String> r = await(gather(after(6, "a"), after(2, "b"), after(4, "c")));
    log(r);
    return done();
  }

  @Scenario("empty_gather_is_done_at_once")
  @Async
  static Coroutine<Void> emptyGather() {
    Future<List<Object>> g = gather();
    log(g.isDone(), state(g));
    log(await(g));
    return done();
  }

  @Async
  private static Coroutine<String> child(String name) {
    log(name, "starts");
    return done(name);
  }

  @Scenario("children_start_in_argument_order")
  @Async
  static Coroutine<Void> childrenStartInOrder() {
    Future<List<String>> g = gather(child("x"), child("y"), child("z"));
    log("gather created", g.isDone());
    log(await(g));
    return done();
  }

  @Scenario("first_exception_propagates_others_go_on")
  @Async
  static Coroutine<Void> firstExceptionPropagates() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Object> slow = createTask(gated(gate, (Object) "slow"));
    Future<List<Object>> g = gather(failAfter(2, new Boom()), slow);
    try {
      await(g);
    } catch (Boom e) {
      log("gather raised", e);
    }
    log("gather", state(g), "slow", state(slow));
    gate.setResult(null);
    log(await(slow));
    return done();
  }

  @Scenario("first_exception_is_the_same_instance")
  @Async
  static Coroutine<Void> firstExceptionSameInstance() {
    Boom e = new Boom();
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Object> x = createTask(gated(gate, (Object) "x"));
    Future<List<Object>> g = gather(failAfter(1, e), x);
    try {
      await(g);
    } catch (Boom err) {
      log("same instance", err == e, g.exception() == e);
    }
    gate.setResult(null);
    await(x);
    return done();
  }

  @Async
  private static Coroutine<Object> second(Future<Void> gate) {
    await(gate);
    log("raising", "ValueError");
    throw new IllegalArgumentException();
  }

  @Scenario("second_exception_is_dropped")
  @Async
  static Coroutine<Void> secondExceptionDropped() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Object> t = createTask(second(gate));
    Future<List<Object>> g = gather(failAfter(1, new Boom()), t);
    try {
      await(g);
    } catch (RuntimeException e) {
      log("gather raised", e);
    }
    gate.setResult(null);
    try {
      await(t);
    } catch (IllegalArgumentException e) {
      log("second child raised ValueError");
    }
    log("gather", state(g));
    return done();
  }

  @Scenario("return_exceptions_lists_failures")
  @Async
  static Coroutine<Void> returnExceptionsLists() {
    List<Object> r =
        await(
            gatherReturnExceptions(
                after(1, "a"),
                failAfter(2, new Boom()),
                after(3, "c"),
                failAfter(0, new IllegalArgumentException())));
    log(r);
    return done();
  }

  @Async
  private static Coroutine<Integer> onceLogging() {
    log("body runs");
    return done(42);
  }

  @Scenario("same_coroutine_twice_runs_once")
  @Async
  static Coroutine<Void> sameCoroutineTwice() {
    Coroutine<Integer> c = onceLogging();
    log(await(gather(c, c)));
    return done();
  }

  @Scenario("same_task_twice")
  @Async
  static Coroutine<Void> sameTaskTwice() {
    Task<String> t = createTask(after(1, "t"));
    log(await(gather(t, t, after(0, "u"))));
    return done();
  }

  @Scenario("same_future_twice")
  @Async
  static Coroutine<Void> sameFutureTwice() {
    EventLoop loop = getRunningLoop();
    Future<String> f = loop.createFuture();
    loop.callLater(0.001, () -> f.setResult("f"));
    log(await(gather(f, f, f)));
    return done();
  }

  @Scenario("same_failing_future_twice_with_return_exceptions")
  @Async
  static Coroutine<Void> sameFailingFutureTwice() {
    EventLoop loop = getRunningLoop();
    Future<String> f = loop.createFuture();
    loop.callSoon(() -> f.setException(new Boom()));
    List<Object> r = await(gatherReturnExceptions(f, f));
    log(r, r.get(0) == r.get(1));
    return done();
  }

  @Scenario("cancelled_child_cancels_awaiter")
  @Async
  static Coroutine<Void> cancelledChildCancelsAwaiter() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<String> a = createTask(gated(gate, "a"));
    Task<String> b = createTask(after(10_000, "b"));
    Future<List<String>> g = gather(a, b);
    await(sleep(0));
    b.cancel("child");
    try {
      await(g);
    } catch (CancellationException e) {
      log("gather raised", e, msg(e));
    }
    log("gather", state(g), g.isCancelled(), "a", state(a), "b", state(b));
    gate.setResult(null);
    await(a);
    log("a", state(a));
    return done();
  }

  @Scenario("cancelled_child_with_return_exceptions")
  @Differs(
      reason =
          "asyncio's gather reads a cancelled task's error a second time, and then without the"
              + " cancel message (see tasks/cancel_message_inside_and_outside); ours keeps it",
      asyncio = "[a, CancelledError] null",
      ours = "[a, CancelledError] child")
  @Async
  static Coroutine<Void> cancelledChildReturnExceptions() {
    Task<String> a = createTask(after(20, "a"));
    Task<String> b = createTask(after(10_000, "b"));
    Future<List<Object>> g = gatherReturnExceptions(a, b);
    await(sleep(0));
    b.cancel("child");
    List<Object> r = await(g);
    log(r, msg((Throwable) r.get(1)));
    log("gather", state(g));
    return done();
  }

  @Scenario("cancel_gather_cancels_children")
  @Async
  static Coroutine<Void> cancelGatherCancelsChildren() {
    Task<String> a = createTask(after(10_000, "a"));
    Task<String> b = createTask(after(10_000, "b"));
    Future<List<String>> g = gather(a, b);
    await(sleep(0));
    log("cancel", g.cancel("stop"), "done right after", g.isDone());
    try {
      await(g);
    } catch (CancellationException e) {
      log("gather raised", e, msg(e));
    }
    log("gather", state(g), g.isCancelled(), "a", state(a), "b", state(b));
    return done();
  }

  @Scenario("cancel_gather_with_return_exceptions_still_raises")
  @Async
  static Coroutine<Void> cancelGatherReturnExceptions() {
    Task<String> a = createTask(after(10_000, "a"));
    Future<List<Object>> g = gatherReturnExceptions(a, after(10_000, "b"));
    await(sleep(0));
    log("cancel", g.cancel());
    try {
      log("result", await(g));
    } catch (CancellationException e) {
      log("gather raised CancelledError");
    }
    log("gather", state(g), g.isCancelled(), "a", state(a));
    return done();
  }

  @Async
  private static Coroutine<String> swallow(String name) {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log(name, "swallows");
    }
    return done(name);
  }

  @Scenario("cancel_gather_whose_children_swallow_it")
  @Async
  static Coroutine<Void> cancelGatherSwallowed() {
    Future<List<String>> g = gather(swallow("a"), swallow("b"));
    await(sleep(0));
    log("cancel", g.cancel());
    try {
      log("result", await(g));
    } catch (CancellationException e) {
      log("gather raised CancelledError");
    }
    log("gather", state(g), g.isCancelled());
    return done();
  }

  @Scenario("cancel_done_gather_returns_false")
  @Async
  static Coroutine<Void> cancelDoneGather() {
    Future<List<String>> g = gather(after(0, "a"));
    await(g);
    log("cancel", g.cancel(), state(g));
    return done();
  }

  @Scenario("cancel_gather_of_done_children_returns_false")
  @Async
  static Coroutine<Void> cancelGatherOfDoneChildren() {
    EventLoop loop = getRunningLoop();
    Future<Integer> f = loop.createFuture();
    Future<Integer> f2 = loop.createFuture();
    Future<List<Integer>> g = gather(f, f2);
    f.setResult(1);
    f2.setResult(2);
    log("cancel", g.cancel(), g.isDone());
    log(await(g));
    return done();
  }

  @Async
  private static Coroutine<Void> gatherWaiter(Task<String> a, Task<String> b, Object[] box) {
    Future<List<String>> g = gather(a, b);
    box[0] = g;
    try {
      await(g);
    } catch (CancellationException e) {
      log("waiter cancelled");
      throw e;
    }
    return done();
  }

  @Scenario("cancelling_awaiting_task_cancels_gather")
  @Async
  static Coroutine<Void> cancelAwaitingTask() {
    Task<String> a = createTask(after(10_000, "a"));
    Task<String> b = createTask(after(10_000, "b"));
    Object[] box = new Object[1];
    Task<Void> w = createTask(gatherWaiter(a, b, box));
    await(sleep(0));
    w.cancel("outer");
    try {
      await(w);
    } catch (CancellationException e) {
      log("waiter raised", msg(e));
    }
    log("waiter", state(w), "gather", state((Future<?>) box[0]), "a", state(a), "b", state(b));
    return done();
  }

  @Scenario("gather_of_done_futures")
  @Async
  static Coroutine<Void> gatherOfDoneFutures() {
    Future<String> f = getRunningLoop().createFuture();
    f.setResult("x");
    log(await(gather(f, f)));
    return done();
  }

  @Scenario("gather_of_done_futures_is_done_at_once")
  @Async
  static Coroutine<Void> gatherOfDoneFuturesDoneAtOnce() {
    EventLoop loop = getRunningLoop();
    Future<String> f1 = loop.createFuture();
    f1.setResult("x");
    Future<String> f2 = loop.createFuture();
    f2.setException(new Boom());
    Future<List<Object>> g = gatherReturnExceptions(f1, f2);
    log(g.isDone(), state(g));
    Future<List<String>> g2 = gather(f1, f2);
    log(g2.isDone(), state(g2));
    return done();
  }

  @Scenario("mixed_futures_tasks_and_coroutines")
  @Async
  static Coroutine<Void> mixed() {
    EventLoop loop = getRunningLoop();
    Future<String> f = loop.createFuture();
    loop.callLater(0.002, () -> f.setResult("future"));
    Task<String> t = createTask(after(1, "task"));
    log(await(gather(f, t, after(3, "coroutine"))));
    return done();
  }

  @Scenario("nested_gather_cancel_reaches_leaves")
  @Async
  static Coroutine<Void> nestedGatherCancel() {
    Future<List<String>> inner = gather(after(10_000, "i1"), after(10_000, "i2"));
    Future<List<Object>> outer = gather(inner, after(10_000, "o1"));
    await(sleep(0));
    log("cancel", outer.cancel());
    try {
      await(outer);
    } catch (CancellationException e) {
      log("outer raised CancelledError");
    }
    log("inner", state(inner), "outer", state(outer));
    return done();
  }

  @Async
  private static Coroutine<Void> logGathered(Future<List<String>> g) {
    log("waiter got", await(g));
    return done();
  }

  @Scenario("gather_done_callback_and_awaiter_order")
  @Async
  static Coroutine<Void> doneCallbackAndAwaiter() {
    Future<List<String>> g = gather(after(1, "a"));
    g.addDoneCallback(f -> log("callback", state(f)));
    Task<Void> w = createTask(logGathered(g));
    await(w);
    log("end");
    return done();
  }

  @Async
  private static Coroutine<Object> failOnCancel() {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      throw new Boom();
    }
    return done(null);
  }

  @Scenario("child_failing_after_gather_cancelled")
  @Async
  static Coroutine<Void> childFailingAfterCancel() {
    Future<List<Object>> g = gather(failOnCancel(), after(10_000, (Object) "b"));
    await(sleep(0));
    g.cancel();
    try {
      await(g);
    } catch (Throwable e) {
      log("gather raised", e);
    }
    log("gather", state(g));
    return done();
  }

  @Scenario("return_exceptions_with_cancel_message")
  @Differs(
      reason =
          "asyncio's gather reads a cancelled task's error a second time, and then without the"
              + " cancel message (see tasks/cancel_message_inside_and_outside); ours keeps it",
      asyncio = "[CancelledError] null",
      ours = "[CancelledError] why")
  @Async
  static Coroutine<Void> returnExceptionsCancelMessage() {
    Task<String> t = createTask(after(10_000, "t"));
    Future<List<Object>> g = gatherReturnExceptions(t);
    await(sleep(0));
    t.cancel("why");
    List<Object> r = await(g);
    log(r, msg((Throwable) r.get(0)));
    return done();
  }

  @Async
  private static Coroutine<Object> eagerFail() {
    throw new Boom();
  }

  @Scenario("exception_raised_before_first_await")
  @Async
  static Coroutine<Void> exceptionBeforeFirstAwait() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Object> slow = createTask(gated(gate, (Object) "slow"));
    try {
      await(gather(eagerFail(), slow));
    } catch (Boom e) {
      log("raised Boom", state(slow));
    }
    gate.setResult(null);
    await(slow);
    return done();
  }

  @Async
  private static Coroutine<List<String>> gatherSwallowers() {
    return done(await(gather(swallow("a"), swallow("b"))));
  }

  @Scenario("cancelling_task_awaiting_gather_whose_children_swallow")
  @Async
  static Coroutine<Void> cancelTaskAwaitingSwallowers() {
    Task<List<String>> w = createTask(gatherSwallowers());
    await(sleep(0));
    await(sleep(0));
    w.cancel();
    try {
      log("result", await(w));
    } catch (CancellationException e) {
      log("waiter cancelled");
    }
    log(state(w));
    return done();
  }
}
