package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.shield;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.util.concurrent.CancellationException;

/** Twins of src/test/python/shield.py. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class ShieldScenarios {
  private ShieldScenarios() {}

  /** The scenarios' own exception. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Async
  static Coroutine<String> work(String name, long millis, boolean fail) {
    try {
      await(sleep(millis));
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    }
    if (fail) {
      log(name, "fails");
      throw new Boom();
    }
    log(name, "finished");
    return done(name);
  }

  @Async
  static Coroutine<String> gated(String name, Future<?> gate) {
    await(gate);
    log(name, "finished");
    return done(name);
  }

  @Scenario("shield_passes_the_result")
  @Async
  static Coroutine<Void> passesResult() {
    log(await(shield(work("w", 1, false))));
    return done();
  }

  @Scenario("shield_passes_the_exception")
  @Async
  static Coroutine<Void> passesException() {
    try {
      await(shield(work("w", 1, true)));
    } catch (Boom e) {
      log("raised", e);
    }
    return done();
  }

  @Async
  private static Coroutine<Void> shieldedWaiter(Task<String> inner) {
    try {
      await(shield(inner));
    } catch (CancellationException e) {
      log("waiter cancelled, inner", state(inner));
      throw e;
    }
    return done();
  }

  @Scenario("cancelling_the_awaiter_spares_the_inner_task")
  @Async
  static Coroutine<Void> awaiterCancelled() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<String> inner = createTask(gated("inner", gate));
    Task<Void> w = createTask(shieldedWaiter(inner));
    await(sleep(0));
    w.cancel();
    try {
      await(w);
    } catch (CancellationException e) {
      log("waiter raised");
    }
    gate.setResult(null);
    log("inner result", await(inner), state(w));
    return done();
  }

  @Scenario("cancelling_the_shield_future_itself")
  @Async
  static Coroutine<Void> shieldCancelled() {
    Task<String> inner = createTask(work("inner", 5, false));
    Future<String> s = shield(inner);
    log("cancel", s.cancel("m"));
    try {
      await(s);
    } catch (CancellationException e) {
      log("shield raised", msg(e));
    }
    log("shield", state(s), "inner", state(inner));
    await(inner);
    log("inner", state(inner), "shield", state(s));
    return done();
  }

  @Scenario("cancelled_inner_cancels_the_shield")
  @Async
  static Coroutine<Void> innerCancelled() {
    Task<String> inner = createTask(work("inner", 10_000, false));
    Future<String> s = shield(inner);
    await(sleep(0));
    inner.cancel("inner msg");
    try {
      await(s);
    } catch (CancellationException e) {
      log("shield raised", msg(e));
    }
    log("shield", state(s), "inner", state(inner));
    return done();
  }

  @Scenario("shield_of_done_future_is_that_future")
  @Async
  static Coroutine<Void> shieldOfDone() {
    Future<Integer> f = getRunningLoop().createFuture();
    f.setResult(1);
    log(shield(f) == f);
    Task<String> t = createTask(work("t", 0, false));
    await(t);
    log(shield(t) == t);
    return done();
  }

  @Scenario("shield_of_pending_future_is_a_new_future")
  @Async
  static Coroutine<Void> shieldOfPending() {
    Future<String> f = getRunningLoop().createFuture();
    Future<String> s = shield(f);
    log(s == f, state(s));
    f.setResult("v");
    log(state(s));
    await(sleep(0));
    log(state(s), await(s));
    return done();
  }

  @Scenario("inner_failure_after_shield_cancelled_is_retrieved")
  @Async
  static Coroutine<Void> innerFailureRetrieved() {
    EventLoop loop = getRunningLoop();
    loop.setExceptionHandler((l, ctx) -> log("handler", ctx.exception()));
    Future<String> inner = loop.createFuture();
    Future<String> s = shield(inner);
    s.cancel();
    inner.setException(new Boom());
    await(sleep(0));
    await(sleep(0));
    log("shield", state(s), "inner", state(inner));
    return done();
  }

  @Scenario("shield_twice_and_cancel_the_outer_one")
  @Async
  static Coroutine<Void> shieldTwice() {
    Task<String> inner = createTask(work("inner", 5, false));
    Future<String> s1 = shield(inner);
    Future<String> s2 = shield(s1);
    s2.cancel();
    await(inner);
    log("s2", state(s2), "s1", state(s1), "inner", state(inner));
    return done();
  }

  @Async
  private static Coroutine<String> patientWaiter(Task<String> inner, Future<Void> gate) {
    try {
      return done(await(shield(inner)));
    } catch (CancellationException e) {
      log("waiter cancelled; waits for inner anyway");
      gate.setResult(null);
      return done(await(inner));
    }
  }

  @Scenario("waiter_catches_cancel_and_awaits_inner")
  @Async
  static Coroutine<Void> waiterAwaitsInner() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<String> inner = createTask(gated("inner", gate));
    Task<String> w = createTask(patientWaiter(inner, gate));
    await(sleep(0));
    w.cancel();
    log("waiter result", await(w), state(w), w.cancelling());
    return done();
  }

  @Async
  private static Coroutine<Void> messageWaiter(Task<String> inner) {
    try {
      await(shield(inner));
    } catch (CancellationException e) {
      log("waiter got", msg(e));
      throw e;
    }
    return done();
  }

  @Scenario("cancel_message_reaches_the_awaiter_through_the_shield")
  @Async
  static Coroutine<Void> cancelMessageThroughShield() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<String> inner = createTask(gated("inner", gate));
    Task<Void> w = createTask(messageWaiter(inner));
    await(sleep(0));
    w.cancel("reason");
    try {
      await(w);
    } catch (CancellationException e) {
      log("outside", msg(e));
    }
    gate.setResult(null);
    await(inner);
    return done();
  }
}
