package dev.coroutine;

/**
 * A hand-written coroutine whose work begins only when it is awaited (or wrapped in a task), as an
 * asyncio coroutine object does nothing until then. The primitives of {@code dev.coroutine.sync}
 * return these, so that {@code lock.acquire()} or {@code queue.put(x)} acts when awaited, not when
 * called, while the common case (a free lock, a free slot) finishes at the await with no frame: the
 * object holds only the operation's arguments.
 *
 * <p>Invariant: {@link #start} runs at most once per hand-out; a second await throws {@link
 * IllegalStateException}, as for any coroutine. A primitive may hand the same object out again once
 * it was awaited ({@link #reuse()}), so that an operation repeated in a loop allocates nothing.
 *
 * @param <T> the coroutine's result type
 */
public abstract class LazyCoroutine<T> implements Coroutine<T> {
  /** Set when first awaited. */
  private boolean started;

  /**
   * For subclasses. In debug mode, one never awaited is reported as a frame would be, named {@code
   * Owner.operation()} from the arguments: a constructor must not call the subclass's {@code
   * toString()}, whose fields are not assigned yet.
   *
   * @param owner what the operation is on (its class names the report), e.g. the queue
   * @param operation the method that returned this coroutine, e.g. {@code "put"}
   */
  protected LazyCoroutine(Object owner, String operation) {
    if (Debug.tracking) {
      Debug.trackFrame(this, owner.getClass().getSimpleName() + "." + operation + "()");
    }
  }

  /**
   * Does the work, awaited from frame {@code caller}: returns the result, throws the failure, or,
   * to wait, returns {@code AsyncFrame.await(frame, caller)} of a coroutine frame that does the
   * waiting (its outcome becomes this coroutine's), or {@link Parking#park} (the spot's {@code
   * resume} then gives the outcome). It must not await a future directly: the caller would then
   * resume with the future's outcome, past whatever this coroutine does after.
   *
   * @param caller the frame that awaits this coroutine
   * @return the result, or what {@code AsyncFrame.await} returned for the frame that waits
   * @throws Throwable the failure, unchanged
   */
  protected abstract Object start(AsyncFrame<?> caller) throws Throwable;

  /**
   * Makes this operation, already awaited, awaitable once more, for a primitive that hands the same
   * object out again instead of allocating one per call: true if it did; false in debug mode (each
   * coroutine object is tracked there, to report one never awaited) or if this object was never
   * awaited (it may still be held, unawaited, by whoever got it).
   *
   * @return true if the object may be handed out again
   */
  protected final boolean reuse() {
    if (!started || Debug.tracking) {
      return false;
    }
    started = false;
    return true;
  }

  /** Called by {@link AsyncFrame#await}: runs {@link #start} once. */
  final Object begin(AsyncFrame<?> caller) throws Throwable {
    if (started) {
      throw new IllegalStateException(
          "coroutine " + this + " was already awaited or scheduled: a coroutine runs at most once");
    }
    started = true;
    if (Debug.tracking) {
      Debug.frameStarted(this);
    }
    return start(caller);
  }
}
