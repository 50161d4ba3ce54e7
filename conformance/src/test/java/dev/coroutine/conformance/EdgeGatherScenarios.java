package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.asCompleted;
import static dev.coroutine.Coroutines.asCompletedFutures;
import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.gatherReturnExceptions;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.shield;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.AsyncIterator;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** Twins of src/test/python/edge_gather.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeGatherScenarios {
  private EdgeGatherScenarios() {}

  @Async
  static Coroutine<Object> child(String name, long millis, Object result) {
    try {
      await(sleep(millis));
    } catch (CancellationException e) {
      log(name, "cancelled", msg(e));
      throw e;
    }
    log(name, "done");
    return done(result);
  }

  @Scenario("cancel_message_reaches_children")
  @Async
  static Coroutine<Void> cancelMessageReachesChildren() {
    Future<List<Object>> g = gather(child("a", 1000, null), child("b", 1000, null));
    await(sleep(0));
    log("cancel", g.cancel("stop"));
    try {
      await(g);
    } catch (CancellationException e) {
      log("gather raised", msg(e));
    }
    log(state(g));
    return done();
  }

  @Async
  static Coroutine<Void> gatherWaiter() {
    try {
      await(gatherReturnExceptions(child("a", 1000, null), child("b", 1000, null)));
    } catch (CancellationException e) {
      log("waiter sees", msg(e));
      throw e;
    }
    return done();
  }

  @Scenario("awaiting_task_cancel_message_reaches_children")
  @Async
  static Coroutine<Void> awaitingTaskCancelMessage() {
    Task<Void> t = createTask(gatherWaiter());
    await(sleep(0));
    await(sleep(0));
    t.cancel("halt");
    await(gatherReturnExceptions(t));
    log(state(t), t.cancelling());
    return done();
  }

  @Scenario("nested_gather_cancel_message_reaches_leaves")
  @Async
  static Coroutine<Void> nestedGatherCancelMessage() {
    Future<List<Object>> inner = gather(child("a", 1000, null), child("b", 1000, null));
    Future<List<Object>> outer = gather(inner, child("c", 1000, null));
    await(sleep(0));
    outer.cancel("deep");
    try {
      await(outer);
    } catch (CancellationException e) {
      log("outer raised", msg(e));
    }
    log(state(inner), state(outer));
    return done();
  }

  @Scenario("gather_of_shielded_child_cancelled")
  @Async
  static Coroutine<Void> gatherOfShieldedChild() {
    Task<Object> t = createTask(child("t", 2, "r"));
    Future<List<Object>> g = gather(shield(t));
    await(sleep(0));
    g.cancel();
    try {
      await(g);
    } catch (CancellationException e) {
      log("gather cancelled", state(t));
    }
    log("t", await(t));
    return done();
  }

  @Async
  static Coroutine<Object> boom() {
    await(sleep(0));
    throw new ArithmeticException();
  }

  @Scenario("return_exceptions_mixed_results_in_order")
  @Async
  static Coroutine<Void> returnExceptionsMixed() {
    Task<Object> a = createTask(child("a", 3, "ra"));
    Task<Object> c = createTask(child("c", 1000, null));
    getRunningLoop().callLater(Duration.ofMillis(1), () -> c.cancel("cut"));
    List<Object> r = await(gatherReturnExceptions(a, boom(), c));
    log(r);
    return done();
  }

  @Scenario("as_completed_over_coroutines")
  @Async
  static Coroutine<Void> asCompletedOverCoroutines() {
    List<Object> out = new ArrayList<>();
    for (Coroutine<Object> nxt :
        asCompleted(List.of(child("slow", 6, "s"), child("fast", 1, "f")))) {
      out.add(await(nxt));
    }
    log(out);
    return done();
  }

  @Scenario("as_completed_with_failing_and_cancelled_inputs")
  @Async
  static Coroutine<Void> asCompletedFailingAndCancelled() {
    EventLoop loop = getRunningLoop();
    Future<String> f1 = loop.createFuture();
    Future<String> f2 = loop.createFuture();
    Future<String> f3 = loop.createFuture();
    loop.callSoon(() -> f2.setException(new ArithmeticException()));
    loop.callSoon(() -> f3.cancel());
    loop.callSoon(() -> f1.setResult("one"));
    for (Coroutine<String> nxt : asCompleted(List.of(f1, f2, f3))) {
      try {
        log("got", await(nxt));
      } catch (ArithmeticException e) {
        log("got ZeroDivisionError");
      } catch (CancellationException e) {
        log("got CancelledError");
      }
    }
    return done();
  }

  @Scenario("as_completed_async_iteration_timeout")
  @Async
  static Coroutine<Void> asCompletedAsyncIterationTimeout() throws TimeoutException {
    Task<Object> fast = createTask(child("fast", 1, "f"));
    Task<Object> slow = createTask(child("slow", 1000, "s"));
    try (AsyncIterator<Future<Object>> it =
        asCompletedFutures(List.of(fast, slow), Duration.ofMillis(20)).iterator()) {
      while (await(it.hasNext())) {
        Future<Object> f = it.next();
        log("got the task itself", f == fast, f.result());
      }
    } catch (TimeoutException e) {
      log("iteration raised TimeoutError", state(slow));
    }
    slow.cancel();
    await(gatherReturnExceptions(slow));
    return done();
  }

  @Scenario("as_completed_async_iteration_wraps_coroutines")
  @Async
  static Coroutine<Void> asCompletedAsyncIterationWraps() {
    List<Object> out = new ArrayList<>();
    try (AsyncIterator<Future<Object>> it =
        asCompletedFutures(List.of(child("c1", 4, 1), child("c2", 1, 2))).iterator()) {
      while (await(it.hasNext())) {
        Future<Object> f = it.next();
        out.add(List.of(f instanceof Task, f.result()));
      }
    }
    log(out);
    return done();
  }
}
