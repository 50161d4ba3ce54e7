package dev.coroutine;

import dev.coroutine.internal.RuntimeCleaner;
import java.lang.ref.Cleaner;
import java.lang.ref.PhantomReference;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The watch over a failed future's exception until someone retrieves it (asyncio's {@code
 * _log_traceback}): if nobody does, the loop's exception handler hears of it on the loop's thread
 * at its first pass after the future is collected or, at the latest, when the loop closes, in and
 * out of debug mode.
 *
 * <p>Invariant: {@link #state} goes from {@link #WATCHING} to exactly one of {@link #RETRIEVED} or
 * {@link #REPORTED}, so an exception is reported at most once and never after it was read. A watch
 * is a phantom reference to its future, queued on the loop's {@link LoopCore#collectedFailures},
 * which the loop polls once per pass: so the reports are made on the loop's thread, and a burst of
 * forgotten failures is let go of as fast as the loop runs (a cleaner thread, which this replaced,
 * reported from its own thread between runs and fell behind under load until the heap ran out).
 * While watching it sits in its loop's list ({@link #prev}/{@link #next}), which {@link
 * EventLoop#close()} reports. It is kept in {@link Future#callbacks}, a slot a finished future no
 * longer uses, so no future carries a field for it.
 *
 * <p>Cost: nothing on the success path; on a failure that a task awaits (the common case) nothing
 * either, since the awaiting task retrieves it at once (see {@link Future#setException}); on other
 * failures one watch, released when the exception is read.
 */
final class UnretrievedFailure extends PhantomReference<Future<?>> {
  private static final int WATCHING = 0;
  private static final int RETRIEVED = 1;
  private static final int REPORTED = 2;
  private static final AtomicIntegerFieldUpdater<UnretrievedFailure> STATE =
      AtomicIntegerFieldUpdater.newUpdater(UnretrievedFailure.class, "state");

  /** The loop whose exception handler gets the report, or null for a future never bound. */
  private final EventLoop loop;

  /** The task's name, or null for a plain future (kept: the future is gone when reported). */
  private final String taskName;

  /** The exception it failed with. */
  final Throwable exception;

  /** Where the future (task) was created, in debug mode; else null. */
  private final StackTraceElement[] site;

  /** {@link #WATCHING}, {@link #RETRIEVED} or {@link #REPORTED}. */
  private volatile int state;

  /** For a future of no loop: its registration with the cleaner, which reports it; else null. */
  private Cleaner.Cleanable cleanable;

  /** Neighbours in the loop's list of watches (guarded by the loop's list lock). */
  UnretrievedFailure prev, next;

  private UnretrievedFailure(
      Future<?> f,
      EventLoop loop,
      boolean polled,
      String taskName,
      Throwable exception,
      StackTraceElement[] site) {
    super(f, polled ? loop.collectedFailures : null);
    this.loop = loop;
    this.taskName = taskName;
    this.exception = exception;
    this.site = site;
  }

  /** Starts watching {@code f}, which just failed with {@code exception}. */
  static void watch(Future<?> f, Throwable exception) {
    EventLoop l = f.loop;
    boolean polled = l != null && !l.isClosed(); // else no loop will look for it
    UnretrievedFailure w =
        new UnretrievedFailure(
            f,
            l,
            polled,
            f instanceof Task ? ((Task<?>) f).getName() : null,
            exception,
            l != null && l.debug ? Debug.siteOf(f) : null);
    f.callbacks = w;
    if (polled) {
      l.watchFailure(w);
    } else {
      // reported from the cleaner's thread when collected; an exception that refers to its own
      // future keeps it (and its closed loop) from ever being collected, and is never reported
      w.cleanable = RuntimeCleaner.register(f, w::reportNow);
    }
  }

  /** The exception was read: never report it. Any thread. */
  void retrieved() {
    if (STATE.compareAndSet(this, WATCHING, RETRIEVED)) {
      clear(); // never queued now
      if (loop != null) {
        loop.unwatchFailure(this);
      }
      Cleaner.Cleanable c = cleanable;
      if (c != null) {
        c.clean(); // deregisters; reportNow() then finds RETRIEVED and does nothing
      }
    }
  }

  /** True once {@link #retrieved()} was called. */
  boolean isRetrieved() {
    return state == RETRIEVED;
  }

  /**
   * Reports now, unless retrieved or reported already: on the loop's thread when the loop finds the
   * future collected, or when it closes; on the cleaner's for a future of no loop (logged) or one
   * that failed after its loop closed (to that loop's handler: no loop thread runs any more).
   */
  void reportNow() {
    if (!STATE.compareAndSet(this, WATCHING, REPORTED)) {
      return;
    }
    String message =
        (taskName != null ? "Task" : "Future") + " exception was never retrieved: " + describe();
    if (loop == null) {
      Debug.LOG.log(System.Logger.Level.ERROR, message, exception);
      return;
    }
    loop.unwatchFailure(this);
    loop.callExceptionHandler(new EventLoop.ErrorContext(message, exception, null, site));
  }

  /** The future as its toString() showed it: "Task<name finished exception=...>". */
  private String describe() {
    return (taskName != null ? "Task<" + taskName + " " : "Future<")
        + "finished exception="
        + exception
        + ">";
  }

  @Override
  public String toString() {
    return "UnretrievedFailure[" + describe() + "]";
  }
}
