package dev.coroutine;

/**
 * A lazy coroutine object, returned by calling an {@link Async} method. Nothing runs until it is
 * awaited (the body then runs inline, in the awaiting task) or wrapped in a {@link Task}. A
 * coroutine runs at most once: a second await or {@code createTask} throws {@link
 * IllegalStateException}.
 *
 * @param <T> the coroutine's result type
 */
public interface Coroutine<T> extends Awaitable<T> {}
