package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.toThread;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Twins of src/test/python/executor.py. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class ExecutorScenarios {
  private ExecutorScenarios() {}

  @Scenario("cancelling_a_queued_job_keeps_it_from_running")
  @Async
  static Coroutine<Void> cancellingAQueuedJob() throws InterruptedException {
    EventLoop loop = getRunningLoop();
    ExecutorService ex = Executors.newSingleThreadExecutor();
    CountDownLatch gate = new CountDownLatch(1);
    AtomicBoolean ran = new AtomicBoolean();
    Future<Integer> first =
        loop.runInExecutor(
            ex,
            () -> {
              gate.await();
              return 1;
            });
    Future<Integer> queued = // behind the first job on the one thread
        loop.runInExecutor(
            ex,
            () -> {
              ran.set(true);
              return 2;
            });
    log("cancel", queued.cancel(), state(queued));
    await(sleep(0)); // the cancelled future's done-callbacks run
    gate.countDown();
    log("first", await(first));
    ex.shutdown();
    ex.awaitTermination(10, TimeUnit.SECONDS);
    log("queued job ran", ran.get());
    return done();
  }

  @Scenario("cancelling_a_running_job_lets_it_finish_unheard")
  @Async
  static Coroutine<Void> cancellingARunningJob() throws InterruptedException {
    EventLoop loop = getRunningLoop();
    ExecutorService ex = Executors.newSingleThreadExecutor();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    Future<Integer> f =
        loop.runInExecutor(
            ex,
            () -> {
              started.countDown();
              gate.await();
              finished.set(true);
              return 1;
            });
    await(
        toThread(
            () -> {
              started.await();
              return null;
            }));
    log("cancel", f.cancel(), state(f));
    await(sleep(0));
    gate.countDown();
    ex.shutdown();
    ex.awaitTermination(10, TimeUnit.SECONDS);
    await(sleep(0)); // the job's result reaches the loop, for a cancelled future
    log("job finished", finished.get(), state(f));
    return done();
  }

  @Async
  static Coroutine<Integer> worker(EventLoop loop, ExecutorService ex, AtomicBoolean ran) {
    try {
      return done(
          await(
              loop.runInExecutor(
                  ex,
                  () -> {
                    ran.set(true);
                    return 1;
                  })));
    } catch (CancellationException e) {
      log("worker cancelled");
      throw e;
    }
  }

  @Scenario("a_task_cancelled_before_its_to_thread_job_starts")
  @Async
  static Coroutine<Void> aTaskCancelledBeforeItsJobStarts() throws InterruptedException {
    EventLoop loop = getRunningLoop();
    ExecutorService ex = Executors.newSingleThreadExecutor();
    CountDownLatch gate = new CountDownLatch(1);
    AtomicBoolean ran = new AtomicBoolean();
    Future<Object> blocked =
        loop.runInExecutor(
            ex,
            () -> {
              gate.await();
              return null;
            });
    Task<Integer> t = createTask(worker(loop, ex, ran));
    await(sleep(0)); // the worker submits its job, queued behind the blocker
    t.cancel();
    try {
      await(t);
    } catch (CancellationException e) {
      log("task", state(t));
    }
    gate.countDown();
    await(blocked);
    ex.shutdown();
    ex.awaitTermination(10, TimeUnit.SECONDS);
    log("job ran", ran.get());
    return done();
  }

  @Scenario("run_waits_for_the_default_executors_jobs")
  @Async
  static Coroutine<Void> runWaitsForTheDefaultExecutor() {
    CountDownLatch started = new CountDownLatch(1);
    createTask(
        toThread(
            () -> {
              started.countDown();
              Thread.sleep(50);
              log("job finished"); // after main returned: run() waits for it
              return null;
            }));
    await(
        toThread(
            () -> {
              started.await();
              return null;
            }));
    log("main returns");
    return done();
  }
}
