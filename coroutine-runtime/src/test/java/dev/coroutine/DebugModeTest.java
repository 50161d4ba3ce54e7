package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.CapturingLoggerFinder.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Debug mode (SPEC section 8): each report is asserted on the records of the {@code dev.coroutine}
 * System.Logger, captured by {@link CapturingLoggerFinder}. Reports made when objects are collected
 * are awaited with {@code System.gc()} rounds, with a generous limit.
 */
class DebugModeTest extends TestBase {

  /** Waits (GC rounds, up to ~20 s) for a record containing all of {@code texts}. */
  private static Record awaitRecord(String... texts) throws InterruptedException {
    for (int i = 0; i < 400; i++) {
      for (Record r : CapturingLoggerFinder.RECORDS) {
        if (List.of(texts).stream().allMatch(t -> r.message().contains(t))) {
          return r;
        }
      }
      System.gc();
      Thread.sleep(50);
    }
    throw new AssertionError(
        "no log record containing " + List.of(texts) + " in " + CapturingLoggerFinder.RECORDS);
  }

  private static void makeForgottenCoroutine() {
    Co.seq(v -> "never run"); // created, dropped, never awaited
  }

  @Test
  void neverAwaitedCoroutine_reportedWithCreationSite() throws Exception {
    loop.setDebug(true);
    makeForgottenCoroutine();
    Record r = awaitRecord("was never awaited", "makeForgottenCoroutine", "DebugModeTest.java");
    assertThat(r.level()).isEqualTo(System.Logger.Level.WARNING);
  }

  /**
   * Found from outside: a short program's forgotten coroutine was never reported, since no
   * collection ran before it ended. One created while a loop in debug mode ran and never started is
   * reported when that loop closes, collected or not, and not again when it is collected.
   */
  @Test
  void neverAwaitedCoroutine_createdWhileTheLoopRan_isReportedWhenItClosesOnce() throws Exception {
    CapturingLoggerFinder.RECORDS.clear();
    loop.setDebug(true);
    List<Coroutine<?>> kept = new ArrayList<>(); // reachable: no collection reports it
    loop.runUntilComplete(
        loop.createTask(
            Co.seq(
                v -> {
                  kept.add(forgottenInTheLoop());
                  return null;
                })));
    assertThat(CapturingLoggerFinder.containing("was never awaited")).isEmpty();
    loop.close();
    List<Record> reports = CapturingLoggerFinder.containing("was never awaited");
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).message())
        .contains("was never awaited when its event loop closed; created at:")
        .contains("forgottenInTheLoop");
    kept.clear();
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
    }
    assertThat(CapturingLoggerFinder.containing("was never awaited")).hasSize(1);
  }

  private static Coroutine<String> forgottenInTheLoop() {
    return Co.seq(v -> "never run");
  }

  private static void forgetSleepWithAResult() {
    Coroutines.sleep(5, "never"); // created, dropped
  }

  /**
   * A forgotten sleep(delay, result) is one report, by its own name (it was two: the sleep inside
   * it, made at once, and the runtime's helper, "dev.coroutine.internal.Steps.coroutine").
   */
  @Test
  void neverAwaitedSleepWithAResult_isOneReportByItsName() throws Exception {
    CapturingLoggerFinder.RECORDS.clear();
    loop.setDebug(true);
    forgetSleepWithAResult();
    awaitRecord("coroutine sleep() was never awaited", "forgetSleepWithAResult");
    System.gc();
    Thread.sleep(200);
    assertThat(CapturingLoggerFinder.containing("was never awaited")).hasSize(1);
  }

  private static void forgetLockAcquire() {
    new dev.coroutine.sync.Lock().acquire(); // created, dropped: the lock was never taken
  }

  @Test
  void neverAwaitedLockAcquire_reportedByName() throws Exception {
    loop.setDebug(true);
    forgetLockAcquire();
    Record r = awaitRecord("coroutine Lock.acquire() was never awaited", "forgetLockAcquire");
    assertThat(r.level()).isEqualTo(System.Logger.Level.WARNING);
  }

  private static void forgetLifoPut() {
    new dev.coroutine.sync.LifoQueue<Integer>().put(1); // created, dropped: nothing was put
  }

  /**
   * The sync primitives' lazy coroutines are tracked from their base constructor, before the
   * subclass's fields are set: a put (whose name needs its queue) threw NullPointerException in
   * debug mode, so a producer died at its first put.
   */
  @Test
  void queuePutInDebugMode_puts_andAForgottenPutIsReportedByItsQueueClass() throws Exception {
    loop.setDebug(true);
    List<dev.coroutine.sync.Queue<Integer>> queues =
        List.of(
            new dev.coroutine.sync.Queue<>(),
            new dev.coroutine.sync.LifoQueue<>(),
            new dev.coroutine.sync.PriorityQueue<>());
    for (dev.coroutine.sync.Queue<Integer> q : queues) {
      loop.runUntilComplete(loop.createTask(q.put(7)));
      assertThat(q.getNowait()).isEqualTo(7);
    }
    forgetLifoPut();
    Record r = awaitRecord("coroutine LifoQueue.put() was never awaited", "forgetLifoPut");
    assertThat(r.level()).isEqualTo(System.Logger.Level.WARNING);
  }

  private static void forgetQueueGet() {
    new dev.coroutine.sync.Queue<Integer>().get(); // its frame is the runtime's, not the caller's
  }

  /** A forgotten runtime coroutine is named by the runtime method, not by its awaited caller. */
  @Test
  void neverAwaitedQueueGet_namedByItsMethod_createdAtTheCaller() throws Exception {
    loop.setDebug(true);
    forgetQueueGet();
    Record r =
        awaitRecord("coroutine Queue.get() was never awaited", "DebugModeTest.forgetQueueGet");
    assertThat(r.level()).isEqualTo(System.Logger.Level.WARNING);
  }

  private static void forgetSleep() {
    Coroutines.sleep(5); // created, dropped: asyncio warns "coroutine 'sleep' was never awaited"
  }

  @Test
  void neverAwaitedSleep_reported_awaitedSleepIsNotTracked() throws Exception {
    loop.setDebug(true);
    forgetSleep();
    awaitRecord("coroutine sleep() was never awaited", "forgetSleep");
    Coroutine<Void> awaited = Coroutines.sleep(1);
    assertThat(Debug.isTracked(awaited)).isTrue();
    loop.runUntilComplete(loop.createTask(awaited));
    assertThat(Debug.isTracked(awaited)).as("started: never reported").isFalse();
  }

  @Test
  void debugOff_tracksNothing_andSetDebugTogglesTracking() {
    org.junit.jupiter.api.Assumptions.assumeFalse(Debug.GLOBAL, "debug mode is on JVM-wide");
    assertThat(Debug.tracking).isFalse();
    loop.setDebug(true);
    assertThat(Debug.tracking).isTrue();
    loop.setDebug(false);
    assertThat(Debug.tracking).isFalse();
    loop.setDebug(true);
    loop.close(); // a closed loop no longer counts
    assertThat(Debug.tracking).isFalse();
  }

  @Test
  void slowCallback_isLogged_withDurationAndCreationSite() {
    loop.setDebug(true);
    loop.setSlowCallbackDuration(Duration.ofMillis(5));
    loop.callSoon(
        () -> {
          try {
            Thread.sleep(30); // surely longer than 5 ms
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    loop.callSoon(loop::stop);
    loop.runForever();
    List<Record> slow = CapturingLoggerFinder.containing("slowCallback_isLogged");
    assertThat(slow)
        .anySatisfy(
            r -> {
              assertThat(r.message())
                  .startsWith("Executing Handle")
                  .contains(" took ")
                  .contains("seconds");
              assertThat(r.level()).isEqualTo(System.Logger.Level.WARNING);
            });
  }

  @Test
  void slowTaskStep_isLogged_withWhereTheTaskNowWaits() {
    // asyncio's "Executing <Task ... coro=<worker() running at slow.py:6>> took ..." says where
    // the coroutine is; ours named the task only (found from outside)
    loop.setDebug(true);
    loop.setSlowCallbackDuration(Duration.ofMillis(5));
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v -> {
                  Thread.sleep(30); // surely longer than 5 ms
                  return Co.await(Coroutines.sleep(3_600_000));
                }),
            "slow-step");
    loop.callLater(0.05, loop::stop);
    loop.runForever();
    t.cancel();
    loop.callSoon(loop::stop);
    loop.runForever();
    assertThat(CapturingLoggerFinder.containing("Executing Task<slow-step"))
        .anySatisfy(
            r ->
                assertThat(r.message())
                    .contains(" took ")
                    .contains("; it now waits at dev.coroutine.Co (runtime coroutine)"));
  }

  @Test
  void fastCallback_underThreshold_isNotLogged() {
    loop.setDebug(true);
    loop.setSlowCallbackDuration(Duration.ofSeconds(30));
    Runnable marker =
        new Runnable() {
          @Override
          public void run() {}

          @Override
          public String toString() {
            return "fast-marker-callback";
          }
        };
    loop.callSoon(marker);
    loop.callSoon(loop::stop);
    loop.runForever();
    assertThat(CapturingLoggerFinder.containing("fast-marker-callback")).isEmpty();
  }

  @Test
  void wrongThreadCalls_throw() throws Exception {
    loop.setDebug(true);
    Future<Object> f = loop.createFuture();
    Future<Object> done = loop.createFuture();
    done.setResult("done");
    AtomicReference<Throwable> callSoon = new AtomicReference<>();
    AtomicReference<Throwable> setResult = new AtomicReference<>();
    AtomicReference<Throwable> doneCallback = new AtomicReference<>();
    loop.callSoon(
        () -> {
          Thread other =
              new Thread(
                  () -> {
                    try {
                      loop.callSoon(() -> {});
                    } catch (Throwable t) {
                      callSoon.set(t);
                    }
                    try {
                      f.setResult(1);
                    } catch (Throwable t) {
                      setResult.set(t);
                    }
                    try {
                      done.addDoneCallback(x -> {}); // schedules it at once, as call_soon
                    } catch (Throwable t) {
                      doneCallback.set(t);
                    }
                  });
          other.start();
          try {
            other.join();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
          loop.stop();
        });
    loop.runForever();
    assertThat(callSoon.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Non-thread-safe operation callSoon");
    assertThat(setResult.get()).isInstanceOf(IllegalStateException.class);
    assertThat(f.isDone()).isFalse();
    assertThat(doneCallback.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Non-thread-safe operation Future.addDoneCallback");
  }

  @Test
  void wrongThreadCalls_allowedOutsideDebugMode() throws Exception {
    Future<Object> f = loop.createFuture();
    loop.callSoon(
        () -> {
          Thread other = new Thread(() -> f.setResult(1)); // a bug, but unchecked without debug
          other.start();
          try {
            other.join();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
          loop.stop();
        });
    loop.runForever();
    assertThat(f.isDone()).isTrue();
  }

  private void failTaskAndForgetIt(String marker) {
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v -> {
                  throw new IllegalStateException(marker);
                }),
            "forgotten-" + marker);
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(1))));
    assertThat(t.isDone()).isTrue(); // failed; nobody looks at it
  }

  @Test
  void neverRetrievedTaskException_reportedWhenCollected_toTheCustomHandler_withCreationSite()
      throws Exception {
    loop.setDebug(true);
    failTaskAndForgetIt("unretrieved-1");
    EventLoop.ErrorContext c =
        NeverRetrievedTest.awaitReport(loop, loopErrors, "forgotten-unretrieved-1");
    assertThat(c.message()).startsWith("Task exception was never retrieved");
    assertThat(c.exception()).hasMessage("unretrieved-1");
    assertThat(Debug.format(c.creationSite())).contains("failTaskAndForgetIt");
    loopErrors.clear();
  }

  @Test
  void neverRetrievedFutureException_carriesWhereTheFutureWasMade() throws Exception {
    // asyncio records a future's _source_traceback in debug mode; only tasks had a site here
    // (found from outside, against CPython's debug mode)
    loop.setDebug(true);
    makeFailAndForgetAFuture("unretrieved-future");
    EventLoop.ErrorContext c =
        NeverRetrievedTest.awaitReport(loop, loopErrors, "exception was never retrieved");
    assertThat(c.exception()).hasMessage("unretrieved-future");
    assertThat(Debug.format(c.creationSite())).contains("makeFailAndForgetAFuture");
    loopErrors.clear();
  }

  /** A user's future that compares by a field its constructor sets after Future's has run. */
  static final class Keyed extends Future<Object> {
    private final String key;

    Keyed(EventLoop loop, String key) {
      super(loop);
      this.key = key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Keyed && ((Keyed) o).key.equals(key);
    }

    @Override
    public int hashCode() {
      return key.hashCode();
    }
  }

  @Test
  void aUsersFutureSubclassWithItsOwnEquality_isMadeInDebugMode() {
    // the site was kept by equality from Future's constructor, before the subclass set its key:
    // NullPointerException (found by a review)
    loop.setDebug(true);
    assertThat(new Keyed(loop, "a")).isNotNull();
  }

  private void makeFailAndForgetAFuture(String message) {
    loop.createFuture().setException(new IllegalStateException(message));
  }

  @Test
  void retrievedTaskException_isNoLongerWatched() {
    loop.setDebug(true);
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v -> {
                  throw new IllegalStateException("seen");
                }));
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(1))));
    assertThat(t.callbacks).isInstanceOf(UnretrievedFailure.class);
    UnretrievedFailure w = (UnretrievedFailure) t.callbacks;
    assertThat(t.exception()).hasMessage("seen");
    assertThat(w.isRetrieved()).isTrue();
    assertThat(t.callbacks).isNull();
    loop.close();
    assertThat(loopErrors).isEmpty(); // retrieved: not reported at close either
  }

  @Test
  void pendingTask_atClose_isReported() {
    loop.setExceptionHandler(null); // the default handler: logged, with where the task was made
    loop.setDebug(true);
    loop.createTask(Co.awaiting(Coroutines.sleep(3_600_000)), "stuck-at-close");
    loop.stop();
    loop.runForever();
    loop.close();
    assertThat(CapturingLoggerFinder.containing("Task was destroyed but it is pending"))
        .anySatisfy(
            r ->
                assertThat(r.message())
                    .contains("stuck-at-close")
                    .contains("pendingTask_atClose_isReported"));
  }

  @Test
  void pendingTask_atClose_goesToTheExceptionHandler() {
    // asyncio reports it through call_exception_handler, with the task; it was logged directly
    // (found from outside, against CPython's debug mode)
    List<EventLoop.ErrorContext> seen = new ArrayList<>();
    loop.setExceptionHandler((l, c) -> seen.add(c));
    loop.setDebug(true);
    Task<Object> t = loop.createTask(Co.awaiting(Coroutines.sleep(3_600_000)), "stuck-at-close");
    loop.stop();
    loop.runForever();
    loop.close();
    assertThat(seen)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.message()).startsWith("Task was destroyed but it is pending: ");
              assertThat(c.source()).isSameAs(t);
              assertThat(c.creationSite()).isNotEmpty();
            });
  }

  @Test
  void callbackError_carriesHandleCreationSite() {
    loop.setDebug(true);
    loop.callSoon(
        () -> {
          throw new IllegalStateException("from callback");
        });
    loop.callSoon(loop::stop);
    loop.runForever();
    assertThat(loopErrors).hasSize(1);
    StackTraceElement[] site = loopErrors.get(0).creationSite();
    assertThat(site).isNotNull();
    assertThat(site[0].getMethodName()).isEqualTo("callbackError_carriesHandleCreationSite");
    loopErrors.clear();
  }

  /**
   * {@code -Dcoroutine.debug=true} (or {@code COROUTINE_DEBUG=1}) turns debug mode on where a loop
   * starts, as {@code PYTHONASYNCIODEBUG}; {@code setDebug(false)} still turns it off (it was kept
   * on). Run in a JVM of its own: the property is read once per JVM.
   */
  @Test
  void debugProperty_setsTheStart_andSetDebugFalseStillTurnsItOff() throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-Dcoroutine.debug=true",
                "-cp",
                System.getProperty("java.class.path"),
                DebugPropertyChild.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("new loop: true", "after setDebug(false): false", "again: true");
  }

  /** The child JVM of {@link #debugProperty_setsTheStart_andSetDebugFalseStillTurnsItOff}. */
  static final class DebugPropertyChild {
    public static void main(String[] args) {
      try (EventLoop loop = new EventLoop()) {
        System.out.println("new loop: " + loop.getDebug());
        loop.setDebug(false);
        System.out.println("after setDebug(false): " + loop.getDebug());
        loop.setDebug(true);
        System.out.println("again: " + loop.getDebug());
      }
    }
  }
}
