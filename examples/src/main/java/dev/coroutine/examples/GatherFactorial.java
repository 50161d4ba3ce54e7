package dev.coroutine.examples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;

/**
 * Seed section 2.2.2, {@code asyncio.gather}: three factorial coroutines scheduled concurrently.
 * Each prints a line, sleeps a second, and goes on; the loop runs them in the order gather wrapped
 * them in tasks, so the interleaving is exactly the seed's "Expected output":
 *
 * <pre>
 * Task A: Compute factorial(2)...
 * Task B: Compute factorial(2)...
 * Task C: Compute factorial(2)...
 * Task A: factorial(2) = 2
 * Task B: Compute factorial(3)...
 * Task C: Compute factorial(3)...
 * Task B: factorial(3) = 6
 * Task C: Compute factorial(4)...
 * Task C: factorial(4) = 24
 * </pre>
 *
 * <p>gather's result, the three return values in argument order, is printed last.
 */
public final class GatherFactorial {
  private GatherFactorial() {}

  /** {@code async def factorial(name, number)}. */
  @Async
  static Coroutine<Long> factorial(String name, int number) {
    long f = 1;
    for (int i = 2; i <= number; i++) {
      System.out.println("Task " + name + ": Compute factorial(" + i + ")...");
      await(sleep(1000));
      f *= i;
    }
    System.out.println("Task " + name + ": factorial(" + number + ") = " + f);
    return done(f);
  }

  /** Schedules three calls concurrently and waits for all of them. */
  @Async
  static Coroutine<List<Long>> main() {
    List<Long> results = await(gather(factorial("A", 2), factorial("B", 3), factorial("C", 4)));
    return done(results);
  }

  public static void main(String[] args) {
    List<Long> results = run(main());
    System.out.println("gather returned " + results);
  }
}
