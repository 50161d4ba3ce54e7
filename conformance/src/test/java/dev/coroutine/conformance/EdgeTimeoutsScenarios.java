package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.currentTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.timeout;
import static dev.coroutine.Coroutines.waitFor;
import static dev.coroutine.conformance.Trace.chain;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.TaskGroup;
import dev.coroutine.TaskGroupException;
import dev.coroutine.Timeout;
import dev.coroutine.sync.Lock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** Twins of src/test/python/edge_timeouts.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeTimeoutsScenarios {
  private EdgeTimeoutsScenarios() {}

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Async
  static Coroutine<Void> busyInner(Timeout[] inner) throws TimeoutException {
    try {
      await(
          timeout(
              ms(5),
              c -> {
                inner[0] = c;
                return busyThenSleep();
              }));
    } catch (TimeoutException e) {
      log("inner raised TimeoutError");
    } catch (CancellationException e) {
      log("inner let CancelledError through", inner[0].expired());
      throw e;
    }
    return done();
  }

  @Async
  static Coroutine<Void> busyThenSleep() {
    try {
      Thread.sleep(40);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    await(sleep(1000));
    return done();
  }

  @Scenario("both_deadlines_pass_while_loop_busy_outer_reports")
  @Async
  static Coroutine<Void> bothDeadlinesPass() {
    Timeout[] outer = new Timeout[1];
    Timeout[] inner = new Timeout[1];
    try {
      await(
          timeout(
              ms(20),
              c -> {
                outer[0] = c;
                return busyInner(inner);
              }));
    } catch (TimeoutException e) {
      log("outer raised", chain(e), outer[0].expired(), inner[0].expired());
    }
    log("cancelling", currentTask().cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> innerThenSleep(Timeout outer) {
    Timeout[] inner = new Timeout[1];
    try {
      await(
          timeout(
              ms(2),
              c -> {
                inner[0] = c;
                return sleep(1000);
              }));
    } catch (TimeoutException e) {
      log("inner timed out", inner[0].expired(), outer.expired());
    }
    await(sleep(1000));
    return done();
  }

  @Scenario("inner_expires_caught_then_outer_expires_later")
  @Async
  static Coroutine<Void> innerExpiresThenOuter() {
    Timeout[] outer = new Timeout[1];
    try {
      await(
          timeout(
              ms(20),
              c -> {
                outer[0] = c;
                return innerThenSleep(c);
              }));
    } catch (TimeoutException e) {
      log("outer timed out", outer[0].expired());
    }
    log("cancelling", currentTask().cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> waitForInScope(Timeout cm) {
    try {
      await(waitFor(sleep(1000), ms(2)));
    } catch (TimeoutException e) {
      log("wait_for timed out", cm.expired(), currentTask().cancelling());
    }
    await(sleep(0));
    log("scope goes on");
    return done();
  }

  @Scenario("wait_for_inside_timeout_inner_deadline_first")
  @Async
  static Coroutine<Void> waitForInsideTimeout() throws TimeoutException {
    Timeout[] cm = new Timeout[1];
    await(
        timeout(
            Duration.ofSeconds(1),
            c -> {
              cm[0] = c;
              return waitForInScope(c);
            }));
    log("scope ended", cm[0].expired());
    return done();
  }

  @Async
  static Coroutine<Void> loggedInner() {
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("inner cancelled");
      throw e;
    }
    return done();
  }

  @Async
  static Coroutine<Void> waitForLogged() {
    try {
      await(waitFor(loggedInner(), Duration.ofSeconds(1)));
    } catch (TimeoutException e) {
      log("wait_for raised TimeoutError");
    } catch (CancellationException e) {
      log("wait_for raised CancelledError");
      throw e;
    }
    return done();
  }

  @Scenario("timeout_around_wait_for_outer_deadline_first")
  @Async
  static Coroutine<Void> timeoutAroundWaitFor() {
    Timeout[] cm = new Timeout[1];
    try {
      await(
          timeout(
              ms(2),
              c -> {
                cm[0] = c;
                return waitForLogged();
              }));
    } catch (TimeoutException e) {
      log("scope raised", chain(e), cm[0].expired());
    }
    log("cancelling", currentTask().cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> sleepLoggingCancelling(Task<?> me) {
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("in the scope", me.cancelling());
      throw e;
    }
    return done();
  }

  @Scenario("cancelling_inside_expired_scope")
  @Async
  static Coroutine<Void> cancellingInsideExpired() {
    Task<?> me = currentTask();
    try {
      await(timeout(ms(2), c -> sleepLoggingCancelling(me)));
    } catch (TimeoutException e) {
      log("after the scope", me.cancelling());
    }
    return done();
  }

  @Async
  static Coroutine<Void> resched(Timeout[] holder) {
    await(sleep(0));
    holder[0].rescheduleAt(getRunningLoop().time());
    log("rescheduled to now");
    return done();
  }

  @Scenario("reschedule_from_another_task_expires_scope")
  @Async
  static Coroutine<Void> rescheduleFromAnother() {
    Timeout[] holder = new Timeout[1];
    Task<Void> t = createTask(resched(holder));
    try {
      await(
          timeout(
              null,
              c -> {
                holder[0] = c;
                return sleep(1000);
              }));
    } catch (TimeoutException e) {
      log("timed out", holder[0].expired());
    }
    await(t);
    return done();
  }

  @Async
  static Coroutine<String> stubborn() {
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("first cancel ignored");
    }
    try {
      await(sleep(2));
    } catch (CancellationException e) {
      log("never");
      throw e;
    }
    log("stubborn returns");
    return done("late");
  }

  @Scenario("wait_for_expiry_while_inner_ignores_first_cancel")
  @Async
  static Coroutine<Void> waitForInnerIgnores() throws TimeoutException {
    String r = await(waitFor(stubborn(), ms(2)));
    log("wait_for returned", r, currentTask().cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> bodySeeing() {
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("body sees", msg(e));
      throw e;
    }
    return done();
  }

  @Async
  static Coroutine<Void> scopedBody() throws TimeoutException {
    await(timeout(Duration.ofSeconds(1), c -> bodySeeing()));
    log("never");
    return done();
  }

  @Scenario("outside_cancel_during_timeout_keeps_message")
  @Async
  static Coroutine<Void> outsideCancelKeepsMessage() throws TimeoutException {
    Task<Void> t = createTask(scopedBody());
    await(sleep(0));
    t.cancel("outside");
    try {
      await(t);
    } catch (CancellationException e) {
      log("awaiter sees", msg(e));
    }
    log(state(t), t.cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> lockWaiter(Lock lock, String name) {
    try {
      await(lock.acquire());
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    }
    log(name, "acquired");
    lock.release();
    return done();
  }

  @Async
  static Coroutine<Void> impatient(Lock lock) {
    try {
      await(timeout(ms(2), c -> lockWaiter(lock, "a")));
    } catch (TimeoutException e) {
      log("a timed out");
    }
    return done();
  }

  @Scenario("timeout_expires_while_waiting_for_lock")
  @Async
  static Coroutine<Void> timeoutWaitingForLock() {
    Lock lock = new Lock();
    await(lock.acquire());
    Task<Void> a = createTask(impatient(lock));
    await(sleep(0));
    Task<Void> b = createTask(lockWaiter(lock, "b"));
    await(a);
    lock.release();
    await(b);
    log(lock.isLocked());
    return done();
  }

  static Coroutine<Void> innerWaitFor() {
    try {
      return waitFor(loggedInner(), Duration.ofSeconds(1));
    } catch (TimeoutException e) { // declared for the await; never thrown by the call
      throw new AssertionError(e);
    }
  }

  @Scenario("nested_wait_for_outer_shorter")
  @Async
  static Coroutine<Void> nestedWaitForOuterShorter() {
    try {
      await(waitFor(innerWaitFor(), ms(2)));
    } catch (TimeoutException e) {
      log("outer wait_for", chain(e));
    }
    log("cancelling", currentTask().cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> crashingChild() {
    try {
      await(sleep(2000));
    } finally {
      log("child cleanup crashes");
      throw new ArithmeticException();
    }
  }

  @Async
  static Coroutine<Void> valueErrorThenSleep() {
    try {
      throw new IllegalArgumentException();
    } finally {
      await(sleep(1000));
    }
  }

  @Async
  static Coroutine<Void> probeLeftover() {
    log("cancelling", currentTask().cancelling());
    try {
      await(sleep(0));
      log("no cancellation left over");
    } catch (CancellationException e) {
      log("a cancellation was left over");
    }
    return done();
  }

  @Scenario("expiry_in_group_body_with_crashing_child")
  @Async
  static Coroutine<Void> expiryInGroupBodyWithCrashingChild() {
    Timeout[] cm = new Timeout[1];
    try {
      await(
          timeout(
              ms(2),
              c -> {
                cm[0] = c;
                return TaskGroup.run(
                    tg -> {
                      tg.createTask(crashingChild());
                      await(valueErrorThenSleep());
                      return done();
                    });
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions(), cm[0].expired());
    } catch (TimeoutException e) {
      log("caught TimeoutError");
    }
    await(probeLeftover());
    return done();
  }

  @Async
  static Coroutine<Void> failsAfterOneMilli() {
    await(sleep(1));
    throw new ArithmeticException();
  }

  @Scenario("group_child_fails_while_scope_expires_in_same_pass")
  @Async
  static Coroutine<Void> groupChildFailsWhileScopeExpires() {
    Timeout[] cm = new Timeout[1];
    try {
      await(
          timeout(
              ms(3),
              c -> {
                cm[0] = c;
                return TaskGroup.run(
                    tg -> {
                      tg.createTask(failsAfterOneMilli());
                      await(sleep(0)); // the child starts its sleep
                      Thread.sleep(10); // both the child's sleep and the deadline are due now
                      await(sleep(1000));
                      return done();
                    });
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions(), cm[0].expired());
    } catch (TimeoutException e) {
      log("caught TimeoutError", cm[0].expired());
    }
    await(probeLeftover());
    return done();
  }

  @Async
  static Coroutine<Void> negativeBody(Timeout cm) {
    log("body runs", cm.expired());
    await(sleep(0));
    log("never");
    return done();
  }

  @Scenario("negative_delay_expires_at_first_await")
  @Async
  static Coroutine<Void> negativeDelay() {
    Timeout[] cm = new Timeout[1];
    try {
      await(
          timeout(
              Duration.ofSeconds(-1),
              c -> {
                cm[0] = c;
                return negativeBody(c);
              }));
    } catch (TimeoutException e) {
      log("timed out", cm[0].expired());
    }
    return done();
  }

  @Async
  static Coroutine<Void> rescheduleIntoPast(Timeout cm) {
    cm.rescheduleAt(getRunningLoop().time() - 1);
    log("rescheduled into the past", cm.expired());
    await(sleep(1000));
    return done();
  }

  @Scenario("reschedule_to_negative_delay_expires")
  @Async
  static Coroutine<Void> rescheduleNegative() {
    Timeout[] cm = new Timeout[1];
    try {
      await(
          timeout(
              Duration.ofSeconds(10),
              c -> {
                cm[0] = c;
                return rescheduleIntoPast(c);
              }));
    } catch (TimeoutException e) {
      log("timed out", cm[0].expired());
    }
    return done();
  }

  @Scenario("wait_for_negative_timeout_on_done_future")
  @Async
  static Coroutine<Void> waitForNegativeOnDone() throws TimeoutException {
    dev.coroutine.Future<String> f = getRunningLoop().createFuture();
    f.setResult("done");
    log(await(waitFor(f, Duration.ofSeconds(-1))));
    return done();
  }
}
