package dev.coroutine.sync;

import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import dev.coroutine.internal.Steps;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for coroutines: asyncio's {@code Condition}, over a {@link Lock}. A
 * coroutine holding the lock calls {@link #await()}, which releases the lock, waits for a {@link
 * #signal()} and takes the lock again before it returns, even when cancelled (the cancellation is
 * thrown once the lock is held again). Not thread-safe.
 */
public final class Condition {
  /** The underlying lock. */
  private final Lock lock;

  /** Futures of waiting coroutines, oldest first. */
  private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();

  /** A condition with its own new lock. */
  public Condition() {
    this(new Lock());
  }

  /**
   * A condition over {@code lock}.
   *
   * @param lock the lock the condition is used with
   */
  public Condition(Lock lock) {
    this.lock = java.util.Objects.requireNonNull(lock, "lock");
  }

  /**
   * Acquires the underlying lock.
   *
   * @return a finished coroutine when it can complete at once, else one that waits
   */
  public Coroutine<Void> acquire() {
    return lock.acquire();
  }

  /** Releases the underlying lock. */
  public void release() {
    lock.release();
  }

  /**
   * True if the underlying lock is held.
   *
   * @return true if the lock is held
   */
  public boolean isLocked() {
    return lock.isLocked();
  }

  /**
   * Runs {@code body} holding the underlying lock.
   *
   * @param <T> the type of the body's result
   * @param body the work to run; the lock is released when it finishes, however it finishes
   * @return a coroutine whose result is the body's
   */
  public <T> Coroutine<T> withLock(Awaitable<T> body) {
    return lock.withLock(body);
  }

  /**
   * asyncio's {@code Condition.wait()}: releases the lock, waits until signalled, re-acquires the
   * lock. The lock must be held ({@link IllegalStateException} when awaited otherwise).
   *
   * @return a coroutine that finishes once signalled, with the lock held again
   */
  public Coroutine<Void> await() {
    return new Wait().coroutine();
  }

  /**
   * asyncio's {@code wait_for(predicate)}: awaits {@link #await()} until {@code predicate} holds
   * (it is checked first, with the lock held).
   *
   * @param predicate the condition waited for, checked with the lock held
   * @return a coroutine that finishes once {@code predicate} holds, with the lock held
   */
  public Coroutine<Void> awaitUntil(BooleanSupplier predicate) {
    return new Steps<Void>() {
      @Override
      protected Object step(Object value, Throwable failure) throws Throwable {
        if (failure != null) {
          throw failure;
        }
        return predicate.getAsBoolean() ? null : await(Condition.this.await());
      }
    }.coroutine();
  }

  /** Wakes one waiter; the lock must be held. */
  public void signal() {
    signal(1);
  }

  /**
   * Wakes up to {@code n} waiters, oldest first; the lock must be held.
   *
   * @param n the most waiters to wake
   */
  public void signal(int n) {
    if (!lock.isLocked()) {
      throw new IllegalStateException("cannot notify on un-acquired lock");
    }
    wake(n);
  }

  /** Wakes every waiter; the lock must be held. */
  public void signalAll() {
    signal(waiters.size());
  }

  private void wake(int n) {
    int woken = 0;
    for (Future<Void> w : waiters) {
      if (woken >= n) {
        break;
      }
      if (!w.isDone()) {
        woken++;
        w.setResult(null);
      }
    }
  }

  @Override
  public String toString() {
    return "Condition[" + lock + " waiters=" + waiters.size() + "]";
  }

  /** One wait: release, wait for a signal, re-acquire (retrying through cancellations). */
  private final class Wait extends Steps<Void> {
    /** 0: start; 1: waiting for a signal; 2: re-acquiring the lock. */
    private int stage;

    /** This waiter's future. */
    private Future<Void> waiter;

    /** The most recent exception to throw once the lock is held again. */
    private Throwable error;

    @Override
    protected Object step(Object value, Throwable failure) throws Throwable {
      switch (stage) {
        case 0:
          if (!lock.isLocked()) {
            throw new IllegalStateException("cannot wait on un-acquired lock");
          }
          lock.release();
          waiter = new Future<>();
          waiters.add(waiter);
          stage = 1;
          return await(waiter);
        case 1:
          waiters.remove(waiter);
          error = failure;
          stage = 2;
          return await(lock.acquire());
        default:
          if (failure instanceof CancellationException) {
            error = failure; // the lock must be held again before we leave: retry
            return await(lock.acquire());
          }
          if (failure != null) {
            error = failure;
          }
          if (error != null) {
            // we may have been signalled before failing: hand the signal to another waiter
            wake(1);
            throw error;
          }
          return null;
      }
    }
  }
}
