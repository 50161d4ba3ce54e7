package dev.coroutine;

import java.time.Duration;

/**
 * Deadline arithmetic in loop nanoseconds, the one place where delays become deadlines.
 *
 * <p>Invariant: nothing here wraps around. A deadline too far away to be represented saturates at
 * {@link #NEVER} ({@code Long.MAX_VALUE}), which means "no deadline": a timer due {@code NEVER}
 * waits in the timers like any other (it can be cancelled) but never fires and never makes the loop
 * wake up for it. A negative delay is a deadline in the past (due at once, in deadline order, as in
 * asyncio). A NaN delay or deadline is refused with an {@link IllegalArgumentException} naming the
 * call.
 */
final class Deadlines {
  private Deadlines() {}

  /** The deadline of a timer that never fires (an infinite or overflowing delay). */
  static final long NEVER = Long.MAX_VALUE;

  /**
   * {@code now + delayNanos}, saturated: at {@link #NEVER} for a delay too long to represent, at
   * {@code Long.MIN_VALUE} for a negative one too long (a deadline in the past either way).
   */
  static long after(long now, long delayNanos) {
    long when = now + delayNanos;
    if (((now ^ when) & (delayNanos ^ when)) < 0) { // overflowed (Math.addExact's test)
      return delayNanos > 0 ? NEVER : Long.MIN_VALUE;
    }
    return when;
  }

  /**
   * How long to wait from {@code now} until {@code deadline}: 0 if due, {@link #NEVER} if never.
   */
  static long untilDeadline(long deadline, long now) {
    if (deadline <= now) {
      return 0;
    }
    if (deadline == NEVER) {
      return NEVER;
    }
    long wait = deadline - now;
    return wait < 0 ? NEVER : wait; // now < 0 cannot happen for loop time; stay safe anyway
  }

  /**
   * The nanoseconds of {@code d}, saturated instead of the {@link ArithmeticException} of toNanos.
   */
  static long nanos(Duration d, String what) {
    if (d == null) {
      throw new NullPointerException(what + ": the duration is null");
    }
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return d.isNegative() ? Long.MIN_VALUE : NEVER; // beyond ~292 years either way
    }
  }

  /** The nanoseconds of {@code millis}, saturated instead of overflowing. */
  static long nanosOfMillis(long millis) {
    if (millis >= NEVER / 1_000_000L) {
      return NEVER;
    }
    if (millis <= Long.MIN_VALUE / 1_000_000L) {
      return Long.MIN_VALUE;
    }
    return millis * 1_000_000L;
  }

  /**
   * The nanoseconds of {@code seconds} (a delay or a loop time), saturated ({@code +Infinity} and
   * anything past {@code Long.MAX_VALUE} ns is {@link #NEVER}); NaN is refused, naming the call (a
   * constant, so no message is built on the normal path).
   */
  static long nanosOfSeconds(double seconds, String call) {
    if (Double.isNaN(seconds)) {
      throw new IllegalArgumentException(call + "(NaN): the time is NaN (not a number)");
    }
    return Math.round(seconds * 1e9); // the nearest: 2.01 s is 2,010,000,000 ns (saturates)
  }

  /** A deadline in loop seconds for a timer due {@code when} (ns): +Infinity for {@link #NEVER}. */
  static double seconds(long when) {
    return when == NEVER ? Double.POSITIVE_INFINITY : when / 1e9;
  }
}
