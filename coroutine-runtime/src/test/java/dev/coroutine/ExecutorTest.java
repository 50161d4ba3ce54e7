package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Bridging blocking work: runInExecutor and toThread. */
class ExecutorTest extends TestBase {

  @Test
  void runInExecutor_result_completesOnLoopThread() {
    Thread loopThread = Thread.currentThread();
    Thread[] worker = new Thread[1];
    Future<String> f =
        loop.runInExecutor(
            () -> {
              worker[0] = Thread.currentThread();
              return "done";
            });
    boolean[] callbackOnLoop = new boolean[1];
    f.addDoneCallback(x -> callbackOnLoop[0] = Thread.currentThread() == loopThread);
    assertThat(loop.runUntilComplete(f)).isEqualTo("done");
    assertThat(worker[0]).isNotSameAs(loopThread);
    loop.stop();
    loop.runForever(); // let the done-callback run
    assertThat(callbackOnLoop[0]).isTrue();
  }

  @Test
  void runInExecutor_failure_isSameInstance() {
    IOException io = new IOException("blocking failed");
    Future<String> f =
        loop.runInExecutor(
            () -> {
              throw io;
            });
    assertThatThrownBy(() -> loop.runUntilComplete(f)).isSameAs(io);
  }

  @Test
  void runInExecutor_givenExecutor_isUsed() throws Exception {
    ExecutorService ex = Executors.newSingleThreadExecutor(r -> new Thread(r, "mine"));
    try {
      Future<String> f = loop.runInExecutor(ex, () -> Thread.currentThread().getName());
      assertThat(loop.runUntilComplete(f)).isEqualTo("mine");
    } finally {
      ex.shutdown();
    }
  }

  @Test
  void toThread_awaitedInCoroutine_returnsResultAndRethrows() {
    Object r = runSteps(v -> Co.await(Coroutines.toThread(() -> 6 * 7)));
    assertThat(r).isEqualTo(42);
    IllegalArgumentException bad = new IllegalArgumentException();
    assertThatThrownBy(
            () ->
                run(
                    Coroutines.toThread(
                        () -> {
                          throw bad;
                        })))
        .isSameAs(bad);
  }

  /** Runs the loop for one pass: callbacks scheduled before this (done-callbacks) have run. */
  private void onePass() {
    Future<Void> pass = loop.createFuture();
    loop.callSoon(() -> pass.setResult(null));
    loop.runUntilComplete(pass);
  }

  /**
   * asyncio's run_in_executor on a closed loop raises before the job is submitted; with a given
   * executor the job ran here and its future stayed pending for ever (only the default executor's
   * path checked the loop).
   */
  @Test
  void runInExecutor_onAClosedLoop_refusesWithoutRunningTheJob() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      AtomicBoolean ran = new AtomicBoolean();
      loop.close();
      assertThatThrownBy(() -> loop.runInExecutor(pool, () -> ran.getAndSet(true)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("event loop is closed");
      pool.submit(() -> {}).get(10, TimeUnit.SECONDS); // anything submitted would have run first
      assertThat(ran).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * asyncio's run_in_executor on a shut-down executor raises at the call ("cannot schedule new
   * futures after shutdown"); ours returned a failed future, heard of only at an await (found from
   * outside).
   */
  @Test
  void runInExecutor_onAShutDownExecutor_refusesAtTheCall() {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    pool.shutdown();
    assertThatThrownBy(() -> loop.runInExecutor(pool, () -> 1))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    loop.shutdownDefaultExecutor();
    assertThatThrownBy(() -> loop.runInExecutor(() -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the default executor was shut down");
  }

  /**
   * A one-thread executor whose first job (of this loop) waits until {@link #open()}: the jobs
   * given after it queue behind it, each recording that it ran.
   */
  private final class GatedExecutor implements AutoCloseable {
    final ExecutorService ex = Executors.newSingleThreadExecutor();
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicBoolean queuedRan = new AtomicBoolean();
    final Future<Integer> first =
        loop.runInExecutor(
            ex,
            () -> {
              gate.await();
              return 1;
            });

    /** A job queued behind the first. */
    Future<Boolean> queue() {
      return loop.runInExecutor(ex, () -> queuedRan.getAndSet(true));
    }

    /** Lets the first job end and waits until the executor has had every queued job's turn. */
    void openAndDrain() throws Exception {
      gate.countDown();
      ex.submit(() -> {}).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      gate.countDown();
      ex.shutdown();
    }
  }

  @Test
  void runInExecutor_cancelledBeforeItsJobStarts_theJobNeverRuns() throws Exception {
    // asyncio (CPython 3.11-3.13): the cancelled future's done-callback cancels the executor's
    // future, so a job still queued is skipped
    try (GatedExecutor gated = new GatedExecutor()) {
      assertThat(gated.queue().cancel()).isTrue();
      onePass();
      gated.openAndDrain();
      assertThat(loop.runUntilComplete(gated.first)).isEqualTo(1);
      assertThat(gated.queuedRan).as("the cancelled job ran").isFalse();
    }
  }

  /**
   * The job is cancelled with the future, not a pass later: between the two (asyncio's window, and
   * this runtime's until found from outside) a queued job could start after cancel() returned true.
   */
  @Test
  void runInExecutor_cancelled_theQueuedJobNeverRuns_evenBeforeTheLoopRunsAgain() throws Exception {
    try (GatedExecutor gated = new GatedExecutor()) {
      Future<Boolean> queued = gated.queue();
      assertThat(queued.cancel()).isTrue();
      gated.openAndDrain(); // the executor goes on at once; the loop runs no pass meanwhile
      assertThat(gated.queuedRan).as("the cancelled job ran").isFalse();
      assertThat(queued).hasToString("Future<cancelled>");
    }
  }

  /**
   * A cancel that fails to schedule the future's callbacks (its loop closed meanwhile) still
   * cancels the job: the future is cancelled either way, as asyncio's.
   */
  @Test
  void runInExecutor_cancelledAfterTheLoopClosed_theJobStillNeverRuns() throws Exception {
    try (GatedExecutor gated = new GatedExecutor()) {
      Future<Boolean> queued = gated.queue();
      queued.addDoneCallback(f -> {});
      loop.close();
      assertThatThrownBy(queued::cancel)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("event loop is closed");
      assertThat(queued.isCancelled()).isTrue();
      gated.openAndDrain();
      assertThat(gated.queuedRan).as("the cancelled job ran").isFalse();
    }
  }

  @Test
  void runInExecutor_cancelledWhileItsJobRuns_theJobIsNotInterruptedAndItsResultIsDropped()
      throws Exception {
    ExecutorService ex = Executors.newSingleThreadExecutor();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean finished = new AtomicBoolean();
    try {
      Future<Integer> f =
          loop.runInExecutor(
              ex,
              () -> {
                started.countDown();
                try {
                  gate.await();
                } catch (InterruptedException e) {
                  interrupted.set(true);
                  throw e;
                }
                finished.set(true);
                return 1;
              });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(f.cancel()).isTrue();
      onePass();
      gate.countDown();
      ex.shutdown();
      assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      onePass(); // the job's result arrives for a future already cancelled
      assertThat(f.isCancelled()).isTrue();
    } finally {
      gate.countDown();
      ex.shutdown();
    }
    assertThat(finished).isTrue();
    assertThat(interrupted).isFalse();
  }

  @Test
  void toThread_ofACancelledTaskWhoseJobIsQueued_neverRuns() throws Exception {
    // every worker of the default executor busy, then one more toThread: its task is cancelled
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    List<Task<Object>> busy = new ArrayList<>();
    AtomicBoolean queuedRan = new AtomicBoolean();
    int workers = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
    for (int i = 0; i < workers; i++) {
      busy.add(
          loop.createTask(
              Coroutines.toThread(
                  () -> {
                    started.incrementAndGet();
                    gate.await();
                    return null;
                  })));
    }
    Task<Object> queued =
        loop.createTask(
            Coroutines.toThread(
                () -> {
                  queuedRan.set(true);
                  return null;
                }));
    onePass(); // the tasks start: their jobs are submitted
    while (started.get() < workers) {
      Thread.sleep(1);
    }
    queued.cancel();
    assertThatThrownBy(() -> loop.runUntilComplete(queued))
        .isInstanceOf(java.util.concurrent.CancellationException.class);
    onePass();
    gate.countDown();
    for (Task<Object> t : busy) {
      loop.runUntilComplete(t);
    }
    loop.runUntilComplete(loop.shutdownDefaultExecutor());
    assertThat(queuedRan).as("the cancelled task's job ran").isFalse();
  }

  @Test
  void run_waitsForTheDefaultExecutorsRunningJobs() {
    // asyncio.run ends with shutdown_default_executor: a to_thread job still running when main
    // returns has finished when run returns
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    Coroutines.run(
        Co.seq(
            v -> {
              Coroutines.createTask(
                  Coroutines.toThread(
                      () -> {
                        started.countDown();
                        Thread.sleep(300);
                        finished.set(true);
                        return null;
                      }));
              return Co.await(Coroutines.toThread(() -> started.await(10, TimeUnit.SECONDS)));
            }));
    assertThat(finished).as("the job finished before run returned").isTrue();
  }

  @Test
  void shutdownDefaultExecutor_waitsForRunningJobs_thenRefusesNewOnes() {
    AtomicBoolean finished = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Future<Object> job =
        loop.runInExecutor(
            () -> {
              started.countDown();
              Thread.sleep(200);
              finished.set(true);
              return null;
            });
    loop.runUntilComplete(loop.runInExecutor(() -> started.await(10, TimeUnit.SECONDS)));
    Future<Void> joined = loop.shutdownDefaultExecutor();
    loop.runUntilComplete(joined);
    assertThat(finished).isTrue();
    assertThat(job.isDone()).isTrue();
    assertThatThrownBy(() -> loop.runInExecutor(() -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("shutdownDefaultExecutor");
    assertThat(loop.shutdownDefaultExecutor().isDone())
        .as("a second call has nothing to wait for")
        .isTrue();
  }

  @Test
  void shutdownDefaultExecutor_pastItsTimeout_tellsTheHandlerAndCompletes() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    Future<Object> job =
        loop.runInExecutor(
            () -> {
              started.countDown();
              gate.await();
              return null;
            });
    try {
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      loop.runUntilComplete(loop.shutdownDefaultExecutor(Duration.ofMillis(50)));
      assertThat(loopErrors).hasSize(1);
      assertThat(loopErrors.get(0).message()).contains("did not finish its jobs within 50 ms");
      loopErrors.clear();
    } finally {
      gate.countDown();
    }
    assertThat(loop.runUntilComplete(job)).as("the job went on and finished").isNull();
  }

  @Test
  void close_shutsDownDefaultExecutor() {
    loop.runUntilComplete(loop.runInExecutor(() -> 1));
    loop.close();
    assertThatThrownBy(() -> loop.runInExecutor(() -> 1)).isInstanceOf(IllegalStateException.class);
  }
}
