package dev.coroutine.internal;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@link Coroutines#waitFor(Awaitable, Duration)} with a timeout of zero or less, asyncio's special
 * case: the awaitable is wrapped in a task; if it is done the result is returned at once, otherwise
 * it is cancelled, waited for, and {@link TimeoutException} thrown (a coroutine never starts).
 * refs[0]: the awaitable, then its future; refs[1]: the callback that wakes the waiter.
 */
public final class WaitFor {
  private WaitFor() {}

  /**
   * The coroutine of {@code waitFor(awaitable, zero or less)}.
   *
   * @param <T> the result type
   * @param awaitable the work to wait for
   * @return the coroutine, not started
   */
  public static <T> Coroutine<T> now(Awaitable<T> awaitable) {
    AsyncFrame<T> f = AsyncFrame.create(WaitFor::resume, 2, 0);
    f.refs[0] = awaitable;
    return f;
  }

  /** The body of {@link #now}: label 0 starts, 1 resumes once the cancelled work finished. */
  private static Object resume(AsyncFrame<?> f) throws Throwable {
    Future<?> inner;
    if (f.label == 0) {
      EventLoop loop = EventLoop.running(); // a body runs on its loop's thread
      inner = Futures.ensure(loop, (Awaitable<?>) f.refs[0]);
      f.refs[0] = inner;
      if (inner.isDone()) {
        return inner.result();
      }
      // wait on a future of our own, not on the inner work, so that cancelling us does not
      // cancel it a second time (asyncio's _cancel_and_wait)
      Future<Object> waiter = new Future<>(loop);
      Consumer<Future<?>> release =
          x -> {
            if (!waiter.isDone()) {
              waiter.setResult(null);
            }
          };
      f.refs[1] = release;
      inner.addDoneCallback(release);
      inner.cancel();
      f.label = 1;
      return AsyncFrame.await(waiter, f);
    }
    inner = (Future<?>) f.refs[0];
    try {
      f.resumed();
    } finally {
      @SuppressWarnings("unchecked")
      Consumer<Future<?>> release = (Consumer<Future<?>>) f.refs[1];
      inner.removeDoneCallback(release);
    }
    if (inner.isCancelled()) {
      TimeoutException te = new TimeoutException("timed out");
      te.initCause(Futures.failureOf(inner));
      throw te;
    }
    return inner.result();
  }
}
