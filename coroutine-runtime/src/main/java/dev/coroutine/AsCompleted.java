package dev.coroutine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The state behind {@link Coroutines#asCompleted}: futures in the order they finish.
 *
 * <p>Invariant: {@link #finished} holds futures that finished before anyone asked for them, and
 * {@link #waiters} the askers that came first; at most one of the two is non-empty. A waiter that
 * was cancelled is skipped, so its turn goes to the next asker (no result is lost).
 *
 * @param <T> the result type
 */
final class AsCompleted<T> implements Consumer<Future<?>> {
  /** The loop. */
  private final EventLoop loop;
  /** Futures not finished yet. */
  private final Set<Future<?>> todo = new LinkedHashSet<>();
  /** Futures finished and not handed out yet, in finishing order. */
  private final ArrayDeque<Future<?>> finished = new ArrayDeque<>();
  /** Futures handed to askers before anything finished for them. */
  private final ArrayDeque<Future<T>> waiters = new ArrayDeque<>();
  /** The timeout callback, or null. */
  private Handle timer;
  /** The timeout passed: askers that find nothing finished get a TimeoutException. */
  private boolean timedOut;

  private AsCompleted(EventLoop loop) {
    this.loop = loop;
  }

  static <T> List<Coroutine<T>> start(
      EventLoop loop, Collection<? extends Awaitable<? extends T>> awaitables, Duration timeout) {
    AsCompleted<T> ac = new AsCompleted<>(loop);
    for (Future<?> f : Coroutines.futuresOf(loop, awaitables.toArray(new Awaitable<?>[0]))) {
      ac.todo.add(f); // an awaitable passed twice is one future, finishing once
    }
    for (Future<?> f : ac.todo) {
      f.whenDone(ac);
    }
    if (timeout != null && !ac.todo.isEmpty()) {
      ac.timer = loop.callLater(timeout, ac::onTimeout);
    }
    int n = ac.todo.size();
    List<Coroutine<T>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(AsyncFrame.lazy(ac::next));
    }
    return out;
  }

  @Override
  public void accept(Future<?> f) {
    if (!todo.remove(f)) {
      return; // after the timeout
    }
    if (todo.isEmpty() && timer != null) {
      timer.cancel();
    }
    Future<T> w;
    while ((w = waiters.poll()) != null) {
      if (!w.isDone()) {
        copy(f, w);
        return;
      }
    }
    finished.add(f);
  }

  private void onTimeout() {
    timedOut = true;
    for (Future<?> f : todo) {
      f.removeDoneCallback(this);
    }
    todo.clear();
    Future<T> w;
    while ((w = waiters.poll()) != null) {
      if (!w.isDone()) {
        w.setException(new TimeoutException("asCompleted timed out"));
      }
    }
  }

  /** The future the next asker awaits. */
  @SuppressWarnings("unchecked")
  private Future<T> next() {
    Future<?> f = finished.poll();
    if (f != null) {
      return (Future<T>) f;
    }
    Future<T> w = new Future<>(loop);
    if (timedOut || todo.isEmpty()) {
      w.setException(new TimeoutException("asCompleted timed out"));
    } else {
      waiters.add(w);
    }
    return w;
  }

  @SuppressWarnings("unchecked")
  private static <T> void copy(Future<?> from, Future<T> to) {
    if (from.state == Future.SUCCEEDED) {
      to.setResult((T) from.value);
    } else {
      to.setException(from.failure());
    }
  }
}
