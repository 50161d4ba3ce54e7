package dev.coroutine.sync;

/** Thrown by {@link Queue#getNowait()} when the queue is empty: asyncio's {@code QueueEmpty}. */
public class QueueEmptyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what the queue was asked and why it could not
   */
  public QueueEmptyException(String message) {
    super(message);
  }
}
