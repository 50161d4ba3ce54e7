package dev.coroutine.internal;

import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.util.IdentityHashMap;
import java.util.concurrent.CancellationException;

/**
 * Helpers over futures for the combinators, through the futures' public methods only: the runtime's
 * one way to copy a future's outcome into another (asyncio's {@code _copy_future_state}), to read a
 * finished future's failure, and to turn awaitables into futures.
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
    source.addDoneCallback(s -> copyOutcome(s, f));
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

  /**
   * A future for {@code a}: a future as it is, a coroutine wrapped in a task of {@code loop}.
   *
   * @param <T> the result type
   * @param loop the loop for a new task
   * @param a a future, task or coroutine
   * @return the future of {@code a}
   */
  @SuppressWarnings("unchecked")
  public static <T> Future<T> ensure(EventLoop loop, Awaitable<T> a) {
    return a instanceof Future ? (Future<T>) a : loop.createTask((Coroutine<T>) a);
  }

  /**
   * One future per awaitable, in order (see {@link #ensure}). An awaitable passed twice maps to the
   * same future (a coroutine runs once; asyncio does the same).
   *
   * @param loop the loop for new tasks
   * @param awaitables futures, tasks or coroutines
   * @return their futures, in order
   */
  public static Future<?>[] of(EventLoop loop, Awaitable<?>[] awaitables) {
    Future<?>[] out = new Future<?>[awaitables.length];
    IdentityHashMap<Awaitable<?>, Future<?>> seen = null;
    for (int i = 0; i < out.length; i++) {
      Awaitable<?> a = awaitables[i];
      if (a instanceof Future) {
        out[i] = (Future<?>) a;
        continue;
      }
      if (seen == null) {
        seen = new IdentityHashMap<>();
      }
      Future<?> f = seen.get(a);
      if (f == null) {
        f = ensure(loop, a);
        seen.put(a, f);
      }
      out[i] = f;
    }
    return out;
  }
}
