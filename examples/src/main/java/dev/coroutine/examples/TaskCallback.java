package dev.coroutine.examples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;

/**
 * Seed section 2.3, task callbacks ({@code add_done_callback}): a coroutine object is wrapped in a
 * task, the task is printed while pending, the loop runs it to completion, and the task is printed
 * again with its result. A done callback receives the finished task and reads {@code result()} from
 * it, which is what the seed describes; as the seed notes, most code simply reads {@code
 * task.result()} after the task is done instead.
 *
 * <p>Like the seed this uses the low-level loop API ({@code get_event_loop()}, {@code
 * run_until_complete}) rather than {@code run}.
 */
public final class TaskCallback {
  private TaskCallback() {}

  /** {@code async def request()}: pretends to do a request and returns its status. */
  @Async
  static Coroutine<String> request(String url) {
    await(sleep(200)); // the network round trip
    return done("200 OK from " + url);
  }

  /** The done callback: called with the task once it is done. */
  static void callback(Future<String> task) {
    System.out.println("Callback: " + task.result());
  }

  public static void main(String[] args) {
    Coroutine<String> coroutine = request("https://www.example.com");
    // nothing has run yet: calling an @Async method only creates the coroutine object
    EventLoop loop = new EventLoop();
    try {
      Task<String> task = loop.createTask(coroutine); // asyncio.ensure_future(coroutine)
      task.addDoneCallback(TaskCallback::callback);
      System.out.println("Task: " + task);

      loop.runUntilComplete(task);

      System.out.println("Task: " + task);
      System.out.println("Task Result: " + task.result());
    } finally {
      loop.close();
    }
  }
}
