package dev.coroutine.internal;

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
import java.util.Set;
import java.util.function.Supplier;

/**
 * The state of one {@link Coroutines#wait(Collection, ReturnWhen, Duration)} (asyncio's {@code
 * _wait}): a done-callback on every future counts completions and completes {@link #waiter} when
 * {@link #returnWhen} is met or the timeout passes; the waiting coroutine then sorts the futures
 * into done and pending.
 */
public final class Waiting<T> extends Steps<WaitResult<T>>
    implements RuntimeCallback<Future<?>>, Runnable {
  /** Makes the futures to wait for when the coroutine starts; null after. */
  private Supplier<Future<?>[]> makeFutures;

  /** The longest wait, or null for none; read when the coroutine starts. */
  private final Duration timeout;

  /** The futures, in the order given, without duplicates; set when the coroutine starts. */
  private Set<Future<T>> futures;

  /** When to return. */
  private final ReturnWhen returnWhen;

  /** Completed (with null) when it is time to return; set when the coroutine starts. */
  private Future<Void> waiter;

  /** Completions still needed for ALL_COMPLETED. */
  private int counter;

  /** The timeout callback, or null. */
  private Handle timer;

  private Waiting(Supplier<Future<?>[]> makeFutures, ReturnWhen returnWhen, Duration timeout) {
    this.makeFutures = makeFutures;
    this.returnWhen = returnWhen;
    this.timeout = timeout;
  }

  /**
   * The coroutine of one {@code wait}.
   *
   * @param <T> the result type
   * @param futures makes what to wait for, one future per awaitable, when it starts (so that
   *     coroutines are wrapped in tasks then, as asyncio's)
   * @param when when to return
   * @param timeout the longest wait, or null for none
   * @return the coroutine, not started
   */
  public static <T> Coroutine<WaitResult<T>> coroutine(
      Supplier<Future<?>[]> futures, ReturnWhen when, Duration timeout) {
    return new Waiting<T>(futures, when, timeout).coroutine();
  }

  /**
   * Starts waiting (registers on every future, starts the timer), then, resumed, sorts the futures.
   */
  @Override
  @SuppressWarnings("unchecked")
  protected Object step(Object value, Throwable failure) throws Throwable {
    if (makeFutures != null) {
      EventLoop loop = EventLoop.running(); // a body runs on its loop's thread
      Set<Future<T>> fs = new LinkedHashSet<>();
      for (Future<?> fu : makeFutures.get()) {
        fs.add((Future<T>) fu);
      }
      makeFutures = null;
      futures = fs;
      counter = fs.size();
      waiter = new Future<>(loop);
      if (timeout != null) {
        timer = loop.callLater(timeout, this);
      }
      for (Future<T> fu : fs) {
        fu.addDoneCallback(this); // a done future's callback is scheduled, as asyncio's
      }
      // never done yet: every callback, even a done future's, runs from the loop later
      return await(waiter);
    }
    detach();
    if (failure != null) {
      throw failure; // the CancellationException of the waiting task
    }
    return result();
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
