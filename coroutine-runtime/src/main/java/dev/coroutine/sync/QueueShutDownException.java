package dev.coroutine.sync;

/**
 * Thrown by putting into a queue that was shut down, or getting from one that was shut down and is
 * empty: asyncio's {@code QueueShutDown}.
 */
public class QueueShutDownException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what the queue was asked and why it could not
   */
  public QueueShutDownException(String message) {
    super(message);
  }
}
