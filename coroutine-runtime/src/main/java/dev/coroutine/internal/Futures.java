package dev.coroutine.internal;

import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.util.concurrent.CancellationException;

/**
 * Helpers over futures for the combinators, through the futures' public methods only: the runtime's
 * one way to copy a future's outcome into another (asyncio's {@code _copy_future_state}) and to
 * read a finished future's failure. (Awaitables become futures through the public {@code
 * Coroutines.ensureFuture}, or, several at once, through the one helper {@code gather} uses, which
 * the root package passes to {@code wait} and {@code asCompleted}.)
 */
public final class Futures {
  private Futures() {}

  /**
   * Completes {@code to} as {@code from} completed: with its result, its exception (the same
   * instance; it counts as retrieved), or cancelled with the same message. Does nothing if {@code
   * to} is done already, say cancelled by its own awaiter. (Where asyncio drops the message, as
   * {@code shield} does, the caller cancels {@code to} itself.)
   *
   * @param <T> the result type
   * @param from a finished future
   * @param to the future to complete
   * @throws IllegalStateException if {@code from} is not done
   */
  @SuppressWarnings("unchecked")
  public static <T> void copyOutcome(Future<? extends T> from, Future<T> to) {
    if (!from.isDone()) {
      throw new IllegalStateException("copyOutcome from a pending future: " + from);
    }
    if (to.isDone()) {
      return;
    }
    if (from.isCancelled()) {
      to.cancel(failureOf(from).getMessage());
      return;
    }
    Throwable e = from.exception();
    if (e != null) {
      to.setException(e);
    } else {
      to.setResult(from.result());
    }
  }

  /**
   * A future of {@code loop} that completes as {@code source} does, so that each awaiter may be
   * cancelled without cancelling the shared {@code source}; {@code source} itself when it is done
   * already.
   *
   * @param <T> the result type
   * @param loop the loop of the new future
   * @param source the future to follow
   * @return a future completing as {@code source}, or {@code source} if it is done
   */
  public static <T> Future<T> follow(EventLoop loop, Future<T> source) {
    if (source.isDone()) {
      return source;
    }
    Future<T> f = loop.createFuture();
    source.addDoneCallback((RuntimeCallback<Future<T>>) s -> copyOutcome(s, f));
    return f;
  }

  /**
   * What awaiting the finished future {@code f} throws, or null if it succeeded: its exception
   * (which counts as retrieved), or a {@link CancellationException} carrying its cancel message.
   *
   * @param f a finished future
   * @return the failure, or null for a success
   */
  public static Throwable failureOf(Future<?> f) {
    try {
      return f.exception();
    } catch (CancellationException cancelled) {
      return cancelled;
    }
  }
}
