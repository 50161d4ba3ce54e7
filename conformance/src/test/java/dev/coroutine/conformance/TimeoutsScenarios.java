package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.currentTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.timeout;
import static dev.coroutine.Coroutines.timeoutAt;
import static dev.coroutine.conformance.Trace.chain;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Task;
import dev.coroutine.Timeout;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * Twins of src/test/python/timeouts.py: each {@code async with asyncio.timeout(...) as cm:} block
 * is a {@code timeout(delay, cm -> body(cm))} whose body is an @Async method.
 */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class TimeoutsScenarios {
  private TimeoutsScenarios() {}

  /** The scenarios' own exception. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** Keeps the scope's Timeout in {@code box} (Python's {@code as cm}) and returns the body. */
  private static <T> Coroutine<T> keep(Timeout[] box, Timeout c, Coroutine<T> body) {
    box[0] = c;
    return body;
  }

  @Async
  static Coroutine<String> sleeps(Timeout cm, long millis, String name) {
    try {
      await(sleep(millis));
      log(name, "slept");
      return done(name);
    } catch (CancellationException e) {
      log(name, "cancelled, expired", cm.expired());
      throw e;
    }
  }

  @Scenario("no_expiry_returns_normally")
  @Async
  static Coroutine<Void> noExpiry() throws TimeoutException {
    Timeout[] cm = new Timeout[1];
    String r = await(timeout(ms(5000), c -> sleeps(cm[0] = c, 1, "body")));
    log(r, cm[0].expired());
    return done();
  }

  @Scenario("expiry_raises_timeout_error_from_cancelled")
  @Async
  static Coroutine<Void> expiry() {
    Timeout[] cm = new Timeout[1];
    try {
      await(timeout(ms(2), c -> sleeps(cm[0] = c, 10_000, "body")));
    } catch (TimeoutException e) {
      log("raised", chain(e), cm[0].expired());
    }
    return done();
  }

  @Async
  private static Coroutine<String> logWhenThenSleep(Timeout cm, long millis) {
    log("when is none", Double.isNaN(cm.when()));
    return sleeps(cm, millis, "body");
  }

  @Scenario("none_never_expires")
  @Async
  static Coroutine<Void> noneNeverExpires() throws TimeoutException {
    Timeout[] cm = new Timeout[1];
    await(timeout(null, c -> logWhenThenSleep(cm[0] = c, 2)));
    log(cm[0].expired());
    return done();
  }

  @Async
  private static Coroutine<String> disarmThenSleep(Timeout cm) {
    cm.reschedule(null);
    return sleeps(cm, 10, "body");
  }

  @Scenario("reschedule_to_none_disarms")
  @Async
  static Coroutine<Void> rescheduleNone() throws TimeoutException {
    Timeout[] cm = new Timeout[1];
    await(timeout(ms(2), c -> disarmThenSleep(cm[0] = c)));
    log("no timeout", cm[0].expired(), Double.isNaN(cm[0].when()));
    return done();
  }

  @Async
  private static Coroutine<String> extendThenSleep(Timeout cm) {
    cm.rescheduleAt(getRunningLoop().time() + 5);
    return sleeps(cm, 5, "body");
  }

  @Scenario("reschedule_later_extends")
  @Async
  static Coroutine<Void> rescheduleLater() throws TimeoutException {
    Timeout[] cm = new Timeout[1];
    await(timeout(ms(1), c -> extendThenSleep(cm[0] = c)));
    log("no timeout", cm[0].expired());
    return done();
  }

  @Async
  private static Coroutine<String> pastThenSleep(Timeout cm) {
    log("before reschedule");
    cm.rescheduleAt(getRunningLoop().time() - 1);
    log("still running");
    return sleeps(cm, 10_000, "body");
  }

  @Scenario("reschedule_to_the_past_expires_at_next_await")
  @Async
  static Coroutine<Void> reschedulePast() {
    Timeout[] cm = new Timeout[1];
    try {
      await(timeout(ms(5000), c -> pastThenSleep(cm[0] = c)));
    } catch (TimeoutException e) {
      log("timed out", cm[0].expired());
    }
    return done();
  }

  @Scenario("reschedule_after_exit_raises_runtime_error")
  @Async
  static Coroutine<Void> rescheduleAfterExit() throws TimeoutException {
    Timeout[] cm = new Timeout[1];
    await(timeout(ms(5000), c -> keep(cm, c, done())));
    try {
      cm[0].reschedule(null);
    } catch (IllegalStateException e) {
      log("raised", e);
    }
    return done();
  }

  @Async
  private static Coroutine<Void> rescheduleWhileExpiring(Timeout cm) {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      try {
        cm.reschedule(null);
      } catch (IllegalStateException x) {
        log("reschedule raised", x);
      }
      throw e;
    }
    return done();
  }

  @Scenario("reschedule_while_expiring_raises_runtime_error")
  @Async
  static Coroutine<Void> rescheduleExpiring() {
    try {
      await(timeout(ms(1), c -> rescheduleWhileExpiring(c)));
    } catch (TimeoutException e) {
      log("timed out");
    }
    return done();
  }

  @Async
  private static Coroutine<String> startsThenSleeps(Timeout cm) {
    log("body starts");
    return sleeps(cm, 10_000, "body");
  }

  @Scenario("zero_delay_body_runs_to_first_await")
  @Async
  static Coroutine<Void> zeroDelay() {
    try {
      await(timeout(Duration.ZERO, c -> startsThenSleeps(c)));
    } catch (TimeoutException e) {
      log("timed out");
    }
    return done();
  }

  @Async
  private static Coroutine<String> startsExpiredThenSleeps(Timeout cm) {
    log("body starts", cm.expired());
    return sleeps(cm, 10_000, "body");
  }

  @Scenario("timeout_at_in_the_past")
  @Async
  static Coroutine<Void> timeoutAtPast() {
    EventLoop loop = getRunningLoop();
    Timeout[] cm = new Timeout[1];
    try {
      await(timeoutAt(loop.time() - 5, c -> startsExpiredThenSleeps(cm[0] = c)));
    } catch (TimeoutException e) {
      log("timed out", cm[0].expired());
    }
    return done();
  }

  @Async
  private static Coroutine<Void> swallowing() {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("swallowed");
    }
    return done();
  }

  @Scenario("body_swallowing_cancel_ends_normally")
  @Async
  static Coroutine<Void> bodySwallows() throws TimeoutException {
    Timeout[] cm = new Timeout[1];
    await(timeout(ms(1), c -> keep(cm, c, swallowing())));
    log("no TimeoutError", cm[0].expired(), currentTask().cancelling());
    return done();
  }

  @Async
  private static Coroutine<Void> convertsToBoom() {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      throw new Boom();
    }
    return done();
  }

  @Scenario("body_raising_other_error_after_expiry")
  @Async
  static Coroutine<Void> otherErrorAfterExpiry() {
    try {
      await(timeout(ms(1), c -> convertsToBoom()));
    } catch (Exception e) {
      log("raised", e);
    }
    return done();
  }

  @Async
  private static Coroutine<Void> yieldsThenFails() {
    await(sleep(0));
    throw new Boom();
  }

  @Scenario("body_error_before_expiry_passes_through")
  @Async
  static Coroutine<Void> errorBeforeExpiry() throws TimeoutException {
    Timeout[] cm = new Timeout[1];
    try {
      await(timeout(ms(5000), c -> keep(cm, c, yieldsThenFails())));
    } catch (Boom e) {
      log("raised", e, cm[0].expired());
    }
    return done();
  }

  @Async
  private static Coroutine<Void> outerBodyInnerFirst(Timeout outer) {
    Timeout[] inner = new Timeout[1];
    try {
      await(timeout(ms(1), c -> sleeps(inner[0] = c, 10_000, "inner body")));
    } catch (TimeoutException e) {
      log("inner timed out", inner[0].expired(), outer.expired());
    }
    await(sleep(0));
    log("outer body goes on");
    return done();
  }

  @Scenario("nested_inner_expires_first")
  @Async
  static Coroutine<Void> nestedInnerFirst() throws TimeoutException {
    Timeout[] outer = new Timeout[1];
    await(timeout(ms(5000), c -> outerBodyInnerFirst(outer[0] = c)));
    log("outer exited", outer[0].expired());
    return done();
  }

  @Async
  private static Coroutine<Void> outerBodyOuterFirst() {
    Timeout[] inner = new Timeout[1];
    try {
      await(timeout(ms(5000), c -> sleeps(inner[0] = c, 10_000, "inner body")));
    } catch (TimeoutException e) {
      log("inner wrongly timed out");
    } catch (CancellationException e) {
      log("inner scope lets the cancellation through", inner[0].expired());
      throw e;
    }
    return done();
  }

  @Scenario("nested_outer_expires_first")
  @Async
  static Coroutine<Void> nestedOuterFirst() {
    Timeout[] outer = new Timeout[1];
    try {
      await(timeout(ms(2), c -> keep(outer, c, outerBodyOuterFirst())));
    } catch (TimeoutException e) {
      log("outer timed out", outer[0].expired(), chain(e));
    }
    return done();
  }

  @Async
  private static Coroutine<Void> sameDeadlineOuterBody(double when) {
    Timeout[] inner = new Timeout[1];
    try {
      await(timeoutAt(when, c -> sleeps(inner[0] = c, 10_000, "inner body")));
    } catch (TimeoutException e) {
      log("inner raised TimeoutError");
    } catch (CancellationException e) {
      log("inner let CancelledError through", inner[0].expired());
      throw e;
    }
    return done();
  }

  @Scenario("nested_same_deadline_outer_reports")
  @Async
  static Coroutine<Void> nestedSameDeadline() {
    EventLoop loop = getRunningLoop();
    double when = loop.time() + 0.002;
    Timeout[] outer = new Timeout[1];
    try {
      await(timeoutAt(when, c -> keep(outer, c, sameDeadlineOuterBody(when))));
    } catch (TimeoutException e) {
      log("outer raised TimeoutError", outer[0].expired());
    }
    return done();
  }

  @Async
  private static Coroutine<Void> guarded() {
    Timeout[] cm = new Timeout[1];
    try {
      await(timeout(ms(5000), c -> sleeps(cm[0] = c, 10_000, "body")));
    } catch (TimeoutException e) {
      log("wrongly a timeout");
    } catch (CancellationException e) {
      log("cancelled, expired", cm[0].expired());
      throw e;
    }
    return done();
  }

  @Scenario("cancel_from_outside_is_not_a_timeout")
  @Async
  static Coroutine<Void> cancelFromOutside() {
    Task<Void> t = createTask(guarded());
    await(sleep(1));
    t.cancel();
    try {
      await(t);
    } catch (CancellationException e) {
      // expected
    }
    log(state(t));
    return done();
  }

  @Async
  private static Coroutine<Void> guardedTogether(Timeout[] box) {
    try {
      await(timeout(ms(2), c -> sleeps(box[0] = c, 10_000, "body")));
    } catch (TimeoutException e) {
      log("timeout");
    } catch (CancellationException e) {
      log("cancelled wins, cancelling", currentTask().cancelling());
      throw e;
    }
    return done();
  }

  @Scenario("cancel_from_outside_and_expiry_together")
  @Async
  static Coroutine<Void> cancelAndExpiryTogether() {
    EventLoop loop = getRunningLoop();
    Timeout[] box = new Timeout[1];
    Task<Void> t = createTask(guardedTogether(box));
    await(sleep(0));
    double when = box[0].when();
    loop.callAt(when, () -> t.cancel());
    try {
      await(t);
    } catch (CancellationException e) {
      log("task cancelled", state(t));
    }
    return done();
  }

  @Async
  private static Coroutine<Void> logCancellingInside(Task<?> me) {
    try {
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("inside, cancelling", me.cancelling());
      throw e;
    }
    return done();
  }

  @Scenario("cancelling_count_inside_and_after")
  @Async
  static Coroutine<Void> cancellingCount() {
    Task<?> me = currentTask();
    try {
      await(timeout(ms(1), c -> logCancellingInside(me)));
    } catch (TimeoutException e) {
      log("after, cancelling", me.cancelling());
    }
    return done();
  }

  @Scenario("task_already_cancelling_still_times_out")
  @Async
  static Coroutine<Void> alreadyCancelling() {
    Task<?> me = currentTask();
    me.cancel();
    try {
      await(sleep(0));
    } catch (CancellationException e) {
      log("caught a cancel without uncancel; cancelling", me.cancelling());
    }
    try {
      await(timeout(ms(1), sleep(10_000)));
    } catch (TimeoutException e) {
      log("timed out anyway");
    } catch (CancellationException e) {
      log("cancelled instead");
    }
    log("cancelling", me.cancelling());
    return done();
  }

  @Async
  private static Coroutine<Void> expiredChecks(Timeout cm) {
    log("at start", cm.expired());
    await(sleep(0));
    log("after a yield", cm.expired());
    return done();
  }

  @Scenario("expired_is_false_until_the_deadline")
  @Async
  static Coroutine<Void> expiredFalse() throws TimeoutException {
    Timeout[] cm = new Timeout[1];
    await(timeout(ms(5000), c -> expiredChecks(cm[0] = c)));
    log("exit", cm[0].expired());
    return done();
  }

  @Scenario("sequential_scopes_are_independent")
  @Async
  static Coroutine<Void> sequentialScopes() {
    for (int i = 0; i < 3; i++) {
      String name = "scope " + i;
      long sleepMs = i == 1 ? 3 : 0;
      try {
        await(timeout(ms(i == 1 ? 1 : 5000), c -> sleeps(c, sleepMs, name)));
      } catch (TimeoutException e) {
        log("scope", i, "timed out");
      }
    }
    log("cancelling", currentTask().cancelling());
    return done();
  }

  @Async
  private static Coroutine<String> childWithTimeout() {
    try {
      await(timeout(ms(1), sleep(10_000)));
    } catch (TimeoutException e) {
      log("child timed out");
    }
    return done("child done");
  }

  @Scenario("timeout_in_child_task_does_not_touch_parent")
  @Async
  static Coroutine<Void> childTimeout() {
    log(await(createTask(childWithTimeout())));
    log("parent cancelling", currentTask().cancelling());
    return done();
  }

  @Async
  private static Coroutine<Void> rescheduleChecks(Timeout cm) {
    EventLoop loop = getRunningLoop();
    double when = loop.time() + 7;
    cm.rescheduleAt(when);
    log("when is the new deadline", cm.when() == when);
    cm.reschedule(null);
    log("when is none", Double.isNaN(cm.when()));
    return done();
  }

  @Scenario("when_reports_the_rescheduled_deadline")
  @Async
  static Coroutine<Void> whenAfterReschedule() throws TimeoutException {
    await(timeout(ms(5000), c -> rescheduleChecks(c)));
    return done();
  }

  @Async
  private static Coroutine<Void> cleanupWithTimeout() {
    try {
      await(timeout(ms(2), sleep(10_000)));
    } catch (TimeoutException e) {
      log("inner timed out", chain(e));
    }
    return done();
  }

  @Async
  private static Coroutine<Void> sleepThenCleanup() {
    try {
      await(sleep(10_000));
    } finally {
      await(cleanupWithTimeout());
    }
    return done();
  }

  @Scenario("nested_timeout_in_finally")
  @Async
  static Coroutine<Void> nestedTimeoutInFinally() {
    try {
      await(timeout(ms(2), sleepThenCleanup()));
    } catch (TimeoutException e) {
      log("outer timed out", chain(e), currentTask().cancelling());
    }
    return done();
  }

  @Scenario("timeout_after_caught_self_cancel")
  @Async
  static Coroutine<Void> timeoutAfterSelfCancel() {
    Task<?> me = currentTask();
    try {
      me.cancel();
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("caught, cancelling", me.cancelling());
    }
    try {
      await(timeout(Duration.ZERO, sleep(10_000)));
    } catch (TimeoutException e) {
      log("timed out, cancelling", me.cancelling());
    }
    return done();
  }

  @Async
  private static Coroutine<Void> cancelSelfThenSleep(Task<?> me) {
    me.cancel();
    await(sleep(10_000));
    return done();
  }

  @Scenario("cancel_inside_timeout_after_caught_self_cancel")
  @Async
  static Coroutine<Void> cancelInsideTimeoutAfterSelfCancel() {
    Task<?> me = currentTask();
    try {
      me.cancel();
      await(sleep(10_000));
    } catch (CancellationException e) {
      log("caught");
    }
    try {
      await(timeout(ms(5000), cancelSelfThenSleep(me)));
    } catch (TimeoutException e) {
      log("wrongly a timeout");
    } catch (CancellationException e) {
      log("cancelled, cancelling", me.cancelling());
    }
    return done();
  }

  @Scenario("reschedule_after_expiry_raises_runtime_error")
  @Async
  static Coroutine<Void> rescheduleAfterExpiry() {
    Timeout[] cm = new Timeout[1];
    try {
      await(timeout(ms(1), c -> keep(cm, c, sleep(10_000))));
    } catch (TimeoutException e) {
      log("timed out");
    }
    try {
      cm[0].reschedule(null);
    } catch (IllegalStateException e) {
      log("raised", e);
    }
    return done();
  }
}
