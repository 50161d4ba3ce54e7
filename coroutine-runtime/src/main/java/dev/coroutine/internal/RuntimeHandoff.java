package dev.coroutine.internal;

/**
 * A callback a runtime thread that serves every loop (the cleaner closing unclosed connections)
 * hands to one loop through {@code callSoonThreadsafe}: it never waits for room in that loop's
 * inbox, so one loop flooded by its producers cannot hold up what the thread owes the others.
 * Admitted past the bound, as a loop thread's own callbacks are.
 */
@FunctionalInterface
public interface RuntimeHandoff extends Runnable {}
