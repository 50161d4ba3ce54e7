package dev.coroutine;

import java.util.Set;

/**
 * What {@link Coroutines#wait(java.util.Collection, ReturnWhen, java.time.Duration)} returns: the
 * futures that are done and those still pending, each in the order they were passed. Coroutines
 * passed to {@code wait} appear as the tasks that were created for them.
 *
 * @param done the futures finished (with a result, an exception, or cancelled)
 * @param pending the futures not finished yet
 * @param <T> the futures' result type
 */
public record WaitResult<T>(Set<Future<T>> done, Set<Future<T>> pending) {}
