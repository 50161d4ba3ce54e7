package dev.coroutine.internal;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Handle;
import dev.coroutine.ReturnWhen;
import dev.coroutine.WaitResult;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The state of one {@link Coroutines#wait(Collection, ReturnWhen, Duration)} (asyncio's {@code
 * _wait}): a done-callback on every future counts completions and completes {@link #waiter} when
 * {@link #returnWhen} is met or the timeout passes; the waiting coroutine then sorts the futures
 * into done and pending.
 */
public final class Waiting<T> implements Consumer<Future<?>>, Runnable {
  /** The futures, in the order given, without duplicates. */
  private final Set<Future<T>> futures;

  /** When to return. */
  private final ReturnWhen returnWhen;

  /** Completed (with null) when it is time to return. */
  private final Future<Void> waiter;

  /** Completions still needed for ALL_COMPLETED. */
  private int counter;

  /** The timeout callback, or null. */
  private Handle timer;

  private Waiting(Set<Future<T>> futures, ReturnWhen returnWhen, EventLoop loop) {
    this.futures = futures;
    this.returnWhen = returnWhen;
    this.waiter = new Future<>(loop);
    this.counter = futures.size();
  }

  /**
   * The coroutine of one {@code wait}.
   *
   * @param <T> the result type
   * @param awaitables what to wait for; coroutines are wrapped in tasks when it starts
   * @param when when to return
   * @param timeout the longest wait, or null for none
   * @return the coroutine, not started
   */
  public static <T> Coroutine<WaitResult<T>> coroutine(
      List<Awaitable<?>> awaitables, ReturnWhen when, Duration timeout) {
    AsyncFrame<WaitResult<T>> f = AsyncFrame.create(Waiting::run, 3, 0);
    f.refs[0] = awaitables;
    f.refs[1] = when;
    f.refs[2] = timeout;
    return f;
  }

  @SuppressWarnings("unchecked")
  private static Object run(AsyncFrame<?> f) throws Throwable {
    if (f.label == 0) {
      EventLoop loop = EventLoop.running(); // a body runs on its loop's thread
      Set<Future<Object>> futures = new LinkedHashSet<>();
      List<Awaitable<?>> awaitables = (List<Awaitable<?>>) f.refs[0];
      for (Future<?> fu : Futures.of(loop, awaitables.toArray(new Awaitable<?>[0]))) {
        futures.add((Future<Object>) fu);
      }
      Waiting<Object> w = new Waiting<>(futures, (ReturnWhen) f.refs[1], loop);
      Duration timeout = (Duration) f.refs[2];
      if (timeout != null) {
        w.timer = loop.callLater(timeout, w);
      }
      for (Future<Object> fu : futures) {
        fu.addDoneCallback(w); // a done future's callback is scheduled, as asyncio's
      }
      f.refs[0] = w;
      f.refs[1] = null;
      f.refs[2] = null;
      f.label = 1;
      // never done yet: every callback, even a done future's, runs from the loop later
      return AsyncFrame.await(w.waiter, f);
    }
    Waiting<?> w = (Waiting<?>) f.refs[0];
    try {
      f.resumed(); // throws the CancellationException if the waiting task was cancelled
    } finally {
      w.detach();
    }
    return w.result();
  }

  /** A future finished (asyncio's {@code _on_completion}). */
  @Override
  public void accept(Future<?> f) {
    counter--;
    if (counter <= 0
        || returnWhen == ReturnWhen.FIRST_COMPLETED
        || (returnWhen == ReturnWhen.FIRST_EXCEPTION
            && !f.isCancelled()
            && f.exception() != null)) { // as asyncio's, counts as retrieved
      release();
    }
  }

  /** The timeout passed. */
  @Override
  public void run() {
    timer = null;
    release();
  }

  private void release() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    if (!waiter.isDone()) {
      waiter.setResult(null);
    }
  }

  private WaitResult<T> result() {
    Set<Future<T>> done = new LinkedHashSet<>();
    Set<Future<T>> notDone = new LinkedHashSet<>();
    for (Future<T> f : futures) {
      (f.isDone() ? done : notDone).add(f);
    }
    return new WaitResult<>(done, notDone);
  }

  private void detach() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    for (Future<T> f : futures) {
      f.removeDoneCallback(this);
    }
  }
}
