package dev.coroutine.io;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Coroutine;

/**
 * A hand-written coroutine for the I/O tests (the runtime module has no transformer): a state
 * machine whose {@link #step} gets the outcome of the await it asked for last and returns {@link
 * #await(Object) await(x)} or the result. Loops are written with {@link #state}.
 *
 * @param <T> the result type
 */
public abstract class Machine<T> {
  private static final Object AWAIT = new Object();

  /** What {@link #step} asked to await. */
  private Object next;

  /** The user's state number; 0 at the start. */
  protected int state;

  /**
   * One step: {@code failure} is the exception the last await threw (null if it returned {@code
   * value}); both are null the first time.
   */
  protected abstract Object step(Object value, Throwable failure) throws Throwable;

  /** Asks to await {@code awaitable}; {@link #step} is called again with its outcome. */
  protected final Object await(Object awaitable) {
    next = awaitable;
    return AWAIT;
  }

  /** The coroutine that runs this machine when awaited. */
  public final Coroutine<T> coroutine() {
    AsyncFrame<T> f = AsyncFrame.create(Machine::resume, 1, 0);
    f.refs[0] = this;
    return f;
  }

  private static Object resume(AsyncFrame<?> f) throws Throwable {
    if (f.label < 0) {
      return null;
    }
    Machine<?> m = (Machine<?>) f.refs[0];
    Object value = null;
    Throwable failure = null;
    if (f.label == 1) {
      try {
        value = f.resumed();
      } catch (Throwable e) {
        failure = e;
      }
    }
    while (true) {
      Object r = m.step(value, failure);
      if (r != AWAIT) {
        return r;
      }
      Object a = m.next;
      m.next = null;
      try {
        r = AsyncFrame.await(a, f);
      } catch (Throwable e) {
        value = null;
        failure = e;
        continue;
      }
      if (r == AsyncFrame.SUSPEND) {
        f.label = 1;
        return r;
      }
      value = r;
      failure = null;
    }
  }
}
