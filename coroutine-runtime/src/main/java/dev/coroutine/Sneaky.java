package dev.coroutine;

/** Rethrows any Throwable, checked ones included, as the same instance. */
final class Sneaky {
  private Sneaky() {}

  /**
   * Throws {@code t} unchanged; declared to return so callers can write {@code throw rethrow(t)}.
   */
  static RuntimeException rethrow(Throwable t) {
    throw Sneaky.<RuntimeException>doThrow(t);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E doThrow(Throwable t) throws E {
    throw (E) t;
  }
}
