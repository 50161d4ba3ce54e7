package dev.coroutine;

/**
 * Where an async generator's producer puts its values: {@code await(out.emit(x))} is Python's
 * {@code yield x} in an {@code async def}. The await suspends the producer until the consumer asks
 * for the value after {@code x}; if the consumer closes the iteration instead, it throws {@link
 * GeneratorExitException} (a {@link java.util.concurrent.CancellationException}) so that the
 * producer's {@code finally} blocks run.
 *
 * @param <T> the type of the values
 */
@FunctionalInterface
public interface Emitter<T> {
  /**
   * Hands {@code value} to the consumer when awaited, and returns when the consumer asks for the
   * next one. Only the producer's own coroutine (or coroutines it awaits) may await it, while the
   * generator runs: anywhere else awaiting it throws {@link IllegalStateException}.
   *
   * @param value the value to hand over; may be null
   * @return a coroutine to await in the producer
   */
  Coroutine<Void> emit(T value);
}
