package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.waitFor;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import dev.coroutine.sync.BoundedSemaphore;
import dev.coroutine.sync.Condition;
import dev.coroutine.sync.Event;
import dev.coroutine.sync.Lock;
import dev.coroutine.sync.Semaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** Twins of src/test/python/locks.py: Lock, Event, Condition, Semaphore, BoundedSemaphore. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class LocksScenarios {
  private LocksScenarios() {}

  static final class Boom extends RuntimeException {
    Boom() {
      super("boom");
    }
  }

  private static final String VOID_RESULT =
      "acquire() and wait() complete with null (Coroutine<Void>), not asyncio's True";

  // ---- Lock ---------------------------------------------------------------------------------

  @Scenario("lock_acquire_does_nothing_until_awaited")
  @Async
  static Coroutine<Void> lockLazy() {
    Lock lock = new Lock();
    Coroutine<Void> c = lock.acquire();
    log("called", lock.isLocked());
    await(c);
    log("awaited", lock.isLocked());
    lock.release();
    log("released", lock.isLocked());
    return done();
  }

  @Scenario("lock_acquire_in_task_acts_when_task_runs")
  @Differs(
      reason = VOID_RESULT,
      asyncio = "task ran true result=true",
      ours = "task ran true result=null")
  @Async
  static Coroutine<Void> lockInTask() {
    Lock lock = new Lock();
    Task<Void> t = createTask(lock.acquire());
    log("task created", lock.isLocked());
    await(sleep(0));
    log("task ran", lock.isLocked(), state(t));
    return done();
  }

  @Async
  static Coroutine<Void> lockUser(Lock lock, String name, long hold) {
    log(name, "acquiring");
    await(lock.acquire());
    log(name, "acquired");
    try {
      await(sleep(hold));
    } finally {
      lock.release();
      log(name, "released");
    }
    return done();
  }

  @Scenario("lock_fifo_order")
  @Async
  static Coroutine<Void> lockFifo() {
    Lock lock = new Lock();
    await(lock.acquire());
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b", "c")) {
      tasks.add(createTask(lockUser(lock, n, 0)));
    }
    await(sleep(0));
    log("main releases");
    lock.release();
    await(gather(tasks));
    log("end", lock.isLocked());
    return done();
  }

  @Scenario("lock_newcomer_waits_behind_woken_waiter")
  @Async
  static Coroutine<Void> lockNewcomer() {
    Lock lock = new Lock();
    await(lock.acquire());
    Task<Void> a = createTask(lockUser(lock, "a", 0));
    await(sleep(0));
    lock.release();
    log("released; locked", lock.isLocked());
    Task<Void> b = createTask(lockUser(lock, "newcomer", 0));
    await(gather(a, b));
    return done();
  }

  @Scenario("lock_acquire_cancelled_while_waiting")
  @Async
  static Coroutine<Void> lockAcquireCancelled() {
    Lock lock = new Lock();
    await(lock.acquire());
    Task<Void> t = createTask(lock.acquire());
    await(sleep(0));
    t.cancel();
    await(sleep(0));
    log(state(t), lock.isLocked());
    lock.release();
    log("released", lock.isLocked());
    await(lock.acquire());
    log("acquired again", lock.isLocked());
    lock.release();
    return done();
  }

  @Async
  static Coroutine<Void> lockit(Lock lock, String name, Future<Void> blocker) {
    await(lock.acquire());
    log(name, "has the lock");
    try {
      if (blocker != null) {
        await(blocker);
      }
    } finally {
      lock.release();
    }
    return done();
  }

  @Scenario("lock_cancel_race")
  @Async
  static Coroutine<Void> lockCancelRace() {
    Lock lock = new Lock();
    Future<Void> fa = getRunningLoop().createFuture();
    Task<Void> ta = createTask(lockit(lock, "A", fa));
    await(sleep(0));
    Task<Void> tb = createTask(lockit(lock, "B", null));
    await(sleep(0));
    Task<Void> tc = createTask(lockit(lock, "C", null));
    await(sleep(0));
    fa.setResult(null);
    tb.cancel();
    await(sleep(0));
    log(lock.isLocked(), state(ta), state(tb));
    await(tc);
    log(state(tc), lock.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> countingLockit(Lock lock, Map<String, Integer> counts) {
    counts.merge("calls", 1, Integer::sum);
    await(lock.acquire());
    counts.merge("locks", 1, Integer::sum);
    return done();
  }

  @Scenario("lock_cancel_release_race")
  @Async
  static Coroutine<Void> lockCancelReleaseRace() {
    EventLoop loop = getRunningLoop();
    Lock lock = new Lock();
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("calls", 0);
    counts.put("locks", 0);
    await(lock.acquire());
    Task<Void> t1 = createTask(countingLockit(lock, counts));
    Task<Void> t2 = createTask(countingLockit(lock, counts));
    Task<Void> t3 = createTask(countingLockit(lock, counts));
    await(sleep(0));
    loop.callSoon(
        () -> {
          t1.cancel();
          lock.release();
        });
    try {
      await(t1);
    } catch (CancellationException e) {
      log("t1 cancelled");
    }
    log(counts, state(t1), t2.isDone(), t3.isDone());
    t3.cancel();
    await(sleep(0));
    log(state(t3));
    return done();
  }

  @Scenario("lock_woken_waiter_cancelled_passes_the_lock_on")
  @Differs(reason = VOID_RESULT, asyncio = "result=true true", ours = "result=null true")
  @Async
  static Coroutine<Void> lockWokenCancelled() {
    Lock lock = new Lock();
    await(lock.acquire());
    Task<Void> tb = createTask(lock.acquire());
    await(sleep(0));
    Task<Void> tc = createTask(lock.acquire());
    tb.cancel();
    lock.release();
    await(sleep(0));
    log(lock.isLocked(), state(tb));
    await(tc);
    log(state(tc), lock.isLocked());
    return done();
  }

  @Scenario("lock_release_unlocked_raises")
  @Async
  static Coroutine<Void> lockReleaseUnlocked() {
    Lock lock = new Lock();
    try {
      lock.release();
    } catch (IllegalStateException e) {
      log("release", e);
    }
    return done();
  }

  @Async
  static Coroutine<Void> raisingBody(Lock lock) {
    log("inside", lock.isLocked());
    throw new Boom();
  }

  @Scenario("lock_context_releases_on_error")
  @Async
  static Coroutine<Void> lockContext() {
    Lock lock = new Lock();
    try {
      await(lock.withLock(raisingBody(lock)));
    } catch (Boom e) {
      log("caught Boom", lock.isLocked());
    }
    return done();
  }

  // ---- Event --------------------------------------------------------------------------------

  @Scenario("event_wait_checks_the_flag_when_awaited")
  @Async
  static Coroutine<Void> eventLazy() {
    Event ev = new Event();
    ev.set();
    Coroutine<Void> c = ev.await();
    ev.clear();
    Task<Void> t = createTask(c);
    await(sleep(0));
    log("after clear", t.isDone());
    ev.set();
    await(sleep(0));
    log("after set", t.isDone());
    return done();
  }

  @Async
  static Coroutine<Void> eventWaiter(Event ev, String name) {
    await(ev.await());
    log(name, "woke", ev.isSet());
    return done();
  }

  @Scenario("event_set_wakes_every_waiter_in_order")
  @Async
  static Coroutine<Void> eventSetWakesAll() {
    Event ev = new Event();
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b", "c")) {
      tasks.add(createTask(eventWaiter(ev, n)));
    }
    await(sleep(0));
    log("setting", ev.isSet());
    ev.set();
    ev.set();
    await(gather(tasks));
    log("end", ev.isSet());
    return done();
  }

  @Scenario("event_clear_after_set_still_wakes_waiters")
  @Async
  static Coroutine<Void> eventClearAfterSet() {
    Event ev = new Event();
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b")) {
      tasks.add(createTask(eventWaiter(ev, n)));
    }
    await(sleep(0));
    ev.set();
    ev.clear();
    log("set and cleared", ev.isSet());
    await(gather(tasks));
    return done();
  }

  @Scenario("event_wait_on_set_returns_without_suspending")
  @Async
  static Coroutine<Void> eventWaitOnSet() {
    Event ev = new Event();
    ev.set();
    getRunningLoop().callSoon(() -> log("callback"));
    await(ev.await());
    log("main after wait");
    await(sleep(0));
    return done();
  }

  @Scenario("event_waiter_cancelled")
  @Async
  static Coroutine<Void> eventWaiterCancelled() {
    Event ev = new Event();
    Task<Void> a = createTask(eventWaiter(ev, "a"));
    Task<Void> b = createTask(eventWaiter(ev, "b"));
    await(sleep(0));
    a.cancel();
    await(sleep(0));
    ev.set();
    await(b);
    log(state(a), state(b));
    return done();
  }

  // ---- Condition ----------------------------------------------------------------------------

  @Scenario("condition_wait_without_lock_raises")
  @Async
  static Coroutine<Void> conditionWithoutLock() {
    Condition cond = new Condition();
    try {
      await(cond.await());
    } catch (IllegalStateException e) {
      log("wait", e);
    }
    try {
      cond.signal();
    } catch (IllegalStateException e) {
      log("notify", e);
    }
    try {
      cond.signalAll();
    } catch (IllegalStateException e) {
      log("notify_all", e);
    }
    return done();
  }

  @Async
  static Coroutine<Void> condWaiter(Condition cond, String name) {
    await(cond.acquire());
    try {
      log(name, "waits");
      await(cond.await());
      log(name, "woken, holds the lock", cond.isLocked());
    } finally {
      cond.release();
    }
    return done();
  }

  @Scenario("condition_notify_counts")
  @Async
  static Coroutine<Void> conditionNotifyCounts() {
    Condition cond = new Condition();
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b", "c", "d")) {
      tasks.add(createTask(condWaiter(cond, n)));
    }
    await(sleep(0));
    await(cond.acquire());
    log("notify(1)");
    cond.signal(1);
    cond.release();
    await(sleep(0));
    await(sleep(0));
    await(cond.acquire());
    log("notify(2)");
    cond.signal(2);
    cond.release();
    await(sleep(0));
    await(sleep(0));
    await(sleep(0));
    List<Boolean> doneFlags = new ArrayList<>();
    for (Task<Void> t : tasks) {
      doneFlags.add(t.isDone());
    }
    log("done", doneFlags);
    await(cond.acquire());
    log("notify_all");
    cond.signalAll();
    cond.release();
    await(gather(tasks));
    return done();
  }

  @Scenario("condition_notify_more_than_waiting")
  @Async
  static Coroutine<Void> conditionNotifyMore() {
    Condition cond = new Condition();
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b")) {
      tasks.add(createTask(condWaiter(cond, n)));
    }
    await(sleep(0));
    await(cond.acquire());
    cond.signal(5);
    log("notified 5, waiters still blocked on the lock");
    cond.release();
    await(gather(tasks));
    await(cond.acquire());
    cond.signal(1);
    cond.signalAll();
    cond.release();
    log("notify with nobody waiting is fine");
    return done();
  }

  @Scenario("condition_wait_for_checks_predicate_first")
  @Differs(
      reason = VOID_RESULT,
      asyncio = "wait_for on a true predicate true",
      ours = "wait_for on a true predicate null")
  @Async
  static Coroutine<Void> conditionWaitForFirst() {
    Condition cond = new Condition();
    getRunningLoop().callSoon(() -> log("callback"));
    await(cond.acquire());
    try {
      Object r = await(cond.awaitUntil(() -> true));
      log("wait_for on a true predicate", r);
    } finally {
      cond.release();
    }
    await(sleep(0));
    return done();
  }

  @Async
  static Coroutine<Void> predicateConsumer(Condition cond, int[] box, List<Integer> checks) {
    await(cond.acquire());
    try {
      await(
          cond.awaitUntil(
              () -> {
                checks.add(box[0]);
                return box[0] >= 3;
              }));
      log("consumer sees", box[0]);
    } finally {
      cond.release();
    }
    return done();
  }

  @Scenario("condition_wait_for_predicate_with_notifies")
  @Async
  static Coroutine<Void> conditionWaitForNotifies() {
    Condition cond = new Condition();
    int[] box = new int[1];
    List<Integer> checks = new ArrayList<>();
    Task<Void> t = createTask(predicateConsumer(cond, box, checks));
    for (int i = 0; i < 3; i++) {
      await(sleep(0));
      await(cond.acquire());
      box[0]++;
      cond.signal();
      cond.release();
    }
    await(t);
    log("predicate saw", checks);
    return done();
  }

  @Async
  static Coroutine<Void> cancelledCondWaiter(Condition cond, String message) {
    await(cond.acquire());
    try {
      await(cond.await());
    } catch (CancellationException e) {
      log(message, cond.isLocked());
      throw e;
    } finally {
      cond.release();
    }
    return done();
  }

  @Scenario("condition_wait_cancelled_reacquires_lock")
  @Async
  static Coroutine<Void> conditionWaitCancelled() {
    Condition cond = new Condition();
    Task<Void> t = createTask(cancelledCondWaiter(cond, "cancelled, holds the lock"));
    await(sleep(0));
    t.cancel();
    await(sleep(0));
    log(state(t), cond.isLocked());
    return done();
  }

  @Scenario("condition_wait_cancelled_while_lock_held_elsewhere")
  @Async
  static Coroutine<Void> conditionWaitCancelledContested() {
    Condition cond = new Condition();
    Task<Void> t = createTask(cancelledCondWaiter(cond, "waiter cancelled, got the lock back"));
    await(sleep(0));
    await(cond.acquire());
    t.cancel();
    await(sleep(0));
    log("main still holds the lock", t.isDone(), cond.isLocked());
    cond.release();
    try {
      await(t);
    } catch (CancellationException e) {
      log("waiter raised CancelledError");
    }
    log(state(t), cond.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> notifiedWaiter(Condition cond, String name) {
    await(cond.acquire());
    try {
      await(cond.await());
      log(name, "woken");
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    } finally {
      cond.release();
    }
    return done();
  }

  @Scenario("condition_cancel_after_notify")
  @Async
  static Coroutine<Void> conditionCancelAfterNotify() {
    Condition cond = new Condition();
    Task<Void> a = createTask(notifiedWaiter(cond, "a"));
    Task<Void> b = createTask(notifiedWaiter(cond, "b"));
    await(sleep(0));
    await(cond.acquire());
    cond.signal(1);
    a.cancel();
    cond.release();
    await(sleep(1));
    log(state(a), b.isDone());
    await(cond.acquire());
    cond.signalAll();
    cond.release();
    await(b);
    log(state(b));
    return done();
  }

  @Async
  static Coroutine<Void> condConsumer(Condition cond, int[] box, String name) {
    await(cond.acquire());
    try {
      while (true) {
        await(cond.awaitUntil(() -> box[0] != 0));
        if (box[0] < 0) {
          log(name, "leaves");
          return done();
        }
        box[0]--;
        log(name, "consumed");
      }
    } finally {
      cond.release();
    }
  }

  @Scenario("condition_cancelled_wakeup_is_not_lost")
  @Async
  static Coroutine<Void> conditionCancelledWakeup() {
    Condition cond = new Condition();
    int[] box = new int[1];
    Task<Void> c0 = createTask(condConsumer(cond, box, "c0"));
    Task<Void> c1 = createTask(condConsumer(cond, box, "c1"));
    await(sleep(0));
    await(cond.acquire());
    try {
      box[0]++;
      cond.signal(1);
      c0.cancel();
      try {
        await(waitFor(cond.awaitUntil(() -> box[0] == 0), Duration.ofSeconds(1)));
      } catch (TimeoutException e) {
        log("timed out");
      }
      log("state", box[0]);
      box[0] = -1;
      cond.signalAll();
    } finally {
      cond.release();
    }
    await(c1);
    log(state(c0), state(c1));
    return done();
  }

  @Scenario("condition_cancelled_while_relocking_is_not_lost")
  @Async
  static Coroutine<Void> conditionCancelledRelock() {
    Condition cond = new Condition();
    int[] box = new int[1];
    Task<Void> c0 = createTask(condConsumer(cond, box, "c0"));
    Task<Void> c1 = createTask(condConsumer(cond, box, "c1"));
    await(sleep(0));
    await(cond.acquire());
    try {
      box[0]++;
      cond.signal(1);
      await(sleep(0));
      c0.cancel();
      try {
        await(waitFor(cond.awaitUntil(() -> box[0] == 0), Duration.ofSeconds(1)));
      } catch (TimeoutException e) {
        log("timed out");
      }
      log("state", box[0]);
      box[0] = -1;
      cond.signalAll();
    } finally {
      cond.release();
    }
    await(c1);
    log(state(c0), state(c1));
    return done();
  }

  @Scenario("condition_over_shared_lock")
  @Async
  static Coroutine<Void> conditionSharedLock() {
    Lock lock = new Lock();
    Condition cond = new Condition(lock);
    await(lock.acquire());
    log("cond sees the lock", cond.isLocked());
    lock.release();
    await(cond.acquire());
    log("lock sees the cond", lock.isLocked());
    cond.release();
    log("after", lock.isLocked(), cond.isLocked());
    return done();
  }

  // ---- Semaphore ----------------------------------------------------------------------------

  @Scenario("semaphore_acquire_does_nothing_until_awaited")
  @Async
  static Coroutine<Void> semaphoreLazy() {
    Semaphore sem = new Semaphore(1);
    Coroutine<Void> c = sem.acquire();
    log("called", sem.isLocked());
    await(c);
    log("awaited", sem.isLocked());
    sem.release();
    log("released", sem.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> semUser(Semaphore sem, String name) {
    await(sem.acquire());
    log(name, "acquired");
    await(sleep(0));
    sem.release();
    return done();
  }

  @Scenario("semaphore_fifo_order")
  @Async
  static Coroutine<Void> semaphoreFifo() {
    Semaphore sem = new Semaphore(1);
    await(sem.acquire());
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b", "c", "d")) {
      tasks.add(createTask(semUser(sem, n)));
    }
    await(sleep(0));
    log("locked", sem.isLocked());
    sem.release();
    await(gather(tasks));
    log("end", sem.isLocked());
    return done();
  }

  @Scenario("semaphore_two_permits_fifo")
  @Async
  static Coroutine<Void> semaphoreTwoPermits() {
    Semaphore sem = new Semaphore(2);
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b", "c", "d", "e")) {
      tasks.add(createTask(semUser(sem, n)));
    }
    await(gather(tasks));
    log("end", sem.isLocked());
    return done();
  }

  @Scenario("semaphore_newcomer_waits_behind_waiters")
  @Async
  static Coroutine<Void> semaphoreNewcomer() {
    Semaphore sem = new Semaphore(0);
    Task<Void> a = createTask(semUser(sem, "a"));
    await(sleep(0));
    sem.release();
    log("released, locked", sem.isLocked());
    Task<Void> b = createTask(semUser(sem, "newcomer"));
    await(gather(a, b));
    return done();
  }

  @Scenario("semaphore_acquire_cancelled_while_waiting")
  @Async
  static Coroutine<Void> semaphoreAcquireCancelled() {
    Semaphore sem = new Semaphore(0);
    Task<Void> t = createTask(sem.acquire());
    await(sleep(0));
    t.cancel();
    await(sleep(0));
    log(state(t), sem.isLocked());
    sem.release();
    log("released", sem.isLocked());
    return done();
  }

  @Scenario("semaphore_cancelled_before_awoken_keeps_permit")
  @Differs(
      reason = VOID_RESULT,
      asyncio = "cancelled cancelled result=true pending",
      ours = "cancelled cancelled result=null pending")
  @Async
  static Coroutine<Void> semaphoreCancelledBeforeAwoken() {
    Semaphore sem = new Semaphore(0);
    Task<Void> t1 = createTask(sem.acquire());
    Task<Void> t2 = createTask(sem.acquire());
    Task<Void> t3 = createTask(sem.acquire());
    Task<Void> t4 = createTask(sem.acquire());
    await(sleep(0));
    t1.cancel();
    t2.cancel();
    sem.release();
    await(sleep(0));
    await(sleep(0));
    log(state(t1), state(t2), state(t3), state(t4));
    t4.cancel();
    await(sleep(0));
    log(state(t4), sem.isLocked());
    return done();
  }

  @Scenario("semaphore_woken_waiter_cancelled_passes_permit_on")
  @Differs(
      reason = VOID_RESULT,
      asyncio = "cancelled result=true true",
      ours = "cancelled result=null true")
  @Async
  static Coroutine<Void> semaphoreWokenCancelled() {
    Semaphore sem = new Semaphore(0);
    Task<Void> a = createTask(sem.acquire());
    Task<Void> b = createTask(sem.acquire());
    await(sleep(0));
    sem.release();
    a.cancel();
    await(sleep(0));
    await(sleep(0));
    log(state(a), state(b), sem.isLocked());
    return done();
  }

  @Scenario("semaphore_acquire_does_not_hang_after_cancel")
  @Differs(
      reason = VOID_RESULT,
      asyncio = "cancelled result=true true",
      ours = "cancelled result=null true")
  @Async
  static Coroutine<Void> semaphoreNoHang() {
    Semaphore sem = new Semaphore(0);
    Task<Void> t1 = createTask(sem.acquire());
    Task<Void> t2 = createTask(sem.acquire());
    await(sleep(0));
    t1.cancel();
    sem.release();
    await(sleep(0));
    await(sleep(0));
    log(state(t1), state(t2), sem.isLocked());
    return done();
  }

  @Scenario("semaphore_release_without_waiters_grows")
  @Async
  static Coroutine<Void> semaphoreGrows() {
    Semaphore sem = new Semaphore(0);
    sem.release();
    sem.release();
    log("locked", sem.isLocked());
    await(sem.acquire());
    await(sem.acquire());
    log("locked", sem.isLocked());
    return done();
  }

  @Scenario("semaphore_negative_value_refused")
  @Async
  static Coroutine<Void> semaphoreNegative() {
    try {
      new Semaphore(-1);
    } catch (IllegalArgumentException e) {
      log("refused", e);
    }
    return done();
  }

  @Async
  static Coroutine<Void> raisingSemBody(Semaphore sem) {
    log("inside", sem.isLocked());
    throw new Boom();
  }

  @Scenario("semaphore_context_releases_on_error")
  @Async
  static Coroutine<Void> semaphoreContext() {
    Semaphore sem = new Semaphore(1);
    try {
      await(sem.withPermit(raisingSemBody(sem)));
    } catch (Boom e) {
      log("caught Boom", sem.isLocked());
    }
    return done();
  }

  @Scenario("semaphore_releases_burst_wake_in_order")
  @Async
  static Coroutine<Void> semaphoreBurst() {
    Semaphore sem = new Semaphore(0);
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b", "c")) {
      tasks.add(createTask(semUser(sem, n)));
    }
    await(sleep(0));
    sem.release();
    sem.release();
    sem.release();
    await(gather(tasks));
    log("end", sem.isLocked());
    return done();
  }

  private static final String BOUND_ERROR =
      "a release over the bound throws IllegalStateException (a call in the wrong state, as"
          + " Lock.release() of a free lock), where asyncio raises ValueError";

  @Scenario("bounded_semaphore_release_over_bound")
  @Differs(reason = BOUND_ERROR, asyncio = "refused ValueError", ours = "refused RuntimeError")
  @Async
  static Coroutine<Void> boundedOverBound() {
    BoundedSemaphore sem = new BoundedSemaphore(2);
    await(sem.acquire());
    sem.release();
    try {
      sem.release();
    } catch (RuntimeException e) {
      log("refused", e);
    }
    log("locked", sem.isLocked());
    return done();
  }

  @Scenario("bounded_semaphore_waiters_and_bound")
  @Differs(reason = BOUND_ERROR, asyncio = "refused ValueError", ours = "refused RuntimeError")
  @Async
  static Coroutine<Void> boundedWaiters() {
    BoundedSemaphore sem = new BoundedSemaphore(1);
    await(sem.acquire());
    Task<Void> t = createTask(semUser(sem, "a"));
    await(sleep(0));
    sem.release();
    await(t);
    try {
      sem.release();
    } catch (RuntimeException e) {
      log("refused", e);
    }
    log("locked", sem.isLocked());
    return done();
  }

  @Scenario("lock_acquire_timeout_does_not_take_the_lock")
  @Async
  static Coroutine<Void> lockAcquireTimeout() {
    Lock lock = new Lock();
    await(lock.acquire());
    try {
      await(waitFor(lock.acquire(), Duration.ofMillis(2)));
    } catch (TimeoutException e) {
      log("acquire timed out", lock.isLocked());
    }
    lock.release();
    log("released", lock.isLocked());
    await(sleep(0));
    log("nobody took it", lock.isLocked());
    return done();
  }

  @Scenario("semaphore_acquire_timeout_keeps_the_permit_count")
  @Async
  static Coroutine<Void> semaphoreAcquireTimeout() {
    Semaphore sem = new Semaphore(1);
    await(sem.acquire());
    try {
      await(waitFor(sem.acquire(), Duration.ofMillis(2)));
    } catch (TimeoutException e) {
      log("acquire timed out", sem.isLocked());
    }
    sem.release();
    await(sleep(0));
    log("permit free", sem.isLocked());
    await(sem.acquire());
    log("taken again", sem.isLocked());
    return done();
  }

  @Scenario("condition_wait_for_predicate_raises")
  @Async
  static Coroutine<Void> conditionPredicateRaises() {
    Condition cond = new Condition();
    await(cond.acquire());
    try {
      await(
          cond.awaitUntil(
              () -> {
                throw new Boom();
              }));
    } catch (Boom e) {
      log("predicate raised, lock held", cond.isLocked());
    } finally {
      cond.release();
    }
    log("after", cond.isLocked());
    return done();
  }

  @Scenario("event_wait_timeout_then_set")
  @Async
  static Coroutine<Void> eventWaitTimeout() {
    Event ev = new Event();
    try {
      await(waitFor(ev.await(), Duration.ofMillis(2)));
    } catch (TimeoutException e) {
      log("wait timed out", ev.isSet());
    }
    Task<Void> t = createTask(eventWaiter(ev, "later"));
    await(sleep(0));
    ev.set();
    await(t);
    return done();
  }

  @Scenario("lock_waiter_cancelled_before_it_ever_ran")
  @Async
  static Coroutine<Void> lockWaiterCancelledEarly() {
    Lock lock = new Lock();
    await(lock.acquire());
    Task<Void> t = createTask(lockUser(lock, "never", 0));
    t.cancel();
    await(sleep(0));
    log(state(t), lock.isLocked());
    lock.release();
    log("released", lock.isLocked());
    return done();
  }

  @Scenario("acquire_task_cancelled_before_start_leaves_lock_free")
  @Async
  static Coroutine<Void> acquireTaskCancelledEarly() {
    Lock lock = new Lock();
    Semaphore sem = new Semaphore(1);
    Task<Void> t1 = createTask(lock.acquire());
    Task<Void> t2 = createTask(sem.acquire());
    t1.cancel();
    t2.cancel();
    await(sleep(0));
    log(state(t1), state(t2), lock.isLocked(), sem.isLocked());
    return done();
  }
}
