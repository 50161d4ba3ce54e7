package dev.coroutine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a coroutine function, Python's {@code async def}.
 *
 * <p>The method must return {@link Coroutine}. Build-time (the {@code coroutine-maven-plugin}) or
 * load-time (the {@code -javaagent}) instrumentation rewrites its body into a resumable state
 * machine: calling the method runs none of the body and returns a lazy {@link Coroutine}; inside
 * the body {@link Coroutines#await(Awaitable)} suspends until the awaited work finishes, and {@code
 * return Coroutines.done(value)} completes the coroutine.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Async {}
