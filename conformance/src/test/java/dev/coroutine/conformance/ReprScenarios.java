package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.currentTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twins of src/test/python/repr.py. Our toString is {@code Future<state ...>} and {@code Task<name
 * state ...>} where asyncio's repr is {@code <Future state ...>} and {@code <Task state name='...'
 * ...>}: each side parses its own form into class, state, name, and whether a result or an
 * exception is shown.
 */
final class ReprScenarios {
  private ReprScenarios() {}

  private static final Pattern FORM =
      Pattern.compile("(Future|Task)<(?:(\\S+) )?(pending|finished|cancelled|cancelling)\\b.*>");

  static List<Object> describe(Future<?> f) {
    String r = f.toString();
    Matcher m = FORM.matcher(r);
    if (!m.matches()) {
      throw new AssertionError("unexpected toString form: " + r);
    }
    return Arrays.asList(
        m.group(1), m.group(3), m.group(2), r.contains("result="), r.contains("exception="));
  }

  @Scenario("future_states")
  @Async
  static Coroutine<Void> futureStates() {
    EventLoop loop = getRunningLoop();
    Future<Integer> f = loop.createFuture();
    log(describe(f));
    f.setResult(42);
    log(describe(f), f.toString().contains("result=42"));
    Future<Integer> g = loop.createFuture();
    g.setException(new IllegalArgumentException("bad"));
    log(describe(g));
    g.exception();
    Future<Integer> h = loop.createFuture();
    h.cancel();
    log(describe(h));
    return done();
  }

  @Scenario("future_result_none_is_shown")
  @Async
  static Coroutine<Void> futureResultNull() {
    Future<Object> f = getRunningLoop().createFuture();
    f.setResult(null);
    log(describe(f));
    return done();
  }

  @Async
  static Coroutine<Object> work(Object result, long delay) {
    await(sleep(delay));
    return done(result);
  }

  @Async
  static Coroutine<Void> fail() {
    await(sleep(0));
    throw new IllegalArgumentException("bad");
  }

  @Scenario("task_states")
  @Async
  static Coroutine<Void> taskStates() {
    Task<Object> t = createTask(work("done", 0), "worker");
    log(describe(t));
    await(t);
    log(describe(t), t.toString().contains("result="));
    Task<Void> e = createTask(fail(), "failing");
    try {
      await(e);
    } catch (IllegalArgumentException expected) {
      // shown below
    }
    log(describe(e));
    Task<Object> c = createTask(work(1, 1000), "sleeper");
    await(sleep(0));
    c.cancel();
    await(sleep(0));
    log(describe(c));
    return done();
  }

  @Scenario("task_cancel_requested_before_it_runs")
  @Async
  static Coroutine<Void> cancelBeforeRun() {
    Task<Object> t = createTask(work(1, 0), "early");
    t.cancel();
    log(describe(t));
    await(sleep(0));
    log(describe(t));
    return done();
  }

  @Scenario("current_task_is_pending_while_running")
  @Async
  static Coroutine<Void> currentPending() {
    log(describe(currentTask()).get(1));
    return done();
  }

  @Scenario("task_names")
  @Async
  static Coroutine<Void> taskNames() {
    Task<Object> a = createTask(work(1, 0));
    Task<Object> b = createTask(work(2, 0));
    String na = a.getName();
    String nb = b.getName();
    log(
        "default names",
        na.matches("Task-\\d+"),
        Integer.parseInt(nb.substring(5)) - Integer.parseInt(na.substring(5)));
    b.setName("renamed");
    log(b.getName(), describe(b).get(2));
    Task<Object> c = createTask(work(3, 0), "given");
    log(c.getName());
    await(gather(a, b, c));
    log(describe(c).get(2), describe(c).get(1));
    return done();
  }

  @Async
  static Coroutine<List<Object>> selfish() {
    await(sleep(0));
    return done(List.of(currentTask()));
  }

  @Scenario("task_result_containing_itself")
  @Async
  static Coroutine<Void> taskContainingItself() {
    Task<List<Object>> t = createTask(selfish(), "selfish");
    await(t);
    String r = t.toString();
    log(describe(t), r.contains("..."));
    return done();
  }

  @Scenario("future_result_containing_itself")
  @Async
  static Coroutine<Void> futureContainingItself() {
    Future<List<Object>> f = getRunningLoop().createFuture();
    f.setResult(List.of(f, "x"));
    log(describe(f), f.toString().contains("..."));
    return done();
  }

  @Scenario("futures_containing_each_other")
  @Async
  static Coroutine<Void> futuresContainingEachOther() {
    EventLoop loop = getRunningLoop();
    Future<List<Object>> f = loop.createFuture();
    Future<List<Object>> g = loop.createFuture();
    f.setResult(List.of(g));
    g.setResult(List.of(f));
    log(describe(f), describe(g), f.toString().length() < 500);
    return done();
  }

  @Scenario("long_result_is_abbreviated")
  @Async
  static Coroutine<Void> longResult() {
    Future<String> f = getRunningLoop().createFuture();
    f.setResult("x".repeat(10000));
    log(describe(f), f.toString().length() < 200);
    return done();
  }
}
