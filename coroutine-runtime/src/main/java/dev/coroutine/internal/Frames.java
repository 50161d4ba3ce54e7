package dev.coroutine.internal;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Awaitable;
import java.util.function.Supplier;

/**
 * For the runtime's hand-written coroutines (see {@code coroutine-runtime/PROTOCOL.md} and
 * ARCHITECTURE.md): what a body that the transformer did not write needs beyond {@link
 * AsyncFrame}'s public protocol.
 *
 * <p>The convention for a hand-written body: a {@code private static Object resume(AsyncFrame<?>
 * f)} made into a frame with {@code AsyncFrame.create(Owner::resume, refs, prims)}; its state in
 * {@code f.refs}/{@code f.prims}; {@code f.label} 0 to start, one number per await to resume at;
 * each await written as {@code r = AsyncFrame.await(x, f); if (r == SUSPEND) { f.label = n; return
 * r; }} and resumed with {@code f.resumed()}. The runtime never asks such a body where it is (its
 * classes are {@link RuntimeCode}), so it needs no {@code DESCRIBE} branch.
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
    AsyncFrame<T> f = AsyncFrame.create(Frames::awaitOnce, 1, 0);
    f.refs[0] = source;
    return f;
  }

  /** The body of {@link #lazy}: label 0 gets and awaits the awaitable, 1 resumes after it. */
  private static Object awaitOnce(AsyncFrame<?> f) throws Throwable {
    if (f.label == 1) {
      return f.resumed();
    }
    Supplier<?> source = (Supplier<?>) f.refs[0];
    f.refs[0] = null;
    Object r = AsyncFrame.await(source.get(), f);
    if (r == AsyncFrame.SUSPEND) {
      f.label = 1;
    }
    return r;
  }
}
