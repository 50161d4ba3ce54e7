package dev.coroutine.sync;

/** Thrown by putting into a queue that was shut down, or getting from one that was shut down and is empty: asyncio's {@code QueueShutDown}. */
public class QueueShutDownException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with {@code message}. */
  public QueueShutDownException(String message) {
    super(message);
  }
}
