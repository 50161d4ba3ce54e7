package dev.coroutine;

/**
 * The coroutine of {@code sleep(d)} for {@code d > 0}. It is its own timer-heap entry, so a
 * sleeping task costs no other allocation; the timer starts when the sleep is awaited.
 */
final class Sleep extends TimerEntry implements Coroutine<Void> {
  /** The task that awaits this sleep, or null before it is awaited. */
  private Task<?> task;

  Sleep(long delayNanos) {
    this.when = delayNanos;
  }

  /** Starts the timer for the task of frame {@code f} and suspends it. */
  Object start(AsyncFrame<?> f) {
    Task<?> t = f.task;
    if (task != null) {
      throw new IllegalStateException("this sleep() coroutine was already awaited");
    }
    task = t;
    t.current = f;
    t.waitingOn = this;
    EventLoop loop = t.loop;
    if (t.mustCancel) {
      loop.schedule(t); // cancellation already requested: resume at once to deliver it
    } else {
      when = loop.now() + when;
      loop.addTimer(this);
    }
    return AsyncFrame.SUSPEND;
  }

  @Override
  void fire(EventLoop loop) {
    loop.schedule(task);
  }

  @Override
  public String toString() {
    return "sleep";
  }
}
