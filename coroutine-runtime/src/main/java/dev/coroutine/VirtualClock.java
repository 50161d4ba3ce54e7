package dev.coroutine;

/**
 * How a loop with a virtual clock ({@link EventLoop#withVirtualTime(VirtualClock)}) moves its clock
 * when it has nothing to run: the seam a test kit uses to stop time at a chosen instant (as
 * kotlinx-coroutines-test's {@code advanceTimeBy}) or to learn that the loop went idle (its {@code
 * advanceUntilIdle}).
 *
 * <p>Invariant: {@link #onIdle} is called only on the loop thread, only when the loop would
 * otherwise wait (nothing ready, no thread-safe callback waiting, the first timer not yet due), and
 * only on virtual-time loops: a loop on the real clock never calls it, so it costs real loops
 * nothing. Time never goes backwards and never passes the first timer: the loop clamps the answer
 * to {@code [now, nextTimer]}.
 */
@FunctionalInterface
public interface VirtualClock {

  /** {@link EventLoop#withVirtualTime()}'s clock: always jumps straight to the next timer. */
  VirtualClock NEXT_TIMER = (loop, now, nextTimer) -> nextTimer;

  /**
   * Called when the loop is idle at virtual time {@code now}: says where the clock goes next. The
   * method may also schedule work on the loop ({@link EventLoop#callSoon}, completing a future):
   * the loop then runs that work at once and does not move the clock in this pass.
   *
   * @param loop the idle loop
   * @param now its virtual time, in loop nanoseconds ({@link EventLoop#time()} times 1e9)
   * @param nextTimer the deadline of its first timer, in loop nanoseconds, or {@link
   *     Long#MAX_VALUE} if it has none (or only timers that never fire)
   * @return the loop time to move the clock to: {@code nextTimer} jumps to the first timer;
   *     something in between stops the clock there (the loop asks again at that time); {@link
   *     Long#MAX_VALUE} with no timer left makes the loop wait, for real, for I/O or another
   *     thread. Returning {@code now} without scheduling work makes the loop ask again at once.
   */
  long onIdle(EventLoop loop, long now, long nextTimer);
}
