package dev.coroutine;

import dev.coroutine.internal.CallbackNames;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A callback scheduled with {@link EventLoop#callSoon}, {@link EventLoop#callLater} or {@link
 * EventLoop#callAt}; cancel it to keep it from running. asyncio's {@code Handle} and {@code
 * TimerHandle} in one class.
 */
public final class Handle extends TimerEntry implements Runnable {
  /**
   * The callback, a {@link ContextBound} if it runs in a context of its own; null once cancelled
   * (kept after running, to describe the handle).
   */
  private Runnable callback;

  /** The loop that runs it. */
  private final EventLoop loop;

  /** {@link #PENDING}, {@link #RAN} or {@link #CANCELLED}. */
  private byte state;

  private static final byte PENDING = 0;
  private static final byte RAN = 1;
  private static final byte CANCELLED = 2;

  /**
   * A {@link EventLoop#callSoonThreadsafe} handle, whose {@link #cancel()} another thread may call
   * while the loop runs it: its state changes atomically, so the callback runs at most once, never
   * after a cancel that won, and a cancel always marks the handle cancelled.
   */
  private final boolean shared;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Handle.class, "state", byte.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  Handle(EventLoop loop, Runnable callback) {
    this(loop, callback, false);
  }

  Handle(EventLoop loop, Runnable callback, boolean shared) {
    this.loop = loop;
    this.callback = callback;
    this.shared = shared;
  }

  /** True for a {@link EventLoop#callSoonThreadsafe} handle. */
  boolean isThreadsafe() {
    return shared;
  }

  /**
   * Cancels the callback: it will not run if it has not yet. As asyncio's {@code Handle.cancel()},
   * it marks the handle cancelled even if the callback already ran (or is running).
   */
  public void cancel() {
    if (shared) {
      if ((byte) STATE.getAndSet(this, CANCELLED) == PENDING) {
        callback = null; // the loop reads it only after winning PENDING -> RAN
      }
      return;
    }
    if (state == CANCELLED) {
      return;
    }
    state = CANCELLED;
    callback = null;
    if (isScheduled()) {
      loop.removeTimer(this);
    }
  }

  /** The callback as scheduled (without its context), or null once cancelled. */
  Runnable callbackOrNull() {
    return (Runnable) ContextBound.unwrap(callback);
  }

  /**
   * True once {@link #cancel()} was called, before or after the callback ran (asyncio's {@code
   * Handle.cancelled()}).
   *
   * @return true if the handle was cancelled
   */
  public boolean isCancelled() {
    return state == CANCELLED;
  }

  /**
   * For a timer handle, the loop time (seconds, see {@link EventLoop#time()}) it is due at; {@code
   * +Infinity} for a timer that never fires.
   *
   * @return the due time in loop seconds
   */
  public double when() {
    return Deadlines.seconds(when);
  }

  @Override
  public void run() {
    if (shared) {
      if (STATE.compareAndSet(this, PENDING, RAN)) {
        callback.run();
      }
      return;
    }
    if (state == PENDING) {
      state = RAN;
      callback.run();
    }
  }

  @Override
  void fire(LoopCore l) {
    l.schedule(this);
  }

  @Override
  public String toString() {
    return "Handle[" + (state == CANCELLED ? "cancelled" : CallbackNames.describe(callback)) + "]";
  }
}
