package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gatherReturnExceptions;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import dev.coroutine.Task;
import dev.coroutine.sync.Condition;
import dev.coroutine.sync.Event;
import dev.coroutine.sync.Lock;
import dev.coroutine.sync.Queue;
import dev.coroutine.sync.Semaphore;
import java.util.concurrent.CancellationException;

/** Twins of src/test/python/edge_woken.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeWokenScenarios {
  private EdgeWokenScenarios() {}

  interface Starter {
    Awaitable<?> start() throws Exception;
  }

  interface Wake {
    /** Wakes the waiter; returns null, or a coroutine to await that never suspends. */
    Awaitable<?> wake() throws Exception;
  }

  static Wake plain(Runnable r) {
    return () -> {
      r.run();
      return null;
    };
  }

  @Async
  static Coroutine<Void> waiter(Starter starter) throws Exception {
    try {
      await(starter.start());
      log("went on normally");
    } catch (CancellationException e) {
      log("cancelled", msg(e));
      throw e;
    }
    return done();
  }

  @Async
  static Coroutine<Void> woken(Starter starter, Wake wake) throws Exception {
    Task<Void> w = createTask(waiter(starter));
    await(sleep(0));
    await(sleep(0));
    Awaitable<?> r = wake.wake();
    if (r != null) {
      await(r);
    }
    log("cancel", w.cancel("m"), "uncancel", w.uncancel());
    await(gatherReturnExceptions(w));
    log(state(w), w.cancelling());
    return done();
  }

  @Scenario("future")
  @Async
  static Coroutine<Void> future() throws Exception {
    Future<Integer> f = getRunningLoop().createFuture();
    await(woken(() -> f, plain(() -> f.setResult(1))));
    return done();
  }

  @Scenario("lock")
  @Async
  static Coroutine<Void> lock() throws Exception {
    Lock lock = new Lock();
    await(lock.acquire());
    await(woken(lock::acquire, plain(lock::release)));
    log("locked", lock.isLocked());
    return done();
  }

  @Scenario("semaphore")
  @Async
  static Coroutine<Void> semaphore() throws Exception {
    Semaphore sem = new Semaphore(0);
    await(woken(sem::acquire, plain(sem::release)));
    log("locked", sem.isLocked());
    return done();
  }

  @Scenario("event")
  @Async
  static Coroutine<Void> event() throws Exception {
    Event ev = new Event();
    await(woken(ev::await, plain(ev::set)));
    return done();
  }

  @Scenario("queue_get")
  @Async
  static Coroutine<Void> queueGet() throws Exception {
    Queue<Integer> q = new Queue<>();
    await(woken(q::get, plain(() -> q.putNowait(1))));
    log("size", q.size());
    return done();
  }

  @Scenario("queue_put")
  @Async
  static Coroutine<Void> queuePut() throws Exception {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(0);
    await(woken(() -> q.put(1), plain(q::getNowait)));
    log("size", q.size());
    return done();
  }

  @Scenario("queue_join")
  @Async
  static Coroutine<Void> queueJoin() throws Exception {
    Queue<Integer> q = new Queue<>();
    q.putNowait(0);
    q.getNowait();
    await(woken(q::join, plain(q::taskDone)));
    return done();
  }

  @Async
  static Coroutine<Integer> gatedInner(Future<Void> gate) {
    await(gate);
    return done(1);
  }

  @Scenario("task")
  @Async
  static Coroutine<Void> task() throws Exception {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Integer> inner = createTask(gatedInner(gate));
    await(woken(() -> inner, plain(() -> gate.setResult(null))));
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

  @Scenario("condition")
  @Async
  static Coroutine<Void> condition() throws Exception {
    Condition cond = new Condition();
    await(woken(() -> condWait(cond), () -> condNotify(cond)));
    return done();
  }

  @Async
  static Coroutine<Void> sleepWaiter() {
    try {
      await(sleep(1));
      log("went on normally");
    } catch (CancellationException e) {
      log("cancelled", msg(e));
      throw e;
    }
    return done();
  }

  @Scenario("sleep_due")
  @Async
  static Coroutine<Void> sleepDue() throws InterruptedException {
    Task<Void> w = createTask(sleepWaiter());
    await(sleep(0));
    await(sleep(0));
    Thread.sleep(5); // the sleep is due: its timer runs in the pass before main's next step
    await(sleep(0));
    log("cancel", w.cancel("m"), "uncancel", w.uncancel());
    await(gatherReturnExceptions(w));
    log(state(w), w.cancelling());
    return done();
  }
}
