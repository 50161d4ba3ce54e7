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
import static dev.coroutine.Coroutines.timeout;
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
import dev.coroutine.TaskGroup;
import dev.coroutine.sync.Barrier;
import dev.coroutine.sync.Condition;
import dev.coroutine.sync.Event;
import dev.coroutine.sync.Lock;
import dev.coroutine.sync.Queue;
import dev.coroutine.sync.Semaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/** Twins of src/test/python/edge_parked.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeParkedScenarios {
  private EdgeParkedScenarios() {}

  interface Starter {
    Awaitable<?> start() throws Exception;
  }

  @Async
  static Coroutine<Void> waiter(Starter starter) throws Exception {
    try {
      await(starter.start());
      log("woke");
    } catch (CancellationException e) {
      log("cancelled", msg(e), currentTask().cancelling());
      throw e;
    }
    return done();
  }

  @Async
  static Coroutine<Void> parked(Starter starter) throws Exception {
    Task<Void> w = createTask(waiter(starter));
    await(sleep(0));
    await(sleep(0));
    log("cancel", w.cancel("m1"), w.cancelling());
    log("uncancel", w.uncancel());
    for (int i = 0; i < 4; i++) {
      await(sleep(0));
    }
    log(state(w), w.cancelling());
    if (!w.isDone()) {
      w.cancel();
      await(gatherReturnExceptions(w));
    }
    return done();
  }

  @Async
  static Coroutine<Integer> gatedInner(Future<Void> gate) {
    await(gate);
    return done(1);
  }

  static Task<Integer> gatedTask() {
    Future<Void> gate = getRunningLoop().createFuture();
    return createTask(gatedInner(gate));
  }

  @Scenario("future")
  @Async
  static Coroutine<Void> future() throws Exception {
    Future<Integer> f = getRunningLoop().createFuture();
    await(parked(() -> f));
    return done();
  }

  @Scenario("sleep")
  @Async
  static Coroutine<Void> sleeping() throws Exception {
    await(parked(() -> sleep(10_000)));
    return done();
  }

  @Scenario("lock")
  @Async
  static Coroutine<Void> lock() throws Exception {
    Lock lock = new Lock();
    await(lock.acquire());
    await(parked(lock::acquire));
    log("locked", lock.isLocked());
    return done();
  }

  @Scenario("semaphore")
  @Async
  static Coroutine<Void> semaphore() throws Exception {
    Semaphore sem = new Semaphore(0);
    await(parked(sem::acquire));
    log("locked", sem.isLocked());
    return done();
  }

  @Scenario("event")
  @Async
  static Coroutine<Void> event() throws Exception {
    Event ev = new Event();
    await(parked(ev::await));
    return done();
  }

  @Async
  static Coroutine<Void> condWait(Condition cond) {
    await(cond.acquire());
    try {
      await(cond.await());
    } finally {
      cond.release();
    }
    return done();
  }

  @Scenario("condition")
  @Async
  static Coroutine<Void> condition() throws Exception {
    Condition cond = new Condition();
    await(parked(() -> condWait(cond)));
    log("locked", cond.isLocked());
    return done();
  }

  @Scenario("queue_get")
  @Async
  static Coroutine<Void> queueGet() throws Exception {
    Queue<Integer> q = new Queue<>();
    await(parked(q::get));
    q.putNowait(1);
    log("size", q.size());
    return done();
  }

  @Scenario("queue_put")
  @Async
  static Coroutine<Void> queuePut() throws Exception {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(0);
    await(parked(() -> q.put(1)));
    log("size", q.size());
    return done();
  }

  @Scenario("queue_join")
  @Async
  static Coroutine<Void> queueJoin() throws Exception {
    Queue<Integer> q = new Queue<>();
    q.putNowait(0);
    await(parked(q::join));
    return done();
  }

  @Scenario("barrier")
  @Async
  static Coroutine<Void> barrier() throws Exception {
    Barrier b = new Barrier(2);
    await(parked(b::await));
    log("n_waiting", b.waiting(), b.isBroken());
    return done();
  }

  @Scenario("task")
  @Async
  static Coroutine<Void> task() throws Exception {
    Task<Integer> inner = gatedTask();
    await(parked(() -> inner));
    log("inner", state(inner));
    return done();
  }

  @Scenario("gather")
  @Async
  static Coroutine<Void> gathering() throws Exception {
    Task<Integer> inner = gatedTask();
    await(parked(() -> gather(inner)));
    log("inner", state(inner));
    return done();
  }

  @Scenario("shield")
  @Async
  static Coroutine<Void> shielding() throws Exception {
    Task<Integer> inner = gatedTask();
    await(parked(() -> shield(inner)));
    log("inner", state(inner));
    inner.cancel();
    return done();
  }

  @Scenario("wait_for")
  @Async
  static Coroutine<Void> waitingFor() throws Exception {
    Task<Integer> inner = gatedTask();
    await(parked(() -> waitFor(inner, Duration.ofSeconds(10))));
    log("inner", state(inner));
    return done();
  }

  @Scenario("wait")
  @Async
  static Coroutine<Void> waiting() throws Exception {
    Task<Integer> inner = gatedTask();
    await(parked(() -> Coroutines.wait(List.of(inner), ReturnWhen.ALL_COMPLETED)));
    log("inner", state(inner));
    inner.cancel();
    return done();
  }

  @Scenario("timeout_scope")
  @Async
  static Coroutine<Void> timeoutScope() throws Exception {
    Future<Integer> f = getRunningLoop().createFuture();
    await(parked(() -> timeout(Duration.ofSeconds(10), f)));
    return done();
  }

  @Async
  static Coroutine<Void> groupedBody(Future<Integer> f, List<Task<?>> childBox) {
    await(
        TaskGroup.run(
            tg -> {
              childBox.add(tg.createTask(sleep(10_000)));
              await(f);
              return done();
            }));
    return done();
  }

  @Scenario("task_group_body")
  @Async
  static Coroutine<Void> taskGroupBody() throws Exception {
    Future<Integer> f = getRunningLoop().createFuture();
    List<Task<?>> childBox = new ArrayList<>();
    await(parked(() -> groupedBody(f, childBox)));
    log("child", state(childBox.get(0)));
    return done();
  }

  @Async
  static Coroutine<Void> gated(Future<Void> gate) {
    await(gate);
    return done();
  }

  @Async
  static Coroutine<Void> groupedExit(Future<Void> gate) {
    await(
        TaskGroup.run(
            tg -> {
              tg.createTask(gated(gate));
              return done();
            }));
    return done();
  }

  @Scenario("task_group_exit")
  @Async
  static Coroutine<Void> taskGroupExit() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    await(parked(() -> groupedExit(gate)));
    return done();
  }
}
