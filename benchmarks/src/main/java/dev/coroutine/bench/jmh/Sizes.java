package dev.coroutine.bench.jmh;

/**
 * Batch sizes of the JMH benchmarks: one benchmark invocation runs one batch on a fresh event loop
 * (or thread, or runBlocking), and {@code @OperationsPerInvocation} divides by the number of
 * operations, so setting up the loop is amortized to nothing.
 */
final class Sizes {
  /** W1: yields per invocation. */
  static final int W1_YIELDS = 100_000;

  /** W2: round trips per invocation (each is two hand-offs). */
  static final int W2_ROUND_TRIPS = 10_000;

  /** W2: hand-offs per invocation. */
  static final int W2_HANDOFFS = 2 * W2_ROUND_TRIPS;

  /** W5: awaits per invocation. */
  static final int W5_AWAITS = 1_000_000;

  /** W6: chains per invocation. */
  static final int W6_CHAINS = 10;

  /** W6: nesting depth of one chain. */
  static final int W6_DEPTH = 1_000;

  /** W6: levels per invocation. */
  static final int W6_LEVELS = W6_CHAINS * W6_DEPTH;

  private Sizes() {}
}
