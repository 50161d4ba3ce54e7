package dev.coroutine.sync;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import dev.coroutine.LazyCoroutine;
import dev.coroutine.internal.Steps;
import java.util.ArrayDeque;

/**
 * A mutual-exclusion lock for coroutines: asyncio's {@code Lock}. Not reentrant, not thread-safe.
 *
 * <pre>{@code
 * await(lock.acquire());
 * try { ... } finally { lock.release(); }
 * // or: await(lock.withLock(criticalSection()));
 * }</pre>
 *
 * <p>Fair: waiters acquire in the order they started waiting, and a newcomer does not take the lock
 * ahead of them. Invariant: {@link #release()} wakes the first waiter whose future is not done; the
 * woken waiter takes the lock when it resumes, or, if it was cancelled meanwhile, wakes the next
 * one, so a cancellation never loses a wakeup.
 */
public final class Lock {
  /** True while some coroutine holds the lock. */
  private boolean locked;

  /** Futures of waiting acquirers, oldest first; null until the lock is first contended. */
  private ArrayDeque<Future<Void>> waiters;

  /** An unlocked lock. */
  public Lock() {}

  /**
   * Acquires the lock when awaited (as asyncio's, calling it does nothing): takes it at once if it
   * is free and nobody waits, otherwise waits for its turn.
   *
   * @return a coroutine that acquires the lock when awaited
   */
  public Coroutine<Void> acquire() {
    return new AcquireCall();
  }

  /** Releases the lock and wakes the first waiter; {@link IllegalStateException} if not locked. */
  public void release() {
    if (!locked) {
      throw new IllegalStateException("Lock is not acquired");
    }
    locked = false;
    wakeUpFirst();
  }

  /**
   * True if the lock is held.
   *
   * @return true if the lock is held
   */
  public boolean isLocked() {
    return locked;
  }

  /**
   * A coroutine that runs {@code body} holding the lock (Python's {@code async with lock}).
   *
   * @param <T> the type of the body's result
   * @param body the work to run; the lock is released when it finishes, however it finishes
   * @return a coroutine whose result is the body's
   */
  public <T> Coroutine<T> withLock(Awaitable<T> body) {
    return Guarded.guarded(this::acquire, body, this::release);
  }

  @Override
  public String toString() {
    return "Lock["
        + (locked ? "locked" : "unlocked")
        + (waiters == null || waiters.isEmpty() ? "" : " waiters=" + waiters.size())
        + "]";
  }

  private boolean noLiveWaiter() {
    if (waiters == null) {
      return true;
    }
    for (Future<Void> w : waiters) {
      if (!w.isCancelled()) {
        return false;
      }
    }
    return true;
  }

  private void wakeUpFirst() {
    Future<Void> first = waiters == null ? null : waiters.peekFirst();
    if (first != null && !first.isDone()) {
      first.setResult(null);
    }
  }

  /** An acquire not awaited yet: takes a free lock without a frame, otherwise waits in one. */
  private final class AcquireCall extends LazyCoroutine<Void> {
    AcquireCall() {
      super(Lock.this, "acquire");
    }

    @Override
    public String toString() {
      return "Lock.acquire()";
    }

    @Override
    protected Object start(AsyncFrame<?> caller) throws Throwable {
      if (!locked && noLiveWaiter()) {
        locked = true;
        return null;
      }
      return AsyncFrame.await(new Acquire().coroutine(), caller);
    }
  }

  /** A contended acquire. */
  private final class Acquire extends Steps<Void> {
    /** This acquirer's place in {@link #waiters}; null until it waits. */
    private Future<Void> waiter;

    @Override
    protected Object step(Object value, Throwable failure) throws Throwable {
      if (waiter == null) {
        if (!locked && noLiveWaiter()) {
          locked = true;
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
      if (failure != null) {
        if (!locked) {
          wakeUpFirst(); // we were woken but cancelled: pass the turn on
        }
        throw failure;
      }
      locked = true;
      return null;
    }
  }
}
