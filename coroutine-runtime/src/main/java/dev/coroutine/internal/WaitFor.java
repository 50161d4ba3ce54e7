package dev.coroutine.internal;

import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * {@link Coroutines#waitFor(Awaitable, Duration)} with a timeout of zero or less, asyncio's special
 * case: the awaitable is wrapped in a task; if it is done the result is returned at once, otherwise
 * it is cancelled, waited for, and {@link TimeoutException} thrown (a coroutine never starts).
 */
public final class WaitFor<T> extends Steps<T> implements RuntimeCallback<Future<?>> {
  /** The work to wait for. */
  private final Awaitable<T> awaitable;

  /** The work's future; null until the coroutine starts. */
  private Future<T> inner;

  /** Our own future, completed when the cancelled work finished. */
  private Future<Object> waiter;

  private WaitFor(Awaitable<T> awaitable) {
    this.awaitable = awaitable;
  }

  /**
   * The coroutine of {@code waitFor(awaitable, zero or less)}.
   *
   * @param <T> the result type
   * @param awaitable the work to wait for
   * @return the coroutine, not started
   */
  public static <T> Coroutine<T> now(Awaitable<T> awaitable) {
    return new WaitFor<>(awaitable).coroutine();
  }

  /** Starts: the result if done, else cancels the work; resumed once the work finished. */
  @Override
  protected Object step(Object value, Throwable failure) throws Throwable {
    if (inner == null) {
      EventLoop loop = EventLoop.running(); // a body runs on its loop's thread
      inner = Coroutines.ensureFuture(awaitable);
      if (inner.isDone()) {
        return inner.result();
      }
      // wait on a future of our own, not on the inner work, so that cancelling us does not
      // cancel it a second time (asyncio's _cancel_and_wait)
      waiter = new Future<>(loop);
      inner.addDoneCallback(this);
      inner.cancel();
      return await(waiter);
    }
    inner.removeDoneCallback(this);
    if (failure != null) {
      throw failure; // the waiting task was cancelled
    }
    if (inner.isCancelled()) {
      TimeoutException te = new TimeoutException("timed out");
      te.initCause(Futures.failureOf(inner));
      throw te;
    }
    return inner.result();
  }

  /** The cancelled work finished: wakes the waiter. */
  @Override
  public void accept(Future<?> done) {
    if (!waiter.isDone()) {
      waiter.setResult(null);
    }
  }
}
