package dev.coroutine;

import java.util.List;

/**
 * A source of values that arrive over time: Python's asynchronous iterable (what {@code async for}
 * accepts), Kotlin's cold {@code Flow}. Each {@link #iterator()} is a new pass over the source; for
 * an async generator ({@link Coroutines#generate}) each pass runs the producer anew, from its
 * start, only once the consumer asks for the first value.
 *
 * @param <T> the type of the values
 */
@FunctionalInterface
public interface AsyncIterable<T> {
  /**
   * A new iteration over the source ({@code __aiter__}). Starts nothing: the first {@link
   * AsyncIterator#hasNext()} awaited does.
   *
   * @return an iterator to consume with {@code while (await(it.hasNext())) { it.next(); }}
   */
  AsyncIterator<T> iterator();

  /**
   * All the values, in order: Python's {@code [x async for x in source]}. A failure of the source
   * is thrown where the result is awaited, unchanged.
   *
   * @return a coroutine whose result is the list of values, once the source has ended
   */
  default Coroutine<List<T>> toList() {
    return AsyncIteration.collect(this);
  }

  /**
   * The body of an async generator: sequential async code that emits values through {@code out},
   * {@code await(out.emit(x))} for Python's {@code yield x}. Typically an {@link Async} method
   * taking the emitter, or an async lambda: {@code out -> { await(out.emit(1)); return done(); }}.
   *
   * @param <T> the type of the values
   */
  @FunctionalInterface
  interface Producer<T> {
    /**
     * Makes the producer's coroutine (called once per iteration, when the first value is asked for;
     * the coroutine then runs in the consumer's task).
     *
     * @param out where the producer emits its values
     * @return the producer's coroutine; its result is ignored
     * @throws Exception if making the coroutine fails (it is thrown where the value was asked for)
     */
    Coroutine<?> produce(Emitter<T> out) throws Exception;
  }
}
