package dev.coroutine.io;

import java.io.IOException;

/**
 * A line or a chunk up to a separator is longer than the reader's buffer limit: asyncio's {@code
 * LimitOverrunError}. {@link StreamReader#readUntil} leaves the data in the buffer; {@link
 * StreamReader#readLine} discards the over-long line.
 */
public class LimitOverrunException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * As asyncio's {@code consumed}: the bytes before the separator if it was found, otherwise the
   * bytes searched (buffered, less the separator's length plus one).
   */
  private final int consumed;

  /**
   * {@code message}, with {@code consumed} bytes in the buffer.
   *
   * @param message what was overrun
   * @param consumed the number of bytes buffered at that moment
   */
  public LimitOverrunException(String message, int consumed) {
    super(message);
    this.consumed = consumed;
  }

  /**
   * The bytes before the separator if it was found, otherwise the bytes searched.
   *
   * @return that number of bytes
   */
  public int consumed() {
    return consumed;
  }
}
