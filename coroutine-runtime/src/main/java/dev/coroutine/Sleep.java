package dev.coroutine;

/**
 * The coroutine of {@code sleep(d)} for {@code d > 0}. It is its own timer-heap entry, so a
 * sleeping task costs no other allocation; the timer starts when the sleep is awaited.
 *
 * <p>As in asyncio (where the timer sets a future's result and that wakes the task), the expired
 * timer runs as a callback in the pass it is due and the task resumes in the next pass: so
 * callbacks that timers due in the same pass schedule run before the task, in the order asyncio
 * runs them.
 */
final class Sleep extends TimerEntry implements Coroutine<Void>, Runnable {
  /** The task that awaits this sleep, or null before it is awaited. */
  private Task<?> task;

  Sleep(long delayNanos) {
    this.when = delayNanos;
    if (Debug.tracking) {
      Debug.trackFrame(this, "sleep()"); // debug mode: a sleep never awaited is reported
    }
  }

  /** Starts the timer for the task of frame {@code f} and suspends it. */
  Object start(AsyncFrame<?> f) {
    Task<?> t = f.task();
    if (task != null) {
      throw new IllegalStateException("this sleep() coroutine was already awaited");
    }
    task = t;
    if (Debug.tracking) {
      Debug.frameStarted(this);
    }
    t.current = f;
    t.waitingOn = this;
    EventLoop loop = t.loop;
    if (t.mustCancel) {
      loop.schedule(t); // cancellation already requested: resume at once to deliver it
    } else {
      when = Deadlines.after(loop.now(), when); // saturates: sleep(forever) never fires
      loop.addTimer(this);
    }
    return AsyncFrame.SUSPEND;
  }

  @Override
  void fire(LoopCore loop) {
    loop.schedule(this); // run() wakes the task, one pass later (see the class comment)
  }

  /** The expired timer's callback: wakes the task unless a cancellation already woke it. */
  @Override
  public void run() {
    Task<?> t = task;
    if (t.waitingOn == this && t.state == Future.PENDING) {
      t.loop.schedule(t);
    }
  }

  @Override
  public String toString() {
    return "sleep";
  }
}
