package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.asCompleted;
import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** Twins of src/test/python/as_completed.py. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class AsCompletedScenarios {
  private AsCompletedScenarios() {}

  /** The scenarios' own exception. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Async
  static <T> Coroutine<T> sleeper(long millis, T value) {
    await(sleep(millis));
    return done(value);
  }

  @Async
  static Coroutine<String> failer(long millis) {
    await(sleep(millis));
    throw new Boom();
  }

  @Async
  static <T> Coroutine<T> gated(Future<?> gate, T value) {
    await(gate);
    return done(value);
  }

  @Scenario("results_in_finishing_order")
  @Async
  static Coroutine<Void> finishingOrder() {
    List<Task<String>> ts =
        List.of(
            createTask(sleeper(6, "a")), createTask(sleeper(2, "b")), createTask(sleeper(4, "c")));
    for (Coroutine<String> next : asCompleted(ts)) {
      log(await(next));
    }
    return done();
  }

  @Scenario("failure_raised_at_its_turn")
  @Async
  static Coroutine<Void> failureAtItsTurn() {
    List<Task<String>> ts =
        List.of(createTask(sleeper(1, "a")), createTask(failer(3)), createTask(sleeper(5, "c")));
    for (Coroutine<String> next : asCompleted(ts)) {
      try {
        log(await(next));
      } catch (Boom e) {
        log("raised", e);
      }
    }
    return done();
  }

  @Scenario("timeout_raises_for_the_rest_and_cancels_nothing")
  @Async
  static Coroutine<Void> timeoutForTheRest() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<String> fast = createTask(sleeper(0, "fast"));
    Task<String> slow = createTask(gated(gate, "slow"));
    Task<String> slow2 = createTask(gated(gate, "slow2"));
    int count = 0;
    try {
      for (Coroutine<String> next :
          asCompleted(List.of(fast, slow, slow2), Duration.ofMillis(100))) {
        count++;
        try {
          log(await(next));
        } catch (Exception e) { // TimeoutException is declared by asCompleted, not by await
          log("raised", e);
        }
      }
    } catch (TimeoutException e) {
      throw new AssertionError(e);
    }
    log(count, state(slow), state(slow2));
    gate.setResult(null);
    log(await(slow), await(slow2));
    return done();
  }

  @Scenario("duplicates_collapse")
  @Async
  static Coroutine<Void> duplicatesCollapse() {
    Task<String> t = createTask(sleeper(1, "t"));
    List<Coroutine<String>> its = asCompleted(List.of(t, t, t));
    log(its.size());
    for (Coroutine<String> c : its) {
      log(await(c));
    }
    return done();
  }

  @Scenario("empty_yields_nothing")
  @Async
  static Coroutine<Void> empty() {
    log(asCompleted(new ArrayList<Task<String>>()).size());
    return done();
  }

  @Scenario("done_future_comes_first")
  @Async
  static Coroutine<Void> doneFirst() {
    Future<String> doneF = getRunningLoop().createFuture();
    doneF.setResult("already");
    Task<String> t = createTask(sleeper(1, "later"));
    for (Coroutine<String> c : asCompleted(List.of(t, doneF))) {
      log(await(c));
    }
    return done();
  }

  @Scenario("cancelled_asker_loses_no_result")
  @Async
  static Coroutine<Void> cancelledAsker() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<String> t1 = createTask(gated(gate, "one"));
    Task<String> t2 = createTask(sleeper(2, "two"));
    List<Coroutine<String>> its = asCompleted(List.of(t1, t2));
    Task<String> asker = createTask(its.get(0));
    await(sleep(0));
    asker.cancel();
    try {
      await(asker);
    } catch (CancellationException e) {
      log("asker cancelled");
    }
    log(await(its.get(1)));
    gate.setResult(null);
    return done();
  }

  @Scenario("awaiting_out_of_order_gets_finishing_order")
  @Async
  static Coroutine<Void> outOfOrder() {
    List<Task<String>> ts = List.of(createTask(sleeper(4, "slow")), createTask(sleeper(1, "fast")));
    List<Coroutine<String>> its = asCompleted(ts);
    log("second asked first:", await(its.get(1)));
    log("then the first:", await(its.get(0)));
    return done();
  }

  @Scenario("cancelled_input_raises_cancelled")
  @Async
  static Coroutine<Void> cancelledInput() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<String> t = createTask(gated(gate, "never"));
    Task<String> u = createTask(sleeper(3, "u"));
    getRunningLoop().callSoon(() -> t.cancel());
    for (Coroutine<String> c : asCompleted(List.of(t, u))) {
      try {
        log(await(c));
      } catch (CancellationException e) {
        log("raised CancelledError");
      }
    }
    return done();
  }

  @Scenario("results_then_timeout")
  @Async
  static Coroutine<Void> resultsThenTimeout() {
    Future<Void> gate = getRunningLoop().createFuture();
    List<Task<String>> ts =
        List.of(
            createTask(sleeper(1, "a")), createTask(sleeper(2, "b")), createTask(gated(gate, "c")));
    List<String> got = new ArrayList<>();
    try {
      for (Coroutine<String> c : asCompleted(ts, Duration.ofMillis(100))) {
        got.add(await(c));
      }
    } catch (TimeoutException e) {
      log("timed out after", got);
    }
    gate.setResult(null);
    await(ts.get(2));
    return done();
  }
}
