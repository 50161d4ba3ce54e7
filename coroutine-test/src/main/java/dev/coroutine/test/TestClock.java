package dev.coroutine.test;

import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.VirtualClock;

/**
 * The test kit's virtual clock: jumps to the next timer like {@link VirtualClock#NEXT_TIMER},
 * except while a task waits in {@link TestTime#advanceTimeBy}, {@link TestTime#advanceUntilIdle} or
 * {@link TestTime#runCurrent}; then it stops at the requested instant and completes that task's
 * future once the loop is idle there.
 *
 * <p>Invariant: at most one advance is pending ({@link #waiter} not done); everything runs on the
 * loop thread.
 */
final class TestClock implements VirtualClock {
  /** Run what is ready now; the clock does not move. */
  static final int CURRENT = 0;

  /** Jump from timer to timer until none is left. */
  static final int IDLE = 1;

  /** Jump from timer to timer up to {@link #target}, then stop there. */
  static final int UNTIL = 2;

  /** The future the advancing task awaits, or null when none is pending. */
  private Future<Void> waiter;

  /** {@link #CURRENT}, {@link #IDLE} or {@link #UNTIL}: what completes {@link #waiter}. */
  private int kind;

  /** For {@link #UNTIL}: the loop time (nanoseconds) to stop at. */
  private long target;

  /** Starts an advance of the given kind; the returned future completes when it is over. */
  Future<Void> advance(EventLoop loop, int kind, long target, String what) {
    Future<Void> w = waiter;
    if (w != null && !w.isDone()) {
      throw new IllegalStateException(
          what
              + " while another advance of the clock is pending: only one task may advance the"
              + " test clock at a time (await the first one)");
    }
    waiter = loop.createFuture();
    this.kind = kind;
    this.target = target;
    return waiter;
  }

  @Override
  public long onIdle(EventLoop loop, long now, long nextTimer) {
    Future<Void> w = waiter;
    if (w == null || w.isDone()) { // none pending, or its task was cancelled
      waiter = null;
      return nextTimer;
    }
    switch (kind) {
      case IDLE:
        if (nextTimer != Long.MAX_VALUE) {
          return nextTimer;
        }
        break;
      case UNTIL:
        if (nextTimer <= target) {
          return nextTimer;
        }
        if (now < target) {
          return target; // asked again there, idle: then done
        }
        break;
      default:
        break;
    }
    waiter = null;
    w.setResult(null); // schedules the waiting task: the loop runs it now, at this time
    return now;
  }
}
