package dev.coroutine.bench;

/**
 * The two moments a W3 implementation reports to its heap probe (a {@link
 * java.util.function.IntConsumer}, so the Kotlin source set needs no type of ours): {@link
 * #BASELINE} before the first sleeper is created, then the number of sleepers already woken (0 when
 * the measurement is valid) once every sleeper has started sleeping.
 */
public final class Phase {
  /** Passed to the probe before any sleeper exists. */
  public static final int BASELINE = -1;

  private Phase() {}
}
