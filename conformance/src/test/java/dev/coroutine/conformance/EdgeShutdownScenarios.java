package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.currentTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.sync.Lock;
import java.util.concurrent.CancellationException;

/** Twins of src/test/python/edge_shutdown.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeShutdownScenarios {
  private EdgeShutdownScenarios() {}

  static final class Boom extends RuntimeException {
    Boom() {
      super("boom");
    }
  }

  @Async
  static Coroutine<Void> leftover(String name) {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log(name, "cancelled", msg(e), currentTask().cancelling());
      throw e;
    } finally {
      log(name, "finally starts");
      await(sleep(0));
      log(name, "finally ends");
    }
    return done();
  }

  @Scenario("leftover_task_cleanup_runs_to_its_end")
  @Async
  static Coroutine<String> leftoverCleanup() {
    createTask(leftover("t"));
    await(sleep(0));
    log("main ends");
    return done("main result");
  }

  @Async
  static Coroutine<Integer> stubborn() {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("stubborn swallows");
    }
    await(sleep(2));
    log("stubborn finished its work");
    return done(1);
  }

  @Scenario("leftover_task_swallowing_cancel_finishes_its_work")
  @Async
  static Coroutine<Void> leftoverSwallowing() {
    createTask(stubborn());
    await(sleep(0));
    log("main ends");
    return done();
  }

  @Async
  static Coroutine<Void> bad() {
    try {
      await(sleep(10_000));
    } finally {
      log("bad cleanup raises");
      throw new Boom();
    }
  }

  @Scenario("leftover_task_failing_in_cleanup_is_reported")
  @Async
  static Coroutine<Void> leftoverFailing() {
    getRunningLoop().setExceptionHandler((l, ctx) -> log("handler", ctx.exception()));
    createTask(bad());
    await(sleep(0));
    log("main ends");
    return done();
  }

  @Scenario("leftover_cleanup_before_main_error_is_raised")
  @Async
  static Coroutine<Void> leftoverBeforeMainError() {
    createTask(leftover("t"));
    await(sleep(0));
    log("main raises");
    throw new Boom();
  }

  @Async
  static Coroutine<Void> lockWaiter(Lock lock) {
    try {
      await(lock.acquire());
      log("never");
    } catch (CancellationException e) {
      log("waiter cancelled, lock", lock.isLocked());
      throw e;
    }
    return done();
  }

  @Scenario("leftover_waiter_on_lock_held_by_main")
  @Async
  static Coroutine<Void> leftoverLockWaiter() {
    Lock lock = new Lock();
    await(lock.acquire());
    createTask(lockWaiter(lock));
    await(sleep(0));
    log("main ends holding the lock");
    return done();
  }

  @Async
  static Coroutine<Void> twice() {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("first cancel swallowed", currentTask().cancelling());
    }
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("shutdown cancel", msg(e), currentTask().cancelling());
      throw e;
    }
    return done();
  }

  @Scenario("leftover_task_already_cancelled_once")
  @Async
  static Coroutine<Void> leftoverCancelledOnce() {
    Task<Void> t = createTask(twice());
    await(sleep(0));
    t.cancel("by main");
    await(sleep(0));
    log("main ends");
    return done();
  }
}
