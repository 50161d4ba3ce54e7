package dev.coroutine.test;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.waitFor;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * The overhead figures README quotes, measured (not a test: timings do not belong in assertions).
 * Run it with the test class path under the agent, e.g. from coroutine-test after {@code mvn
 * test-compile}: {@code java -javaagent:../coroutine-agent/target/coroutine-agent-*.jar -cp
 * target/test-classes:target/classes:<deps> dev.coroutine.test.KitOverhead}.
 */
final class KitOverhead {
  private KitOverhead() {}

  @Async
  static Coroutine<Integer> anHourOfTimeouts() {
    int n = 0;
    for (int i = 0; i < 3600; i++) {
      try {
        await(waitFor(sleep(Duration.ofSeconds(2)), Duration.ofSeconds(1)));
      } catch (TimeoutException expected) {
        n++;
      }
    }
    return done(n);
  }

  @Async
  static Coroutine<Void> empty() {
    return done();
  }

  public static void main(String[] args) {
    int runs = 2000;
    for (int round = 0; round < 6; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        Coroutines.runWithVirtualTime(empty());
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        AsyncTests.runTest(empty());
      }
      long t2 = System.nanoTime();
      AsyncTests.runTest(anHourOfTimeouts());
      long t3 = System.nanoTime();
      Coroutines.runWithVirtualTime(anHourOfTimeouts());
      long t4 = System.nanoTime();
      Coroutines.runWithVirtualTime(anHourOfTimeouts(), true);
      long t5 = System.nanoTime();
      System.out.printf(
          Locale.ROOT,
          "round %d: empty test: runWithVirtualTime %.1f us, runTest %.1f us;"
              + " an hour of timeouts (3600 waitFor): runTest %.1f ms,"
              + " runWithVirtualTime %.1f ms, same in debug mode %.1f ms%n",
          round,
          (t1 - t0) / 1e3 / runs,
          (t2 - t1) / 1e3 / runs,
          (t3 - t2) / 1e6,
          (t4 - t3) / 1e6,
          (t5 - t4) / 1e6);
    }
  }
}
