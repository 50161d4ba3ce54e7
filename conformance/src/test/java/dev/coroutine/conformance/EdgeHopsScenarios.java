package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.asCompleted;
import static dev.coroutine.Coroutines.asCompletedFutures;
import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.shield;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.timeout;
import static dev.coroutine.Coroutines.waitFor;
import static dev.coroutine.conformance.Trace.log;

import dev.coroutine.Async;
import dev.coroutine.AsyncIterator;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
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

/** Twins of src/test/python/edge_hops.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeHopsScenarios {
  private EdgeHopsScenarios() {}

  interface Starter {
    Awaitable<?> start() throws Exception;
  }

  interface Trigger {
    /** Does it; returns null, or a coroutine to await that never suspends. */
    Awaitable<?> fire(Task<Void> waiter) throws Exception;
  }

  @Async
  static Coroutine<Void> waiter(Starter starter) throws Exception {
    try {
      await(starter.start());
      log("waiter woke");
    } catch (CancellationException e) {
      log("waiter cancelled");
    }
    return done();
  }

  @Async
  static Coroutine<Void> race(Starter starter, Trigger trigger, int passes) throws Exception {
    EventLoop loop = getRunningLoop();
    Task<Void> w = createTask(waiter(starter));
    await(sleep(0));
    await(sleep(0));
    loop.callSoon(() -> log("soon before"));
    Awaitable<?> r = trigger.fire(w);
    if (r != null) {
      await(r);
    }
    loop.callSoon(() -> log("soon after"));
    for (int i = 0; i < passes; i++) {
      log("main pass", i);
      await(sleep(0));
    }
    await(w);
    return done();
  }

  @Async
  static Coroutine<Integer> gatedInner(Future<Void> gate) {
    await(gate);
    return done(1);
  }

  @Scenario("event_set")
  @Async
  static Coroutine<Void> eventSet() throws Exception {
    Event ev = new Event();
    await(
        race(
            ev::await,
            w -> {
              ev.set();
              return null;
            },
            4));
    return done();
  }

  @Scenario("lock_release")
  @Async
  static Coroutine<Void> lockRelease() throws Exception {
    Lock lock = new Lock();
    await(lock.acquire());
    await(
        race(
            lock::acquire,
            w -> {
              lock.release();
              return null;
            },
            4));
    return done();
  }

  @Scenario("semaphore_release")
  @Async
  static Coroutine<Void> semaphoreRelease() throws Exception {
    Semaphore sem = new Semaphore(0);
    await(
        race(
            sem::acquire,
            w -> {
              sem.release();
              return null;
            },
            4));
    return done();
  }

  @Scenario("queue_put_nowait")
  @Async
  static Coroutine<Void> queuePutNowait() throws Exception {
    Queue<Integer> q = new Queue<>();
    await(
        race(
            q::get,
            w -> {
              q.putNowait(1);
              return null;
            },
            4));
    return done();
  }

  @Scenario("queue_get_nowait_frees_putter")
  @Async
  static Coroutine<Void> queueGetNowaitFreesPutter() throws Exception {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(0);
    await(
        race(
            () -> q.put(1),
            w -> {
              q.getNowait();
              return null;
            },
            4));
    return done();
  }

  @Scenario("queue_task_done_wakes_join")
  @Async
  static Coroutine<Void> queueTaskDoneWakesJoin() throws Exception {
    Queue<Integer> q = new Queue<>();
    q.putNowait(0);
    q.getNowait();
    await(
        race(
            q::join,
            w -> {
              q.taskDone();
              return null;
            },
            4));
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

  @Async
  static Coroutine<Void> condNotify(Condition cond) {
    await(cond.acquire()); // free: taken without suspending
    cond.signal();
    cond.release();
    return done();
  }

  @Scenario("condition_notify")
  @Async
  static Coroutine<Void> conditionNotify() throws Exception {
    Condition cond = new Condition();
    await(race(() -> condWait(cond), w -> condNotify(cond), 4));
    return done();
  }

  @Scenario("future_set_result")
  @Async
  static Coroutine<Void> futureSetResult() throws Exception {
    Future<Integer> f = getRunningLoop().createFuture();
    await(
        race(
            () -> f,
            w -> {
              f.setResult(1);
              return null;
            },
            4));
    return done();
  }

  static Trigger open(Future<Void> gate) {
    return w -> {
      gate.setResult(null);
      return null;
    };
  }

  @Scenario("task_awaiting_task")
  @Async
  static Coroutine<Void> taskAwaitingTask() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> inner, open(gate), 4));
    return done();
  }

  @Scenario("task_awaiting_gather")
  @Async
  static Coroutine<Void> taskAwaitingGather() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> gather(inner), open(gate), 4));
    return done();
  }

  @Scenario("task_awaiting_shield")
  @Async
  static Coroutine<Void> taskAwaitingShield() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> shield(inner), open(gate), 4));
    return done();
  }

  @Scenario("task_awaiting_wait_for")
  @Async
  static Coroutine<Void> taskAwaitingWaitFor() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> waitFor(inner, Duration.ofSeconds(10)), open(gate), 4));
    return done();
  }

  @Scenario("task_awaiting_wait")
  @Async
  static Coroutine<Void> taskAwaitingWait() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> Coroutines.wait(List.of(inner), ReturnWhen.ALL_COMPLETED), open(gate), 4));
    return done();
  }

  @Scenario("task_awaiting_timeout_scope")
  @Async
  static Coroutine<Void> taskAwaitingTimeoutScope() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> timeout(Duration.ofSeconds(10), inner), open(gate), 4));
    return done();
  }

  @Async
  static Coroutine<Void> gateWaiter(Future<Void> gate) {
    await(gate);
    return done();
  }

  @Async
  static Coroutine<Void> grouped(Future<Void> gate) {
    await(
        TaskGroup.run(
            tg -> {
              tg.createTask(gateWaiter(gate));
              return done();
            }));
    return done();
  }

  @Scenario("task_group_exit_waiting_for_child")
  @Async
  static Coroutine<Void> taskGroupExit() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    await(race(() -> grouped(gate), open(gate), 4));
    return done();
  }

  static Trigger cancelIt() {
    return w -> {
      w.cancel();
      return null;
    };
  }

  @Scenario("cancel_task_awaiting_future")
  @Async
  static Coroutine<Void> cancelAwaitingFuture() throws Exception {
    Future<Integer> f = getRunningLoop().createFuture();
    await(race(() -> f, cancelIt(), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_task")
  @Async
  static Coroutine<Void> cancelAwaitingTask() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> inner, cancelIt(), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_gather")
  @Async
  static Coroutine<Void> cancelAwaitingGather() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> gather(inner), cancelIt(), 5));
    return done();
  }

  @Scenario("cancel_task_awaiting_shield")
  @Async
  static Coroutine<Void> cancelAwaitingShield() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> shield(inner), cancelIt(), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_lock")
  @Async
  static Coroutine<Void> cancelAwaitingLock() throws Exception {
    Lock lock = new Lock();
    await(lock.acquire());
    await(race(lock::acquire, cancelIt(), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_queue_get")
  @Async
  static Coroutine<Void> cancelAwaitingQueueGet() throws Exception {
    Queue<Integer> q = new Queue<>();
    await(race(q::get, cancelIt(), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_event")
  @Async
  static Coroutine<Void> cancelAwaitingEvent() throws Exception {
    Event ev = new Event();
    await(race(ev::await, cancelIt(), 4));
    return done();
  }

  @Async
  static Coroutine<Void> groupedBodyWaits(Future<Void> gate) {
    await(
        TaskGroup.run(
            tg -> {
              tg.createTask(gateWaiter(gate));
              await(gate);
              return done();
            }));
    return done();
  }

  @Scenario("cancel_task_in_task_group_body")
  @Async
  static Coroutine<Void> cancelInTaskGroupBody() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    await(race(() -> groupedBodyWaits(gate), cancelIt(), 5));
    return done();
  }

  @Scenario("barrier_last_party_arrives")
  @Async
  static Coroutine<Void> barrierLastPartyArrives() throws Exception {
    Barrier b = new Barrier(2);
    List<Task<Integer>> box = new ArrayList<>();
    await(
        race(
            b::await,
            w -> {
              box.add(createTask(b.await()));
              return null;
            },
            5));
    await(box.get(0));
    return done();
  }

  @Async
  static Coroutine<Integer> firstAsCompleted(Task<Integer> inner) {
    for (Coroutine<Integer> nxt : asCompleted(List.of(inner))) {
      return done(await(nxt));
    }
    return done(null);
  }

  @Async
  static Coroutine<Integer> firstAsCompletedIterated(Task<Integer> inner) {
    try (AsyncIterator<Future<Integer>> it = asCompletedFutures(List.of(inner)).iterator()) {
      while (await(it.hasNext())) {
        return done(it.next().result());
      }
    }
    return done(null);
  }

  @Scenario("as_completed_first")
  @Async
  static Coroutine<Void> asCompletedFirst() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> firstAsCompleted(inner), open(gate), 4));
    return done();
  }

  @Scenario("as_completed_async_iteration_first")
  @Async
  static Coroutine<Void> asCompletedAsyncIterationFirst() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> firstAsCompletedIterated(inner), open(gate), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_as_completed")
  @Async
  static Coroutine<Void> cancelAwaitingAsCompleted() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> firstAsCompleted(inner), cancelIt(), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_wait_for")
  @Async
  static Coroutine<Void> cancelAwaitingWaitFor() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> waitFor(inner, Duration.ofSeconds(10)), cancelIt(), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_condition")
  @Async
  static Coroutine<Void> cancelAwaitingCondition() throws Exception {
    Condition cond = new Condition();
    await(race(() -> condWait(cond), cancelIt(), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_barrier")
  @Async
  static Coroutine<Void> cancelAwaitingBarrier() throws Exception {
    Barrier b = new Barrier(2);
    await(race(b::await, cancelIt(), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_queue_join")
  @Async
  static Coroutine<Void> cancelAwaitingQueueJoin() throws Exception {
    Queue<Integer> q = new Queue<>();
    q.putNowait(0);
    await(race(q::join, cancelIt(), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_semaphore")
  @Async
  static Coroutine<Void> cancelAwaitingSemaphore() throws Exception {
    Semaphore sem = new Semaphore(0);
    await(race(sem::acquire, cancelIt(), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_timeout_scope")
  @Async
  static Coroutine<Void> cancelAwaitingTimeoutScope() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> timeout(Duration.ofSeconds(10), inner), cancelIt(), 4));
    return done();
  }

  @Scenario("cancel_task_awaiting_wait")
  @Async
  static Coroutine<Void> cancelAwaitingWait() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(race(() -> Coroutines.wait(List.of(inner), ReturnWhen.ALL_COMPLETED), cancelIt(), 4));
    return done();
  }
}
