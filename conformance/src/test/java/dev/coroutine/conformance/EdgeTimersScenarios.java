package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.gatherReturnExceptions;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.timeout;
import static dev.coroutine.Coroutines.waitFor;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.names;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.ReturnWhen;
import dev.coroutine.Task;
import dev.coroutine.WaitResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** Twins of src/test/python/edge_timers.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeTimersScenarios {
  private EdgeTimersScenarios() {}

  @Async
  static Coroutine<Void> sleeper(String name, long millis) {
    await(sleep(millis));
    log(name, "woke");
    return done();
  }

  static void busy(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Scenario("sleepers_and_callbacks_due_together_run_by_deadline")
  @Async
  static Coroutine<Void> sleepersAndCallbacks() {
    EventLoop loop = getRunningLoop();
    List<Task<Void>> tasks = new ArrayList<>();
    tasks.add(createTask(sleeper("s4", 4)));
    tasks.add(createTask(sleeper("s2", 2)));
    tasks.add(createTask(sleeper("s6", 6)));
    tasks.add(createTask(sleeper("s3", 3)));
    await(sleep(0)); // all four sleeps start, one after the other
    loop.callLater(0.001, () -> log("cb1"));
    loop.callLater(0.005, () -> log("cb5"));
    busy(30); // everything is due
    log("main yields");
    await(sleep(0));
    log("main runs again");
    await(gather(tasks));
    return done();
  }

  @Scenario("callback_scheduled_by_a_timer_vs_sleeper_wakeup")
  @Async
  static Coroutine<Void> callbackVsSleeper() {
    EventLoop loop = getRunningLoop();
    Task<Void> t = createTask(sleeper("s2", 2));
    await(sleep(0));
    loop.callLater(
        0.001,
        () -> {
          log("early timer");
          loop.callSoon(() -> log("soon from early"));
        });
    loop.callLater(
        0.003,
        () -> {
          log("late timer");
          loop.callSoon(() -> log("soon from late"));
        });
    busy(20);
    await(t);
    log("end");
    return done();
  }

  @Async
  static Coroutine<Void> cancellable(String name, long millis) {
    try {
      await(sleep(millis));
      log(name, "woke");
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    }
    return done();
  }

  @Scenario("sleeper_cancelled_by_an_earlier_timer_of_the_same_pass")
  @Async
  static Coroutine<Void> sleeperCancelledByTimer() {
    EventLoop loop = getRunningLoop();
    Task<Void> a = createTask(cancellable("a", 3));
    Task<Void> b = createTask(cancellable("b", 1));
    await(sleep(0));
    loop.callLater(
        0.002,
        () -> {
          log("timer cancels a and b");
          a.cancel();
          b.cancel();
        });
    busy(20);
    await(gatherReturnExceptions(a, b));
    log("end");
    return done();
  }

  @Scenario("many_sleepers_in_reverse_order_of_delay")
  @Async
  static Coroutine<Void> manySleepersReverse() {
    List<Task<Void>> tasks = new ArrayList<>();
    for (int d = 8; d >= 1; d--) {
      tasks.add(createTask(sleeper("s" + d, d)));
    }
    await(sleep(0));
    busy(30);
    await(gather(tasks));
    return done();
  }

  @Scenario("sleeper_registered_from_a_timer_callback")
  @Async
  static Coroutine<Void> sleeperFromTimer() {
    EventLoop loop = getRunningLoop();
    List<Task<Void>> box = new ArrayList<>();
    loop.callLater(
        0.001,
        () -> {
          log("timer starts a sleeper");
          box.add(loop.createTask(sleeper("late", 0)));
        });
    Task<Void> t = createTask(sleeper("early", 2));
    await(sleep(0));
    busy(20);
    await(t);
    await(box.get(0));
    log("end");
    return done();
  }

  @Async
  static Coroutine<Void> blocker() {
    await(sleep(0));
    busy(20); // the inner sleep and the deadline are due together
    return done();
  }

  @Scenario("wait_timeout_and_inner_sleep_due_in_same_pass")
  @Async
  static Coroutine<Void> waitTimeoutSamePass() {
    Task<Void> inner = createTask(sleeper("inner", 1), "inner");
    Task<Void> other = createTask(sleeper("other", 1000), "other");
    await(sleep(0));
    Task<Void> b = createTask(blocker());
    WaitResult<Void> r =
        await(
            Coroutines.wait(List.of(inner, other), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(4)));
    log("done", names(r.done()), "pending", names(r.pending()));
    other.cancel();
    await(b);
    return done();
  }

  @Async
  static Coroutine<String> innerSleeping() {
    try {
      await(sleep(1));
      log("inner finished its sleep");
      return done("result");
    } catch (CancellationException e) {
      log("inner cancelled after its sleep was due");
      throw e;
    }
  }

  @Scenario("wait_for_deadline_and_inner_sleep_due_in_same_pass")
  @Async
  static Coroutine<Void> waitForDeadlineSamePass() {
    Task<String> t = createTask(innerSleeping());
    await(sleep(0));
    Task<Void> b = createTask(blocker());
    try {
      log("got", await(waitFor(t, Duration.ofMillis(4))));
    } catch (TimeoutException e) {
      log("timed out", state(t));
    }
    await(b);
    return done();
  }

  @Async
  static Coroutine<Void> scopeBody() {
    await(sleep(1));
    log("body's sleep ended first");
    await(sleep(0));
    log("body goes on");
    return done();
  }

  @Scenario("timeout_scope_and_inner_sleep_due_in_same_pass")
  @Async
  static Coroutine<Void> timeoutScopeSamePass() {
    Task<Void> b = createTask(blocker());
    try {
      await(timeout(Duration.ofMillis(4), scopeBody()));
    } catch (TimeoutException e) {
      log("timed out");
    }
    await(b);
    return done();
  }
}
