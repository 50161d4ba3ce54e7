package dev.coroutine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * The functions of asyncio's module level: {@code await}, {@code run}, {@code sleep}, {@code
 * gather}, {@code wait_for}, ... Import them statically: {@code import static
 * dev.coroutine.Coroutines.*;}.
 */
public final class Coroutines {
  private Coroutines() {}

  // ---- inside @Async methods ---------------------------------------------------------------

  /**
   * Waits for {@code awaitable} and returns its result, or rethrows its exception unchanged. Only
   * valid inside an {@link Async} method (or an async lambda): the instrumentation replaces this
   * call; reached in code that was not instrumented it throws {@link IllegalStateException}.
   */
  public static <T> T await(Awaitable<T> awaitable) {
    throw notInstrumented();
  }

  /**
   * Waits for a {@link CompletionStage} (any {@link CompletableFuture}) completed by any thread;
   * the coroutine resumes on its loop's thread. Only valid inside an {@link Async} method.
   */
  public static <T> T await(CompletionStage<T> stage) {
    throw notInstrumented();
  }

  /** The result of an {@link Async} method: {@code return done(value);}. */
  public static <T> Coroutine<T> done(T value) {
    return new DoneCoroutine<>(value);
  }

  /** The end of an {@link Async} method without a result: {@code return done();}. */
  public static Coroutine<Void> done() {
    return DoneCoroutine.VOID;
  }

  private static IllegalStateException notInstrumented() {
    String where =
        StackWalker.getInstance()
            .walk(
                s ->
                    s.filter(f -> !f.getClassName().equals(Coroutines.class.getName()))
                        .findFirst()
                        .map(
                            f ->
                                f.getClassName()
                                    + "."
                                    + f.getMethodName()
                                    + " ("
                                    + f.getFileName()
                                    + ":"
                                    + f.getLineNumber()
                                    + ")")
                        .orElse("an unknown method"));
    return new IllegalStateException(
        "await() called in "
            + where
            + ", which was not instrumented. Annotate the method @Async (it must return"
            + " Coroutine<T>) and instrument the class: build with the coroutine-maven-plugin"
            + " (goal coroutine:instrument) or run with -javaagent:coroutine-agent.jar");
  }

  // ---- running -----------------------------------------------------------------------------

  /**
   * asyncio.run: runs {@code main} on a new event loop, closes the loop, and returns the result or
   * rethrows the failure unchanged.
   */
  public static <T> T run(Coroutine<T> main) {
    return run(main, false);
  }

  /** {@link #run(Coroutine)} with debug mode on or off (on also if the environment says so). */
  public static <T> T run(Coroutine<T> main, boolean debug) {
    Objects.requireNonNull(main, "main");
    if (EventLoop.runningOrNull() != null) {
      throw new IllegalStateException("run() cannot be called from a running event loop");
    }
    EventLoop loop = new EventLoop();
    if (debug) {
      loop.setDebug(true);
    }
    try {
      return loop.runUntilComplete(loop.createTask(main));
    } finally {
      cancelRemaining(loop);
      loop.close();
    }
  }

  private static void cancelRemaining(EventLoop loop) {
    // asyncio.run cancels what is left and lets it finish its cleanup
    List<Task<?>> left = loop.pendingTasks();
    if (left.isEmpty()) {
      return;
    }
    for (Task<?> t : left) {
      t.cancel();
    }
    Future<List<Object>> all = gatherOn(loop, true, left.toArray(new Awaitable<?>[0]));
    loop.runUntilComplete(all);
  }

  /** The loop running on this thread; {@link IllegalStateException} if none. */
  public static EventLoop getRunningLoop() {
    return EventLoop.running();
  }

  /** The task running right now, or null outside of any task. */
  public static Task<?> currentTask() {
    EventLoop l = EventLoop.runningOrNull();
    return l == null ? null : l.currentTask;
  }

  // ---- sleeping ----------------------------------------------------------------------------

  /** A coroutine that finishes after {@code delay}; {@code sleep(0)} yields to the loop once. */
  public static Coroutine<Void> sleep(Duration delay) {
    return sleepNanos(delay.toNanos());
  }

  /** A coroutine that finishes after {@code millis} milliseconds. */
  public static Coroutine<Void> sleep(long millis) {
    return sleepNanos(Math.multiplyExact(Math.max(0, millis), 1_000_000L));
  }

  private static Coroutine<Void> sleepNanos(long nanos) {
    return nanos <= 0 ? AsyncFrame.YIELD : new Sleep(nanos);
  }

  // ---- tasks -------------------------------------------------------------------------------

  /** Wraps {@code coroutine} in a task on the running loop. */
  public static <T> Task<T> createTask(Coroutine<T> coroutine) {
    return EventLoop.running().createTask(coroutine);
  }

  /** Wraps {@code coroutine} in a task named {@code name} on the running loop. */
  public static <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
    return EventLoop.running().createTask(coroutine, name);
  }

  /** A future for any awaitable: a future as is, a coroutine wrapped in a task. */
  public static <T> Future<T> ensureFuture(Awaitable<T> awaitable) {
    return EventLoop.running().ensureFuture(awaitable);
  }

  // ---- combinators -------------------------------------------------------------------------

  /**
   * Runs the awaitables concurrently and returns a future of their results in order. The first
   * failure fails the gather (the others keep running); cancelling the gather cancels them all.
   */
  @SafeVarargs
  public static <T> Future<List<T>> gather(Awaitable<? extends T>... awaitables) {
    return gatherOn(EventLoop.running(), false, awaitables);
  }

  /**
   * {@link #gather} that never fails: each failure (or {@link CancellationException}) takes the
   * place of its result in the list.
   */
  @SafeVarargs
  public static Future<List<Object>> gatherReturnExceptions(Awaitable<?>... awaitables) {
    return gatherOn(EventLoop.running(), true, awaitables);
  }

  @SuppressWarnings("unchecked")
  static <T> Future<List<T>> gatherOn(
      EventLoop loop, boolean returnExceptions, Awaitable<? extends T>... awaitables) {
    Future<List<T>> outer = new Future<>(loop);
    int n = awaitables.length;
    if (n == 0) {
      outer.setResult(new ArrayList<>());
      return outer;
    }
    Future<? extends T>[] children = new Future[n];
    for (int i = 0; i < n; i++) {
      children[i] = loop.ensureFuture(awaitables[i]);
    }
    Object[] results = new Object[n];
    int[] remaining = {n};
    for (int i = 0; i < n; i++) {
      int index = i;
      ((Future<T>) children[i])
          .addDoneCallback(
              child -> {
                if (outer.isDone()) {
                  return;
                }
                if (child.state == Future.SUCCEEDED) {
                  results[index] = child.value;
                } else if (returnExceptions) {
                  results[index] = child.failure();
                } else {
                  outer.setException(child.failure());
                  return;
                }
                if (--remaining[0] == 0) {
                  outer.setResult((List<T>) new ArrayList<>(Arrays.asList(results)));
                }
              });
    }
    outer.addDoneCallback(
        o -> {
          if (o.isCancelled()) {
            for (Future<? extends T> c : children) {
              c.cancel();
            }
          }
        });
    return outer;
  }

  /**
   * Waits for {@code awaitable} at most {@code timeout}: on timeout the inner work is cancelled,
   * waited for, and {@link TimeoutException} is thrown at the await. Cancelling the waiting task
   * cancels the inner work too.
   */
  public static <T> Coroutine<T> waitFor(Awaitable<T> awaitable, Duration timeout)
      throws TimeoutException {
    Objects.requireNonNull(awaitable, "awaitable");
    Objects.requireNonNull(timeout, "timeout");
    return AsyncFrame.lazy(() -> waitForFuture(EventLoop.running(), awaitable, timeout));
  }

  private static <T> Future<T> waitForFuture(
      EventLoop loop, Awaitable<T> awaitable, Duration timeout) {
    Future<T> inner = loop.ensureFuture(awaitable);
    Future<T> outer = new Future<>(loop);
    boolean[] timedOut = {false};
    Handle timer =
        loop.callLater(
            timeout,
            () -> {
              timedOut[0] = true;
              inner.cancel();
            });
    inner.addDoneCallback(
        in -> {
          timer.cancel();
          if (outer.isDone()) {
            return;
          }
          if (in.state == Future.SUCCEEDED) {
            outer.setResult(in.result());
          } else if (timedOut[0] && in.isCancelled()) {
            outer.setException(new TimeoutException("timed out after " + timeout));
          } else {
            outer.setException(in.failure());
          }
        });
    outer.addDoneCallback(
        o -> {
          if (o.isCancelled()) {
            timer.cancel();
            inner.cancel();
          }
        });
    return outer;
  }

  // ---- threads -----------------------------------------------------------------------------

  /**
   * Submits {@code coroutine} to {@code loop} from any other thread; the returned future completes
   * with its result. Cancelling the returned future cancels the task.
   */
  public static <T> CompletableFuture<T> runCoroutineThreadsafe(
      Coroutine<T> coroutine, EventLoop loop) {
    Objects.requireNonNull(coroutine, "coroutine");
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.callSoonThreadsafe(
        () -> {
          if (result.isDone()) {
            return;
          }
          Task<T> task;
          try {
            task = loop.createTask(coroutine);
          } catch (Throwable t) {
            result.completeExceptionally(t);
            return;
          }
          task.addDoneCallback(
              t -> {
                if (t.state == Future.SUCCEEDED) {
                  result.complete(t.result());
                } else if (t.isCancelled()) {
                  result.cancel(false);
                } else {
                  result.completeExceptionally(t.failure());
                }
              });
          result.whenComplete(
              (v, e) -> {
                if (result.isCancelled()) {
                  try {
                    loop.callSoonThreadsafe(task::cancel);
                  } catch (IllegalStateException closed) {
                    // loop already closed: the task is gone with it
                  }
                }
              });
        });
    return result;
  }
}
