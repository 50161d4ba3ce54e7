package dev.coroutine.examples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.ensureFuture;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;

/**
 * Seed section 2.2, tasks and the event loop, and 2.2.1, "This event loop is already running".
 *
 * <ol>
 *   <li>The high-level way: inside {@code main}, {@code createTask(coro())} (asyncio's {@code
 *       create_task}, Python 3.7+) and {@code ensureFuture(coro())} (the older spelling) schedule
 *       coroutines; {@code await(task)} suspends {@code main} until the task is done.
 *   <li>The low-level way the seed lists: a loop of our own, {@code loop.createTask}, {@code
 *       loop.runUntilComplete}, then {@code loop.runForever()} until {@code loop.stop()}.
 *   <li>Section 2.2.1: a loop started by {@code run} is running, so calling {@code
 *       runUntilComplete} (or {@code run}) from inside it is refused with asyncio's message.
 * </ol>
 */
public final class CreateTask {
  private CreateTask() {}

  /** {@code async def coro()}. */
  @Async
  static Coroutine<String> coro(String name, long millis) {
    await(sleep(millis));
    System.out.println("  " + name + ": ran");
    return done(name + " result");
  }

  /** {@code async def main()} of section 2.2. */
  @Async
  static Coroutine<Void> main() {
    Task<String> task = createTask(coro("create_task", 200));
    Future<String> future = ensureFuture(coro("ensure_future", 100));
    System.out.println("  scheduled: " + task + " and " + future);

    String first = await(task); // suspends main until the task is done; the other runs meanwhile
    System.out.println("  await task -> " + first);
    String second = await(future); // already done: no suspension
    System.out.println("  await future -> " + second);
    return done();
  }

  /** Section 2.2.1: a loop that is running cannot be run again from inside. */
  @Async
  static Coroutine<Void> runInsideRunningLoop() {
    EventLoop loop = getRunningLoop();
    try {
      loop.runUntilComplete(loop.createFuture());
    } catch (IllegalStateException e) {
      System.out.println("  loop.runUntilComplete inside the loop: " + e.getMessage());
    }
    try {
      run(coro("nested run", 10));
    } catch (IllegalStateException e) {
      System.out.println("  run inside the loop: " + e.getMessage());
    }
    return done();
  }

  public static void main(String[] args) {
    System.out.println("-- run(main()): createTask / ensureFuture / await task");
    run(main());

    System.out.println("-- a loop of our own: createTask, runUntilComplete, runForever, stop");
    EventLoop loop = new EventLoop();
    try {
      Task<String> task = loop.createTask(coro("loop.createTask", 100));
      String result = loop.runUntilComplete(task);
      System.out.println("  runUntilComplete -> " + result);

      loop.createTask(coro("before stop", 100));
      loop.callLater(0.3, loop::stop);
      loop.runForever(); // returns once stop() is called
      System.out.println("  runForever returned after stop()");
    } finally {
      loop.close();
    }

    System.out.println("-- 2.2.1 RuntimeError: This event loop is already running");
    run(runInsideRunningLoop());
  }
}
