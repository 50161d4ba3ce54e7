package dev.coroutine.bench.ours;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;

/**
 * ST, start-up: what a program's first {@link dev.coroutine.Coroutines#run} costs in a fresh JVM
 * (class loading, the stubs' linking, the loop's first passes), the case of a command-line tool or
 * of each test JVM. Prints {@code first-run-ms <ms>} (main's first run) and {@code second-run-ms
 * <ms>} (the same again, warm); {@link dev.coroutine.bench.harness.StartupBench} runs it in child
 * JVMs.
 */
public final class FirstRun {
  private FirstRun() {}

  @Async
  static Coroutine<Integer> child(int i) {
    await(sleep(0));
    return done(i);
  }

  @Async
  static Coroutine<Integer> main() {
    Task<Integer> a = createTask(child(1));
    Task<Integer> b = createTask(child(2));
    int sum = 0;
    for (int v : await(gather(a, b))) {
      sum += v;
    }
    return done(sum);
  }

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    int first = run(main());
    long t1 = System.nanoTime();
    int second = run(main());
    long t2 = System.nanoTime();
    if (first != 3 || second != 3) {
      throw new IllegalStateException("wrong sums " + first + ", " + second);
    }
    System.out.println("first-run-ms " + (t1 - t0) / 1e6);
    System.out.println("second-run-ms " + (t2 - t1) / 1e6);
  }
}
