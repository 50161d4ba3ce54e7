package dev.coroutine.sync;

import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.internal.Steps;
import java.util.function.Supplier;

/**
 * Python's {@code async with} for the primitives that have one ({@link Lock#withLock}, {@link
 * Semaphore#withPermit}): a coroutine that awaits the acquire, then the body, then releases whether
 * the body succeeded or not. Released exactly once, and only if acquired.
 *
 * @param <T> the body's result type
 */
final class Guarded<T> extends Steps<T> {
  /** Makes the acquire when the coroutine starts (so nothing is taken before it is awaited). */
  private final Supplier<? extends Awaitable<?>> acquire;

  /** The body, awaited while holding the primitive. */
  private final Awaitable<T> body;

  /** Gives the primitive back. */
  private final Runnable release;

  /** 0: not started; 1: acquiring; 2: running the body. */
  private int stage;

  private Guarded(Supplier<? extends Awaitable<?>> acquire, Awaitable<T> body, Runnable release) {
    this.acquire = acquire;
    this.body = body;
    this.release = release;
  }

  /** The coroutine that acquires, runs {@code body} and releases. */
  static <T> Coroutine<T> guarded(
      Supplier<? extends Awaitable<?>> acquire, Awaitable<T> body, Runnable release) {
    return new Guarded<>(acquire, body, release).coroutine();
  }

  @Override
  protected Object step(Object value, Throwable failure) throws Throwable {
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
}
