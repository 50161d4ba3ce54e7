package dev.coroutine.internal;

/**
 * A callback the runtime itself hands to a loop through {@code callSoonThreadsafe} (an accepted
 * connection for another loop of a group, a server to start or close there, a child's exit, an
 * unclosed connection to close). It never waits for room in that loop's inbox, so one loop flooded
 * by its producers cannot hold up what a thread owes the others (admitted past the bound, as a loop
 * thread's own callbacks are), and it captures no context. If the loop closes before running it,
 * {@code close()} calls {@link #dropped()} instead of reporting it among the user's dropped
 * callbacks: what it carries (a socket, a caller's future) must not be lost with it.
 */
@FunctionalInterface
public interface RuntimeHandoff extends Runnable {
  /**
   * The loop closed before running this callback: release or fail what it carries. Called once, on
   * the thread closing the loop, which no longer runs.
   */
  default void dropped() {}
}
