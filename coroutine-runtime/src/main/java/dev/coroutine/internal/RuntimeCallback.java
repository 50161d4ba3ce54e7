package dev.coroutine.internal;

import java.util.function.Consumer;

/**
 * A callback of the runtime's own (a combinator's done-callback or timer): the loop binds it to no
 * context. A user's callback runs in a copy of the context current when it was registered
 * (asyncio's {@code copy_context()}); that copy is an allocation, and running in it a context
 * switch, per callback once any {@code ContextVar} has been set. The runtime's callbacks read no
 * context variable and call no user code directly (what they complete schedules the user's
 * callbacks, each in its own context), so they skip both: {@code addDoneCallback}, {@code
 * callSoon}, {@code callLater} and {@code callAt} take an instance as it is and run it in the
 * loop's fresh context, like a callback registered while no variable was set.
 *
 * <p>Implemented by the combinators' state objects ({@code Waiting}, {@code AsCompleted}, {@code
 * WaitFor}), or written as a lambda where this type is the target ({@code Shield}, {@link
 * Futures#follow}). The root package's own registrations (gather's slots, {@code TaskGroup}) go
 * through {@code Future.whenDone}, which binds nothing either.
 *
 * @param <F> the future the callback is called with
 */
@FunctionalInterface
public interface RuntimeCallback<F> extends Consumer<F> {}
