package dev.coroutine.sync;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import dev.coroutine.LazyCoroutine;
import dev.coroutine.internal.Steps;
import java.util.ArrayList;

/**
 * A flag coroutines can wait for: asyncio's {@code Event}. {@link #set()} wakes every waiter;
 * {@link #await()} returns at once while the flag is set. Not thread-safe.
 */
public final class Event {
  /** The flag. */
  private boolean flag;

  /** Futures of waiting coroutines; null until the first wait. */
  private ArrayList<Future<Void>> waiters;

  /** An event whose flag is clear. */
  public Event() {}

  /**
   * True if the flag is set.
   *
   * @return true if the flag is set
   */
  public boolean isSet() {
    return flag;
  }

  /** Sets the flag and wakes all waiters. */
  public void set() {
    if (flag) {
      return;
    }
    flag = true;
    if (waiters != null) {
      for (Future<Void> w : waiters) {
        if (!w.isDone()) {
          w.setResult(null);
        }
      }
    }
  }

  /** Clears the flag: later {@link #await()} calls wait for the next {@link #set()}. */
  public void clear() {
    flag = false;
  }

  /**
   * Waits until the flag is set (asyncio's {@code Event.wait()}); the flag is checked when the
   * coroutine is awaited, not when this is called.
   *
   * @return a coroutine that finishes once the flag is set
   */
  public Coroutine<Void> await() {
    return new WaitCall();
  }

  @Override
  public String toString() {
    return "Event[" + (flag ? "set" : "unset") + "]";
  }

  /** A wait not awaited yet: done at once if the flag is set, otherwise waits in a frame. */
  private final class WaitCall extends LazyCoroutine<Void> {
    WaitCall() {
      super(Event.this, "await");
    }

    @Override
    public String toString() {
      return "Event.await()";
    }

    @Override
    protected Object start(AsyncFrame<?> caller) throws Throwable {
      return flag ? null : AsyncFrame.await(new Wait().coroutine(), caller);
    }
  }

  /** A wait for the flag. */
  private final class Wait extends Steps<Void> {
    /** This waiter's future; null until it waits. */
    private Future<Void> waiter;

    @Override
    protected Object step(Object value, Throwable failure) throws Throwable {
      if (waiter == null) {
        if (flag) {
          return null;
        }
        if (waiters == null) {
          waiters = new ArrayList<>();
        }
        waiter = new Future<>();
        waiters.add(waiter);
        return await(waiter);
      }
      waiters.remove(waiter);
      if (failure != null) {
        throw failure;
      }
      return null;
    }
  }
}
