package dev.coroutine.sync;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import dev.coroutine.LazyCoroutine;
import dev.coroutine.internal.Steps;
import java.util.ArrayDeque;

/**
 * A counter of permits for coroutines: asyncio's {@code Semaphore}. {@link #acquire()} takes a
 * permit, waiting while there is none; {@link #release()} returns one. Not thread-safe.
 *
 * <p>Fair: while coroutines wait, a newcomer waits behind them even if a permit is free. A waiter
 * woken (its permit reserved for it) and then cancelled gives the permit back and wakes the next
 * waiter, so no wakeup is lost.
 */
public class Semaphore {
  /** Free permits, not counting those reserved for woken waiters. */
  private int value;

  /** Futures of waiting acquirers, oldest first; null until first contended. */
  private ArrayDeque<Future<Void>> waiters;

  /**
   * A semaphore with {@code permits} permits ({@code >= 0}).
   *
   * @param permits the initial number of permits, zero or more
   */
  public Semaphore(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("Semaphore initial value must be >= 0");
    }
    this.value = permits;
  }

  /**
   * True if {@link #acquire()} would wait: no permit, or others already waiting.
   *
   * @return true if an acquire would wait
   */
  public boolean isLocked() {
    if (value == 0) {
      return true;
    }
    if (waiters != null) {
      for (Future<Void> w : waiters) {
        if (!w.isCancelled()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Free permits now.
   *
   * @return the number of free permits
   */
  public int availablePermits() {
    return value;
  }

  /**
   * Takes a permit when awaited (as asyncio's, calling it does nothing): at once if one is free and
   * nobody waits, otherwise waiting in line.
   *
   * @return a coroutine that takes a permit when awaited
   */
  public Coroutine<Void> acquire() {
    return new AcquireCall();
  }

  /** Returns a permit and wakes the first waiter. */
  public void release() {
    value++;
    wakeUpNext();
  }

  /**
   * Runs {@code body} holding a permit (Python's {@code async with semaphore}).
   *
   * @param <T> the type of the body's result
   * @param body the work to run; the permit is released when it finishes, however it finishes
   * @return a coroutine whose result is the body's
   */
  public <T> Coroutine<T> withPermit(Awaitable<T> body) {
    return Guarded.guarded(this::acquire, body, this::release);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[value=" + value + "]";
  }

  /** Reserves a permit for the first waiter not done and wakes it; false if there is none. */
  private boolean wakeUpNext() {
    if (waiters == null) {
      return false;
    }
    for (Future<Void> w : waiters) {
      if (!w.isDone()) {
        value--;
        w.setResult(null);
        return true;
      }
    }
    return false;
  }

  /** An acquire not awaited yet: takes a free permit without a frame, otherwise waits in one. */
  private final class AcquireCall extends LazyCoroutine<Void> {
    AcquireCall() {
      super(Semaphore.this, "acquire");
    }

    @Override
    public String toString() {
      return Semaphore.this.getClass().getSimpleName() + ".acquire()";
    }

    @Override
    protected Object start(AsyncFrame<?> caller) throws Throwable {
      if (!isLocked()) {
        value--;
        return null;
      }
      return AsyncFrame.await(new Acquire().coroutine(), caller);
    }
  }

  /** A contended acquire. */
  private final class Acquire extends Steps<Void> {
    /** This acquirer's future; null until it waits. */
    private Future<Void> waiter;

    @Override
    protected Object step(Object v, Throwable failure) throws Throwable {
      if (waiter == null) {
        if (!isLocked()) {
          value--;
          return null;
        }
        if (waiters == null) {
          waiters = new ArrayDeque<>();
        }
        waiter = new Future<>();
        waiters.add(waiter);
        return await(waiter);
      }
      waiters.remove(waiter);
      try {
        if (failure != null) {
          if (waiter.isDone() && !waiter.isCancelled()) {
            value++; // a permit was reserved for us, but we are cancelled: give it back
          }
          throw failure;
        }
      } finally {
        // permits may be free while newcomers queued behind us: wake as many as allowed
        while (value > 0 && wakeUpNext()) {
          // loop
        }
      }
      return null;
    }
  }
}
