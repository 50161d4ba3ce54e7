package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.names;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.ReturnWhen;
import dev.coroutine.Task;
import dev.coroutine.WaitResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Twins of src/test/python/wait.py. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class WaitScenarios {
  private WaitScenarios() {}

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
  static Coroutine<Object> failer(long millis) {
    await(sleep(millis));
    throw new Boom();
  }

  @Async
  static Coroutine<Object> gated(Future<?> gate) {
    await(gate);
    return done("gated");
  }

  private static <T> Task<T> task(Coroutine<T> c, String name) {
    return createTask(c, name);
  }

  private static List<String> states(List<? extends Future<?>> fs) {
    return fs.stream().map(Trace::state).collect(Collectors.toList());
  }

  @Scenario("all_completed_waits_for_all")
  @Async
  static Coroutine<Void> allCompleted() {
    List<Task<Object>> ts =
        List.of(
            task(sleeper(3, (Object) 1), "a"),
            task(failer(1), "b"),
            task(sleeper(0, (Object) 3), "c"));
    WaitResult<Object> r = await(Coroutines.wait(ts, ReturnWhen.ALL_COMPLETED));
    log(names(r.done()), names(r.pending()));
    log(states(ts));
    return done();
  }

  @Scenario("first_completed_returns_at_the_first")
  @Async
  static Coroutine<Void> firstCompleted() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Object> slow = task(gated(gate), "slow");
    Task<Object> fast = task(sleeper(1, (Object) "f"), "fast");
    WaitResult<Object> r = await(Coroutines.wait(List.of(slow, fast), ReturnWhen.FIRST_COMPLETED));
    log(names(r.done()), names(r.pending()), state(slow));
    gate.setResult(null);
    await(slow);
    return done();
  }

  @Scenario("first_exception_returns_at_the_failure")
  @Async
  static Coroutine<Void> firstException() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Object> ok = task(sleeper(1, (Object) "ok"), "ok");
    Task<Object> bad = task(failer(3), "bad");
    Task<Object> slow = task(gated(gate), "slow");
    WaitResult<Object> r =
        await(Coroutines.wait(List.of(ok, bad, slow), ReturnWhen.FIRST_EXCEPTION));
    log(names(r.done()), names(r.pending()), state(bad));
    gate.setResult(null);
    await(slow);
    return done();
  }

  @Scenario("first_exception_without_failure_waits_for_all")
  @Async
  static Coroutine<Void> firstExceptionNoFailure() {
    List<Task<Object>> ts = List.of(task(sleeper(1, null), "a"), task(sleeper(2, null), "b"));
    WaitResult<Object> r = await(Coroutines.wait(ts, ReturnWhen.FIRST_EXCEPTION));
    log(names(r.done()), names(r.pending()));
    return done();
  }

  @Async
  private static Coroutine<Void> opener(Future<Void> gate) {
    await(sleep(2));
    gate.setResult(null);
    return done();
  }

  @Scenario("first_exception_ignores_cancellation")
  @Async
  static Coroutine<Void> firstExceptionIgnoresCancel() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Object> a = task(gated(gate), "a");
    Task<Object> b = task(sleeper(10_000, null), "b");
    EventLoop loop = getRunningLoop();
    loop.callSoon(() -> b.cancel());
    Task<Void> o = task(opener(gate), "opener");
    WaitResult<Object> r = await(Coroutines.wait(List.of(a, b), ReturnWhen.FIRST_EXCEPTION));
    log(names(r.done()), names(r.pending()), state(a), state(b));
    await(o);
    return done();
  }

  @Scenario("timeout_returns_what_is_done_and_cancels_nothing")
  @Async
  static Coroutine<Void> timeoutPartial() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Object> fast = task(sleeper(1, (Object) 1), "fast");
    Task<Object> slow = task(gated(gate), "slow");
    WaitResult<Object> r =
        await(
            Coroutines.wait(List.of(fast, slow), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(100)));
    log(names(r.done()), names(r.pending()), state(slow));
    gate.setResult(null);
    await(slow);
    return done();
  }

  @Scenario("timeout_with_nothing_done")
  @Async
  static Coroutine<Void> timeoutNothingDone() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Object> t = task(gated(gate), "t");
    WaitResult<Object> r =
        await(Coroutines.wait(List.of(t), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(1)));
    log(names(r.done()), names(r.pending()), state(t));
    gate.setResult(null);
    await(t);
    return done();
  }

  @Scenario("zero_timeout_still_yields_once")
  @Async
  static Coroutine<Void> zeroTimeout() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Object> quick = task(sleeper(0, (Object) "q"), "quick");
    Task<Object> t = task(gated(gate), "t");
    WaitResult<Object> r =
        await(Coroutines.wait(List.of(quick, t), ReturnWhen.ALL_COMPLETED, Duration.ZERO));
    log(names(r.done()), names(r.pending()));
    gate.setResult(null);
    await(t);
    return done();
  }

  @Async
  private static Coroutine<Object> instant() {
    return done("instant");
  }

  @Scenario("already_done_first_completed_sees_tasks_finishing_meanwhile")
  @Async
  static Coroutine<Void> alreadyDoneFirstCompleted() {
    EventLoop loop = getRunningLoop();
    Task<Object> finished = task(sleeper(0, (Object) "x"), "finished");
    await(finished);
    Task<Object> quick = task(instant(), "quick");
    Future<Void> gate = loop.createFuture();
    Task<Object> slow = task(gated(gate), "slow");
    WaitResult<Object> r =
        await(Coroutines.wait(List.of(finished, quick, slow), ReturnWhen.FIRST_COMPLETED));
    log(names(r.done()), names(r.pending()));
    gate.setResult(null);
    await(slow);
    return done();
  }

  @Scenario("all_done_already_still_yields")
  @Async
  static Coroutine<Void> allDoneAlready() {
    EventLoop loop = getRunningLoop();
    Task<Object> t = task(sleeper(0, (Object) 1), "t");
    await(t);
    loop.callSoon(() -> log("soon"));
    WaitResult<Object> r = await(Coroutines.wait(List.of(t), ReturnWhen.ALL_COMPLETED));
    log("wait returned", names(r.done()), names(r.pending()));
    return done();
  }

  @Scenario("failures_stay_in_the_tasks")
  @Async
  static Coroutine<Void> failuresStay() {
    List<Task<Object>> ts = List.of(task(failer(1), "a"), task(failer(2), "b"));
    WaitResult<Object> r = await(Coroutines.wait(ts, ReturnWhen.ALL_COMPLETED));
    log(names(r.done()), states(ts));
    return done();
  }

  @Scenario("duplicates_count_once")
  @Async
  static Coroutine<Void> duplicates() {
    Task<Object> t = task(sleeper(1, (Object) 1), "t");
    WaitResult<Object> r = await(Coroutines.wait(List.of(t, t, t), ReturnWhen.ALL_COMPLETED));
    log(r.done().size(), r.pending().size(), names(r.done()));
    return done();
  }

  @Scenario("empty_raises_value_error")
  @Async
  static Coroutine<Void> empty() {
    try {
      await(Coroutines.wait(new ArrayList<Task<Object>>(), ReturnWhen.ALL_COMPLETED));
    } catch (IllegalArgumentException e) {
      log("raised", e);
    }
    return done();
  }

  @Scenario("plain_futures")
  @Async
  static Coroutine<Void> plainFutures() {
    EventLoop loop = getRunningLoop();
    Future<Integer> f1 = loop.createFuture();
    Future<Integer> f2 = loop.createFuture();
    loop.callLater(0.001, () -> f1.setResult(1));
    WaitResult<Integer> r = await(Coroutines.wait(List.of(f1, f2), ReturnWhen.FIRST_COMPLETED));
    log(r.done().size(), r.pending().size(), r.done().contains(f1), r.pending().contains(f2));
    return done();
  }

  @Async
  private static Coroutine<Void> waiter(Task<Object> t) {
    try {
      await(Coroutines.wait(List.of(t), ReturnWhen.ALL_COMPLETED));
    } catch (java.util.concurrent.CancellationException e) {
      log("waiter cancelled");
      throw e;
    }
    return done();
  }

  @Scenario("cancelling_the_waiter_cancels_nothing_else")
  @Async
  static Coroutine<Void> cancelWaiter() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Object> t = task(gated(gate), "t");
    Task<Void> w = task(waiter(t), "w");
    await(sleep(0));
    w.cancel();
    try {
      await(w);
    } catch (java.util.concurrent.CancellationException e) {
      log("w raised");
    }
    log(state(w), state(t));
    gate.setResult(null);
    await(t);
    log(state(t));
    return done();
  }

  @Scenario("two_finish_in_the_same_pass")
  @Async
  static Coroutine<Void> twoSamePass() {
    EventLoop loop = getRunningLoop();
    Future<Object> f1 = loop.createFuture();
    Future<Object> f2 = loop.createFuture();
    Future<Void> gate = loop.createFuture();
    Task<Object> t3 = task(gated(gate), "t3");
    loop.callSoon(
        () -> {
          f1.setResult(1);
          f2.setResult(2);
        });
    WaitResult<Object> r = await(Coroutines.wait(List.of(f1, f2, t3), ReturnWhen.FIRST_COMPLETED));
    log(r.done().size(), names(r.pending()));
    gate.setResult(null);
    await(t3);
    return done();
  }

  @Scenario("wait_then_read_results")
  @Async
  static Coroutine<Void> readResults() {
    List<Task<String>> ts = List.of(task(sleeper(2, "x"), "x"), task(sleeper(1, "y"), "y"));
    WaitResult<String> r = await(Coroutines.wait(ts, ReturnWhen.ALL_COMPLETED));
    log(r.done().stream().map(Future::result).sorted().collect(Collectors.toList()));
    return done();
  }

  @Scenario("first_completed_by_failure")
  @Async
  static Coroutine<Void> firstCompletedByFailure() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Object> bad = task(failer(1), "bad");
    Task<Object> slow = task(gated(gate), "slow");
    WaitResult<Object> r = await(Coroutines.wait(List.of(bad, slow), ReturnWhen.FIRST_COMPLETED));
    log(names(r.done()), names(r.pending()), state(bad));
    gate.setResult(null);
    await(slow);
    return done();
  }

  @Scenario("timeout_and_completion_in_order")
  @Async
  static Coroutine<Void> timeoutAndCompletion() {
    EventLoop loop = getRunningLoop();
    Future<Void> gate = loop.createFuture();
    Task<Object> t = task(gated(gate), "t");
    loop.callLater(0.001, () -> gate.setResult(null));
    WaitResult<Object> r =
        await(Coroutines.wait(List.of(t), ReturnWhen.ALL_COMPLETED, Duration.ofSeconds(5)));
    log(names(r.done()), names(r.pending()));
    return done();
  }

  @Scenario("coroutines_are_refused")
  @Differs(
      reason =
          "our wait() wraps coroutines in tasks, as asyncio did until 3.10 (deprecated since"
              + " 3.8); 3.11 and later refuse them with TypeError. Kept so that existing callers compile and run;"
              + " pass tasks to see them in the returned sets",
      asyncio = "raised TypeError",
      ours = "accepted 1")
  @Async
  static Coroutine<Void> coroutinesRefused() {
    Coroutine<Object> c = sleeper(0, (Object) "c");
    try {
      WaitResult<Object> r = await(Coroutines.wait(List.of(c), ReturnWhen.ALL_COMPLETED));
      log("accepted", r.done().size());
    } catch (ClassCastException e) {
      log("raised", e);
    }
    return done();
  }
}
