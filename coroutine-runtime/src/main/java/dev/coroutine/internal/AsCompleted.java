package dev.coroutine.internal;

import dev.coroutine.AsyncIterable;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Handle;
import dev.coroutine.PullIterator;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The state behind {@link Coroutines#asCompleted} and {@link Coroutines#asCompletedFutures}:
 * futures in the order they finish.
 *
 * <p>Invariant: {@link #finished} holds futures that finished before anyone asked for them, and
 * {@link #waiters} the askers that came first; at most one of the two is non-empty. A waiter that
 * was cancelled is skipped, so its turn goes to the next asker (no result is lost). A waiter gets
 * the outcome of the future it stands for, or, with {@link #handsOutFutures}, the future itself.
 *
 * @param <T> the result type
 */
public final class AsCompleted<T> implements RuntimeCallback<Future<?>>, Runnable {
  /** The loop. */
  private final EventLoop loop;

  /** Futures not finished yet. */
  private final Set<Future<?>> todo = new LinkedHashSet<>();

  /** Futures finished and not handed out yet, in finishing order. */
  private final ArrayDeque<Future<?>> finished = new ArrayDeque<>();

  /** Futures handed to askers before anything finished for them. */
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

  /** Waiters get the finished future itself (asyncio 3.13's async iteration), not its outcome. */
  private final boolean handsOutFutures;

  /** How many askers may still be served: one per future. */
  private int unserved;

  /** The timeout callback, or null. */
  private Handle timer;

  /** The timeout passed: askers that find nothing finished get a TimeoutException. */
  private boolean timedOut;

  private AsCompleted(EventLoop loop, boolean handsOutFutures) {
    this.loop = loop;
    this.handsOutFutures = handsOutFutures;
  }

  /**
   * Starts waiting for {@code futures}.
   *
   * @param <T> the result type
   * @param loop the running loop
   * @param futures what to wait for, one future per awaitable (coroutines wrapped in tasks at once,
   *     a repeated awaitable the same future)
   * @param timeout the deadline for all of them, from now; null for none
   * @return one coroutine per awaitable, the k-th finishing as the k-th awaitable to finish
   */
  public static <T> List<Coroutine<T>> start(
      EventLoop loop, Future<?>[] futures, Duration timeout) {
    AsCompleted<T> ac = create(loop, futures, timeout, false);
    int n = ac.unserved;
    List<Coroutine<T>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Frames.lazy(ac::nextResult));
    }
    return out;
  }

  /**
   * The futures in finishing order as an async iterable; its iterators share them (each future is
   * handed out once, to whichever asks first).
   *
   * @param <T> the result type
   * @param loop the running loop
   * @param futures what to wait for, as for {@link #start}
   * @param timeout the deadline for all of them, from now; null for none
   * @return the finished futures, in the order they finish
   */
  public static <T> AsyncIterable<Future<T>> iterate(
      EventLoop loop, Future<?>[] futures, Duration timeout) {
    AsCompleted<T> ac = create(loop, futures, timeout, true);
    return () -> new Iteration<>(ac);
  }

  private static <T> AsCompleted<T> create(
      EventLoop loop, Future<?>[] futures, Duration timeout, boolean handsOutFutures) {
    AsCompleted<T> ac = new AsCompleted<>(loop, handsOutFutures);
    for (Future<?> f : futures) {
      ac.todo.add(f); // an awaitable passed twice is one future, finishing once
    }
    for (Future<?> f : ac.todo) {
      f.addDoneCallback(ac);
    }
    if (timeout != null && !ac.todo.isEmpty()) {
      ac.timer = loop.callLater(timeout, ac); // run(): the timeout
    }
    ac.unserved = ac.todo.size();
    return ac;
  }

  /** One pass of {@link #iterate}: ends once every future was handed out. */
  private static final class Iteration<T> extends PullIterator<Future<T>> {
    /** The shared state. */
    private final AsCompleted<T> source;

    Iteration(AsCompleted<T> source) {
      this.source = source;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Awaitable<Future<T>> fetch() {
      if (source.unserved == 0) {
        return null;
      }
      source.unserved--;
      return (Awaitable<Future<T>>) (Awaitable<?>) source.next();
    }
  }

  /** A future finished: hands it to the first asker still waiting, or keeps it for the next. */
  @Override
  @SuppressWarnings("unchecked")
  public void accept(Future<?> f) {
    if (!todo.remove(f)) {
      return; // after the timeout
    }
    if (todo.isEmpty() && timer != null) {
      timer.cancel();
    }
    if (!handedOver(f)) {
      finished.add(f);
    }
  }

  /** Hands finished {@code f} to the first asker still waiting; false if none waits. */
  private boolean handedOver(Future<?> f) {
    Waiter w;
    while ((w = waiters.poll()) != null) {
      if (!w.isDone()) {
        w.handed = f;
        if (handsOutFutures) {
          w.setResult(f);
        } else {
          Futures.copyOutcome(f, w);
        }
        return true;
      }
    }
    return false;
  }

  /**
   * An asker waiting. A cancelled one leaves the line; what one was handed goes back first in line
   * if its task, cancelled before it resumed, dropped it (see {@link ResultHandOver}): found from
   * outside, a finished future was lost so (asyncio's as_completed keeps it for the next asker).
   */
  private final class Waiter extends Future<Object> implements ResultHandOver {
    /** The finished future this asker was handed, or null. */
    Future<?> handed;

    Waiter() {
      super(loop);
    }

    @Override
    public boolean cancel(String message) {
      boolean cancelled = super.cancel(message);
      if (cancelled) {
        waiters.remove(this);
      }
      return cancelled;
    }

    @Override
    public void outcomeDropped() {
      Future<?> f = handed;
      handed = null;
      if (f != null && !handedOver(f)) {
        finished.addFirst(f);
      }
    }
  }

  /** The timeout passed: the futures not finished yet fail their waiters. */
  @Override
  public void run() {
    timedOut = true;
    for (Future<?> f : todo) {
      f.removeDoneCallback(this);
    }
    todo.clear();
    Waiter w;
    while ((w = waiters.poll()) != null) {
      if (!w.isDone()) {
        w.setException(new TimeoutException("asCompleted timed out"));
      }
    }
  }

  /** The future of the next result: {@link #next()} when waiters get outcomes. */
  @SuppressWarnings("unchecked")
  private Awaitable<T> nextResult() {
    return (Awaitable<T>) (Awaitable<?>) next();
  }

  /**
   * The future the next asker awaits: of a result, or of a finished future ({@link
   * #handsOutFutures}).
   */
  @SuppressWarnings("unchecked")
  private Future<Object> next() {
    Future<?> f = finished.poll();
    if (f != null) {
      if (!handsOutFutures) {
        return (Future<Object>) f;
      }
      Future<Object> handed = new Future<>(loop);
      handed.setResult(f);
      return handed;
    }
    Waiter w = new Waiter();
    if (timedOut || todo.isEmpty()) {
      w.setException(new TimeoutException("asCompleted timed out"));
    } else {
      waiters.add(w);
    }
    return w;
  }
}
