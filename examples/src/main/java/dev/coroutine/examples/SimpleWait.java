package dev.coroutine.examples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Future;
import dev.coroutine.ReturnWhen;
import dev.coroutine.Task;
import dev.coroutine.WaitResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Seed section 2.5, simple waiting: {@code done, pending = await asyncio.wait(aws, return_when=...,
 * timeout=...)} runs the awaitables concurrently and returns the futures that are done and those
 * still pending. As the seed recommends, tasks are created first and passed to {@code wait}, so
 * that {@code task in done} can be asked of the very objects the caller holds.
 *
 * <p>First the seed's example ({@code foo()} returns 42, waited for with the default {@code
 * ALL_COMPLETED}), then {@code FIRST_COMPLETED}, and a timeout that returns with work still
 * pending. {@code wait} is written qualified, {@code Coroutines.wait(...)}: unqualified, Java
 * resolves the name to {@code Object.wait()}.
 */
public final class SimpleWait {
  private SimpleWait() {}

  /** {@code async def foo(): return 42}. */
  @Async
  static Coroutine<Integer> foo() {
    return done(42);
  }

  @Async
  static Coroutine<String> slow(String name, long millis) {
    await(sleep(millis));
    return done(name);
  }

  @Async
  static Coroutine<Void> main() {
    // the seed's example
    Task<Integer> task = createTask(foo());
    WaitResult<Integer> r = await(Coroutines.wait(Set.of(task), ReturnWhen.ALL_COMPLETED));
    if (r.done().contains(task)) {
      System.out.println(
          "task in done: result "
              + task.result()
              + " ("
              + r.done().size()
              + " done, "
              + r.pending().size()
              + " pending)");
    }

    // FIRST_COMPLETED: returns as soon as one of them finishes
    Task<String> fast = createTask(slow("fast", 100), "fast");
    Task<String> medium = createTask(slow("medium", 300), "medium");
    Task<String> tortoise = createTask(slow("tortoise", 600), "tortoise");
    List<Task<String>> all = List.of(fast, medium, tortoise);
    WaitResult<String> first = await(Coroutines.wait(all, ReturnWhen.FIRST_COMPLETED));
    System.out.println(
        "FIRST_COMPLETED: done " + names(first.done()) + ", pending " + names(first.pending()));

    // a timeout returns what is done by then; nothing is cancelled
    WaitResult<String> timed =
        await(Coroutines.wait(all, ReturnWhen.ALL_COMPLETED, Duration.ofMillis(400)));
    System.out.println(
        "timeout 400 ms: done " + names(timed.done()) + ", pending " + names(timed.pending()));

    WaitResult<String> rest = await(Coroutines.wait(all, ReturnWhen.ALL_COMPLETED));
    System.out.println(
        "ALL_COMPLETED: done " + names(rest.done()) + ", pending " + names(rest.pending()));
    return done();
  }

  /** The names of the tasks in {@code futures}, in the order {@code wait} keeps them. */
  static String names(Set<? extends Future<?>> futures) {
    StringBuilder b = new StringBuilder("[");
    for (Future<?> f : futures) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(f instanceof Task ? ((Task<?>) f).getName() : f.toString());
    }
    return b.append("]").toString();
  }

  public static void main(String[] args) {
    run(main());
  }
}
