package dev.coroutine;

import java.util.List;

/**
 * The failures of a {@link TaskGroup}'s tasks (and of its body), thrown together when the group
 * exits: asyncio's {@code ExceptionGroup('unhandled errors in a TaskGroup', ...)}. Each failure is
 * also attached as a suppressed exception, so a stack trace shows them all.
 */
public class TaskGroupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The failures, in the order they happened. */
  private final List<Throwable> exceptions;

  /**
   * A group exception listing {@code exceptions} (at least one).
   *
   * @param message what failed
   * @param exceptions the failures of the group's tasks and body, at least one
   */
  public TaskGroupException(String message, List<? extends Throwable> exceptions) {
    // no cause, as asyncio's `raise ExceptionGroup(...) from None`: the failures are peers, and
    // each is attached as suppressed, so a stack trace shows them all
    super(
        message
            + " ("
            + exceptions.size()
            + " sub-exception"
            + (exceptions.size() == 1 ? ")" : "s)"));
    this.exceptions = List.copyOf(exceptions);
    for (Throwable t : this.exceptions) {
      addSuppressed(t);
    }
  }

  /**
   * The failures, in the order they happened; never empty.
   *
   * @return the failures, in the order they happened
   */
  public List<Throwable> getExceptions() {
    return exceptions;
  }
}
