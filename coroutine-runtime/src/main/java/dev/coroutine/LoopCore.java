package dev.coroutine;

import dev.coroutine.internal.IoPoller;
import dev.coroutine.internal.ReadyQueue;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The core of an {@link EventLoop}: the ready queue, the thread-safe inbox, the timers, the clock,
 * one pass of the loop, and the running task's context. {@link EventLoop} is its only subclass, the
 * public facade (scheduling API, I/O registration, tasks, executor, close, dumps, debug settings);
 * being a superclass rather than a field, the core costs the hot paths no extra pointer hop, as
 * Netty layers its loops ({@code SingleThreadEventExecutor} → {@code NioEventLoop}).
 *
 * <p>Invariant: everything here runs on the thread running the loop (or before the loop runs),
 * except {@link #enqueue}, {@link #awaitInboxRoom}, {@link #wakeProducers}, {@link #now()} and the
 * volatile reads. One pass ({@link #runOnce()}) is asyncio's {@code _run_once}: wait until the
 * first timer is due or work arrives, move due timers to the ready queue, then run exactly the
 * callbacks that were ready when the pass began; callbacks scheduled during the pass run in the
 * next one.
 */
abstract class LoopCore {
  /** The runtime's logger. */
  static final System.Logger LOG = Debug.LOG;

  /** Thread-safe callbacks moved to the ready queue per pass at most: timers and I/O between. */
  static final int INBOX_BATCH = 4096;

  /** Default {@link EventLoop#setThreadsafeQueueCapacity(int) capacity} of the inbox. */
  static final int DEFAULT_INBOX_CAPACITY =
      Math.max(INBOX_BATCH, Integer.getInteger("coroutine.threadsafeCapacity", 1 << 16));

  /** Ready callbacks and tasks, in FIFO order; touched only by the loop thread. */
  final ReadyQueue ready = new ReadyQueue();

  /**
   * Where the watches of this loop's failed futures are queued once their futures are collected
   * unread ({@link UnretrievedFailure}): polled once per pass, so the loop reports them itself.
   */
  final ReferenceQueue<Future<?>> collectedFailures = new ReferenceQueue<>();

  /**
   * The longest an idle loop waits while it watches unretrieved failures: a failed future collected
   * meanwhile is reported within this long, though nothing else wakes the loop.
   */
  static final long FORGOTTEN_FAILURE_CHECK_NANOS = 1_000_000_000L;

  /** True while some failure of this loop is watched (a racy read is enough: a hint to wake). */
  abstract boolean watchesFailures();

  /** One taken from {@link #collectedFailures} by {@link #nextPassOnlyResumes}, or null. */
  private Reference<?> collectedTaken;

  /**
   * Callbacks handed over by other threads (the inbox); each pass moves at most {@link
   * #INBOX_BATCH} of them to {@link #ready}, so a flood cannot starve timers and I/O.
   */
  final ConcurrentLinkedQueue<Runnable> incoming = new ConcurrentLinkedQueue<>();

  /**
   * Callbacks in {@link #incoming}, counted by producers before they add (so it may run a few ahead
   * of the queue) and by the loop after it takes a batch: what bounds the inbox.
   */
  final AtomicInteger incomingCount = new AtomicInteger();

  /**
   * Producers waiting in {@link #awaitInboxRoom}, oldest first, one entry per waiting thread: the
   * loop wakes as many as it made room for, taking no lock. (It took a monitor the producers also
   * took, to notify them: 100,000 virtual threads contending for it starved the loop thread for
   * good, its timers stopped too; found from outside.)
   */
  private final ConcurrentLinkedQueue<RoomWaiter> roomWaiters = new ConcurrentLinkedQueue<>();

  /** A producer waiting for room; set once, by the loop waking it or by the producer leaving. */
  private static final class RoomWaiter extends java.util.concurrent.atomic.AtomicBoolean {
    private static final long serialVersionUID = 1L;

    /** The waiting thread. */
    final transient Thread thread = Thread.currentThread();
  }

  /** How long a producer waits before it looks again unwoken: a safety net only. */
  private static final long ROOM_RECHECK_NANOS = 50_000_000L;

  /** See {@link EventLoop#setThreadsafeQueueCapacity(int)}. */
  volatile int inboxCapacity = DEFAULT_INBOX_CAPACITY;

  /**
   * Set by other threads after adding to {@link #incoming}, cleared by the loop before draining it:
   * the loop reads one volatile boolean per pass instead of polling the shared queue.
   */
  private volatile boolean incomingPending;

  /** Timers and sleeps ordered by deadline. */
  final TimerHeap timers = new TimerHeap();

  /** Origin of {@link #now()}: nanoTime when the loop was created. */
  private final long origin = System.nanoTime();

  /**
   * Non-null for a loop with a virtual clock ({@link EventLoop#withVirtualTime()}): {@link #now()}
   * returns {@link #virtualNanos}, and when idle the loop moves the clock where this says (by
   * default to its next timer) instead of waiting.
   */
  final VirtualClock virtualClock;

  /** The virtual clock's time in loop nanoseconds; advanced only by the loop thread. */
  private long virtualNanos;

  /**
   * The loop time in milliseconds at the loop's last clock reading (each pass that waited or has
   * timers): what {@link Task#suspendedAt} is stamped with, so a suspension reads no clock.
   */
  int clockMillis;

  /** Next timer sequence number (FIFO order of equal deadlines; wraps harmlessly). */
  private long timerSeq;

  /** The thread running the loop, or null when it is not running. */
  volatile Thread thread;

  /** True while the loop thread is parked waiting for work; read by other threads to wake it. */
  private volatile boolean parked;

  /**
   * The selector and I/O callbacks, opened on the first I/O registration; null for loops that never
   * do I/O (they wait with park/unpark). Written once, on the loop thread, before the loop next
   * sets {@link #parked}, so a thread that sees {@code parked} also sees it.
   */
  volatile IoPoller io;

  /** Set by {@link EventLoop#stop()}: the current pass is the last. */
  boolean stopping;

  /** Set by {@link EventLoop#close()}. */
  volatile boolean closed;

  /** What stopped the loop's thread and closed the loop (see EventLoop.runForever()), or null. */
  volatile Throwable fatal;

  /** The loop thread was interrupted during this run: logged once, restored when the run ends. */
  private boolean interruptedWhileRunning;

  // ---- the running task's context (one task runs at a time) --------------------------------

  /** The task whose coroutine is running right now, or null. */
  Task<?> currentTask;

  /**
   * The running thread's {@link Context.Cell}, taken when the loop starts running: switching the
   * current context to a task or a callback is then a store in it, no thread-local lookup.
   */
  Context.Cell contextCell;

  /**
   * The value delivered to the running task's innermost frame at its resume point. Kept here, not
   * in each Task, because one task runs at a time on a loop: it saves memory per sleeping task.
   */
  Object resumeValue;

  /** The exception thrown into the running task's innermost frame at its resume point, or null. */
  Throwable resumeFailure;

  /** Depth of inline (Java-stack) coroutine calls of the running task below the trampoline. */
  int depth;

  /**
   * With a debugger attached, the frames a resume is entering, outermost first (see {@link
   * DebuggerResume}); null once the innermost is reached, and always without a debugger.
   */
  AsyncFrame<?>[] rewindPath;

  /** The index in {@link #rewindPath} of the frame being entered. */
  int rewindAt;

  /**
   * The running task was stepped by the loop's pass, not started eagerly inside other code: a
   * {@code sleep(0)} of it may go on at once when the next pass would only resume it (see {@link
   * #nextPassOnlyResumes}). An eager start must return to its creator at its first yield.
   */
  boolean steppedByPass;

  /**
   * Debug mode: see {@link EventLoop#setDebug(boolean)}. Plain (not volatile): it is read on hot
   * paths and set on the loop thread or before the loop runs.
   */
  boolean debug = Debug.GLOBAL;

  /** Callbacks running longer than this (nanoseconds) are logged in debug mode. */
  long slowCallbackNanos = 100_000_000L;

  LoopCore(VirtualClock virtualClock) {
    this.virtualClock = virtualClock;
  }

  // ---- clock, inbox, ready queue, timers ---------------------------------------------------

  /** Monotonic loop time in nanoseconds. */
  final long now() {
    return virtualClock != null ? virtualNanos : System.nanoTime() - origin;
  }

  /**
   * Adds {@code h}, counted in {@link #incomingCount} by the caller, to the inbox and wakes the
   * loop: false (and {@code h} withdrawn, uncounted) if {@link EventLoop#close()} ran meanwhile and
   * did not see it.
   */
  final boolean enqueue(Handle h) {
    incoming.add(h);
    if (closed && incoming.remove(h)) {
      incomingCount.getAndDecrement();
      return false;
    }
    incomingPending = true; // after the add: a loop that sees the flag sees the callback
    // Dekker-style handshake with waitForWork(): we publish then read `parked`; the loop sets
    // `parked` then re-reads the queue. One of the two sees the other's write.
    if (parked) {
      IoPoller p = io;
      if (p != null) {
        p.wakeup(); // the loop waits in its selector
      } else {
        LockSupport.unpark(thread);
      }
    }
    return true;
  }

  /**
   * Waits while the inbox is full and the loop runs on another thread: see {@link
   * #callSoonThreadsafe}. The loop notifies after each batch it takes; the timed wait is only a
   * safety net.
   */
  final void awaitInboxRoom() {
    if (EventLoop.runningOrNull() != null) {
      return; // a loop thread never waits for a loop (this one or another): admitted
    }
    boolean interrupted = false;
    RoomWaiter w = null;
    while (incomingCount.get() >= inboxCapacity && thread != null && !closed) {
      if (w == null || w.get()) {
        // (again, if woken and the room was taken first): queued, then the condition is read
        // again, so a loop that made room before it saw us is seen making it
        w = new RoomWaiter();
        roomWaiters.add(w);
        continue;
      }
      LockSupport.parkNanos(this, ROOM_RECHECK_NANOS);
      if (Thread.interrupted()) {
        interrupted = true; // keep waiting: the callback must not be lost; flag restored below
      }
    }
    if (w != null) {
      w.compareAndSet(false, true); // withdrawn: the loop's wake-up goes to another
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (closed) {
      throw closedError();
    }
  }

  /** Wakes up to {@code room} producers waiting for room in the inbox, oldest first. */
  final void wakeProducers(int room) {
    int woken = 0;
    RoomWaiter w;
    while (woken < room && (w = roomWaiters.poll()) != null) {
      if (w.compareAndSet(false, true)) {
        LockSupport.unpark(w.thread);
        woken++;
      }
    }
  }

  /** Wakes every producer waiting for room (the loop stopped or closed, or the bound grew). */
  final void wakeProducers() {
    wakeProducers(Integer.MAX_VALUE);
  }

  /** Slots the timer queue holds (its ring and heap arrays), for tests: memory comes back. */
  final int timerSlots() {
    return timers.runCapacity() + timers.heapCapacity();
  }

  /** Callbacks waiting in the thread-safe inbox now (approximate while producers add). */
  final int threadsafeQueued() {
    return incomingCount.get();
  }

  /** The error for work refused by a closed loop: names what closed it if its thread died. */
  final IllegalStateException closedError() {
    Throwable f = fatal;
    return f == null
        ? new IllegalStateException("event loop is closed")
        : new IllegalStateException(
            "event loop is closed: its thread stopped on " + f + " and the loop closed itself", f);
  }

  /**
   * Whether a {@code sleep(0)} of {@code t}, the running task, may go on at once, without
   * suspending: the loop's pass stepped it ({@link #steppedByPass}), and the next pass would do
   * nothing but resume it: nothing is ready, and there is no timer, I/O, thread-safe callback, stop
   * request, pending cancellation or callback timing that a pass would attend to. Every order stays
   * asyncio's (only a Java stack trace shows the callers that were not unwound), and going on saves
   * saving and restoring the frame, a trip through the driver and a pass. (A lone yielding task is
   * the yield benchmark's case, and that of a CPU-bound task that yields to be polite.)
   */
  final boolean nextPassOnlyResumes(Task<?> t) {
    if (steppedByPass
        && ready.isEmpty()
        && timers.size() == 0
        && !incomingPending
        && io == null
        && !stopping
        && !t.mustCancel
        && !debug
        && !Jfr.slowCallbacks()
        && !failuresCollected()) {
      return true;
    }
    return false;
  }

  /**
   * True if a failed future was collected unread: the next pass reports it, so it must happen.
   * Takes the first from the queue (nothing tells whether a queue is empty without taking).
   */
  private boolean failuresCollected() {
    if (!watchesFailures()) {
      return false; // the usual case: one plain read, not the queue's volatile one
    }
    if (collectedTaken == null) {
      collectedTaken = collectedFailures.poll();
    }
    return collectedTaken != null;
  }

  /**
   * Before the loop runs, a callback or task queued with {@code callSoon}, {@code createTask} or as
   * a future's done-callback goes after the thread-safe callbacks already waiting, as in asyncio,
   * whose one ready queue takes both in the order of the calls. While it runs, the waiting ones
   * join the ready queue at the start of the next pass (README, "Differences from asyncio"): taking
   * them at every call would let a flood of them past the inbox's bound.
   */
  final void takeInboxBeforeRun() {
    if (incomingPending && thread == null) {
      takeInbox();
    }
  }

  /** Puts a Runnable or a Task on the ready queue: the loop-internal scheduling, no Handle. */
  final void schedule(Object runnableOrTask) {
    ready.add(runnableOrTask);
  }

  final void addTimer(TimerEntry e) {
    e.seq = timerSeq++;
    timers.add(e);
  }

  /**
   * Starts the timer of {@code s}, awaited by {@code t}: the task itself moves from the live tasks
   * to the timers' {@link Sleepers} if its deadline is in order there ({@code t.waitingOn} becomes
   * {@link Sleep#SLEEPING}), otherwise {@code s} is a timer entry ({@code t.waitingOn} is {@code
   * s}).
   */
  final void addSleep(Sleep s, Task<?> t) {
    long seq = timerSeq++;
    if (timers.takesSleeper(s.when)) {
      t.loop.unlinkTask(t);
      timers.addSleeper(t, s.when, seq);
      t.waitingOn = Sleep.SLEEPING;
    } else {
      s.seq = seq;
      t.waitingOn = s;
      timers.add(s);
    }
  }

  final void removeTimer(TimerEntry e) {
    timers.remove(e);
  }

  final void checkOpen() {
    if (closed) {
      throw closedError();
    }
  }

  // ---- one pass ----------------------------------------------------------------------------

  /** One pass of the loop (asyncio's {@code _run_once}). */
  final void runOnce() {
    long timeout;
    if (!ready.isEmpty() || stopping) {
      timeout = 0;
    } else {
      timeout =
          timers.size() == 0 ? Long.MAX_VALUE : Deadlines.untilDeadline(timers.firstWhen(), now());
      if (timeout > FORGOTTEN_FAILURE_CHECK_NANOS && virtualClock == null && watchesFailures()) {
        timeout = FORGOTTEN_FAILURE_CHECK_NANOS; // an idle loop still looks for collected ones
      }
    }
    if (timeout > 0 || io != null) {
      if (virtualClock != null && timeout > 0) {
        skipTime(timeout); // virtual clock: poll, then move the clock instead of waiting
      } else {
        waitForWork(timeout); // with I/O, also a pass with ready callbacks polls the selector
      }
      if (timeout > 0 && timers.size() == 0) {
        clockMillis = (int) (now() / 1_000_000L); // idle pass (with timers, read just below)
      }
    }
    if (incomingPending) { // one volatile read per pass instead of polling the shared queue
      takeInbox();
    }
    if (collectedTaken != null || watchesFailures()) { // a plain read in the usual case
      Reference<?> forgotten = collectedTaken != null ? collectedTaken : collectedFailures.poll();
      if (forgotten != null) {
        collectedTaken = null;
        reportCollectedFailures(forgotten);
      }
    }
    if (timers.size() > 0) {
      long end = now();
      clockMillis = (int) (end / 1_000_000L);
      Object t;
      while ((t = timers.pollDue(end)) != null) {
        if (t instanceof TimerEntry) {
          ((TimerEntry) t).fire(this);
        } else {
          Sleep.over((Task<?>) t); // a sleep that kept no timer entry (see Sleepers)
        }
      }
    }
    int n = ready.size();
    if (debug || Jfr.slowCallbacks()) {
      for (int i = 0; i < n; i++) {
        runTimed(ready.poll());
      }
    } else {
      for (int i = 0; i < n; i++) {
        runOne(ready.poll());
      }
    }
  }

  /**
   * Reports the failures whose futures were collected unread ({@link UnretrievedFailure}), {@code
   * first} and the others queued, on this thread.
   */
  private void reportCollectedFailures(Reference<?> first) {
    for (Reference<?> r = first; r != null; r = collectedFailures.poll()) {
      ((UnretrievedFailure) r).reportNow();
    }
  }

  /**
   * Moves up to {@link #INBOX_BATCH} thread-safe callbacks to the ready queue. If more wait, the
   * flag stays set: the next pass takes them without waiting, after serving timers and I/O.
   */
  private void takeInbox() {
    incomingPending = false;
    int k = 0;
    Runnable r;
    while (k < INBOX_BATCH && (r = incoming.poll()) != null) {
      ready.add(r);
      k++;
    }
    if (k > 0) {
      incomingCount.getAndAdd(-k);
      wakeProducers(k);
      if (k == INBOX_BATCH) {
        incomingPending = true;
      }
    }
  }

  private void waitForWork(long timeoutNanos) {
    IoPoller p = io;
    if (p != null && timeoutNanos == 0) {
      p.select(0); // ready callbacks are waiting: only collect the I/O that is ready now
      return;
    }
    parked = true;
    try {
      if (!incoming.isEmpty()) {
        if (p != null) {
          p.select(0);
        }
        return;
      }
      if (p != null) {
        p.select(timeoutNanos); // callSoonThreadsafe wakes it with selector.wakeup()
      } else if (timeoutNanos == Long.MAX_VALUE) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, IoPoller.waitMillis(timeoutNanos) * 1_000_000L);
      }
      if (Thread.interrupted()) { // a set flag makes every park and select return at once
        interruptCleared();
      }
    } finally {
      parked = false;
    }
  }

  /**
   * The loop thread was interrupted while it waited. An interrupt is not how a loop is stopped (use
   * {@link EventLoop#stop()}, from another thread through {@link EventLoop#callSoonThreadsafe}):
   * the loop clears the flag, which would otherwise make every wait return at once and the idle
   * loop spin, logs it once per run, keeps running, and sets the flag again when {@link
   * EventLoop#runForever()} returns, so the code that called it still sees the interrupt.
   */
  private void interruptCleared() {
    if (!interruptedWhileRunning) {
      interruptedWhileRunning = true;
      LOG.log(
          System.Logger.Level.WARNING,
          "Event loop thread \""
              + Thread.currentThread().getName()
              + "\" was interrupted: the loop keeps running (stop it with loop.stop(), from other"
              + " threads through callSoonThreadsafe); the interrupt is restored when it returns");
    }
  }

  private void runOne(Object o) {
    try {
      if (o instanceof Task) {
        ((Task<?>) o).step(); // in the task's own context
      } else {
        runCallback((Runnable) o);
      }
    } catch (Throwable t) {
      callExceptionHandler(
          new EventLoop.ErrorContext(
              "Exception in callback " + o, t, o, debug ? Debug.siteOf(o) : null));
    }
  }

  /**
   * Runs a callback in a context of its own: empty (created at its first set) unless it was
   * scheduled with one, which it enters itself (see {@link Handle}); what it sets never leaks into
   * the next callback or into the loop's caller.
   */
  private void runCallback(Runnable r) {
    Context.Cell c = contextCell;
    Object outer = c.enter(Context.FRESH);
    try {
      r.run();
    } finally {
      c.exit(outer);
    }
  }

  /**
   * A virtual-clock pass with nothing ready, the first timer {@code timeout} away ({@link
   * Long#MAX_VALUE}: none): moves the clock where {@link #virtualClock} says, at most to that
   * timer; waits for real only when it says so and no timer is left.
   */
  private void skipTime(long timeout) {
    if (io != null) {
      waitForWork(0); // collect the I/O that is ready now, without blocking
    }
    if (!incoming.isEmpty() || !ready.isEmpty()) {
      return;
    }
    long now = virtualNanos;
    long next = timeout == Long.MAX_VALUE ? Deadlines.NEVER : now + timeout;
    long to = virtualClock.onIdle((EventLoop) this, now, next);
    if (!ready.isEmpty() || !incoming.isEmpty() || stopping) {
      return; // the clock scheduled work (or stopped the loop): run it now, at this time
    }
    if (to >= next && next == Deadlines.NEVER) {
      waitForWork(Long.MAX_VALUE); // no timer left: only I/O or another thread can make work
    } else {
      virtualNanos = Math.max(now, Math.min(to, next));
    }
  }

  /** Runs {@code o} timed: debug mode's slow-callback log, JFR's SlowCallback event. */
  private void runTimed(Object o) {
    Object event = Jfr.callbackBegin(); // null unless a recording wants SlowCallback
    long start = System.nanoTime();
    runOne(o);
    long took = System.nanoTime() - start;
    if (event != null) {
      Jfr.callbackEnd(event, o);
    }
    if (debug && took >= slowCallbackNanos) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Executing "
              + o
              + " took "
              + String.format("%.3f", took / 1e9)
              + " seconds"
              + waitsAt(o)
              + siteText(o));
    }
  }

  /** The thread running the loop, or null. */
  final Thread thread() {
    return thread;
  }

  /**
   * For a task's slow step, where it now waits ("; it now waits at File.java:line"): the line the
   * step ended on, as asyncio's task repr says where its coroutine is running; else "".
   */
  private static String waitsAt(Object o) {
    AsyncFrame<?> f = o instanceof Task ? ((Task<?>) o).current : null;
    return f == null ? "" : "; it now waits at " + TaskDump.frame(f);
  }

  /** "; created at: ..." for a task or handle created in debug mode, else "". */
  static String siteText(Object o) {
    StackTraceElement[] site = Debug.siteOf(o);
    return site == null ? "" : "; created at:" + Debug.format(site);
  }

  /** In debug mode, refuses a loop-affine call from a thread other than the loop's. */
  final void checkThread(String what) {
    if (debug) {
      Thread t = thread;
      if (t != null && t != Thread.currentThread()) {
        throw new IllegalStateException(
            "Non-thread-safe operation "
                + what
                + " invoked on an event loop other than the current one (loop thread "
                + t.getName()
                + ", called from "
                + Thread.currentThread().getName()
                + "); use callSoonThreadsafe or runCoroutineThreadsafe");
      }
    }
  }

  /**
   * Runs passes until {@link #stopping} is set, then clears it. A failure here is the loop's own
   * (callbacks' errors go to the exception handler).
   */
  final void runPasses() {
    try {
      while (true) {
        runOnce();
        if (stopping) {
          break;
        }
      }
    } finally {
      stopping = false;
    }
  }

  /** After a run: sets the interrupt the loop held back while it ran (see interruptCleared). */
  final void restoreInterrupt() {
    if (interruptedWhileRunning) {
      interruptedWhileRunning = false;
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reports an error of a callback or a task: the loop's exception handler.
   *
   * @param context what went wrong
   */
  public abstract void callExceptionHandler(EventLoop.ErrorContext context);
}
