package dev.coroutine;

import dev.coroutine.internal.RuntimeHandoff;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A coroutine handed to a loop by {@link Coroutines#runCoroutineThreadsafe}: the callback that
 * starts its task on the loop, then the task's done-callback that completes {@link #result}.
 *
 * <p>Invariant: {@link #result} completes exactly once: with the task's outcome, cancelled when the
 * caller cancels it, or exceptionally when the loop is closed before the task finished ({@link
 * EventLoop#close()} finds the submission in its inbox or among a pending task's callbacks), so a
 * caller blocked in {@code get()} is never left waiting on a closed loop.
 *
 * @param <T> the coroutine's result type
 */
final class ThreadsafeSubmission<T> implements Runnable, Consumer<Future<T>> {
  /** The coroutine to run. */
  private final Coroutine<T> coroutine;

  /** The loop it runs on. */
  private final EventLoop loop;

  /** What the submitting thread holds. */
  final CompletableFuture<T> result = new CompletableFuture<>();

  ThreadsafeSubmission(Coroutine<T> coroutine, EventLoop loop) {
    this.coroutine = coroutine;
    this.loop = loop;
  }

  /** On the loop: starts the task (unless the caller cancelled first). */
  @Override
  public void run() {
    if (result.isDone()) {
      return;
    }
    if (loop.refusesSubmissions) {
      result.completeExceptionally(
          new IllegalStateException(
              "event loop "
                  + loop
                  + " is ending its work (its group shuts down, or it was stopped): the"
                  + " coroutine was not started"));
      return;
    }
    Task<T> task;
    try {
      task = loop.createTask(coroutine);
    } catch (Throwable t) {
      result.completeExceptionally(t);
      return;
    }
    task.whenDone(this);
    result.whenComplete(
        (v, e) -> {
          if (result.isCancelled()) {
            try {
              loop.callSoonThreadsafe((RuntimeHandoff) task::cancel); // gone with a closed loop
            } catch (IllegalStateException closed) {
              // loop already closed: the task is gone with it
            }
          }
        });
  }

  /** The task finished: hand its outcome over. */
  @Override
  public void accept(Future<T> t) {
    if (t.state == Future.SUCCEEDED) {
      result.complete(t.result());
    } else if (t.isCancelled()) {
      result.cancel(false);
    } else {
      result.completeExceptionally(t.failure());
    }
  }

  /** The loop closed {@code when} ("before the coroutine started"/"finished"): fail the caller. */
  void refuse(String when) {
    result.completeExceptionally(
        new IllegalStateException("event loop " + loop + " was closed " + when));
  }

  /** The submission among {@code t}'s done-callbacks, or null. */
  static ThreadsafeSubmission<?> of(Task<?> t) {
    Object cbs = t.callbacks;
    if (cbs instanceof ArrayList) {
      for (Object o : (ArrayList<?>) cbs) {
        Object cb = ContextBound.unwrap(o); // registered with a context: look through it
        if (cb instanceof ThreadsafeSubmission) {
          return (ThreadsafeSubmission<?>) cb;
        }
      }
      return null;
    }
    Object cb = ContextBound.unwrap(cbs);
    return cb instanceof ThreadsafeSubmission ? (ThreadsafeSubmission<?>) cb : null;
  }
}
