package dev.coroutine;

/**
 * A place where a task waits without a future: the line of a queue's getters or putters. A waiting
 * operation parks its caller's task here ({@link #park}); waking it ({@link #wake}) schedules the
 * task, and when the task runs, {@link #resume} computes what its frame resumes with, on the loop,
 * at that moment (so a woken getter re-checks the queue, as asyncio's does). A wait costs no
 * allocation: the line holds the task itself.
 *
 * <p>Invariant: a task parked here has {@link Task#waitingOn} {@code == this} and is in this spot's
 * line, either waiting or woken (then scheduled exactly once); it leaves the line in {@link
 * #resume}, {@link #abandon} or {@link #withdrawWaiting}. Loop-affine, like the task.
 */
public abstract class Parking {
  /** For subclasses. */
  protected Parking() {}

  /**
   * Parks the task running {@code caller}, to be woken by {@link #wake}: puts it in the line
   * ({@link #enqueue}) with {@code datum} (a put's item) and returns {@link AsyncFrame#SUSPEND},
   * which the caller returns. A cancellation requested while the task ran is delivered at once
   * instead (the task is not put in the line).
   *
   * @param spot where the task waits
   * @param caller the frame that awaits the waiting operation; it resumes with {@link #resume}'s
   *     outcome
   * @param datum what the line keeps beside the task, or null
   * @return {@link AsyncFrame#SUSPEND}
   */
  public static Object park(Parking spot, AsyncFrame<?> caller, Object datum) {
    Task<?> t = caller.task();
    t.current = caller;
    if (t.mustCancel) {
      t.suspendCancelled(); // resumes at once with the cancellation, never in the line
    } else {
      t.waitingOn = spot;
      spot.enqueue(t, datum);
    }
    return AsyncFrame.SUSPEND;
  }

  /**
   * Schedules {@code t}, parked here, to run: its {@link #resume} then runs on its next step.
   *
   * @param t a task in this spot's line, not woken yet
   */
  protected static void wake(Task<?> t) {
    t.loop.schedule(t);
  }

  /**
   * Puts {@code t} at the end of the line, with {@code datum}.
   *
   * @param t the task that waits
   * @param datum what to keep beside it, or null
   */
  protected abstract void enqueue(Task<?> t, Object datum);

  /**
   * The woken task {@code t} runs: takes it out of the line and returns the value its frame resumes
   * with, or throws the failure it resumes with, or enqueues it again and returns {@link
   * AsyncFrame#SUSPEND} to keep it waiting.
   *
   * @param t the woken task
   * @return the value to resume with, or {@link AsyncFrame#SUSPEND}
   * @throws Throwable the failure to resume with
   */
  protected abstract Object resume(Task<?> t) throws Throwable;

  /**
   * {@code t} is cancelled while in the line and not woken: takes it out and returns true; false
   * (nothing changed) if it was already woken, or is not in the line.
   *
   * @param t the task being cancelled
   * @return true if {@code t} was waiting and is now out of the line
   */
  protected abstract boolean withdrawWaiting(Task<?> t);

  /**
   * {@code t}, woken (or never put in the line), runs with a cancellation instead of resuming:
   * takes it out of the line and, if it had been woken for something still there (an item, a free
   * slot), wakes the next one instead, so no wake-up is lost.
   *
   * @param t the cancelled task
   */
  protected abstract void abandon(Task<?> t);
}
