package dev.coroutine.test;

/** Rethrows any throwable, checked ones included, without wrapping: failures travel unchanged. */
final class Sneaky {
  private Sneaky() {}

  /**
   * Throws {@code t} as it is; declared to return so callers can write {@code throw rethrow(t)}.
   */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException rethrow(Throwable t) throws E {
    throw (E) t;
  }
}
