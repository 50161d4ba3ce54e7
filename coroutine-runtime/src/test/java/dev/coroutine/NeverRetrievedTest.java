package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Exceptions nobody retrieves are reported through the loop's exception handler, in and out of
 * debug mode, as asyncio reports them: when the failed future is collected, and at the latest when
 * the loop closes; never twice, and never once the exception was read.
 */
class NeverRetrievedTest extends TestBase {

  /** Runs short passes of {@code loop}, collecting garbage, until a report naming {@code text}. */
  static EventLoop.ErrorContext awaitReport(
      EventLoop loop, List<EventLoop.ErrorContext> errors, String text) throws Exception {
    for (int i = 0; i < 200; i++) {
      for (EventLoop.ErrorContext c : errors) {
        if (c.message().contains(text)) {
          return c;
        }
      }
      System.gc();
      Thread.sleep(20);
      loop.stop();
      loop.runForever(); // one pass: the cleaner hands its report to the loop thread
    }
    throw new AssertionError("no report naming " + text + " in " + errors);
  }

  private List<EventLoop.ErrorContext> reports() {
    return loopErrors.stream()
        .filter(c -> c.message().contains("exception was never retrieved"))
        .collect(Collectors.toList());
  }

  private void failAndForget(String name, String message) {
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v -> {
                  throw new IllegalStateException(message);
                }),
            name);
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(1))));
    assertThat(t.isDone()).isTrue();
  }

  @Test
  void failedTaskNeverAwaited_reportedWhenCollected_outsideDebugMode() throws Exception {
    assertThat(loop.getDebug()).isFalse();
    failAndForget("forgotten", "boom");
    EventLoop.ErrorContext c = awaitReport(loop, loopErrors, "forgotten");
    assertThat(c.message())
        .isEqualTo(
            "Task exception was never retrieved: Task<forgotten finished"
                + " exception=java.lang.IllegalStateException: boom>");
    assertThat(c.exception()).hasMessage("boom");
    loopErrors.clear();
    loop.close();
    assertThat(reports()).isEmpty(); // reported once, not again at close
  }

  /**
   * Every report is made on the loop's thread: a future collected while the loop is not running is
   * reported at its next pass, or when it closes (found from outside: a cleaner thread reported
   * such failures itself, between runs, racing with a handler that was not thread-safe, and fell
   * behind a burst of them until the heap ran out).
   */
  @Test
  void forgottenFailures_collectedBetweenRuns_areReportedOnTheLoopsThread() throws Exception {
    List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    loop.setExceptionHandler((l, c) -> threads.add(Thread.currentThread()));
    for (int i = 0; i < 1000; i++) {
      Future<Object> f = loop.createFuture();
      f.setException(new IllegalStateException("forgotten " + i));
    }
    for (int i = 0; i < 50; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(threads).isEmpty(); // not running: nobody reports meanwhile
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(0))));
    loop.close();
    assertThat(threads).hasSize(1000).containsOnly(Thread.currentThread());
  }

  /**
   * A task that only yields (a lone sleep(0) goes on without a pass, see YieldTest) still lets the
   * loop report failures collected meanwhile: an outside burst test ran out of heap without it.
   */
  @Test
  void forgottenFailures_whileALoneTaskYields_areReportedWhileItRuns() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    loop.setExceptionHandler((l, c) -> seen.add(c.message()));
    dev.coroutine.internal.Steps<String> spinner =
        new dev.coroutine.internal.Steps<>() {
          int i;

          @Override
          protected Object step(Object v, Throwable e) throws Throwable {
            if (!seen.isEmpty()) {
              return "reported while it ran";
            }
            if (i++ == 500) {
              return "not reported";
            }
            Future<Object> f = loop.createFuture();
            f.setException(new IllegalStateException("forgotten " + i));
            System.gc();
            Thread.sleep(2);
            return await(Coroutines.sleep(0));
          }
        };
    assertThat(loop.runUntilComplete(loop.createTask(spinner.coroutine())))
        .isEqualTo("reported while it ran");
  }

  /**
   * A future that fails after its loop closed is reported when collected, to the loop's handler,
   * from the cleaner's thread: no loop thread will look for it (an outside review found it lost).
   */
  @Test
  void failureAfterTheLoopClosed_isReportedWhenCollected() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    loop.setExceptionHandler((l, c) -> seen.add(c.message()));
    Future<Object> f = loop.createFuture();
    loop.close();
    f.setException(new IllegalStateException("after close"));
    f = null;
    for (int i = 0; i < 100 && seen.isEmpty(); i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0))
        .contains("Future exception was never retrieved")
        .contains("after close");
  }

  /** An idle loop (no timer, nothing ready) still reports a failure collected while it waits. */
  @Test
  void forgottenFailure_collectedWhileTheLoopIsIdle_isReportedWithoutOtherWork() throws Exception {
    Future<String> outcome = loop.createFuture();
    java.util.concurrent.atomic.AtomicBoolean woken =
        new java.util.concurrent.atomic.AtomicBoolean();
    loop.setExceptionHandler(
        (l, c) -> {
          if (!outcome.isDone()) {
            outcome.setResult(woken.get() ? "reported once woken" : "reported while idle");
          }
        });
    loop.callSoon(
        () -> {
          Future<Object> f = loop.createFuture();
          f.setException(new IllegalStateException("forgotten while idle"));
        });
    Thread collector =
        new Thread(
            () -> {
              for (int i = 0; i < 100 && !outcome.isDone(); i++) {
                System.gc();
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
              woken.set(true);
              loop.callSoonThreadsafe(
                  () -> {
                    if (!outcome.isDone()) {
                      outcome.setResult("not reported in 10 s");
                    }
                  });
            });
    collector.start();
    assertThat(loop.runUntilComplete(outcome)).isEqualTo("reported while idle");
    collector.join();
  }

  @Test
  void cancelledGatherWithReturnExceptions_takesItsChildrensFailures_noneReported() {
    // asyncio's _done_callback builds the results (fut.exception()) before it sees the gather was
    // cancelled, so a child's failure is retrieved by the gather even then
    Task<Object> failing =
        loop.createTask(
            Co.steps(
                    v -> Co.await(Coroutines.sleep(1)),
                    v -> {
                      throw new IllegalStateException("taken by the gather");
                    })
                .build(),
            "failing-child");
    Task<Object> sleeping = loop.createTask(Co.awaiting(Coroutines.sleep(3_600_000)), "sleeper");
    Future<List<Object>> g = Coroutines.gatherOn(loop, true, failing, sleeping);
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(5))));
    assertThat(failing.isDone()).isTrue();
    assertThat(g.cancel()).isTrue();
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(5))));
    assertThat(g.isDone()).isTrue();
    assertThat(g.exception()).isInstanceOf(java.util.concurrent.CancellationException.class);
    loop.close();
    assertThat(reports()).as("the gather took failing-child's exception").isEmpty();
  }

  @Test
  void failedTaskStillReachable_reportedWhenTheLoopCloses_once() {
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v -> {
                  throw new IllegalArgumentException("kept");
                }),
            "kept-task");
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(1))));
    assertThat(reports()).isEmpty(); // not before close: someone may still read it
    loop.close();
    assertThat(reports()).hasSize(1);
    assertThat(reports().get(0).message()).contains("kept-task");
    assertThat(reports().get(0).exception()).isInstanceOf(IllegalArgumentException.class);
    assertThat(t.exception()).hasMessage("kept"); // read after the report: nothing more
    loopErrors.clear();
  }

  @Test
  void cancelOnAFailedFutureOrTask_countsAsRetrieved() {
    // asyncio's Future.cancel() and Task.cancel() clear __log_traceback before they look at the
    // state, so calling cancel() on a failed one (which returns False) silences the report
    Future<Object> f = loop.createFuture();
    f.setException(new java.io.IOException("disk"));
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v -> {
                  throw new IllegalStateException("boom");
                }),
            "failed-task");
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(1))));
    assertThat(f.cancel()).isFalse();
    assertThat(t.cancel("late")).isFalse();
    loop.close();
    assertThat(reports()).isEmpty();
  }

  @Test
  void plainFutureFailedAndForgotten_reportedAsFuture_atClose() {
    Future<Object> f = loop.createFuture();
    f.addDoneCallback(x -> {}); // a callback that does not look at the exception
    f.setException(new java.io.IOException("disk"));
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(1))));
    loop.close();
    assertThat(reports()).hasSize(1);
    assertThat(reports().get(0).message())
        .startsWith("Future exception was never retrieved: Future<finished exception=");
    loopErrors.clear();
  }

  @Test
  void retrievedWithExceptionOrResult_isNotReportedAtClose() {
    Task<Object> viaException =
        loop.createTask(
            Co.seq(
                v -> {
                  throw new IllegalStateException("a");
                }));
    Task<Object> viaResult =
        loop.createTask(
            Co.seq(
                v -> {
                  throw new IllegalStateException("b");
                }));
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(1))));
    assertThat(viaException.exception()).hasMessage("a");
    try {
      viaResult.result();
    } catch (IllegalStateException expected) {
      // retrieved
    }
    loop.close();
    assertThat(reports()).isEmpty();
  }

  @Test
  void retrievedByAwaitOrGather_areNotReportedAtClose() {
    Task<Object> inner =
        loop.createTask(
            Co.seq(
                v -> {
                  throw new IllegalStateException("awaited");
                }));
    Task<Object> gathered =
        loop.createTask(
            Co.seq(
                v -> {
                  throw new IllegalStateException("gathered");
                }));
    Object r =
        runSteps(
            v ->
                Co.await(
                    Co.steps(x -> Co.await(inner))
                        .onError(e -> "caught " + e.getMessage())
                        .build()),
            v ->
                Co.await(
                    Co.steps(x -> Co.await(Coroutines.gather(gathered)))
                        .onError(e -> v + ", caught " + e.getMessage())
                        .build()));
    assertThat(r).isEqualTo("caught awaited, caught gathered");
    loop.close();
    assertThat(reports()).isEmpty();
  }

  @Test
  void failureAwaitedByATask_isNotWatchedAtAll() {
    Future<Object> f = loop.createFuture();
    Task<Object> waiter =
        loop.createTask(Co.steps(v -> Co.await(f)).onError(e -> "caught").build());
    loop.callSoon(() -> loop.callSoon(() -> f.setException(new IllegalStateException("x"))));
    assertThat(loop.runUntilComplete(waiter)).isEqualTo("caught");
    assertThat(f.callbacks).isNull(); // no watch, no cleaner registration: the hot path
  }

  @Test
  void coroutinesRun_reportsForgottenFailure_beforeItReturns() {
    CapturingLoggerFinder.RECORDS.clear();
    Object r =
        Coroutines.run(
            Co.seq(
                v -> {
                  Coroutines.createTask(
                      Co.seq(
                          x -> {
                            throw new IllegalStateException("left behind");
                          }),
                      "left-behind");
                  return Co.await(Coroutines.sleep(5));
                },
                v -> "main done"));
    assertThat(r).isEqualTo("main done");
    assertThat(CapturingLoggerFinder.containing("Task exception was never retrieved"))
        .anyMatch(rec -> rec.message().contains("left-behind"));
  }

  @Test
  void allocation_ofAFailureAwaitedByATask_hasNoWatch() {
    // warm up, then measure what one failed-and-awaited future costs beyond a succeeded one
    long failed = 0;
    long succeeded = 0;
    for (int round = 0; round < 3; round++) {
      failed = allocatedPer(true);
      succeeded = allocatedPer(false);
    }
    System.out.printf(
        "never-retrieved watch: a future failed and awaited allocates %d B, a succeeded one %d B"
            + " (the exception itself excluded: preallocated)%n",
        failed, succeeded);
    assertThat(failed - succeeded).isLessThan(64); // no watch (~40 B) + cleanable (~64 B) added
  }

  private long allocatedPer(boolean fail) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    IllegalStateException e = new IllegalStateException("preallocated");
    int n = 20_000;
    long[] bytes = new long[1];
    Object r =
        runSteps(
            v -> {
              bytes[0] = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
              return null;
            },
            v -> Co.await(new Loop(n, fail, e).coroutine()),
            v -> {
              bytes[0] = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - bytes[0];
              return null;
            });
    assertThat(r).isNull();
    return bytes[0] / n;
  }

  /** Awaits n futures in turn, each completed (or failed) by a callback. */
  private final class Loop {
    private final int n;
    private final boolean fail;
    private final IllegalStateException e;
    private int i;

    Loop(int n, boolean fail, IllegalStateException e) {
      this.n = n;
      this.fail = fail;
      this.e = e;
    }

    Coroutine<Object> coroutine() {
      return Co.seq(v -> Co.await(next()));
    }

    private Coroutine<Object> next() {
      if (i++ == n) {
        return Coroutines.done(null);
      }
      Future<Object> f = loop.createFuture();
      loop.callSoon(
          () -> {
            if (fail) {
              f.setException(e);
            } else {
              f.setResult(null);
            }
          });
      return Co.steps(v -> Co.await(f), v -> Co.await(next()))
          .onError(x -> Co.await(next()))
          .build();
    }
  }
}
