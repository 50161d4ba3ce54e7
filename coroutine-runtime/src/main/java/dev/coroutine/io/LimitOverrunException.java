package dev.coroutine.io;

import java.io.IOException;

/**
 * A line or a chunk up to a separator is longer than the reader's buffer limit: asyncio's {@code
 * LimitOverrunError}. {@link StreamReader#readUntil} leaves the data in the buffer; {@link
 * StreamReader#readLine} discards the over-long line.
 */
public class LimitOverrunException extends IOException {
  private static final long serialVersionUID = 1L;

  /** How many bytes were buffered (to be consumed) when the limit was found overrun. */
  private final int consumed;

  /** {@code message}, with {@code consumed} bytes in the buffer. */
  public LimitOverrunException(String message, int consumed) {
    super(message);
    this.consumed = consumed;
  }

  /** How many bytes were buffered when the limit was found overrun. */
  public int consumed() {
    return consumed;
  }
}
