package dev.coroutine.internal;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Awaitable;
import java.util.function.Supplier;

/**
 * The runtime's one lazy coroutine from a supplier: work that starts when awaited. Hand-written
 * coroutine bodies in general follow {@link Steps}, as this one does.
 */
public final class Frames {
  private Frames() {}

  /**
   * A coroutine that, when awaited (or run as a task), gets an awaitable from {@code source} and
   * awaits it: lazy, as a call of an {@code @Async} method is. The runtime's one way to make a
   * coroutine of work that starts when awaited ({@code toThread}, {@code asCompleted}, ...).
   *
   * @param <T> the result type
   * @param source makes the awaitable, on the loop thread, when the coroutine starts
   * @return a coroutine not started yet
   */
  public static <T> AsyncFrame<T> lazy(Supplier<? extends Awaitable<? extends T>> source) {
    return new Lazy<T>(source).coroutine();
  }

  /** The steps of {@link #lazy}: gets and awaits the awaitable, then returns its outcome. */
  private static final class Lazy<T> extends Steps<T> {
    /** Makes the awaitable; null once it did. */
    private Supplier<? extends Awaitable<? extends T>> source;

    Lazy(Supplier<? extends Awaitable<? extends T>> source) {
      this.source = source;
    }

    @Override
    protected Object step(Object value, Throwable failure) throws Throwable {
      Supplier<? extends Awaitable<? extends T>> s = source;
      if (s != null) {
        source = null;
        return await(s.get());
      }
      if (failure != null) {
        throw failure;
      }
      return value;
    }
  }
}
