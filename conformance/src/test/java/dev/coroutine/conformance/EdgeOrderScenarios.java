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
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import dev.coroutine.Task;
import dev.coroutine.sync.Lock;
import dev.coroutine.sync.Queue;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Twins of src/test/python/edge_order.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeOrderScenarios {
  private EdgeOrderScenarios() {}

  @Async
  static <T> Coroutine<Void> getter(Queue<T> q, String name) {
    T item = await(q.get());
    log(name, "got", item);
    return done();
  }

  @Scenario("robbed_getter_requeues_behind_the_others")
  @Async
  static Coroutine<Void> robbedGetter() {
    Queue<Integer> q = new Queue<>();
    Task<Void> g1 = createTask(getter(q, "g1"));
    Task<Void> g2 = createTask(getter(q, "g2"));
    await(sleep(0));
    q.putNowait(1);
    log("main takes", await(q.get()));
    await(sleep(0));
    q.putNowait(2);
    await(sleep(0));
    await(sleep(0));
    log(state(g1), state(g2));
    q.putNowait(3);
    await(gather(g1, g2));
    return done();
  }

  @Async
  static <T> Coroutine<Void> putter(Queue<T> q, String name, T item) {
    await(q.put(item));
    log(name, "put", item);
    return done();
  }

  @Scenario("robbed_putter_requeues_behind_the_others")
  @Async
  static Coroutine<Void> robbedPutter() {
    Queue<String> q = new Queue<>(1);
    q.putNowait("0");
    Task<Void> p1 = createTask(putter(q, "p1", "x1"));
    Task<Void> p2 = createTask(putter(q, "p2", "x2"));
    await(sleep(0));
    log("took", q.getNowait());
    await(q.put("main"));
    log("main put without waiting");
    await(sleep(0));
    log("took", q.getNowait());
    await(sleep(0));
    await(sleep(0));
    log(state(p1), state(p2), q.size());
    log("took", q.getNowait());
    await(gather(p1, p2));
    log("took", q.getNowait());
    return done();
  }

  @Scenario("newcomer_get_overtakes_woken_getter")
  @Async
  static Coroutine<Void> newcomerGet() {
    Queue<Integer> q = new Queue<>();
    Task<Void> g1 = createTask(getter(q, "g1"));
    await(sleep(0));
    q.putNowait(1);
    Task<Void> n = createTask(getter(q, "newcomer"));
    await(sleep(0));
    await(sleep(0));
    log(state(g1), state(n));
    q.putNowait(2);
    await(gather(g1, n));
    return done();
  }

  @Async
  static Coroutine<Void> lockWaiter(Lock lock) {
    try {
      await(lock.acquire());
      log("waiter acquired");
    } catch (CancellationException e) {
      log("waiter cancelled, locked", lock.isLocked());
      throw e;
    }
    return done();
  }

  @Scenario("lock_with_only_cancelled_waiters_is_taken_at_once")
  @Async
  static Coroutine<Void> lockOnlyCancelledWaiters() {
    Lock lock = new Lock();
    await(lock.acquire());
    Task<Void> t = createTask(lockWaiter(lock));
    await(sleep(0));
    t.cancel();
    lock.release();
    getRunningLoop().callSoon(() -> log("callback"));
    await(lock.acquire());
    log("main acquired without waiting");
    await(gatherReturnExceptions(t));
    log(state(t), lock.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> awaitingWaiter(Future<?> awaited, String name) {
    await(awaited);
    log(name, "woke");
    return done();
  }

  @Async
  static Coroutine<Void> callbacksAndAwaiters(Supplier<Future<?>> make, Future<Void> gate) {
    Future<?> awaited = make.get();
    awaited.addDoneCallback(f -> log("cb1"));
    Task<Void> w1 = createTask(awaitingWaiter(awaited, "w1"));
    await(sleep(0));
    awaited.addDoneCallback(f -> log("cb2"));
    Task<Void> w2 = createTask(awaitingWaiter(awaited, "w2"));
    await(sleep(0));
    awaited.addDoneCallback(f -> log("cb3"));
    gate.setResult(null);
    await(gather(w1, w2));
    return done();
  }

  @Async
  static Coroutine<Integer> gatedInner(Future<Void> gate) {
    await(gate);
    return done(1);
  }

  @Scenario("task_callbacks_and_awaiters_in_registration_order")
  @Async
  static Coroutine<Void> taskCallbacksOrder() {
    Future<Void> gate = getRunningLoop().createFuture();
    await(callbacksAndAwaiters(() -> createTask(gatedInner(gate)), gate));
    return done();
  }

  @Scenario("gather_callbacks_and_awaiters_in_registration_order")
  @Async
  static Coroutine<Void> gatherCallbacksOrder() {
    Future<Void> gate = getRunningLoop().createFuture();
    await(callbacksAndAwaiters(() -> gather(createTask(gatedInner(gate))), gate));
    return done();
  }

  @Scenario("shield_callbacks_and_awaiters_in_registration_order")
  @Async
  static Coroutine<Void> shieldCallbacksOrder() {
    Future<Void> gate = getRunningLoop().createFuture();
    await(callbacksAndAwaiters(() -> shield(createTask(gatedInner(gate))), gate));
    return done();
  }

  @Scenario("future_callbacks_and_awaiters_in_registration_order")
  @Async
  static Coroutine<Void> futureCallbacksOrder() {
    Future<Void> gate = getRunningLoop().createFuture();
    await(callbacksAndAwaiters(() -> gate, gate));
    return done();
  }

  @Async
  static Coroutine<Void> taskWaiter(Task<Integer> t) {
    await(t);
    log("waiter woke");
    return done();
  }

  @Scenario("removed_callback_does_not_touch_awaiters")
  @Async
  static Coroutine<Void> removedCallback() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> t = createTask(gatedInner(gate));
    Consumer<Future<Integer>> cb = f -> log("cb");
    t.addDoneCallback(cb);
    Task<Void> w = createTask(taskWaiter(t));
    await(sleep(0));
    t.addDoneCallback(cb);
    log("removed", t.removeDoneCallback(cb));
    gate.setResult(null);
    await(w);
    await(sleep(0));
    log("end");
    return done();
  }

  @Async
  static Coroutine<String> yieldingBody() {
    await(sleep(0));
    log("resumed normally", currentTask().cancelling());
    return done("ok");
  }

  @Scenario("cancel_during_yield_then_uncancel_goes_on")
  @Async
  static Coroutine<Void> cancelDuringYieldThenUncancel() {
    Task<String> t = createTask(yieldingBody());
    await(sleep(0));
    log("cancel", t.cancel(), "uncancel", t.uncancel());
    log(await(t), state(t));
    return done();
  }
}
