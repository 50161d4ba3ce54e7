package dev.coroutine;

/**
 * A callback scheduled with {@link EventLoop#callSoon}, {@link EventLoop#callLater} or {@link
 * EventLoop#callAt}; cancel it to keep it from running. asyncio's {@code Handle} and {@code
 * TimerHandle} in one class.
 */
public final class Handle extends TimerEntry implements Runnable {
  /** The callback; null once cancelled or run so that it can be collected. */
  private Runnable callback;
  /** The loop that runs it. */
  private final EventLoop loop;

  Handle(EventLoop loop, Runnable callback) {
    this.loop = loop;
    this.callback = callback;
  }

  /** Cancels the callback; does nothing if it already ran or was cancelled. */
  public void cancel() {
    if (callback == null) {
      return;
    }
    callback = null;
    cancelled = true;
    if (heapIndex >= 0) {
      loop.removeTimer(this);
    }
  }

  /** True if {@link #cancel()} was called before the callback ran. */
  public boolean isCancelled() {
    return cancelled;
  }

  /** For a timer handle, the loop time (seconds, see {@link EventLoop#time()}) it is due at. */
  public double when() {
    return when / 1e9;
  }

  @Override
  public void run() {
    Runnable cb = callback;
    if (cb != null) {
      callback = null;
      cb.run();
    }
  }

  @Override
  void fire(EventLoop l) {
    l.schedule(this);
  }

  @Override
  public String toString() {
    return "Handle[" + (cancelled ? "cancelled " : "") + callback + "]";
  }
}
