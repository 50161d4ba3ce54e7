package dev.coroutine;

/**
 * Thrown by a {@link Future} asked for something its state does not allow: the result of a future
 * still pending, or a result set twice. asyncio's {@code InvalidStateError}.
 */
public class InvalidStateException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what the future was asked and what state it was in
   */
  public InvalidStateException(String message) {
    super(message);
  }
}
