package dev.coroutine.transform;

/**
 * Thrown by the {@link CoroutineTransformer} for bytes that are not a class file it can read:
 * truncated, with a damaged constant pool, attributes whose lengths do not add up, bytes after the
 * end. The JVM would reject such a class too; the transformer never rewrites it (which could
 * "repair" it into a class that loads). The message says what is wrong, for example {@code
 * truncated constant pool (entry 10 of 41 is missing)}.
 */
public final class MalformedClassFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the bytes
   */
  public MalformedClassFileException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the bytes
   * @param cause the reader's failure
   */
  public MalformedClassFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
