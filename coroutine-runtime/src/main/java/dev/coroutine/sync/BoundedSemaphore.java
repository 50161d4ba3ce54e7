package dev.coroutine.sync;

/**
 * A {@link Semaphore} that refuses to be released more often than acquired: asyncio's {@code
 * BoundedSemaphore}. {@link #release()} beyond the initial number of permits throws {@link
 * IllegalStateException}.
 */
public final class BoundedSemaphore extends Semaphore {
  /** The initial, and highest, number of permits. */
  private final int bound;

  /**
   * A bounded semaphore with {@code permits} permits.
   *
   * @param permits the initial and largest number of permits
   */
  public BoundedSemaphore(int permits) {
    super(permits);
    this.bound = permits;
  }

  /** Returns a permit; {@link IllegalStateException} if that would exceed the initial number. */
  @Override
  public void release() {
    if (availablePermits() >= bound) {
      throw new IllegalStateException("BoundedSemaphore released too many times");
    }
    super.release();
  }
}
