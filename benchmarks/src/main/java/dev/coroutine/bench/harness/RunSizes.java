package dev.coroutine.bench.harness;

/**
 * How much of everything one run measures: the quick smoke check ({@code -Pquick}) or the full
 * comparison ({@code -Pbench}); README's table of the two modes lists the same numbers.
 */
record RunSizes(
    String name,
    int jmhForks,
    int jmhWarmups,
    int jmhWarmupMs,
    int jmhIterations,
    int jmhIterationMs,
    int w3N,
    int w3Reps,
    int w4N,
    int w4Warmups,
    int w4Reps,
    int w4Processes,
    int pyW1N,
    int pyW2RoundTrips,
    int pyW5N,
    int pyW6Chains,
    int pyReps,
    int pyW3Reps,
    int pyW4Warmups,
    int pyW4Reps,
    int t1Classes,
    int t1Processes,
    int t1Passes,
    int t2MaxClasses,
    int t2Reps,
    int ioMillis,
    int ioWarmupMillis,
    int ioRuns,
    boolean processRowsOnJdk17) {

  static final RunSizes QUICK =
      new RunSizes(
          "quick", 1, 2, 200, 3, 200, 100_000, 1, 100_000, 1, 2, 1, 100_000, 20_000, 1_000_000, 10,
          3, 1, 0, 1, 1_000, 1, 3, 4_000, 3, 1000, 500, 1, false);
  static final RunSizes FULL =
      new RunSizes(
          "full",
          3,
          5,
          1000,
          5,
          1000,
          1_000_000,
          3,
          100_000,
          60, // W4 warm-ups: at 5-10 the JIT was still compiling (C1/C2 a quarter of the CPU)
          10,
          3,
          1_000_000,
          200_000,
          10_000_000,
          100,
          5,
          3,
          2,
          5,
          10_000,
          3,
          5,
          20_000,
          9,
          5000,
          2000,
          3,
          true);
}
