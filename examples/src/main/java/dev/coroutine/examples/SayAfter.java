package dev.coroutine.examples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * Seed section 2.1, "defining async functions": {@code say_after(delay, what)} awaited twice in a
 * row takes the sum of the delays (about 3 s); the same two calls wrapped in tasks run concurrently
 * and take the longest delay (about 2 s). Like the seed it prints {@code started at} and {@code
 * finished at} with {@code time.strftime('%X')}'s format, {@code HH:mm:ss}; each run also prints
 * how long it took.
 */
public final class SayAfter {
  private SayAfter() {}

  /** {@code time.strftime('%X')}. */
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  /** {@code async def say_after(delay, what)}. */
  @Async
  static Coroutine<Void> sayAfter(long millis, String what) {
    await(sleep(millis));
    System.out.println(what);
    return done();
  }

  /** The seed's {@code main}: one await after the other. */
  @Async
  static Coroutine<Void> sequential() {
    long start = System.nanoTime();
    System.out.println("started at " + LocalTime.now().format(CLOCK));

    await(sayAfter(1000, "hello"));
    await(sayAfter(2000, "world"));

    System.out.println("finished at " + LocalTime.now().format(CLOCK) + took(start));
    return done();
  }

  /** The same two calls as tasks, as the asyncio docs continue the example. */
  @Async
  static Coroutine<Void> concurrent() {
    Task<Void> task1 = createTask(sayAfter(1000, "hello"));
    Task<Void> task2 = createTask(sayAfter(2000, "world"));

    long start = System.nanoTime();
    System.out.println("started at " + LocalTime.now().format(CLOCK));

    // both tasks already run; waiting for the two takes as long as the longer one
    await(task1);
    await(task2);

    System.out.println("finished at " + LocalTime.now().format(CLOCK) + took(start));
    return done();
  }

  private static String took(long startNanos) {
    return String.format(" (took %.2f s)", (System.nanoTime() - startNanos) / 1e9);
  }

  /** Runs the sequential version, then the concurrent one. */
  public static void main(String[] args) {
    System.out.println("-- sequential awaits (expect ~3 s)");
    run(sequential());
    System.out.println("-- two tasks (expect ~2 s)");
    run(concurrent());
  }
}
