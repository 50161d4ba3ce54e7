package dev.coroutine;

/**
 * An iterator whose next value may have to be waited for: Python's asynchronous iterator (what
 * {@code async for} drives). Consumed inside an {@link Async} method:
 *
 * <pre>{@code
 * try (AsyncIterator<String> it = source.iterator()) {
 *   while (await(it.hasNext())) {
 *     String line = it.next();
 *     if (line.isEmpty()) break;      // close() ends the producer: its finally blocks run
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #hasNext()} is lazy, like every coroutine: it does nothing until awaited; awaited, it
 * waits for the next value (running the producer, if the source is an async generator) and returns
 * true, or returns false at the end. A failure of the source is thrown there, unchanged. {@link
 * #next()} then takes the value without waiting. Awaiting {@code hasNext()} again before {@code
 * next()} returns true again and keeps the value, as {@link java.util.Iterator} does.
 *
 * <p>An iterator belongs to one event loop and is not thread-safe. One {@code hasNext()} at a time:
 * awaiting a second while the first waits throws {@link IllegalStateException} (asyncio: "anext():
 * asynchronous generator is already running").
 *
 * @param <T> the type of the values
 */
public interface AsyncIterator<T> extends AutoCloseable {
  /**
   * Waits for the next value: true once there is one for {@link #next()}, false at the end (and
   * from then on). Lazy: nothing happens until the returned coroutine is awaited.
   *
   * @return a coroutine whose result says whether {@link #next()} has a value
   */
  Coroutine<Boolean> hasNext();

  /**
   * The value the last {@code hasNext()} found; {@link java.util.NoSuchElementException} if there
   * is none (the end, or {@code hasNext()} was not awaited).
   *
   * @return the next value
   */
  T next();

  /**
   * asyncio's {@code aclose()}: ends the source early, awaited. A generator suspended at an emit
   * gets {@link GeneratorExitException} thrown there, its {@code finally} blocks run (and may
   * await), and the coroutine finishes when the generator has; a failure of that cleanup (other
   * than the exit itself) is thrown here. Afterwards {@code hasNext()} returns false. Does nothing
   * if the source has finished or was closed.
   *
   * @return a coroutine that closes the source when awaited
   */
  Coroutine<Void> aclose();

  /**
   * Closes the source without waiting, as a {@code try}-with-resources does on leaving the block: a
   * generator that has not started never will; one suspended at an emit is closed by a task of its
   * own, as by {@link #aclose()}, which runs its {@code finally} blocks from the loop's next pass
   * (asyncio's finalizer does the same); if the loop is closed already, the generator is dropped
   * without its cleanup. A generator running for a {@link #hasNext()} of another task at that
   * moment is closed at its next emit: that {@code hasNext()} returns false without the value, and
   * the exit is thrown in at the emit by a task of its own. To have the cleanup done before going
   * on, await {@link #aclose()} instead. Does nothing if the source has finished or was closed.
   */
  @Override
  void close();
}
