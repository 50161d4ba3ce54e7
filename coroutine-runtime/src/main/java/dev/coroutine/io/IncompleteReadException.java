package dev.coroutine.io;

import java.io.EOFException;

/**
 * The stream ended before a read was satisfied: asyncio's {@code IncompleteReadError}. Thrown by
 * {@link StreamReader#readExactly} and {@link StreamReader#readUntil}; carries the bytes read (they
 * are consumed from the stream).
 */
public class IncompleteReadException extends EOFException {
  private static final long serialVersionUID = 1L;

  /** The bytes read before the end of the stream. */
  private final byte[] partial;

  /** How many bytes were expected, or -1 when reading up to a separator. */
  private final long expected;

  /**
   * The stream ended after {@code partial}; {@code expected} bytes (-1: a separator) wanted.
   *
   * @param partial the bytes read before the end (kept, not copied)
   * @param expected the number of bytes wanted, or -1 for a separator
   */
  public IncompleteReadException(byte[] partial, long expected) {
    super(
        partial.length
            + " bytes read on a total of "
            + (expected < 0 ? "undefined" : String.valueOf(expected))
            + " expected bytes");
    this.partial = partial;
    this.expected = expected;
  }

  /**
   * The bytes read before the end of the stream (not a copy).
   *
   * @return the bytes read before the end of the stream
   */
  public byte[] partial() {
    return partial;
  }

  /**
   * The number of bytes expected, or -1 when reading up to a separator.
   *
   * @return the number of bytes expected, or -1
   */
  public long expected() {
    return expected;
  }
}
