package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.gatherReturnExceptions;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.waitFor;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.sync.BoundedSemaphore;
import dev.coroutine.sync.Condition;
import dev.coroutine.sync.Event;
import dev.coroutine.sync.Lock;
import dev.coroutine.sync.Semaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** Twins of src/test/python/edge_locks.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeLocksScenarios {
  private EdgeLocksScenarios() {}

  static List<String> states(List<? extends Task<?>> tasks) {
    List<String> out = new ArrayList<>();
    for (Task<?> t : tasks) {
      out.add(state(t));
    }
    return out;
  }

  @Async
  static Coroutine<Void> eventWaiter(Event ev, String name) {
    try {
      await(ev.await());
      log(name, "woke");
    } catch (CancellationException e) {
      log(name, "cancelled, flag", ev.isSet());
      throw e;
    }
    return done();
  }

  @Scenario("event_set_then_waiter_cancelled_before_it_runs")
  @Async
  static Coroutine<Void> eventSetThenCancel() {
    Event ev = new Event();
    Task<Void> a = createTask(eventWaiter(ev, "a"));
    Task<Void> b = createTask(eventWaiter(ev, "b"));
    await(sleep(0));
    ev.set();
    log("cancel a", a.cancel());
    await(sleep(0));
    log(state(a), state(b));
    return done();
  }

  @Async
  static Coroutine<Void> lockUser(Lock lock, String name) {
    try {
      await(lock.acquire());
    } catch (CancellationException e) {
      log(name, "cancelled while waiting");
      throw e;
    }
    log(name, "acquired");
    await(sleep(0));
    lock.release();
    log(name, "released");
    return done();
  }

  static List<Task<Void>> lockUsers(Lock lock, String... names) {
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : names) {
      tasks.add(createTask(lockUser(lock, n)));
    }
    return tasks;
  }

  @Scenario("lock_two_first_waiters_cancelled_then_release")
  @Async
  static Coroutine<Void> lockTwoFirstCancelled() {
    Lock lock = new Lock();
    await(lock.acquire());
    List<Task<Void>> tasks = lockUsers(lock, "a", "b", "c");
    await(sleep(0));
    tasks.get(0).cancel();
    tasks.get(1).cancel();
    lock.release();
    log("released", lock.isLocked());
    await(gatherReturnExceptions(tasks));
    log(states(tasks), lock.isLocked());
    return done();
  }

  @Scenario("lock_woken_and_next_waiter_cancelled_third_gets_it")
  @Async
  static Coroutine<Void> lockWokenAndNextCancelled() {
    Lock lock = new Lock();
    await(lock.acquire());
    List<Task<Void>> tasks = lockUsers(lock, "a", "b", "c");
    await(sleep(0));
    lock.release();
    tasks.get(0).cancel();
    tasks.get(1).cancel();
    await(gatherReturnExceptions(tasks));
    log(states(tasks), lock.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> lockHolder(Lock lock, Event gate) {
    await(lock.acquire());
    log("holder acquired");
    await(gate.await());
    log("holder goes on, locked", lock.isLocked());
    return done();
  }

  @Scenario("lock_released_by_another_task")
  @Async
  static Coroutine<Void> lockReleasedByAnother() {
    Lock lock = new Lock();
    Event gate = new Event();
    Task<Void> t = createTask(lockHolder(lock, gate));
    await(sleep(0));
    lock.release();
    log("main released it", lock.isLocked());
    await(lock.acquire());
    log("main acquired", lock.isLocked());
    gate.set();
    await(t);
    lock.release();
    log("end", lock.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> holderBody(Lock lock) {
    log("holder in");
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("holder cancelled, locked", lock.isLocked());
      throw e;
    }
    return done();
  }

  @Scenario("lock_context_body_cancelled_passes_lock_on")
  @Async
  static Coroutine<Void> lockContextBodyCancelled() {
    Lock lock = new Lock();
    Task<Void> h = createTask(lock.withLock(holderBody(lock)));
    await(sleep(0));
    Task<Void> w = createTask(lockUser(lock, "w"));
    await(sleep(0));
    h.cancel();
    await(sleep(0));
    log("holder", state(h), "locked", lock.isLocked());
    await(w);
    log(state(w), lock.isLocked());
    return done();
  }

  @Scenario("lock_cancelled_waiter_in_the_middle_keeps_order")
  @Async
  static Coroutine<Void> lockCancelledInTheMiddle() {
    Lock lock = new Lock();
    await(lock.acquire());
    List<Task<Void>> tasks = lockUsers(lock, "a", "b", "c", "d");
    await(sleep(0));
    tasks.get(1).cancel();
    tasks.get(2).cancel();
    await(sleep(0));
    log("cancelled two", states(tasks));
    lock.release();
    await(gatherReturnExceptions(tasks));
    log("end", lock.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> condWaiter(Condition cond, String name) {
    await(cond.acquire());
    try {
      try {
        await(cond.await());
      } catch (CancellationException e) {
        log(name, "cancelled, holds the lock", cond.isLocked());
        throw e;
      }
      log(name, "woken");
    } finally {
      cond.release();
    }
    return done();
  }

  @Scenario("condition_notify_skips_a_cancelled_waiter")
  @Async
  static Coroutine<Void> conditionNotifySkipsCancelled() {
    Condition cond = new Condition();
    Task<Void> a = createTask(condWaiter(cond, "a"));
    Task<Void> b = createTask(condWaiter(cond, "b"));
    Task<Void> c = createTask(condWaiter(cond, "c"));
    await(sleep(0));
    a.cancel();
    await(cond.acquire());
    try {
      cond.signal(1);
      log("notified one");
    } finally {
      cond.release();
    }
    await(sleep(0));
    await(sleep(0));
    await(sleep(0));
    log(state(a), state(b), state(c));
    await(cond.acquire());
    try {
      cond.signal();
    } finally {
      cond.release();
    }
    await(c);
    log(state(c));
    return done();
  }

  @Scenario("condition_wait_timeout_inside_block_keeps_lock")
  @Async
  static Coroutine<Void> conditionWaitTimeoutInBlock() {
    Condition cond = new Condition();
    await(cond.acquire());
    try {
      try {
        await(waitFor(cond.await(), Duration.ofMillis(2)));
      } catch (TimeoutException e) {
        log("timed out, holds the lock", cond.isLocked());
      }
    } finally {
      cond.release();
    }
    log("after the block", cond.isLocked());
    return done();
  }

  @Scenario("condition_notifier_keeps_lock_while_waiters_queue")
  @Async
  static Coroutine<Void> conditionNotifierKeepsLock() {
    Condition cond = new Condition();
    Task<Void> a = createTask(condWaiter(cond, "a"));
    Task<Void> b = createTask(condWaiter(cond, "b"));
    await(sleep(0));
    await(cond.acquire());
    try {
      cond.signalAll();
      log("notified all, keeps the lock");
      await(sleep(0));
      await(sleep(0));
      log("still held", a.isDone(), b.isDone());
    } finally {
      cond.release();
    }
    log("released");
    await(gather(a, b));
    log("end", cond.isLocked());
    return done();
  }

  @Scenario("condition_waiter_cancelled_while_relocking_behind_holder")
  @Async
  static Coroutine<Void> conditionCancelledWhileRelocking() {
    Condition cond = new Condition();
    Task<Void> a = createTask(condWaiter(cond, "a"));
    await(sleep(0));
    await(cond.acquire());
    cond.signal();
    await(sleep(0));
    log("a waits for the lock", a.isDone());
    a.cancel();
    await(sleep(0));
    log("a still blocked", a.isDone());
    cond.release();
    List<Object> r = await(gatherReturnExceptions(a));
    log(r, cond.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> semUser(Semaphore sem, String name, List<Object> result) {
    try {
      await(sem.acquire());
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    }
    result.add(name);
    log(name, "acquired");
    return done();
  }

  static List<Task<Void>> semUsers(Semaphore sem, List<Object> result, String... names) {
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : names) {
      tasks.add(createTask(semUser(sem, n, result)));
    }
    return tasks;
  }

  @Async
  static Coroutine<Void> semAppend(Semaphore sem, List<Object> result, int n) {
    await(sem.acquire());
    result.add(n);
    return done();
  }

  @Async
  static Coroutine<Void> semReleaseReacquire(Semaphore sem, List<Object> result) {
    await(sem.acquire());
    result.add(2);
    sem.release();
    await(sem.acquire());
    result.add(4);
    return done();
  }

  @Scenario("semaphore_releaser_reacquires_behind_waiters")
  @Async
  static Coroutine<Void> semaphoreReleaserReacquires() {
    Semaphore sem = new Semaphore(1);
    List<Object> result = new ArrayList<>();
    Task<Void> t1 = createTask(semAppend(sem, result, 1));
    Task<Void> t2 = createTask(semReleaseReacquire(sem, result));
    Task<Void> t3 = createTask(semAppend(sem, result, 3));
    await(sleep(0));
    sem.release();
    sem.release();
    await(gather(t1, t2, t3));
    log(result, sem.isLocked());
    return done();
  }

  @Scenario("semaphore_first_waiter_cancelled_then_two_releases")
  @Async
  static Coroutine<Void> semaphoreFirstCancelledTwoReleases() {
    Semaphore sem = new Semaphore(0);
    List<Object> result = new ArrayList<>();
    List<Task<Void>> tasks = semUsers(sem, result, "a", "b", "c");
    await(sleep(0));
    tasks.get(0).cancel();
    await(sleep(0));
    sem.release();
    sem.release();
    await(gatherReturnExceptions(tasks));
    log(result, states(tasks), sem.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> burstC1(Semaphore sem, List<Object> result, List<Task<Void>> box) {
    await(sem.acquire());
    box.add(createTask(burstC4(result)));
    result.add(1);
    return done();
  }

  @Async
  static Coroutine<Void> burstC2(Semaphore sem, List<Object> result) {
    sem.release();
    sem.release();
    sem.release();
    log("c2 released three, locked", sem.isLocked());
    await(sem.acquire());
    result.add(2);
    return done();
  }

  @Async
  static Coroutine<Void> burstC3(Semaphore sem, List<Object> result) {
    await(sem.acquire());
    log("c3 acquired, locked", sem.isLocked());
    result.add(3);
    return done();
  }

  @Async
  static Coroutine<Void> burstC4(List<Object> result) {
    result.add(4);
    return done();
  }

  @Scenario("semaphore_burst_release_then_newcomer_runs_last")
  @Async
  static Coroutine<Void> semaphoreBurstRelease() {
    Semaphore sem = new Semaphore(0);
    List<Object> result = new ArrayList<>();
    List<Task<Void>> box = new ArrayList<>();
    Task<Void> t1 = createTask(burstC1(sem, result, box));
    Task<Void> t2 = createTask(burstC2(sem, result));
    Task<Void> t3 = createTask(burstC3(sem, result));
    await(sleep(0));
    log("queued, locked", sem.isLocked());
    await(gather(t1, t2, t3));
    await(box.get(0));
    log(result, sem.isLocked());
    return done();
  }

  @Scenario("semaphore_release_after_waiter_cancelled_lets_newcomer_in")
  @Async
  static Coroutine<Void> semaphoreReleaseAfterCancel() {
    Semaphore sem = new Semaphore(0);
    List<Object> result = new ArrayList<>();
    Task<Void> a = createTask(semUser(sem, "a", result));
    await(sleep(0));
    a.cancel();
    sem.release();
    log("released, locked", sem.isLocked());
    getRunningLoop().callSoon(() -> log("callback"));
    await(sem.acquire());
    log("main acquired without waiting");
    await(sleep(0));
    log(state(a), sem.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> semHolderBody() {
    log("holder in");
    await(sleep(10_000));
    return done();
  }

  @Scenario("semaphore_context_body_cancelled_passes_permit_on")
  @Async
  static Coroutine<Void> semaphoreContextBodyCancelled() {
    Semaphore sem = new Semaphore(1);
    List<Object> result = new ArrayList<>();
    Task<Void> h = createTask(sem.withPermit(semHolderBody()));
    await(sleep(0));
    Task<Void> w = createTask(semUser(sem, "w", result));
    await(sleep(0));
    h.cancel();
    await(gatherReturnExceptions(h, w));
    log(state(h), state(w), sem.isLocked());
    return done();
  }

  @Scenario("semaphore_waiter_cancelled_after_release_with_two_permits")
  @Async
  static Coroutine<Void> semaphoreCancelledAfterRelease() {
    Semaphore sem = new Semaphore(0);
    List<Object> result = new ArrayList<>();
    List<Task<Void>> tasks = semUsers(sem, result, "a", "b", "c");
    await(sleep(0));
    sem.release();
    sem.release();
    tasks.get(1).cancel();
    await(gatherReturnExceptions(tasks.subList(0, 2)));
    await(sleep(0));
    log(result, states(tasks), sem.isLocked());
    sem.release();
    await(tasks.get(2));
    log(result, sem.isLocked());
    return done();
  }

  @Scenario("bounded_semaphore_cancelled_waiter_does_not_count")
  @Async
  static Coroutine<Void> boundedSemaphoreCancelledWaiter() {
    BoundedSemaphore sem = new BoundedSemaphore(1);
    await(sem.acquire());
    List<Object> result = new ArrayList<>();
    Task<Void> a = createTask(semUser(sem, "a", result));
    await(sleep(0));
    a.cancel();
    await(sleep(0));
    sem.release();
    log("released", sem.isLocked(), state(a));
    try {
      sem.release();
    } catch (IllegalStateException e) {
      log("second release refused");
    }
    log("locked", sem.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> eventAppender(Event ev, String name, List<Object> woke) {
    try {
      await(ev.await());
      woke.add(name);
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    }
    return done();
  }

  @Scenario("event_wait_cancelled_after_clear_others_still_woken")
  @Async
  static Coroutine<Void> eventCancelledAfterClear() {
    Event ev = new Event();
    List<Object> woke = new ArrayList<>();
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b", "c")) {
      tasks.add(createTask(eventAppender(ev, n, woke)));
    }
    await(sleep(0));
    ev.set();
    ev.clear();
    tasks.get(1).cancel();
    await(gatherReturnExceptions(tasks));
    log(woke, states(tasks), ev.isSet());
    return done();
  }

  @Async
  static Coroutine<Void> predicateWaiter(Condition cond, boolean[] ready, String name) {
    await(cond.acquire());
    try {
      await(
          cond.awaitUntil(
              () -> {
                log(name, "checks");
                return ready[0];
              }));
      log(name, "done");
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    } finally {
      cond.release();
    }
    return done();
  }

  @Scenario("condition_cancelled_waiter_wakes_another_spuriously")
  @Async
  static Coroutine<Void> conditionSpuriousWake() {
    Condition cond = new Condition();
    boolean[] ready = {false};
    Task<Void> a = createTask(predicateWaiter(cond, ready, "a"));
    Task<Void> b = createTask(predicateWaiter(cond, ready, "b"));
    Task<Void> c = createTask(predicateWaiter(cond, ready, "c"));
    await(sleep(0));
    a.cancel();
    await(sleep(0));
    await(sleep(0));
    await(sleep(0));
    log("now notify one");
    await(cond.acquire());
    try {
      ready[0] = true;
      cond.signal(1);
    } finally {
      cond.release();
    }
    await(sleep(0));
    await(sleep(0));
    log(state(a), state(b), state(c));
    await(cond.acquire());
    try {
      cond.signalAll();
    } finally {
      cond.release();
    }
    await(gather(b, c));
    return done();
  }
}
