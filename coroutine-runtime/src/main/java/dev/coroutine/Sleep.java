package dev.coroutine;

/**
 * The coroutine of {@code sleep(d)} for {@code d > 0}; the timer starts when it is awaited. Most
 * sleeps end no sooner than the one started before them: then the task itself waits in the timers'
 * {@link Sleepers} with {@link Task#waitingOn} {@link #SLEEPING}, and this object is not kept. A
 * sleep that ends earlier than the last sleeper's is its own timer entry.
 *
 * <p>As in asyncio (where the timer sets a future's result and that wakes the task), the expired
 * timer runs as a callback in the pass it is due and the task resumes in the next pass: so
 * callbacks that timers due in the same pass schedule run before the task, in the order asyncio
 * runs them.
 */
final class Sleep extends TimerEntry implements Coroutine<Void>, Runnable {
  /**
   * {@link Task#waitingOn} of a task that is one of the timers' {@link Sleepers}, or whose sleep
   * there is due ({@link Sleepers#DUE}): the task is then on the ready queue for the pass it is due
   * in, where it only queues itself again ({@link Task#step}), as this object's {@link #run} would,
   * so it resumes one pass later as asyncio's task does. The task is not written when its timer
   * fires (a million sleepers woken are a million fewer card marks for the collector).
   */
  static final Object SLEEPING = new AsyncFrame.Marker("SLEEPING");

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
    EventLoop loop = t.loop;
    if (t.mustCancel) {
      t.suspendCancelled(); // cancellation already requested: resume at once to deliver it
    } else {
      when = Deadlines.after(loop.now(), when); // saturates: sleep(forever) never fires
      loop.addSleep(this, t);
    }
    return AsyncFrame.SUSPEND;
  }

  /**
   * The timer of {@code t}, one of the timers' {@link Sleepers}, is due: back among the live tasks,
   * and queued (see {@link #SLEEPING}).
   */
  static void over(Task<?> t) {
    EventLoop l = t.loop;
    l.linkTask(t);
    l.schedule(t);
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
      t.waitingOn = null; // queued: a cancel() from now on only marks it (asyncio's must_cancel)
      t.loop.schedule(t);
    }
  }

  @Override
  public String toString() {
    return "sleep";
  }
}
