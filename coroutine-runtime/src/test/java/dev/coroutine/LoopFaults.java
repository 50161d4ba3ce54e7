package dev.coroutine;

/** Faults of a loop's own machinery, for tests in any package. */
public final class LoopFaults {
  private LoopFaults() {}

  /** Closes {@code l}'s selector under it: its next select throws, and the loop fails. */
  public static void breakSelector(EventLoop l) throws java.io.IOException {
    l.io.selector().close();
  }
}
