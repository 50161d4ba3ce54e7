package dev.coroutine.sync;

/**
 * Thrown by {@link Queue#putNowait(Object)} when the queue is full: asyncio's {@code QueueFull}.
 */
public class QueueFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what the queue was asked and why it could not
   */
  public QueueFullException(String message) {
    super(message);
  }
}
