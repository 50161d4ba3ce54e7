package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.currentTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gatherReturnExceptions;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.shield;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.timeout;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import dev.coroutine.Task;
import dev.coroutine.TaskGroup;
import dev.coroutine.TaskGroupException;
import dev.coroutine.Timeout;
import dev.coroutine.sync.Lock;
import dev.coroutine.sync.Queue;
import dev.coroutine.sync.Semaphore;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Twins of src/test/python/edge_task_group.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeTaskGroupScenarios {
  private EdgeTaskGroupScenarios() {}

  static final class Boom extends RuntimeException {
    Boom() {
      super("boom");
    }
  }

  static final class Bang extends RuntimeException {
    Bang() {
      super("bang");
    }
  }

  @Async
  static Coroutine<Object> sleeper(String name, long millis, Object result) {
    try {
      await(sleep(millis));
    } catch (CancellationException e) {
      log(name, "cancelled", msg(e));
      throw e;
    }
    log(name, "done");
    return done(result);
  }

  @Async
  static Coroutine<Void> failer(String name, long millis, Supplier<RuntimeException> error) {
    await(sleep(millis));
    log(name, "fails");
    throw error.get();
  }

  @Async
  static Coroutine<Void> lockWaiter(Lock lock, String name) {
    try {
      await(lock.acquire());
    } catch (CancellationException e) {
      log(name, "cancelled while waiting for the lock");
      throw e;
    }
    log(name, "acquired");
    lock.release();
    return done();
  }

  @Scenario("child_waiting_on_lock_cancelled_lock_goes_to_next")
  @Async
  static Coroutine<Void> childOnLockCancelled() {
    Lock lock = new Lock();
    await(lock.acquire());
    Task<?>[] o = new Task<?>[1];
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(lockWaiter(lock, "a"));
                await(sleep(0));
                o[0] = createTask(lockWaiter(lock, "o"));
                await(sleep(0));
                tg.createTask(failer("b", 0, Boom::new));
                log("body ends");
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions(), lock.isLocked());
    }
    lock.release();
    await(o[0]);
    log(state(o[0]), lock.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> queueGetter(Queue<String> q, String name) {
    String item;
    try {
      item = await(q.get());
    } catch (CancellationException e) {
      log(name, "cancelled while waiting for an item");
      throw e;
    }
    log(name, "got", item);
    return done();
  }

  @Scenario("child_waiting_on_queue_cancelled_item_goes_to_next")
  @Async
  static Coroutine<Void> childOnQueueCancelled() {
    Queue<String> q = new Queue<>();
    Task<?>[] o = new Task<?>[1];
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(queueGetter(q, "a"));
                await(sleep(0));
                o[0] = createTask(queueGetter(q, "o"));
                await(sleep(0));
                tg.createTask(failer("b", 0, Boom::new));
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    q.putNowait("item");
    await(o[0]);
    log(state(o[0]), q.size());
    return done();
  }

  @Scenario("inner_group_failure_caught_outer_goes_on")
  @Async
  static Coroutine<Void> innerGroupFailureCaught() {
    Task<?>[] s = new Task<?>[1];
    await(
        TaskGroup.run(
            outer -> {
              s[0] = outer.createTask(sleeper("s", 5, "s"));
              Task<?>[] i = new Task<?>[1];
              try {
                await(
                    TaskGroup.run(
                        inner -> {
                          inner.createTask(failer("f", 0, Boom::new));
                          i[0] = inner.createTask(sleeper("i", 1000, null));
                          return done();
                        }));
              } catch (TaskGroupException eg) {
                log("inner caught", eg.getExceptions(), currentTask().cancelling(), state(i[0]));
              }
              log("outer body goes on");
              return done();
            }));
    log("outer done", state(s[0]), currentTask().cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> expiringBody() throws TimeoutException {
    await(timeout(Duration.ofMillis(2), sleep(1000)));
    return done();
  }

  @Scenario("timeout_in_body_is_a_group_error")
  @Async
  static Coroutine<Void> timeoutInBody() {
    Task<?>[] a = new Task<?>[1];
    try {
      await(
          TaskGroup.run(
              tg -> {
                a[0] = tg.createTask(sleeper("a", 1000, null));
                await(expiringBody());
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions(), state(a[0]), currentTask().cancelling());
    }
    return done();
  }

  @Async
  static Coroutine<Void> failingGroup() {
    await(
        TaskGroup.run(
            tg -> {
              tg.createTask(failer("f", 0, Boom::new));
              tg.createTask(sleeper("s", 1000, null));
              return done();
            }));
    return done();
  }

  @Scenario("group_in_timeout_child_fails_before_expiry")
  @Async
  static Coroutine<Void> groupInTimeoutChildFails() throws TimeoutException {
    Timeout[] cm = new Timeout[1];
    try {
      await(
          timeout(
              Duration.ofSeconds(1),
              c -> {
                cm[0] = c;
                return failingGroup();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions(), cm[0].expired(), currentTask().cancelling());
    }
    return done();
  }

  @Async
  static Coroutine<Void> cleaner() {
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("cleaner cancelled, raises Bang");
      throw new Bang();
    }
    return done();
  }

  @Scenario("sibling_raises_other_error_in_cleanup")
  @Async
  static Coroutine<Void> siblingRaisesInCleanup() {
    Task<?>[] c = new Task<?>[1];
    try {
      await(
          TaskGroup.run(
              tg -> {
                c[0] = tg.createTask(cleaner());
                tg.createTask(failer("f", 1, Boom::new));
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions(), state(c[0]));
    }
    return done();
  }

  @Async
  static Coroutine<Void> messageRunner() {
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(sleeper("child", 1000, null));
                await(sleep(1000));
                return done();
              }));
    } catch (CancellationException e) {
      log("runner sees", msg(e));
      throw e;
    }
    return done();
  }

  @Scenario("outside_cancel_message_not_passed_to_children")
  @Async
  static Coroutine<Void> outsideCancelMessage() {
    Task<Void> r = createTask(messageRunner());
    await(sleep(0));
    await(sleep(0));
    r.cancel("stop");
    await(gatherReturnExceptions(r));
    log(state(r), r.cancelling());
    return done();
  }

  @Async
  static Coroutine<String> work(Future<Void> gate) {
    await(gate);
    log("shielded work finished");
    return done("w");
  }

  @Async
  static Coroutine<Void> shieldingChild(Task<String> w) {
    try {
      await(shield(w));
    } catch (CancellationException e) {
      log("child cancelled, work", state(w));
      throw e;
    }
    return done();
  }

  @Scenario("shielded_work_of_cancelled_child_survives")
  @Async
  static Coroutine<Void> shieldedWorkSurvives() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<String> w = createTask(work(gate));
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(shieldingChild(w));
                tg.createTask(failer("f", 0, Boom::new));
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    gate.setResult(null);
    log("work", await(w));
    return done();
  }

  @Scenario("finished_children_keep_results_after_failure")
  @Async
  static Coroutine<Void> finishedChildrenKeepResults() {
    Task<?>[] t = new Task<?>[3];
    try {
      await(
          TaskGroup.run(
              tg -> {
                t[0] = tg.createTask(sleeper("a", 0, "ra"));
                await(sleep(2));
                t[1] = tg.createTask(failer("b", 0, Boom::new));
                t[2] = tg.createTask(sleeper("c", 1000, null));
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions(), state(t[0]), state(t[1]), state(t[2]));
    }
    return done();
  }

  @Async
  static Coroutine<Void> semWaiter(Semaphore sem, String name) {
    try {
      await(sem.acquire());
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    }
    log(name, "acquired");
    return done();
  }

  @Scenario("body_error_while_child_blocks_on_semaphore")
  @Async
  static Coroutine<Void> bodyErrorWhileChildBlocks() {
    Semaphore sem = new Semaphore(0);
    Task<Void> o = createTask(semWaiter(sem, "o"));
    await(sleep(0));
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(semWaiter(sem, "a"));
                await(sleep(0));
                sem.release();
                throw new Boom();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    await(o);
    log(state(o), sem.isLocked());
    return done();
  }

  @Async
  static Coroutine<Void> gated(Future<Void> gate, String name) {
    await(gate);
    log(name, "finished");
    return done();
  }

  @Async
  static Coroutine<String> exitRunner(Future<Void> gate) {
    Task<?>[] c = new Task<?>[1];
    try {
      await(
          TaskGroup.run(
              tg -> {
                c[0] = tg.createTask(gated(gate, "child"));
                return done();
              }));
      log("group exited normally", currentTask().cancelling());
    } catch (CancellationException e) {
      log("group raised CancelledError", msg(e), state(c[0]));
      throw e;
    }
    return done("ok");
  }

  @Scenario("parent_cancelled_while_exit_waits_for_the_last_child")
  @Async
  static Coroutine<Void> parentCancelledWhileExitWaits() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<String> r = createTask(exitRunner(gate));
    await(sleep(0));
    gate.setResult(null);
    await(sleep(0)); // the child finishes; the group's exit is woken
    r.cancel("late");
    await(gatherReturnExceptions(r));
    log(state(r), r.cancelling());
    return done();
  }

  @Async
  static Coroutine<String> quietExitRunner(Future<Void> gate) {
    await(
        TaskGroup.run(
            tg -> {
              tg.createTask(gated(gate, "child"));
              return done();
            }));
    log("group exited normally", currentTask().cancelling());
    return done("ok");
  }

  @Scenario("parent_cancelled_and_uncancelled_while_exit_waits")
  @Async
  static Coroutine<Void> parentCancelledUncancelledWhileExitWaits() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<String> r = createTask(quietExitRunner(gate));
    await(sleep(0));
    gate.setResult(null);
    await(sleep(0));
    r.cancel();
    r.uncancel();
    await(gatherReturnExceptions(r));
    log(state(r));
    return done();
  }

  @Async
  static Coroutine<Void> exitWokenThen(java.util.function.Consumer<Task<String>> action) {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<String> r = createTask(exitRunner(gate));
    await(sleep(0));
    gate.setResult(null);
    await(sleep(0)); // the child finishes
    await(sleep(0)); // the group sees it: its exit is woken
    action.accept(r);
    await(gatherReturnExceptions(r));
    log(state(r), r.cancelling());
    return done();
  }

  @Scenario("parent_cancelled_after_exit_was_woken")
  @Async
  static Coroutine<Void> parentCancelledAfterExitWoken() {
    await(exitWokenThen(r -> r.cancel("late")));
    return done();
  }

  @Scenario("parent_cancelled_and_uncancelled_after_exit_was_woken")
  @Async
  static Coroutine<Void> parentCancelledUncancelledAfterExitWoken() {
    await(
        exitWokenThen(
            r -> {
              r.cancel("late");
              r.uncancel();
            }));
    return done();
  }
}
