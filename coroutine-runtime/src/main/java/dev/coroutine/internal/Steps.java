package dev.coroutine.internal;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Awaitable;

/**
 * The runtime's one convention for a coroutine written by hand (not an {@code @Async} method): a
 * step function over the public coroutine protocol. {@link #step} is called first with {@code
 * (null, null)}, then with the outcome (value, or failure) of each awaitable it asked for with
 * {@link #await}, until it returns a result or throws. The object keeps its own state between steps
 * (a stage number, what it waits on), so its frame needs only {@link AsyncFrame#ref0}: no arrays,
 * no label of its own. The one body, {@link #resume}, does what every hand-written body did its own
 * way before: the label switch, the await, {@link AsyncFrame#SUSPEND}, and reading the resumed
 * value or failure.
 *
 * <p>A new one (a sync primitive's slow path, a scope like {@code TaskGroup} or {@code Timeout}, an
 * I/O read) copies this shape:
 *
 * <pre>{@code
 * final class Acquire extends Steps<Void> {
 *   private int stage;                       // 0: not started; 1: waiting
 *   protected Object step(Object value, Throwable failure) throws Throwable {
 *     if (stage == 0) { stage = 1; return await(waiter); }   // suspends unless done already
 *     if (failure != null) throw failure;                     // the wait's failure
 *     return null;                                            // the result
 *   }
 * }
 * ... return new Acquire().coroutine();
 * }</pre>
 *
 * <p>Invariant: {@link #next} is non-null only between a {@link #step} that returned {@code
 * await(x)} and the driver taking it; a step object drives one frame, once. The runtime never asks
 * such a body where it is suspended ({@link RuntimeCode} covers this package), so it needs no
 * {@link AsyncFrame#DESCRIBE} branch.
 *
 * @param <T> the coroutine's result type
 */
public abstract class Steps<T> {
  /** Returned by {@link #step} (through {@link #await}) to ask for an await. */
  private static final Object AWAIT = new Object();

  /** {@link AsyncFrame#label} of a frame suspended at an await asked for by {@link #step}. */
  private static final int AWAITING = 1;

  /** What {@link #step} asked to await next; null once the driver took it. */
  private Awaitable<?> next;

  /** For subclasses. */
  protected Steps() {}

  /**
   * Runs the coroutine a step further: {@code value}/{@code failure} is the outcome of the await
   * asked for last (both null the first time). Returns {@code await(x)} to await {@code x}, or the
   * coroutine's result; throws its failure.
   *
   * @param value the awaited value, or null
   * @param failure the awaited failure (a cancellation of the task included), or null
   * @return {@code await(x)}, or the result
   * @throws Throwable the coroutine's failure
   */
  protected abstract Object step(Object value, Throwable failure) throws Throwable;

  /**
   * Asks to await {@code a}: {@link #step} returns this, and is called again with its outcome (at
   * once if {@code a} is done, else when the task resumes).
   *
   * @param a what to await
   * @return the marker {@link #step} returns
   */
  protected final Object await(Awaitable<?> a) {
    next = a;
    return AWAIT;
  }

  /**
   * The coroutine that runs this step function when awaited (or run as a task).
   *
   * @return a coroutine not started yet; awaitable once (a frame, so a task drives it as it is)
   */
  public final AsyncFrame<T> coroutine() {
    AsyncFrame<T> f = AsyncFrame.create(Steps::resume, 0, 0);
    f.ref0 = this;
    return f;
  }

  /** The one body: label 0 starts, {@link #AWAITING} resumes after an await. */
  private static Object resume(AsyncFrame<?> f) throws Throwable {
    Steps<?> s = (Steps<?>) f.ref0;
    Object value = null;
    Throwable failure = null;
    if (f.label == AWAITING) {
      try {
        value = f.resumed();
      } catch (Throwable e) {
        failure = e;
      }
    }
    while (true) {
      Object r = s.step(value, failure);
      if (r != AWAIT) {
        return r;
      }
      Awaitable<?> a = s.next;
      s.next = null;
      try {
        r = AsyncFrame.await(a, f);
      } catch (Throwable e) { // a failed future, or an inline coroutine that threw
        value = null;
        failure = e;
        continue;
      }
      if (r == AsyncFrame.SUSPEND) {
        f.label = AWAITING;
        return r;
      }
      value = r; // done at once: step again without a trip through the loop
      failure = null;
    }
  }
}
