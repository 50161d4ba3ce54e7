package dev.coroutine.test;

import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * One asynchronous test: its steps (set-up, body, tear-down) run one after the other on a fresh
 * loop, on a thread of its own, while the calling thread watches the real-time limit.
 *
 * <p>Invariant: the loop and everything in {@link #background} belong to the test's thread, which
 * alone runs and finally closes the loop; the calling thread only reads {@link #loop} to dump its
 * tasks and stop it when the limit passes, and never waits past the limit plus a short grace, so a
 * test stuck in a callback is reported, not waited for. {@link #errors} gets every report of the
 * loop's exception handler (callbacks that threw, exceptions never retrieved): each fails the test.
 */
final class TestRun {
  /** The run whose loop this thread runs, if any: how {@link TestTime} finds its clock. */
  private static final ThreadLocal<TestRun> CURRENT = new ThreadLocal<>();

  /** After the limit, how long the loop thread gets to stop once asked (then it is interrupted). */
  private static final long GRACE_MILLIS = 2000;

  /** A step of the test: returns a {@code Coroutine} to run to completion, or anything else. */
  @FunctionalInterface
  interface Step {
    /**
     * Runs the step's synchronous part.
     *
     * @return a coroutine to run on the loop, or anything else when the step is done
     * @throws Throwable what the step failed with
     */
    Object call() throws Throwable;
  }

  /** The test's name, in messages and in the loop thread's and the body task's names. */
  private final String name;

  /** The real-time limit. */
  private final Duration limit;

  /** The test's loop: virtual clock ({@link #clock}) or real. */
  final EventLoop loop;

  /** The virtual clock, or null on a real-clock loop. */
  final TestClock clock;

  /** What the loop's exception handler was told during the test; any thread may add. */
  private final List<EventLoop.ErrorContext> errors =
      Collections.synchronizedList(new ArrayList<>());

  /** Tasks cancelled at the end without failing the test ({@link AsyncTests#backgroundTask}). */
  final Set<Task<?>> background = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Set by the calling thread when the limit passed: the loop thread stops short. */
  private volatile boolean timedOut;

  /** Past the limit, the loop thread has begun to cancel the test's tasks and tear down. */
  private volatile boolean cleaning;

  /** The runner gave up waiting: the loop thread skips what is left and closes the loop. */
  private volatile boolean abandoned;

  /** The test's steps are done and the loop waits for the default executor's jobs. */
  private volatile boolean joiningExecutor;

  /** The failure of the test's steps, then of its end checks; null if none. */
  private Throwable failure;

  /** The body's result. */
  private Object result;

  TestRun(String name, boolean virtualTime, boolean debug, Duration limit) {
    this.name = name;
    this.limit = limit;
    this.clock = virtualTime ? new TestClock() : null;
    this.loop = virtualTime ? EventLoop.withVirtualTime(clock) : new EventLoop();
    if (debug) {
      loop.setDebug(true); // else as the loop starts: -Dcoroutine.debug=true turns it on for all
    }
    loop.setSlowCallbackDuration(limit); // the real-time limit judges slowness: no log noise
    loop.setExceptionHandler((l, context) -> errors.add(context));
  }

  /**
   * The run of the loop running on this thread; {@link IllegalStateException} naming {@code what}.
   */
  static TestRun current(String what) {
    TestRun r = CURRENT.get();
    if (r == null || !r.loop.isRunning() || EventLoop.running() != r.loop) {
      throw new IllegalStateException(
          what
              + " works only inside a test of the test kit (an @AsyncTest method or"
              + " AsyncTests.runTest), while its loop runs: in the test's coroutine, an async"
              + " @BeforeEach/@AfterEach, or a task they started");
    }
    return r;
  }

  /**
   * Runs {@code before}, then {@code body} if they all succeeded, then {@code after} whatever
   * happened, each to completion on the loop, then checks that no task is left pending and the loop
   * reported no error; returns the body's result or throws the first failure, the others added to
   * it as suppressed.
   */
  Object run(List<Step> before, Step body, List<Step> after) throws Throwable {
    CountDownLatch finished = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              try {
                runSteps(before, body, after);
              } finally {
                finished.countDown();
              }
            },
            "coroutine-test " + name);
    t.setDaemon(true); // a loop stuck past its limit is abandoned, never keeps the JVM alive
    t.start();
    boolean done;
    try {
      done = finished.await(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      timedOut = true; // the runner gave up on the test: stop its loop too, then say so
      abandoned = true;
      stopIf(false);
      throw e;
    }
    if (!done) {
      throw timedOut(t, finished);
    }
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  private AssertionError timedOut(Thread t, CountDownLatch finished) throws InterruptedException {
    timedOut = true;
    String dump = loop.dumpTasks(); // from this thread: asks the loop, or snapshots it if stuck
    stopIf(false);
    boolean stopped = finished.await(GRACE_MILLIS, TimeUnit.MILLISECONDS);
    boolean cutShort = false;
    if (!stopped) {
      // the test or its clean-up did not end in time (a task that ignores cancellation, a
      // tear-down that waits for ever): skip the rest, and stop whatever runs now
      cutShort = true;
      abandoned = true;
      stopIf(true);
      t.interrupt(); // a callback blocked in sleep() or blocking I/O may give up
      stopped = finished.await(GRACE_MILLIS / 2, TimeUnit.MILLISECONDS);
    }
    AssertionError e =
        new AssertionError(
            name
                + " did not finish within its real-time limit of "
                + seconds(limit)
                + " (@AsyncTest(timeout = ...) or -Dcoroutine.test.timeout=<seconds>)"
                + (!stopped
                    ? "; its loop thread \"" + t.getName() + "\" did not stop and was abandoned"
                    : cutShort
                        ? "; it did not end within "
                            + seconds(Duration.ofMillis(GRACE_MILLIS))
                            + " of being stopped, so cancelling its tasks and tearing down were"
                            + " cut short"
                        : "")
                + ". "
                + (joiningExecutor
                    ? "The test itself had finished: the time ran out waiting for jobs it left running"
                        + " in the default executor (toThread, runInExecutor), which end with the test"
                        + " as in asyncio's test case. "
                    : "")
                + dump);
    if (stopped && failure != null) {
      e.addSuppressed(failure); // what tear-down threw after the time-out
    }
    return e;
  }

  /**
   * Asks the loop, from another thread, to stop after its current pass, if by then the loop thread
   * is (or is not yet, for false) cleaning up after the time-out: a stop meant for the test does
   * not cut short the clean-up that began meanwhile.
   */
  private void stopIf(boolean whileCleaning) {
    try {
      loop.callSoonThreadsafe(
          () -> {
            if (cleaning == whileCleaning) {
              loop.stop();
            }
          });
    } catch (IllegalStateException closedMeanwhile) {
      // it finished just now
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** The test's thread: the steps, the end checks, closing the loop. */
  private void runSteps(List<Step> before, Step body, List<Step> after) {
    CURRENT.set(this);
    try {
      for (Step s : before) {
        fail(step(s, "set-up"));
        if (failure != null || timedOut) {
          break;
        }
      }
      if (failure == null && !timedOut) {
        Throwable f = step(body, "test");
        if (!timedOut) {
          fail(f); // else it is the stop that ended it: the time-out is the failure
        }
      }
      if (timedOut) {
        // the loop answered the stop: cancel what is left, so the test's finally blocks run (as
        // kotlinx's runTest cancels its body at the time-out), then tear down what set-up opened;
        // all within the runner's grace period, else abandoned (and stopped) midway
        cleaning = true;
        if (!abandoned) {
          cancelPending();
        }
      }
      for (Step s : after) {
        if (abandoned) {
          break;
        }
        fail(step(s, "tear-down"));
      }
      if (!timedOut) {
        checkNothingPending();
      }
      if (!timedOut) {
        // as asyncio's test case (its runner's close): async generators left suspended are
        // closed (their finally blocks run), and executor jobs end with their test
        Future<Void> generators = loop.shutdownAsyncgens();
        if (!generators.isDone()) {
          loop.runUntilComplete(generators);
        }
        joiningExecutor = true;
        loop.runUntilComplete(loop.shutdownDefaultExecutor(Duration.ofSeconds(300)));
        joiningExecutor = false;
        // a task started meanwhile (a job's runCoroutineThreadsafe, a timer's) is cancelled too
        cancelPending();
      }
    } catch (IllegalStateException stopped) {
      if (!timedOut) {
        fail(stopped); // the kit's own failure: report it rather than lose it
      } // else the stop after the time-out cut a clean-up run short: the time-out says it all
    } catch (Throwable unexpected) {
      fail(unexpected); // the kit's own failure: report it rather than lose it
    } finally {
      if (timedOut) {
        loop.setDebug(false); // the dump said it all: no report per abandoned task
      }
      loop.close(); // reports exceptions nobody retrieved to the handler, i.e. to errors
      CURRENT.remove();
    }
    if (!timedOut) {
      for (EventLoop.ErrorContext c : errors.toArray(new EventLoop.ErrorContext[0])) {
        AssertionError e =
            new AssertionError(
                "the event loop reported an error during " + name + ": " + c.message(),
                c.exception());
        fail(e);
      }
    }
  }

  /** Runs one step to completion; returns what it failed with, or null. */
  private Throwable step(Step s, String what) {
    try {
      Object r = s.call();
      if (r instanceof Coroutine) {
        @SuppressWarnings("unchecked")
        Coroutine<Object> c = (Coroutine<Object>) r;
        r = loop.runUntilComplete(loop.createTask(c, what + " " + name));
      }
      if (what.equals("test")) {
        result = r;
      }
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  private void fail(Throwable t) {
    if (t == null) {
      return;
    }
    if (failure == null) {
      failure = t;
    } else if (failure != t) {
      if (failure instanceof TestAbortedException && !(t instanceof TestAbortedException)) {
        t.addSuppressed(failure); // as Jupiter: a failure outranks an assumption that aborted
        failure = t;
      } else {
        failure.addSuppressed(t);
      }
    }
  }

  /**
   * Fails the test if tasks other than background ones are still pending, then cancels all that are
   * and runs the loop until they finish (their {@code finally} blocks run, as asyncio.run lets
   * them).
   */
  private void checkNothingPending() {
    List<Task<?>> pending = loop.pendingTasks();
    if (pending.isEmpty()) {
      return;
    }
    int left = 0;
    for (Task<?> t : pending) {
      if (!background.contains(t)) {
        left++;
      }
    }
    if (left > 0) {
      fail(
          new AssertionError(
              left
                  + (left == 1 ? " task was" : " tasks were")
                  + " still pending when "
                  + name
                  + " ended: await "
                  + (left == 1 ? "it" : "them")
                  + ", cancel "
                  + (left == 1 ? "it" : "them")
                  + ", or start "
                  + (left == 1 ? "it" : "them")
                  + " with AsyncTests.backgroundTask (cancelled at the end)."
                  + (loop.getDebug()
                      ? " "
                      : " (@AsyncTest(debug = true) adds where each was created.) ")
                  + loop.dumpTasks()));
    }
    cancelPending();
  }

  /**
   * Cancels every pending task and runs the loop until all have finished, round after round while
   * their cleanup creates new ones (at most {@link #CANCEL_ROUNDS}, as {@code run()}'s end; what is
   * left then fails the test).
   */
  private void cancelPending() {
    if (gaveUpCancelling) {
      return; // the test failed saying so: once is enough
    }
    for (int round = 1; ; round++) {
      List<Task<?>> pending = loop.pendingTasks();
      if (pending.isEmpty()) {
        return;
      }
      if (round > CANCEL_ROUNDS) {
        gaveUpCancelling = true;
        fail(
            new AssertionError(
                pending.size()
                    + " task(s) still pending after "
                    + CANCEL_ROUNDS
                    + " rounds of cancellation at the end of "
                    + name
                    + " (each round's cleanup made new ones). "
                    + loop.dumpTasks()));
        return;
      }
      cancelAndWait(pending);
    }
  }

  /** {@link #cancelPending()} ran out of rounds (and failed the test). */
  private boolean gaveUpCancelling;

  /** Rounds of {@link #cancelPending()}, as many as {@code run()}'s end has. */
  private static final int CANCEL_ROUNDS = 16;

  /** Cancels {@code pending} and runs the loop until all have finished. */
  private void cancelAndWait(List<Task<?>> pending) {
    Future<Void> allDone = loop.createFuture();
    int[] remaining = {pending.size()};
    for (Task<?> t : pending) {
      t.cancel();
      t.addDoneCallback(
          f -> {
            if (--remaining[0] == 0) {
              allDone.setResult(null);
            }
          });
    }
    loop.runUntilComplete(allDone);
  }
}
