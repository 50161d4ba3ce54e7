package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Coroutines.run: asyncio.run's contract. */
class RunTest {

  @Test
  void run_returnsResult() {
    Object r = Coroutines.run(Co.seq(v -> Co.await(Coroutines.sleep(1)), v -> "result"));
    assertThat(r).isEqualTo("result");
  }

  @Test
  void run_rethrowsFailureUnchanged() {
    IOException io = new IOException();
    assertThatThrownBy(
            () ->
                Coroutines.run(
                    Co.seq(
                        v -> {
                          throw io;
                        })))
        .isSameAs(io);
  }

  @Test
  void run_cancelsLeftoverTasks_andRunsTheirFinally() {
    List<String> log = new ArrayList<>();
    EventLoop[] seen = new EventLoop[1];
    Coroutines.run(
        Co.seq(
            v -> {
              seen[0] = Coroutines.getRunningLoop();
              Coroutines.createTask(
                  Co.steps(x -> Co.await(Coroutines.sleep(3_600_000)))
                      .onFinally(() -> log.add("leftover cleaned up"))
                      .build());
              return Co.await(Coroutines.sleep(0));
            }));
    assertThat(log).containsExactly("leftover cleaned up");
    assertThat(seen[0].isClosed()).isTrue();
    assertThat(seen[0].pendingTasks()).isEmpty();
  }

  /**
   * An interrupt of the loop thread while main runs is logged once and held back until run()
   * returns: run()'s cleanup of the remaining tasks neither logs it again nor shows it to their
   * finally blocks (it was restored when main's run ended, so the cleanup's runs logged it twice
   * more and a finally block's blocking call would have failed).
   */
  @Test
  void run_interruptedWhileMainRuns_cleanupDoesNotSeeTheInterrupt() throws Exception {
    CapturingLoggerFinder.RECORDS.clear();
    List<String> log = new ArrayList<>();
    Thread runner =
        new Thread(
            () -> {
              Thread me = Thread.currentThread();
              Coroutines.run(
                  Co.seq(
                      v -> {
                        Coroutines.createTask(
                            Co.steps(x -> Co.await(Coroutines.sleep(3_600_000)))
                                .onFinally(
                                    () -> log.add("cleanup interrupted=" + me.isInterrupted()))
                                .build());
                        me.interrupt(); // held back by the loop from here
                        return Co.await(Coroutines.sleep(20));
                      }));
              log.add("after run() interrupted=" + Thread.interrupted());
            },
            "interrupted-runner");
    runner.start();
    runner.join(30_000);
    assertThat(log).containsExactly("cleanup interrupted=false", "after run() interrupted=true");
    assertThat(CapturingLoggerFinder.containing("was interrupted")).hasSize(1);
  }

  /**
   * A task that a leftover's cleanup creates is cancelled in a next round, so its finally runs too
   * (asyncio.run leaves it pending; CPython's collector closes it at exit, running its finally).
   */
  @Test
  void run_cancelsTasksTheCleanupCreates_inFurtherRounds() {
    List<String> log = new ArrayList<>();
    Coroutines.run(
        Co.seq(
            v -> {
              Coroutines.createTask(
                  Co.steps(x -> Co.await(Coroutines.sleep(3_600_000)))
                      .onFinally(
                          () -> {
                            log.add("leftover cleaned up");
                            Coroutines.createTask(
                                Co.steps(x -> Co.await(Coroutines.sleep(3_600_000)))
                                    .onFinally(() -> log.add("its child cleaned up"))
                                    .build());
                          })
                      .build());
              return Co.await(Coroutines.sleep(0));
            }));
    assertThat(log).containsExactly("leftover cleaned up", "its child cleaned up");
  }

  /**
   * A coroutine that a default-executor job submits while run() waits for that job
   * (runCoroutineThreadsafe) is cancelled too, so its finally runs: found from outside, it was left
   * suspended when the loop closed, its cleanup never run and nothing reported (CPython reports the
   * pending task and its collector closes the coroutine, which runs its finally).
   */
  @Test
  void run_cancelsACoroutineAnExecutorJobSubmitsWhileRunWaitsForTheJob() throws Exception {
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch mainDone = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch workerStarted = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<Object>>
        submitted = new java.util.concurrent.atomic.AtomicReference<>();
    Coroutines.run(
        Co.seq(
            v -> {
              EventLoop loop = Coroutines.getRunningLoop();
              loop.runInExecutor(
                  null,
                  () -> {
                    mainDone.await();
                    Thread.sleep(200); // run() is now waiting for this job
                    submitted.set(
                        Coroutines.runCoroutineThreadsafe(
                            Co.steps(
                                    x -> {
                                      log.add("worker started");
                                      workerStarted.countDown();
                                      return Co.await(Coroutines.sleep(3_600_000));
                                    })
                                .onFinally(() -> log.add("worker cleaned up"))
                                .build(),
                            loop));
                    workerStarted.await();
                    return null;
                  });
              mainDone.countDown();
              return "main done";
            }));
    assertThat(log).containsExactly("worker started", "worker cleaned up");
    assertThat(submitted.get()).isCancelled();
  }

  /** Cleanup that makes a new task in every round ends after the rounds, reported, not hanging. */
  @Test
  void run_reportsTasksStillPending_afterTheRounds() {
    List<String> reports = new ArrayList<>();
    int[] created = {0};
    Runnable[] spawn = new Runnable[1];
    spawn[0] =
        () -> {
          created[0]++;
          Coroutines.createTask(
              Co.steps(x -> Co.await(Coroutines.sleep(3_600_000))).onFinally(spawn[0]).build());
        };
    Coroutines.run(
        Co.seq(
            v -> {
              Coroutines.getRunningLoop()
                  .setExceptionHandler((loop, c) -> reports.add(c.message()));
              spawn[0].run();
              return Co.await(Coroutines.sleep(0));
            }));
    assertThat(created[0]).isEqualTo(LoopShutdown.ROUNDS + 1);
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0))
        .startsWith("1 task(s) still pending after 16 rounds of cancellation in run()'s shutdown");
  }

  /**
   * Tasks started while run() waits for the executor's jobs, after the rounds ran out, are reported
   * too (found from outside: closed unfinished without a word).
   */
  @Test
  void run_tasksStartedAfterTheRoundsRanOut_areReportedToo() {
    List<String> reports = new ArrayList<>();
    Runnable[] tick = new Runnable[1];
    tick[0] =
        () -> {
          Coroutines.createTask(Co.awaiting(Coroutines.sleep(3_600_000)));
          Coroutines.getRunningLoop().callSoon(tick[0]); // a task every pass, for ever
        };
    Coroutines.run(
        Co.seq(
            v -> {
              EventLoop loop = Coroutines.getRunningLoop();
              loop.setExceptionHandler((l, c) -> reports.add(c.message()));
              loop.runInExecutor(
                  () -> {
                    Thread.sleep(200);
                    return null;
                  });
              loop.callSoon(tick[0]);
              return null;
            }));
    assertThat(reports).hasSize(2);
    assertThat(reports.get(0)).contains("still pending after 16 rounds");
    assertThat(reports.get(1)).contains("still pending after 16 rounds");
    assertThat(reports.get(1)).contains("started while it waited for the default executor's jobs");
  }

  @Test
  void run_insideRunningLoop_isRefused() {
    assertThatThrownBy(() -> Coroutines.run(Co.seq(v -> Coroutines.run(Coroutines.done()))))
        .isInstanceOf(IllegalStateException.class);
  }
}
