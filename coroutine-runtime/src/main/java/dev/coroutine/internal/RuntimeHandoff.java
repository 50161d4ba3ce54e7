package dev.coroutine.internal;

import dev.coroutine.EventLoop;

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

  /**
   * A handoff that runs {@code action}, or {@code ifDropped} if its loop closes first.
   *
   * @param action what the loop runs
   * @param ifDropped what releases what {@code action} would have taken care of
   * @return the handoff
   */
  static RuntimeHandoff of(Runnable action, Runnable ifDropped) {
    return new RuntimeHandoff() {
      @Override
      public void run() {
        action.run();
      }

      @Override
      public void dropped() {
        ifDropped.run();
      }
    };
  }

  /**
   * Hands {@code action} to {@code loop}; {@code ifDropped} runs instead if the loop is closed, now
   * (on this thread) or before it runs the action (on the closing thread): the one place for both.
   *
   * @param loop the loop to run {@code action}
   * @param action what the loop runs
   * @param ifDropped what releases what {@code action} would have taken care of
   */
  static void handTo(EventLoop loop, Runnable action, Runnable ifDropped) {
    try {
      loop.callSoonThreadsafe(of(action, ifDropped));
    } catch (IllegalStateException closed) {
      ifDropped.run();
    }
  }
}
