package dev.coroutine;

/**
 * Something an {@link Async} method can {@link Coroutines#await(Awaitable) await}: a {@link
 * Coroutine}, a {@link Future} or a {@link Task}. It has no methods of its own: the runtime knows
 * each kind and handles it without virtual dispatch on the await path.
 *
 * @param <T> the type of the value the awaitable produces
 */
public interface Awaitable<T> {}
