package dev.coroutine.sync;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;

/**
 * One operation of a primitive that may have to wait, written as a small state machine over the
 * public coroutine protocol: {@link #step} is called first with {@code (null, null)}, then with the
 * outcome (value or exception) of each awaitable it asked for with {@link #await}, until it returns
 * a result or throws. The op object keeps its own state between steps (a waiter future, a stage
 * number), so the frame needs only its first reference field, no array.
 *
 * @param <T> the result type
 */
abstract class Op<T> {
  /** Returned by {@link #step} (through {@link #await}) to ask for an await. */
  private static final Object AWAIT = new Object();

  /** What {@link #step} asked to await next. */
  private Awaitable<?> next;

  /**
   * Runs the operation a step further: {@code value}/{@code failure} is the outcome of the await
   * asked for last (both null the first time). Returns {@code await(x)} to await {@code x}, or the
   * result.
   */
  abstract Object step(Object value, Throwable failure) throws Throwable;

  /** Asks to await {@code a}; {@link #step} is called again with its outcome. */
  final Object await(Awaitable<?> a) {
    next = a;
    return AWAIT;
  }

  /** The coroutine that runs this operation when awaited. */
  final Coroutine<T> coroutine() {
    AsyncFrame<T> f = AsyncFrame.create(Op::resume, 0, 0);
    f.ref0 = this;
    return f;
  }

  /** The frame body: label 0 starts, label 1 resumes after an await. */
  private static Object resume(AsyncFrame<?> f) throws Throwable {
    Op<?> op = (Op<?>) f.ref0;
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
      Object r = op.step(value, failure);
      if (r != AWAIT) {
        return r;
      }
      Awaitable<?> a = op.next;
      op.next = null;
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

  /**
   * A coroutine that awaits {@code acquire}, then {@code body}, then calls {@code release} whether
   * the body succeeded or not: Python's {@code async with}.
   */
  static <T> Coroutine<T> guarded(
      java.util.function.Supplier<? extends Awaitable<?>> acquire,
      Awaitable<T> body,
      Runnable release) {
    return new Op<T>() {
      /** 0: not started; 1: acquiring; 2: running the body. */
      private int stage;

      @Override
      Object step(Object value, Throwable failure) throws Throwable {
        switch (stage) {
          case 0:
            stage = 1;
            return await(acquire.get());
          case 1:
            if (failure != null) {
              throw failure; // not acquired: nothing to release
            }
            stage = 2;
            return await(body);
          default:
            release.run();
            if (failure != null) {
              throw failure;
            }
            return value;
        }
      }
    }.coroutine();
  }
}
