package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/** Twins of src/test/python/futures.py: future states, results, cancellation, done-callbacks. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class FuturesScenarios {
  private FuturesScenarios() {}

  /** The scenarios' own exception, Python's {@code class Boom(Exception)}. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private static <T> Future<T> future() {
    return getRunningLoop().createFuture();
  }

  @Scenario("pending_result_and_exception_raise_invalid_state")
  @Async
  static Coroutine<Void> pendingResult() {
    Future<Object> f = future();
    try {
      f.result();
    } catch (Throwable e) {
      log("result", "raised", e);
    }
    try {
      f.exception();
    } catch (Throwable e) {
      log("exception", "raised", e);
    }
    log(state(f), f.isDone(), f.isCancelled());
    return done();
  }

  @Scenario("set_result_twice_raises_invalid_state")
  @Async
  static Coroutine<Void> setResultTwice() {
    Future<Object> f = future();
    f.setResult(1);
    try {
      f.setResult(2);
    } catch (Throwable e) {
      log("set_result", "raised", e);
    }
    try {
      f.setException(new Boom());
    } catch (Throwable e) {
      log("set_exception", "raised", e);
    }
    log(state(f));
    return done();
  }

  @Scenario("set_after_cancel_raises_invalid_state")
  @Async
  static Coroutine<Void> setAfterCancel() {
    Future<Object> f = future();
    log("cancel", f.cancel());
    try {
      f.setResult(1);
    } catch (Throwable e) {
      log("set_result raised", e);
    }
    log(state(f), f.isDone(), f.isCancelled());
    return done();
  }

  @Scenario("cancel_returns_false_once_done")
  @Async
  static Coroutine<Void> cancelOnceDone() {
    Future<Object> a = future();
    a.setResult("x");
    Future<Object> b = future();
    b.setException(new Boom());
    Future<Object> c = future();
    log(a.cancel(), b.cancel(), c.cancel(), c.cancel());
    log(state(a), state(b), state(c));
    return done();
  }

  @Scenario("cancelled_result_and_exception_raise_cancelled")
  @Async
  static Coroutine<Void> cancelledResult() {
    Future<Object> f = future();
    f.cancel();
    try {
      f.result();
    } catch (Throwable e) {
      log("result", "raised", e, msg(e));
    }
    try {
      f.exception();
    } catch (Throwable e) {
      log("exception", "raised", e, msg(e));
    }
    return done();
  }

  @Scenario("cancel_message_reaches_result_and_awaiter")
  @Async
  static Coroutine<Void> cancelMessage() {
    Future<Object> f = future();
    f.cancel("bye");
    try {
      f.result();
    } catch (CancellationException e) {
      log("result raised", e, msg(e));
    }
    try {
      await(f);
    } catch (CancellationException e) {
      log("await raised", e, msg(e));
    }
    return done();
  }

  @Scenario("success_has_no_exception")
  @Async
  static Coroutine<Void> successNoException() {
    Future<Object> f = future();
    f.setResult(null);
    log(f.result(), f.exception(), state(f));
    return done();
  }

  @Scenario("failure_keeps_the_same_instance")
  @Async
  static Coroutine<Void> sameInstance() {
    Future<Object> f = future();
    Boom e = new Boom();
    f.setException(e);
    log(f.exception() == e);
    try {
      f.result();
    } catch (Boom x) {
      log("result raised the same", x == e);
    }
    try {
      await(f);
    } catch (Boom x) {
      log("await raised the same", x == e);
    }
    return done();
  }

  @Scenario("done_callback_is_scheduled_not_called_inline")
  @Async
  static Coroutine<Void> callbackScheduled() {
    Future<Object> f = future();
    f.addDoneCallback(fut -> log("callback", state(fut)));
    f.setResult(5);
    log("after set_result");
    await(sleep(0));
    log("after one pass");
    return done();
  }

  @Scenario("done_callback_on_done_future_is_scheduled")
  @Async
  static Coroutine<Void> callbackOnDoneFuture() {
    EventLoop loop = getRunningLoop();
    Future<Object> f = future();
    f.setResult(1);
    loop.callSoon(() -> log("soon before"));
    f.addDoneCallback(fut -> log("callback"));
    loop.callSoon(() -> log("soon after"));
    log("added");
    await(sleep(0));
    log("end");
    return done();
  }

  @Scenario("done_callbacks_run_in_registration_order")
  @Async
  static Coroutine<Void> callbacksInOrder() {
    Future<Object> f = future();
    for (int i = 0; i < 4; i++) {
      int n = i;
      f.addDoneCallback(fut -> log("cb", n));
    }
    f.setException(new Boom());
    await(sleep(0));
    log("end", state(f));
    return done();
  }

  @Scenario("remove_done_callback_counts_every_registration")
  @Async
  static Coroutine<Void> removeCallback() {
    Future<Object> f = future();
    Consumer<Future<Object>> cb = fut -> log("cb");
    Consumer<Future<Object>> other = fut -> log("other");
    f.addDoneCallback(cb);
    f.addDoneCallback(other);
    f.addDoneCallback(cb);
    log("removed", f.removeDoneCallback(cb));
    log("removed again", f.removeDoneCallback(cb));
    f.setResult(null);
    await(sleep(0));
    log("end");
    return done();
  }

  @Scenario("callbacks_interleave_with_call_soon")
  @Async
  static Coroutine<Void> callbacksInterleave() {
    EventLoop loop = getRunningLoop();
    Future<Object> f = future();
    f.addDoneCallback(fut -> log("done cb 1"));
    loop.callSoon(() -> log("soon 1"));
    f.setResult(null);
    loop.callSoon(() -> log("soon 2"));
    f.addDoneCallback(fut -> log("done cb 2"));
    await(sleep(0));
    log("end");
    return done();
  }

  @Scenario("done_callback_error_goes_to_handler")
  @Async
  static Coroutine<Void> callbackErrorToHandler() {
    EventLoop loop = getRunningLoop();
    loop.setExceptionHandler((l, ctx) -> log("handler", ctx.exception()));
    Future<Object> f = future();
    f.addDoneCallback(
        fut -> {
          log("bad");
          throw new Boom();
        });
    f.addDoneCallback(fut -> log("next callback"));
    f.setResult(null);
    await(sleep(0));
    log("end");
    return done();
  }

  @Scenario("callback_added_from_callback_runs_later")
  @Async
  static Coroutine<Void> callbackFromCallback() {
    Future<Object> f = future();
    f.addDoneCallback(
        fut -> {
          log("first");
          fut.addDoneCallback(x -> log("added by first"));
        });
    f.addDoneCallback(x -> log("second"));
    f.setResult(null);
    await(sleep(0));
    log("after pass 1");
    await(sleep(0));
    log("after pass 2");
    return done();
  }

  @Scenario("awaiting_done_future_does_not_yield")
  @Async
  static Coroutine<Void> awaitDoneNoYield() {
    EventLoop loop = getRunningLoop();
    Future<Integer> f = future();
    f.setResult(7);
    loop.callSoon(() -> log("soon"));
    int v = await(f);
    log("got", v);
    await(sleep(0));
    log("end");
    return done();
  }

  @Async
  private static Coroutine<Void> logAwaited(String label, Future<?> f) {
    log(label, await(f));
    return done();
  }

  @Scenario("awaiter_wakes_before_later_callbacks")
  @Async
  static Coroutine<Void> awaiterWakesFirst() {
    EventLoop loop = getRunningLoop();
    Future<Object> f = future();
    Task<Void> t = createTask(logAwaited("waiter got", f));
    await(sleep(0));
    f.addDoneCallback(fut -> log("done callback"));
    loop.callSoon(() -> log("soon before set"));
    f.setResult("v");
    loop.callSoon(() -> log("soon after set"));
    await(t);
    log("end");
    return done();
  }

  @Async
  private static Coroutine<Void> awaitWithFinally(Future<?> f) {
    try {
      await(f);
    } finally {
      log("waiter finally");
    }
    return done();
  }

  @Scenario("cancelling_awaited_future_cancels_task")
  @Async
  static Coroutine<Void> cancelAwaitedFuture() {
    Future<Object> f = future();
    Task<Void> t = createTask(awaitWithFinally(f));
    await(sleep(0));
    f.cancel("stop");
    try {
      await(t);
    } catch (CancellationException e) {
      log("awaiting task raised", e, msg(e));
    }
    log(state(t), t.cancelling());
    return done();
  }

  @Async
  private static Coroutine<String> catchFutureCancel(Future<?> f) {
    try {
      await(f);
    } catch (CancellationException e) {
      log("caught", msg(e));
    }
    return done("recovered");
  }

  @Scenario("task_catching_future_cancel_goes_on")
  @Async
  static Coroutine<Void> taskCatchesFutureCancel() {
    Future<Object> f = future();
    Task<String> t = createTask(catchFutureCancel(f));
    await(sleep(0));
    f.cancel("m");
    log("result", await(t), state(t), t.cancelling());
    return done();
  }

  @Async
  private static Coroutine<Void> awaitBoom(String name, Future<?> f) {
    try {
      await(f);
    } catch (Boom e) {
      log(name, "raised", e);
    }
    return done();
  }

  @Scenario("future_failure_raises_in_every_awaiter")
  @Async
  static Coroutine<Void> failureInEveryAwaiter() {
    Future<Object> f = future();
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b", "c")) {
      tasks.add(createTask(awaitBoom(n, f)));
    }
    await(sleep(0));
    f.setException(new Boom());
    for (Task<Void> t : tasks) {
      await(t);
    }
    log("end");
    return done();
  }

  @Scenario("state_through_the_lifecycle")
  @Async
  static Coroutine<Void> lifecycle() {
    Future<Object> f = future();
    log(state(f), f.isDone(), f.isCancelled());
    f.setResult(Arrays.asList(1, "two", null, true));
    log(state(f), f.isDone(), f.isCancelled());
    return done();
  }

  @Scenario("exception_then_callbacks_see_it")
  @Async
  static Coroutine<Void> callbacksSeeException() {
    Future<Object> f = future();
    f.addDoneCallback(fut -> log("cb", state(fut)));
    f.setException(new IllegalArgumentException("bad"));
    await(sleep(0));
    log("end");
    return done();
  }

  @Scenario("cancel_schedules_callbacks_once")
  @Async
  static Coroutine<Void> cancelCallbacksOnce() {
    Future<Object> f = future();
    f.addDoneCallback(fut -> log("cb", state(fut)));
    log(f.cancel("x"), f.cancel("y"));
    await(sleep(0));
    try {
      f.result();
    } catch (CancellationException e) {
      log("message", msg(e));
    }
    return done();
  }
}
