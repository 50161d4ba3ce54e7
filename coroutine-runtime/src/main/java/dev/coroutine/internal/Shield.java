package dev.coroutine.internal;

import dev.coroutine.Awaitable;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;

/** {@link Coroutines#shield(Awaitable)}: asyncio's {@code shield}. */
public final class Shield {
  private Shield() {}

  /**
   * A future of {@code loop} that mirrors {@code awaitable} (a coroutine is wrapped in a task) but
   * whose cancellation does not reach it; the awaitable's own future if it is done already.
   *
   * @param <T> the result type
   * @param loop the running loop
   * @param awaitable the work to protect from cancellation
   * @return the shield
   */
  public static <T> Future<T> of(EventLoop loop, Awaitable<T> awaitable) {
    Future<T> inner = Coroutines.ensureFuture(awaitable);
    if (inner.isDone()) {
      return inner;
    }
    Future<T> outer = loop.createFuture();
    RuntimeCallback<Future<T>> toOuter =
        in -> {
          if (outer.isDone()) {
            Futures.failureOf(in); // the shield was cancelled: nobody else will look at it
          } else if (in.isCancelled()) {
            outer.cancel(); // as asyncio: the inner's cancel message does not cross the shield
          } else {
            Futures.copyOutcome(in, outer);
          }
        };
    inner.addDoneCallback(toOuter);
    // as asyncio: a shield given up (cancelled, its awaiter gone) lets go of the inner work, which
    // would otherwise hold it, and all it refers to, until the inner work ends
    outer.addDoneCallback(
        (RuntimeCallback<Future<T>>)
            o -> {
              if (!inner.isDone()) {
                inner.removeDoneCallback(toOuter);
              }
            });
    return outer;
  }
}
