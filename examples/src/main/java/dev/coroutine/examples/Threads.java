package dev.coroutine.examples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.runCoroutineThreadsafe;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.toThread;

import dev.coroutine.Async;
import dev.coroutine.CatchesCancellation;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Seed section 4, concurrency and multithreading. An event loop runs in one thread and runs all its
 * callbacks and tasks there; other threads talk to it only through the thread-safe entry points,
 * and blocking code goes to other threads so the loop keeps running.
 *
 * <ol>
 *   <li>{@code loop.callSoonThreadsafe(callback)} from another OS thread: a worker thread hands a
 *       result to a loop future, and {@code loop.call_soon_threadsafe(fut.cancel)}'s twin cancels
 *       another;
 *   <li>{@code runCoroutineThreadsafe(coroFunc(), loop)} from another thread, which reads the
 *       result with {@code future.get()}: the seed's {@code future.result()};
 *   <li>{@code loop.runInExecutor(...)} ({@code loop.run_in_executor}) runs blocking code on a
 *       thread pool while a ticker task shows that the loop is not blocked; {@code toThread(...)}
 *       ({@code asyncio.to_thread}) is the short way to say the same.
 * </ol>
 */
public final class Threads {
  private Threads() {}

  static String thread() {
    return Thread.currentThread().getName();
  }

  // ---- 1. callSoonThreadsafe ---------------------------------------------------------------

  @Async
  @CatchesCancellation // the catch below is for the doomed future, not for this task's own cancel
  static Coroutine<Void> callbacksFromAnotherThread() {
    EventLoop loop = getRunningLoop();
    String loopThread = thread();
    Future<String> answer = loop.createFuture();
    Future<String> doomed = loop.createFuture();
    Thread worker =
        new Thread(
            () -> {
              String computed = "computed on " + thread();
              // Future is not thread-safe: the worker asks the loop to complete it
              loop.callSoonThreadsafe(() -> answer.setResult(computed));
              loop.callSoonThreadsafe(doomed::cancel); // loop.call_soon_threadsafe(fut.cancel)
            },
            "worker-thread");
    worker.start();
    String result = await(answer);
    System.out.println("  loop thread " + loopThread + " got: " + result);
    try {
      await(doomed);
    } catch (java.util.concurrent.CancellationException e) {
      System.out.println(
          "  the other future was cancelled from the worker: " + doomed.isCancelled());
    }
    return done();
  }

  // ---- 2. runCoroutineThreadsafe -----------------------------------------------------------

  /** {@code async def coro_func(): return await asyncio.sleep(1, 42)}. */
  @Async
  static Coroutine<Integer> coroFunc() {
    return done(await(sleep(1000, 42)));
  }

  /** The loop runs in its own thread; this (main) thread submits a coroutine and waits. */
  static void coroutineFromAnotherThread() throws Exception {
    EventLoop loop = new EventLoop();
    CountDownLatch started = new CountDownLatch(1);
    Thread loopThread =
        new Thread(
            () -> {
              loop.callSoon(started::countDown);
              loop.runForever();
            },
            "event-loop");
    loopThread.start();
    started.await();
    try {
      // "Later in another OS thread:"
      CompletableFuture<Integer> future = runCoroutineThreadsafe(coroFunc(), loop);
      Integer result = future.get(10, TimeUnit.SECONDS); // future.result()
      System.out.println(
          "  "
              + thread()
              + " read the result of a coroutine run on the "
              + "event-loop thread: "
              + result);
    } finally {
      loop.callSoonThreadsafe(loop::stop);
      loopThread.join();
      loop.close();
    }
  }

  // ---- 3. runInExecutor --------------------------------------------------------------------

  /** Blocking code: must not run on the loop's thread. */
  static String blockingRead() throws InterruptedException {
    Thread.sleep(500); // e.g. a file read or a JDBC call
    return "500 ms of blocking work done on "
        + (thread().startsWith("coroutine-executor") ? "an executor thread" : thread());
  }

  /** Counts how often the loop gets to run it while the blocking work is in progress. */
  @Async
  static Coroutine<Integer> ticker(int[] ticks) {
    while (true) {
      await(sleep(50));
      ticks[0]++;
    }
  }

  @Async
  static Coroutine<Void> blockingCodeOffTheLoop() {
    EventLoop loop = getRunningLoop();
    int[] ticks = {0};
    Task<Integer> tick = createTask(ticker(ticks));
    long start = System.nanoTime();
    String result = await(loop.runInExecutor(Threads::blockingRead));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    tick.cancel();
    System.out.println("  runInExecutor: " + result);
    // a loop held up by the blocking work would not have ticked: judged from the count
    boolean free = ticks[0] >= tookMillis / 50 / 2;
    System.out.println(
        "  meanwhile the loop thread ran the ticker "
            + ticks[0]
            + " times (every "
            + "50 ms for "
            + tookMillis
            + " ms): "
            + (free ? "it was never blocked" : "it was held up"));

    ticks[0] = 0;
    tick = createTask(ticker(ticks));
    result = await(toThread(Threads::blockingRead));
    tick.cancel();
    System.out.println("  toThread: " + result + "; ticker ran " + ticks[0] + " times meanwhile");
    return done();
  }

  public static void main(String[] args) throws Exception {
    System.out.println("-- 1. callSoonThreadsafe from another thread");
    run(callbacksFromAnotherThread());
    System.out.println("-- 2. runCoroutineThreadsafe from another thread");
    coroutineFromAnotherThread();
    System.out.println("-- 3. runInExecutor and toThread keep blocking code off the loop");
    run(blockingCodeOffTheLoop());
  }
}
