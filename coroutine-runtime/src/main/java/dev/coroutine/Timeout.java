package dev.coroutine;

import dev.coroutine.internal.Steps;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * A deadline over a piece of work running inline in the current task: asyncio 3.11's {@code
 * asyncio.timeout()} context manager. Made by {@link Coroutines#timeout(Duration, Body)}; the body
 * receives it and may move the deadline.
 *
 * <p>When the deadline passes, the task is cancelled ({@link Task#cancel()}); when the body then
 * ends with the {@link CancellationException}, the request is withdrawn ({@link Task#uncancel()})
 * and, if no cancellation from elsewhere is left, a {@link TimeoutException} is thrown in its
 * place. A cancellation of the task from outside is never turned into a timeout: the {@link
 * Task#cancelling()} count tells the two apart.
 *
 * <pre>
 *  CREATED --body starts (enter)--> ENTERED --deadline: task.cancel()--> EXPIRING
 *                                      |                                   |
 *                          body ends before the deadline       body ends (unwound)
 *                                      v                                   v
 *                                    EXITED                             EXPIRED
 *                          (result or failure as is)     (CancellationException -> TimeoutException
 *                                                         unless another cancellation is pending)
 *  reschedule/rescheduleAt: only in ENTERED.  expired(): EXPIRING or EXPIRED.
 * </pre>
 */
public final class Timeout {
  /**
   * The body of {@link Coroutines#timeout(Duration, Body)} and {@link Coroutines#timeoutAt(double,
   * Body)}: makes the work to run under the deadline from the scope, so it can inspect it or move
   * the deadline. It may throw what making the work throws (an {@code @Async} method's declared
   * {@code IOException}): the scope then fails with it.
   *
   * @param <T> the type of the work's result
   */
  @FunctionalInterface
  public interface Body<T> {
    /**
     * Makes the work.
     *
     * @param scope the timeout scope the work runs under
     * @return the coroutine to run under the deadline (an async lambda, {@code scope -> {
     *     await(...); return done(x); }}, is one; a future or task is given to {@link
     *     Coroutines#timeout(Duration, Awaitable)} directly)
     * @throws Exception if making it fails (the scope fails with it)
     */
    Coroutine<T> start(Timeout scope) throws Exception;
  }

  /** Not entered yet. */
  private static final int CREATED = 0;

  /** The body is running, the deadline has not passed. */
  private static final int ENTERED = 1;

  /** The deadline passed: the task was cancelled, the body is unwinding. */
  private static final int EXPIRING = 2;

  /** The body ended after the deadline passed. */
  private static final int EXPIRED = 3;

  /** The body ended before the deadline. */
  private static final int EXITED = 4;

  /** One of {@link #CREATED} .. {@link #EXITED}. */
  private int state;

  /** Deadline in loop seconds ({@link EventLoop#time()}), or NaN for none. */
  private double when;

  /** The task running the body; set on entry. */
  private Task<?> task;

  /** The task's {@link Task#cancelling()} count on entry. */
  private int cancellingOnEntry;

  /** The pending expiry callback, or null. */
  private Handle handle;

  /** The body, or the function that makes it from this object. */
  private final Object body;

  /**
   * For a deadline taken on entry ({@code wait_for}'s): the delay added to the loop's time when the
   * body starts (through {@link Deadlines}, as every delay); null when {@link #when} was fixed at
   * creation, or there is no deadline.
   */
  private final Duration delayOnEntry;

  private Timeout(double when, Duration delayOnEntry, Object body) {
    this.when = when;
    this.delayOnEntry = delayOnEntry;
    this.body = body;
  }

  /**
   * The deadline in loop seconds ({@link EventLoop#time()}), or NaN when there is none.
   *
   * @return the deadline in loop seconds, or NaN
   */
  public double when() {
    return when;
  }

  /**
   * True once the deadline passed and the body was cancelled for it.
   *
   * @return true if the deadline passed and cancelled the body
   */
  public boolean expired() {
    return state == EXPIRING || state == EXPIRED;
  }

  /**
   * Moves the deadline to {@code delay} from now ({@code null}: no deadline). Only while the body
   * runs and before the deadline passed.
   *
   * @param delay the new deadline, from now; null for none
   */
  public void reschedule(Duration delay) {
    rescheduleAt(delay == null ? Double.NaN : deadlineAfter(loop(), delay));
  }

  /** The loop time {@code delay} from now, in seconds: +Infinity past ~292 years. */
  static double deadlineAfter(EventLoop loop, Duration delay) {
    return Deadlines.seconds(Deadlines.after(loop.now(), Deadlines.nanos(delay, "timeout")));
  }

  /**
   * Moves the deadline to loop time {@code when} (seconds; NaN: no deadline, as asyncio's {@code
   * reschedule(None)}: NaN is what {@link #when()} gives for none, so a deadline copied from
   * another timeout keeps its meaning; {@code +Infinity} and {@link #reschedule reschedule(null)}
   * say the same).
   *
   * @param when the new deadline in loop seconds; NaN for none
   */
  public void rescheduleAt(double when) {
    if (state != ENTERED) {
      throw new IllegalStateException(
          state == CREATED
              ? "Timeout has not been entered"
              : "Cannot reschedule a finished or expiring timeout");
    }
    this.when = when;
    if (handle != null) {
      handle.cancel();
      handle = null;
    }
    if (!Double.isNaN(when)) {
      EventLoop loop = loop();
      handle = when <= loop.time() ? loop.callSoon(this::expire) : loop.callAt(when, this::expire);
    }
  }

  private EventLoop loop() {
    return task.loop;
  }

  private void expire() {
    handle = null;
    if (state == ENTERED) {
      state = EXPIRING;
      task.cancel();
    }
  }

  @Override
  public String toString() {
    String[] names = {"created", "active", "expiring", "expired", "finished"};
    return "Timeout[" + names[state] + (Double.isNaN(when) ? "" : " when=" + when) + "]";
  }

  // ---- the scope as a hand-written coroutine -----------------------------------------------

  /**
   * The coroutine that runs {@code body} (an Awaitable or a {@link Body} of this) under a deadline.
   */
  static <T> Coroutine<T> scope(double when, Object body) {
    return new Scope<T>(new Timeout(when, null, body)).coroutine();
  }

  /** {@link #scope} whose deadline is {@code delaySeconds} after the body starts. */
  static <T> Coroutine<T> scopeFromEntry(Duration delay, Object body) {
    return new Scope<T>(new Timeout(Double.NaN, delay, body)).coroutine();
  }

  /** The scope's coroutine: enters, runs the body inline under the deadline, exits. */
  private static final class Scope<T> extends Steps<T> {
    /** The timeout the body runs under. */
    private final Timeout to;

    /** True once entered: the next step has the body's outcome. */
    private boolean entered;

    Scope(Timeout to) {
      this.to = to;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Object step(Object value, Throwable failure) throws Throwable {
      if (entered) {
        return to.exit(value, failure);
      }
      to.enter(Coroutines.currentTask());
      entered = true;
      Awaitable<?> inner;
      try {
        Object b = to.body;
        inner = b instanceof Awaitable ? (Awaitable<?>) b : ((Body<?>) b).start(to);
      } catch (Throwable e) { // the function making the body threw: the body failed
        return to.exit(null, e);
      }
      return await(inner);
    }
  }

  private void enter(Task<?> t) {
    if (state != CREATED) {
      throw new IllegalStateException("Timeout has already been entered");
    }
    task = t;
    cancellingOnEntry = t.cancelling();
    state = ENTERED;
    if (delayOnEntry != null) {
      when = deadlineAfter(t.loop, delayOnEntry);
    }
    rescheduleAt(when);
  }

  private Object exit(Object value, Throwable failure) throws Throwable {
    if (handle != null) {
      handle.cancel();
      handle = null;
    }
    if (state == EXPIRING) {
      state = EXPIRED;
      if (task.uncancel() <= cancellingOnEntry && failure instanceof CancellationException) {
        TimeoutException te = new TimeoutException("timed out");
        te.initCause(failure);
        throw te;
      }
    } else {
      state = EXITED;
    }
    if (failure != null) {
      throw failure;
    }
    return value;
  }
}
