package dev.coroutine;

import dev.coroutine.internal.CallbackNames;
import dev.coroutine.internal.IoPoller;
import dev.coroutine.internal.RuntimeChannelCallback;
import dev.coroutine.internal.RuntimeHandoff;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A single-threaded event loop: asyncio's {@code BaseEventLoop}.
 *
 * <p>Invariant: everything but {@link #callSoonThreadsafe(Runnable)} (and the read-only {@link
 * #time()}, {@link #isRunning()}, {@link #isClosed()}) is called on the thread running the loop, or
 * before the loop runs. One pass of the loop is asyncio's {@code _run_once}: wait until the first
 * timer is due or work arrives, move due timers to the ready queue, then run exactly the callbacks
 * that were ready when the pass began; callbacks scheduled during the pass run in the next one.
 *
 * <p>This class is the public facade (scheduling, I/O registration, tasks, the executor, close,
 * task dumps, debug settings); the ready queue, inbox, timers, clock and the pass itself live in
 * its package-private superclass, the loop core.
 */
public final class EventLoop extends LoopCore implements AutoCloseable {
  private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();

  /**
   * The loop most recently entered by any thread: a cache in front of {@link #RUNNING}. Racy on
   * purpose: it is only trusted when that loop's {@code thread} is the reader itself, a field only
   * the running thread writes (enter and exit), so the reader sees its own latest write.
   */
  private static EventLoop lastEntered;

  private static final AtomicInteger EXECUTOR_THREADS = new AtomicInteger();

  /** Counter for default task names ("Task-1", ...). */
  int taskCounter;

  /** Head of the intrusive list of pending tasks. */
  private Task<?> liveTasks;

  /**
   * Head of the list of failures whose exception nobody retrieved yet (reported at close at the
   * latest); guarded by {@link #failuresLock}, as a retrieval may happen on another thread.
   */
  private UnretrievedFailure unretrieved;

  /** Guards {@link #unretrieved}. */
  private final Object failuresLock = new Object();

  /** This loop counts in {@link Debug}'s number of debug loops (debug set by {@link #setDebug}). */
  private boolean countedDebug;

  /** Tasks created by {@link #createTask(Coroutine)} start eagerly (asyncio's eager factory). */
  private boolean eagerTasks;

  /** Receives errors of callbacks and tasks; never null. */
  private BiConsumer<EventLoop, ErrorContext> exceptionHandler = EventLoop::defaultHandler;

  /**
   * The executor {@link #runInExecutor(Callable)} uses; created on first use, shut down by close.
   */
  private ExecutorService defaultExecutor;

  /**
   * Set on the loop's thread when its {@link EventLoopGroup} shuts it down (or its work ends after
   * a stop): coroutines handed over by {@link Coroutines#runCoroutineThreadsafe} are refused
   * instead of started, and the group hands it no more (volatile: the group reads it on other
   * threads).
   */
  volatile boolean refusesSubmissions;

  /**
   * The async generators started (or last parked) on this loop and not ended, weakly (a dropped one
   * is collected). Synchronized: a generator iterated from a second loop moves over on that loop's
   * thread.
   */
  final Set<AsyncGenerator<?>> asyncGenerators =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** {@link #shutdownDefaultExecutor} was called: the default executor takes no more work. */
  private boolean executorShutDown;

  /** A new loop, not running. Run it with {@link #runUntilComplete} or {@link #runForever}. */
  public EventLoop() {
    this(null);
  }

  private EventLoop(VirtualClock virtualClock) {
    super(virtualClock);
    Jfr.loopOpened();
    if (Monitoring.ENABLED) {
      Monitoring.register(this); // -Dcoroutine.jmx / -Dcoroutine.dumpOnExit
    }
  }

  /**
   * A new loop whose clock is virtual, for tests: it starts at 0, and whenever the loop has nothing
   * ready to run it jumps straight to its next timer instead of waiting, so code that sleeps for an
   * hour runs in milliseconds, and runs the same way every time. {@link #time()} returns the
   * virtual time. Only timers are virtual: work on other threads ({@link #runInExecutor}, {@code
   * CompletionStage}s, {@link #callSoonThreadsafe}) and I/O take real time, and the clock does not
   * wait for them while a timer is pending (registered I/O is polled without blocking before each
   * jump); the loop blocks, for real, only when no timer is left. See also {@link
   * Coroutines#runWithVirtualTime(Coroutine)}.
   *
   * @return a new loop whose clock is virtual
   */
  public static EventLoop withVirtualTime() {
    return new EventLoop(VirtualClock.NEXT_TIMER);
  }

  /**
   * A new loop whose virtual clock moves as {@code clock} says: {@link #withVirtualTime()}, with a
   * say in where the clock goes each time the loop is idle (the seam of a test kit's {@code
   * advanceTimeBy} and {@code advanceUntilIdle}; see {@link VirtualClock}).
   *
   * @param clock decides where the clock goes when the loop is idle
   * @return a new loop whose clock is virtual
   */
  public static EventLoop withVirtualTime(VirtualClock clock) {
    return new EventLoop(Objects.requireNonNull(clock, "clock"));
  }

  /**
   * True if this loop's clock is virtual, see {@link #withVirtualTime()}.
   *
   * @return true if this loop's clock is virtual
   */
  public boolean isVirtualTime() {
    return virtualClock != null;
  }

  // ---- the running loop --------------------------------------------------------------------

  /**
   * The loop running on the current thread; {@link IllegalStateException} if there is none.
   *
   * @return the loop running on the current thread
   */
  public static EventLoop running() {
    EventLoop l = runningOrNull();
    if (l == null) {
      throw new IllegalStateException("no running event loop");
    }
    return l;
  }

  static EventLoop runningOrNull() {
    EventLoop l = lastEntered;
    Thread me = Thread.currentThread();
    if (l != null && l.thread == me) {
      return l; // the common case, one loop per program: no thread-local lookup
    }
    if (me instanceof LoopThread) {
      return ((LoopThread) me).running; // a group's loop: no thread-local lookup either
    }
    return RUNNING.get();
  }

  /**
   * A thread made to run loops ({@link EventLoopGroup}'s): it holds the loop running on it, so
   * every await on it (which finds its task through the running loop) needs no thread-local lookup
   * whichever loop was entered last.
   */
  static final class LoopThread extends Thread {
    /** The loop running on this thread, or null. */
    EventLoop running;

    LoopThread(Runnable body, String name) {
      super(body, name);
    }
  }

  /**
   * A thread of a loop's default executor: it knows its loop, so that what waits for that loop's
   * end (a group's close) can tell it would wait for the job it is called from.
   */
  static final class ExecutorThread extends Thread {
    /** The loop whose default executor this thread serves (weakly: the thread may outlive it). */
    final java.lang.ref.WeakReference<EventLoop> owner;

    ExecutorThread(java.lang.ref.WeakReference<EventLoop> owner, Runnable job, String name) {
      super(job, name);
      this.owner = owner;
    }
  }

  /**
   * True while {@link #runForever()} or {@link #runUntilComplete} is running.
   *
   * @return true while the loop runs
   */
  public boolean isRunning() {
    return thread != null;
  }

  /**
   * True after {@link #close()}.
   *
   * @return true once the loop is closed
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Monotonic loop time in seconds, as asyncio's {@code loop.time()}.
   *
   * @return the loop's clock, in seconds; only differences between its values mean anything
   */
  public double time() {
    return now() / 1e9;
  }

  // ---- scheduling --------------------------------------------------------------------------

  /**
   * Schedules {@code callback} to run on the next pass of the loop.
   *
   * @param callback what to run, on the loop thread
   * @return a handle whose {@code cancel()} unschedules the callback
   */
  public Handle callSoon(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    return callSoonBound((Runnable) ContextBound.capture(callback));
  }

  /**
   * Schedules {@code callback} to run on the next pass of the loop in {@code context} (asyncio's
   * {@code call_soon(cb, context=ctx)}): what it sets stays in that context. Without a context, a
   * callback runs in a copy of the context current when it was scheduled.
   *
   * @param callback what to run, on the loop thread
   * @param context the context it runs in; it must not be entered elsewhere at that time
   * @return a handle whose {@code cancel()} unschedules the callback
   */
  public Handle callSoon(Runnable callback, Context context) {
    Objects.requireNonNull(callback, "callback");
    return callSoonBound(ContextBound.explicit(context, callback));
  }

  private Handle callSoonBound(Runnable callback) {
    checkOpen();
    checkThread("callSoon");
    Handle h = new Handle(this, callback);
    if (debug) {
      Debug.recordSite(h);
    }
    takeInboxBeforeRun();
    ready.add(h);
    return h;
  }

  /**
   * Schedules {@code callback} from any thread, and wakes the loop if it is waiting. The only
   * scheduling method other threads may call. Everything the calling thread did before this call
   * happens-before the callback runs, and the callbacks of one thread run in the order it scheduled
   * them. Called on the loop's own thread while it runs, it queues the callback in line with {@link
   * #callSoon(Runnable)}, as asyncio does (unless callbacks of other threads wait in the inbox:
   * then behind them).
   *
   * <p><b>Back-pressure.</b> The thread-safe inbox holds at most {@link
   * #getThreadsafeQueueCapacity()} callbacks (default 65,536, {@code
   * -Dcoroutine.threadsafeCapacity}). When it is full and the loop is running on another thread,
   * the caller waits until the loop has taken some: a producer faster than the loop is slowed to
   * its pace, and memory stays bounded; nothing is dropped. The wait ignores interrupts (the flag
   * is kept set for the caller) and ends with {@link IllegalStateException} if the loop is closed
   * meanwhile. Two kinds of callers never wait: a thread that is itself running an event loop (two
   * loops feeding each other could deadlock), and any caller while the loop is not running (nothing
   * would make room, and the thread that will run or close it could be the one waiting); both are
   * admitted past the bound, as are the runtime's own handoffs from threads that serve every loop.
   *
   * <p>Every callback accepted here either runs or, if the loop is closed first, is reported:
   * {@link #close()} cancels its handle and passes one report of the dropped callbacks to the
   * exception handler (and fails {@link Coroutines#runCoroutineThreadsafe} futures).
   *
   * @param callback what to run, on the loop thread
   * @return a handle whose {@code cancel()} unschedules the callback
   * @throws IllegalStateException if the loop is closed (or its thread died, which closes it)
   */
  public Handle callSoonThreadsafe(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    boolean handoff = callback instanceof RuntimeHandoff; // the runtime's: no context, no wait
    return callSoonThreadsafeBound(
        handoff ? callback : (Runnable) ContextBound.capture(callback), handoff);
  }

  /**
   * {@link #callSoonThreadsafe(Runnable)} with the callback run in {@code context} (asyncio's
   * {@code call_soon_threadsafe(cb, context=ctx)}); without one it runs in a copy of the calling
   * thread's context.
   *
   * @param callback what to run, on the loop thread
   * @param context the context it runs in; it must not be entered elsewhere at that time
   * @return a handle whose {@code cancel()} unschedules the callback
   * @throws IllegalStateException if the loop is closed (or its thread died, which closes it)
   */
  public Handle callSoonThreadsafe(Runnable callback, Context context) {
    Objects.requireNonNull(callback, "callback");
    return callSoonThreadsafeBound(ContextBound.explicit(context, callback), false);
  }

  private Handle callSoonThreadsafeBound(Runnable callback, boolean neverWaits) {
    if (closed) {
      throw closedError();
    }
    Handle h = new Handle(this, callback, true);
    if (debug) {
      Debug.recordSite(h);
    }
    if (thread == Thread.currentThread() && incomingCount.get() == 0) {
      // from the running loop's own thread, with nothing of other threads waiting: in line with
      // callSoon, as asyncio's call_soon_threadsafe appends to the same ready queue
      ready.add(h);
      return h;
    }
    if (incomingCount.getAndIncrement() >= inboxCapacity && !neverWaits) {
      incomingCount.getAndDecrement();
      awaitInboxRoom();
      incomingCount.getAndIncrement(); // may pass the bound by the number of racing producers
    }
    if (!enqueue(h)) {
      throw closedError();
    }
    return h;
  }

  /**
   * Sets how many thread-safe callbacks may wait for the loop before {@link #callSoonThreadsafe}
   * makes its callers wait (see there). At least {@value #INBOX_BATCH}.
   *
   * @param capacity the most callbacks the thread-safe inbox holds before producers wait
   * @throws IllegalArgumentException if {@code capacity} is below {@value #INBOX_BATCH}
   */
  public void setThreadsafeQueueCapacity(int capacity) {
    if (capacity < INBOX_BATCH) {
      throw new IllegalArgumentException(
          "thread-safe queue capacity " + capacity + " is below the minimum " + INBOX_BATCH);
    }
    inboxCapacity = capacity;
    wakeProducers();
  }

  /**
   * See {@link #setThreadsafeQueueCapacity(int)}.
   *
   * @return the most callbacks the thread-safe inbox holds before producers wait
   */
  public int getThreadsafeQueueCapacity() {
    return inboxCapacity;
  }

  /**
   * Schedules {@code callback} to run after {@code delaySeconds}. A negative delay is a deadline in
   * the past, not zero: such timers run in deadline order, as asyncio's do (-2 before -1). An
   * infinite delay, or one too long to represent (past ~292 years), makes a timer that never fires
   * (it can still be cancelled) and never delays the others; NaN throws {@link
   * IllegalArgumentException}.
   *
   * @param delaySeconds how long from now, in seconds
   * @param callback what to run, on the loop thread
   * @return a handle whose {@code cancel()} unschedules the callback
   */
  public Handle callLater(double delaySeconds, Runnable callback) {
    long delay = Deadlines.nanosOfSeconds(delaySeconds, "callLater");
    return callAtNanos(Deadlines.after(now(), delay), captured(callback));
  }

  /**
   * {@link #callLater(double, Runnable)} with the callback run in {@code context} (asyncio's {@code
   * call_later(delay, cb, context=ctx)}).
   *
   * @param delaySeconds how long from now, in seconds
   * @param callback what to run, on the loop thread
   * @param context the context it runs in; it must not be entered elsewhere at that time
   * @return a handle whose {@code cancel()} unschedules the callback
   */
  public Handle callLater(double delaySeconds, Runnable callback, Context context) {
    long delay = Deadlines.nanosOfSeconds(delaySeconds, "callLater");
    return callAtNanos(Deadlines.after(now(), delay), explicit(callback, context));
  }

  /**
   * Schedules {@code callback} to run after {@code delay}; see {@link #callLater(double,
   * Runnable)}.
   *
   * @param delay how long from now
   * @param callback what to run, on the loop thread
   * @return a handle whose {@code cancel()} unschedules the callback
   */
  public Handle callLater(Duration delay, Runnable callback) {
    return callAtNanos(
        Deadlines.after(now(), Deadlines.nanos(delay, "callLater")), captured(callback));
  }

  /**
   * {@link #callLater(Duration, Runnable)} with the callback run in {@code context}.
   *
   * @param delay how long from now
   * @param callback what to run, on the loop thread
   * @param context the context it runs in; it must not be entered elsewhere at that time
   * @return a handle whose {@code cancel()} unschedules the callback
   */
  public Handle callLater(Duration delay, Runnable callback, Context context) {
    return callAtNanos(
        Deadlines.after(now(), Deadlines.nanos(delay, "callLater")), explicit(callback, context));
  }

  /**
   * Schedules {@code callback} to run at loop time {@code when} (seconds, see {@link #time()}): at
   * once if that time has passed; never if it is infinite or beyond ~292 years. NaN throws {@link
   * IllegalArgumentException}.
   *
   * @param when the loop time to run at, in seconds
   * @param callback what to run, on the loop thread
   * @return a handle whose {@code cancel()} unschedules the callback
   */
  public Handle callAt(double when, Runnable callback) {
    return callAtNanos(Deadlines.nanosOfSeconds(when, "callAt"), captured(callback));
  }

  /**
   * {@link #callAt(double, Runnable)} with the callback run in {@code context} (asyncio's {@code
   * call_at(when, cb, context=ctx)}).
   *
   * @param when the loop time to run at, in seconds
   * @param callback what to run, on the loop thread
   * @param context the context it runs in; it must not be entered elsewhere at that time
   * @return a handle whose {@code cancel()} unschedules the callback
   */
  public Handle callAt(double when, Runnable callback, Context context) {
    return callAtNanos(Deadlines.nanosOfSeconds(when, "callAt"), explicit(callback, context));
  }

  /** {@code callback} bound to a copy of the current context (if it is not empty). */
  private static Runnable captured(Runnable callback) {
    return (Runnable) ContextBound.capture(Objects.requireNonNull(callback, "callback"));
  }

  /** {@code callback} bound to the given {@code context}. */
  private static Runnable explicit(Runnable callback, Context context) {
    return ContextBound.explicit(context, Objects.requireNonNull(callback, "callback"));
  }

  private Handle callAtNanos(long when, Runnable callback) {
    checkOpen();
    checkThread("callLater/callAt");
    Handle h = new Handle(this, callback);
    if (debug) {
      Debug.recordSite(h);
    }
    h.when = when;
    addTimer(h);
    return h;
  }

  // ---- I/O readiness -----------------------------------------------------------------------

  /**
   * Calls {@code callback} on the loop whenever {@code channel} is readable (for a server channel:
   * has a connection to accept), until {@link #removeReader}; replaces an earlier reader callback.
   * The channel is made non-blocking (asyncio's {@code add_reader}). It stays registered with the
   * loop's selector while it has a reader or writer callback (or a {@link dev.coroutine.io.Sockets}
   * call waits on it), and leaves it when the last is removed, as in asyncio, at the loop's next
   * select or when its run ends (NIO defers it to then): from then on it can be made blocking
   * again, and closing it closes it at once (NIO closes a channel still registered only at the
   * selector's next select). Closing the loop closes the channels that still have a callback
   * (asyncio's {@code close()} leaves them to the collector). The callback runs in a copy of the
   * {@link Context} current now, as asyncio's does (so the connection handlers of a server inherit
   * the context that started it).
   *
   * @param channel the channel to watch; it is made non-blocking
   * @param callback called on the loop thread each time the channel is readable; replaces an
   *     earlier one
   */
  public void addReader(SelectableChannel channel, Runnable callback) {
    addIo(channel, callback, false);
  }

  /**
   * Stops calling the reader callback of {@code channel}; false if there was none.
   *
   * @param channel the channel watched by {@link #addReader}
   * @return true if a reader callback was removed
   */
  public boolean removeReader(SelectableChannel channel) {
    return removeIo(channel, false);
  }

  /**
   * Calls {@code callback} on the loop whenever {@code channel} is writable (for a socket whose
   * non-blocking connect is pending: when the connect finished), until {@link #removeWriter}. See
   * {@link #addReader}.
   *
   * @param channel the channel to watch; it is made non-blocking
   * @param callback called on the loop thread each time the channel is writable; replaces an
   *     earlier one
   */
  public void addWriter(SelectableChannel channel, Runnable callback) {
    addIo(channel, callback, true);
  }

  /**
   * Stops calling the writer callback of {@code channel}; false if there was none.
   *
   * @param channel the channel watched by {@link #addWriter}
   * @return true if a writer callback was removed
   */
  public boolean removeWriter(SelectableChannel channel) {
    return removeIo(channel, true);
  }

  /**
   * Runs {@code handler} on this loop's thread whenever the process receives signal {@code signal}
   * ("INT", "TERM", "HUP", "USR1", ...; an optional "SIG" prefix is ignored): asyncio's {@code
   * add_signal_handler}. Replaces this loop's earlier handler of that signal. A signal has one
   * handler per process: adding it on another loop takes it from this one. The JVM's own handling
   * (for INT, TERM and HUP: running the shutdown hooks and exiting) is put back by {@link
   * #removeSignalHandler} or when the loop closes. Uses {@code sun.misc.Signal} (module {@code
   * jdk.unsupported}) by reflection.
   *
   * @param signal the signal's name
   * @param handler runs on the loop thread, between callbacks, each time the signal arrives; if it
   *     throws, the error goes to the exception handler
   * @throws IllegalArgumentException for a signal the OS does not have, or the JVM keeps for itself
   *     (QUIT, KILL, STOP, USR2, PIPE, BUS, TRAP, PROF, ...)
   * @throws UnsupportedOperationException if this JVM lacks {@code jdk.unsupported}
   * @throws IllegalStateException if the loop is closed
   */
  public void addSignalHandler(String signal, Runnable handler) {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(handler, "handler");
    if (closed) {
      throw new IllegalStateException("event loop is closed");
    }
    Signals.add(this, signal, handler);
  }

  /**
   * Removes this loop's handler of {@code signal} and gives the signal back to the JVM: asyncio's
   * {@code remove_signal_handler}.
   *
   * @param signal the signal's name
   * @return true if this loop had a handler for it
   */
  public boolean removeSignalHandler(String signal) {
    Objects.requireNonNull(signal, "signal");
    return Signals.supported() && Signals.remove(this, signal);
  }

  private void addIo(SelectableChannel channel, Runnable callback, boolean write) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(callback, "callback");
    checkThread(write ? "addWriter" : "addReader");
    if (closed) {
      throw new IllegalStateException("event loop is closed");
    }
    IoPoller p = io;
    if (p == null) {
      io =
          p =
              new IoPoller(
                  this::schedule); // before the next waitForWork sets `parked`: see the field
    }
    p.add(
        channel,
        (Runnable) ContextBound.capture(callback), // asyncio: a Handle per registration
        write,
        callback instanceof RuntimeChannelCallback);
  }

  private boolean removeIo(SelectableChannel channel, boolean write) {
    Objects.requireNonNull(channel, "channel");
    checkThread(write ? "removeWriter" : "removeReader");
    IoPoller p = io;
    return p != null && p.remove(channel, write);
  }

  // ---- tasks and futures -------------------------------------------------------------------

  /**
   * A new pending future bound to this loop.
   *
   * @param <T> the type of the future's result
   * @return a new pending future
   */
  public <T> Future<T> createFuture() {
    return new Future<>(this);
  }

  /**
   * Wraps {@code coroutine} in a task scheduled on this loop (started at once if {@link
   * #setEagerTasks eager tasks} are on).
   *
   * @param <T> the type of the coroutine's result
   * @param coroutine the coroutine the task runs
   * @return the scheduled task
   */
  public <T> Task<T> createTask(Coroutine<T> coroutine) {
    return createTask(coroutine, null, eagerTasks);
  }

  /**
   * Wraps {@code coroutine} in a task named {@code name}, scheduled on this loop.
   *
   * @param <T> the type of the coroutine's result
   * @param coroutine the coroutine the task runs
   * @param name the task's name, or null for "Task-N"
   * @return the scheduled task
   */
  public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
    return createTask(coroutine, name, eagerTasks);
  }

  /**
   * Wraps {@code coroutine} in a task named {@code name} (null for "Task-N"). If {@code eager} and
   * this loop is running on the calling thread, the coroutine runs right here, synchronously, until
   * its first suspension (asyncio 3.12's {@code eager_start}; past {@value #MAX_EAGER_DEPTH} eager
   * steps one inside the other, from the next pass): a coroutine that finishes without suspending
   * yields a task that is already done and never goes through the loop. Otherwise the task starts
   * on the loop's next pass.
   *
   * @param <T> the type of the coroutine's result
   * @param coroutine the coroutine the task runs
   * @param name the task's name, or null for "Task-N"
   * @param eager true to run the coroutine at once, up to its first suspension
   * @return the task, already done if the coroutine finished without suspending
   */
  public <T> Task<T> createTask(Coroutine<T> coroutine, String name, boolean eager) {
    return newTask(coroutine, name, eager, Context.captureForTask());
  }

  /**
   * Wraps {@code coroutine} in a task that runs in {@code context} (asyncio 3.11's {@code
   * create_task(coro, context=ctx)}) instead of a copy of the current context: what the task sets
   * stays in {@code context}. The task owns the context while it runs: do not run the context
   * elsewhere at the same time.
   *
   * @param <T> the type of the coroutine's result
   * @param coroutine the coroutine the task runs
   * @param name the task's name, or null for "Task-N"
   * @param context the context the task runs in
   * @return the scheduled task
   */
  public <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context) {
    return newTask(coroutine, name, eagerTasks, Objects.requireNonNull(context, "context"));
  }

  private <T> Task<T> newTask(Coroutine<T> coroutine, String name, boolean eager, Object context) {
    checkThread("createTask");
    if (closed) {
      throw new IllegalStateException("event loop is closed");
    }
    Task<T> t = new Task<>(this, AsyncFrame.asFrame(coroutine), name, context);
    if (eager && thread == Thread.currentThread() && eagerDepth < MAX_EAGER_DEPTH) {
      eagerDepth++;
      try {
        t.drive(null, null, false);
      } finally {
        eagerDepth--;
      }
    } else {
      takeInboxBeforeRun();
      schedule(t); // also an eager task started inside too many eager steps: see MAX_EAGER_DEPTH
    }
    return t;
  }

  /**
   * Eager steps nested at most this deep (a task started eagerly by an eager step, and so on): a
   * deeper one starts on the next pass instead, as any task, so that a recursion of eager tasks
   * cannot overflow the thread's stack (CPython stops it with RecursionError, at a depth of a few
   * hundred; a stack overflow in the middle of the runtime's bookkeeping could leave a task that
   * never completes).
   */
  static final int MAX_EAGER_DEPTH = 100;

  /** Eager steps running now, one inside the other. */
  private int eagerDepth;

  /**
   * Makes {@link #createTask(Coroutine)} (and {@link Coroutines#createTask}) start tasks eagerly,
   * as asyncio 3.12's {@code loop.set_task_factory(asyncio.eager_task_factory)}.
   *
   * @param eager true: tasks created from now on start eagerly; false: on the next pass
   */
  public void setEagerTasks(boolean eager) {
    eagerTasks = eager;
  }

  /**
   * True if new tasks start eagerly, see {@link #setEagerTasks}.
   *
   * @return true if new tasks start eagerly
   */
  public boolean getEagerTasks() {
    return eagerTasks;
  }

  void linkTask(Task<?> t) {
    Task<?> head = liveTasks;
    t.prevLive = null;
    t.nextLive = head;
    if (head != null) {
      head.prevLive = t;
    }
    liveTasks = t;
  }

  void unlinkTask(Task<?> t) {
    Task<?> p = t.prevLive;
    Task<?> n = t.nextLive;
    if (p != null) {
      p.nextLive = n;
    } else if (liveTasks == t) {
      liveTasks = n;
    }
    if (n != null) {
      n.prevLive = p;
    }
    t.prevLive = t.nextLive = null;
  }

  @Override
  boolean watchesFailures() {
    return unretrieved != null;
  }

  /** Adds {@code w} to the failures reported at close unless retrieved first. */
  void watchFailure(UnretrievedFailure w) {
    synchronized (failuresLock) {
      UnretrievedFailure head = unretrieved;
      w.next = head;
      if (head != null) {
        head.prev = w;
      }
      unretrieved = w;
    }
  }

  /** Removes {@code w} from the failures reported at close. */
  void unwatchFailure(UnretrievedFailure w) {
    synchronized (failuresLock) {
      UnretrievedFailure p = w.prev;
      UnretrievedFailure n = w.next;
      if (p != null) {
        p.next = n;
      } else if (unretrieved == w) {
        unretrieved = n;
      }
      if (n != null) {
        n.prev = p;
      }
      w.prev = w.next = null;
    }
  }

  /**
   * For {@link #close()}: reports every failure whose exception nobody retrieved, oldest first
   * (asyncio reports them when the closed loop's futures are collected).
   */
  private void reportUnretrievedFailures() {
    java.util.ArrayList<UnretrievedFailure> all = new java.util.ArrayList<>();
    synchronized (failuresLock) {
      for (UnretrievedFailure w = unretrieved; w != null; w = w.next) {
        all.add(w);
      }
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      all.get(i).reportNow();
    }
  }

  /**
   * Hands {@code r} to the loop thread from any thread, bypassing the inbox's bound (for the
   * runtime's own reports, which must never wait): false if the loop is closed. Runs at the latest
   * in {@link #close()}.
   */
  boolean post(Runnable r) {
    if (closed) {
      return false;
    }
    Handle h = new Handle(this, (RuntimeHandoff) r::run); // a close first drops it unreported
    incomingCount.getAndIncrement();
    return enqueue(h);
  }

  /**
   * The tasks of this loop that are not done yet (asyncio's {@code all_tasks}), oldest first.
   *
   * @return a snapshot of the tasks not done yet, oldest first
   */
  public java.util.List<Task<?>> pendingTasks() {
    return tasks(Integer.MAX_VALUE);
  }

  /** The number of {@link #pendingTasks()}. */
  int pendingTaskCount() {
    int n = timers.sleeperCount();
    for (Task<?> t = liveTasks; t != null; t = t.nextLive) {
      n++;
    }
    return n;
  }

  /**
   * The live tasks and the sleeping ones (see {@link Sleepers}), oldest first, at most {@code max}
   * of each list (a bound for a racy read).
   */
  private java.util.List<Task<?>> tasks(int max) {
    java.util.ArrayList<Task<?>> list = new java.util.ArrayList<>();
    for (Task<?> t = liveTasks; t != null && list.size() < max; t = t.nextLive) {
      list.add(t);
    }
    int live = list.size();
    for (Task<?> t = timers.firstSleeper(); t != null && list.size() - live < max; t = t.nextLive) {
      list.add(t);
    }
    // oldest first: by how many tasks were made since each (ids wrap around after 2^32 tasks; an
    // age from the same counter is a fixed key, where comparing ids by difference is not
    // transitive once live ids lie 2^31 apart, as a long-lived task's and a new one's can)
    int next = taskCounter;
    list.sort((a, b) -> Integer.compareUnsigned(next - b.id, next - a.id));
    return list;
  }

  /**
   * Runs {@code callable} on {@code executor} and returns a future, bound to this loop, that
   * completes on the loop thread with its result or exception. Cancelling the future keeps a
   * callable that has not started from ever running (at once: asyncio cancels the executor's future
   * from the cancelled one's done-callback, a pass later, so there a job may still start), and does
   * not interrupt one that has. The callable runs in a copy of the caller's {@link Context}
   * (asyncio's {@code to_thread} does this; its {@code run_in_executor} does not), so context
   * variables such as a request id reach the worker thread.
   *
   * @param <T> the type of the callable's result
   * @param executor where the callable runs; null for the loop's default executor
   * @param callable blocking work to run off the loop thread
   * @return a future of this loop completed, on the loop thread, with the callable's result or
   *     exception
   * @throws java.util.concurrent.RejectedExecutionException if {@code executor} refuses the job (it
   *     was shut down, say), at the call as asyncio's {@code run_in_executor} raises
   * @throws IllegalStateException if the loop is closed, or its default executor was shut down
   */
  public <T> Future<T> runInExecutor(Executor executor, Callable<T> callable) {
    Objects.requireNonNull(callable, "callable");
    checkThread("runInExecutor");
    checkOpen(); // as asyncio: a closed loop could never deliver the result (the job would run)
    Executor ex = executor != null ? executor : defaultExecutor();
    ExecutorFuture<T> f = new ExecutorFuture<>(this);
    Context carried = Context.captureForCallback(); // null: the worker runs in a fresh context
    // a FutureTask, whatever the executor: once cancelled before it started, it never runs
    FutureTask<Void> job =
        new FutureTask<>(
            () -> {
              T r;
              RuntimeHandoff deliver; // the runtime's: never waits for inbox room, and a loop
              // closed first drops it unreported (the future went with the loop)
              try {
                r = Context.callIn(carried, callable);
                deliver =
                    () -> {
                      if (!f.isDone()) {
                        f.setResult(r);
                      }
                    };
              } catch (Throwable t) {
                deliver =
                    () -> {
                      if (!f.isDone()) {
                        f.setException(t);
                      }
                    };
              }
              try {
                callSoonThreadsafe(deliver);
              } catch (IllegalStateException closedMeanwhile) {
                // the loop closed while the callable ran: its future went with it
              }
            },
            null);
    f.job = job;
    ex.execute(job); // a refusal (a shut-down executor) is thrown here, as asyncio's submit raises
    return f;
  }

  /**
   * The future of {@link #runInExecutor}: cancelling it cancels its job at once, so a job that has
   * not started never runs once cancel() returned true (asyncio cancels the executor's future from
   * a done-callback, a pass later, so a job can start in between).
   */
  private static final class ExecutorFuture<T> extends Future<T> {
    /** The job on the executor; set before it is submitted. */
    FutureTask<Void> job;

    ExecutorFuture(EventLoop loop) {
      super(loop);
    }

    @Override
    public boolean cancel(String message) {
      try {
        return super.cancel(message);
      } finally {
        if (isCancelled()) { // also when scheduling its callbacks failed (a closed loop)
          job.cancel(false); // no interrupt: a callable that runs finishes, unheard
        }
      }
    }

    @Override
    public String toString() {
      return render("Future<");
    }
  }

  /**
   * {@link #runInExecutor(Executor, Callable)} on the loop's default executor.
   *
   * @param <T> the type of the callable's result
   * @param callable blocking work to run off the loop thread
   * @return a future of this loop completed with the callable's result or exception
   */
  public <T> Future<T> runInExecutor(Callable<T> callable) {
    return runInExecutor(null, callable);
  }

  /**
   * Closes every async generator of this loop still suspended at an emit, as asyncio's {@code
   * loop.shutdown_asyncgens()}: each one's cleanup ({@code finally} blocks) runs, all at once; a
   * cleanup that fails goes to the exception handler, and so does a generator of this loop that one
   * of its tasks is running at the time (it is left to that task). {@link Coroutines#run} and a
   * loop group's shutdown call it; call it before closing a loop run by hand ({@code
   * loop.runUntilComplete(loop.shutdownAsyncgens())}) on the thread that runs the loop.
   *
   * @return a future completed once every such generator is closed
   */
  public Future<Void> shutdownAsyncgens() {
    checkThread("shutdownAsyncgens");
    checkOpen();
    return AsyncGenerator.closeAll(this);
  }

  /**
   * asyncio's {@code shutdown_default_executor}: shuts down the default executor of {@link
   * #runInExecutor(Callable)} and {@link Coroutines#toThread} (later calls to them fail with
   * IllegalStateException) and returns a future that completes once the jobs it was given have
   * finished (those queued run too, as asyncio's executor shutdown lets them); the loop keeps
   * running meanwhile. {@link Coroutines#run} does this before it closes the loop, as asyncio.run
   * does, waiting at most {@link #EXECUTOR_JOIN_TIMEOUT}.
   *
   * @return a future completed when the default executor's threads are done
   */
  public Future<Void> shutdownDefaultExecutor() {
    return shutdownDefaultExecutor(null);
  }

  /**
   * {@link #shutdownDefaultExecutor()} that waits at most {@code timeout} (real time, also on a
   * loop with virtual time: the jobs run on other threads); past it, the loop's exception handler
   * is told which jobs still run, and the future completes (asyncio warns the same way).
   *
   * @param timeout how long to wait for the running jobs; null for no limit
   * @return a future completed when the default executor's threads are done, or at the timeout
   */
  public Future<Void> shutdownDefaultExecutor(Duration timeout) {
    checkThread("shutdownDefaultExecutor");
    long limitNanos = timeout == null ? Long.MAX_VALUE : Deadlines.nanos(timeout, "timeout");
    Future<Void> joined = new Future<>(this);
    ExecutorService ex;
    synchronized (this) {
      executorShutDown = true;
      ex = defaultExecutor;
    }
    if (ex == null) {
      joined.setResult(null);
      return joined;
    }
    ex.shutdown();
    if (ex.isTerminated()) {
      joined.setResult(null);
      return joined;
    }
    // awaited on a thread of its own (the executor's threads are what is awaited), the result
    // coming back through runInExecutor's delivery
    Future<Boolean> inTime =
        runInExecutor(
            r -> {
              Thread t = new Thread(r, "coroutine-executor-join");
              t.setDaemon(true);
              t.start();
            },
            () -> ex.awaitTermination(limitNanos, TimeUnit.NANOSECONDS));
    inTime.addDoneCallback(
        f -> {
          if (f.isCancelled() || f.exception() != null || !f.result()) {
            callExceptionHandler(
                new ErrorContext(
                    "the default executor did not finish its jobs within "
                        + (timeout == null ? "its wait" : timeout.toMillis() + " ms")
                        + " (shutdownDefaultExecutor): they go on running",
                    null,
                    this));
          }
          if (!joined.isDone()) {
            joined.setResult(null);
          }
        });
    return joined;
  }

  /** How long {@link Coroutines#run} waits for the default executor's jobs (asyncio's 300 s). */
  static final Duration EXECUTOR_JOIN_TIMEOUT = Duration.ofSeconds(300);

  private synchronized ExecutorService defaultExecutor() {
    if (closed) {
      throw new IllegalStateException("event loop is closed");
    }
    if (executorShutDown) {
      throw new IllegalStateException(
          "the default executor was shut down (shutdownDefaultExecutor, as run() does at its end)");
    }
    if (defaultExecutor == null) {
      int n = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
      java.lang.ref.WeakReference<EventLoop> self = new java.lang.ref.WeakReference<>(this);
      defaultExecutor =
          Executors.newFixedThreadPool(
              n,
              r -> {
                Thread t =
                    new ExecutorThread(
                        self, r, "coroutine-executor-" + EXECUTOR_THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
    return defaultExecutor;
  }

  // ---- running -----------------------------------------------------------------------------

  /** Runs the loop until {@link #stop()} is called. */
  public void runForever() {
    enter();
    Throwable died = null;
    try {
      runPasses();
    } catch (Throwable t) {
      died = t; // not a callback's error (those go to the handler): the loop itself failed
      throw t;
    } finally {
      exit();
      restoreInterrupt(); // the loop only held it back while it ran
      if (died != null) {
        closeAfterFatal(died);
      } else {
        IoPoller p = io;
        if (p != null) {
          // channels closed or let go in the last pass: no select would close them in the kernel
          // until the loop runs again (IoPoller)
          p.deregisterNow();
        }
      }
    }
  }

  /**
   * The loop's own machinery failed ({@code OutOfMemoryError} growing a queue, a selector that
   * broke): a loop left open would accept work it never runs, so it closes itself, failing what it
   * holds (see {@link #close()}), and refuses new work with an error naming {@code cause}.
   */
  private void closeAfterFatal(Throwable cause) {
    fatal = cause;
    try {
      close();
    } catch (Throwable t) {
      cause.addSuppressed(t);
    }
  }

  /**
   * Runs the loop until {@code future} is done (a coroutine is wrapped in a task first) and returns
   * its result, or rethrows its exception unchanged.
   *
   * @param <T> the type of the result
   * @param awaitable a future of this loop, or a coroutine (wrapped in a task)
   * @return the awaitable's result
   */
  public <T> T runUntilComplete(Awaitable<T> awaitable) {
    checkCanRun(); // before wrapping: a refused call must leave no task behind (as asyncio)
    Future<T> future = ensureFuture(awaitable);
    if (future.loop != this) {
      throw new IllegalArgumentException("future belongs to another event loop");
    }
    Consumer<Future<T>> stopWhenDone = f -> stop();
    future.whenDone(stopWhenDone);
    try {
      runForever();
    } finally {
      // as asyncio: a run that ended otherwise (stop(), an error) must not leave this behind to
      // stop a later run of the loop when the future completes then
      future.removeDoneCallback(stopWhenDone);
    }
    if (!future.isDone()) {
      throw new IllegalStateException("event loop stopped before the future completed");
    }
    return future.result();
  }

  @SuppressWarnings("unchecked")
  <T> Future<T> ensureFuture(Awaitable<T> awaitable) {
    if (awaitable instanceof Future) {
      Future<T> f = (Future<T>) awaitable;
      if (f.loop == null) {
        f.loop = this;
      }
      return f;
    }
    return createTask((Coroutine<T>) awaitable);
  }

  /**
   * Stops the loop: {@link #runForever()} returns after the current pass. Called before the loop
   * runs, the next run does one pass.
   */
  public void stop() {
    stopping = true;
  }

  /**
   * Closes the loop: drops pending callbacks and timers and shuts down the default executor. The
   * loop must not be running. Idempotent.
   *
   * <p>Work other threads handed over is never dropped silently: from the moment this method
   * starts, {@link #callSoonThreadsafe} (and {@link Coroutines#runCoroutineThreadsafe}) throw
   * {@link IllegalStateException}, and producers waiting for room are woken to throw it; of the
   * callbacks accepted earlier and not run, the futures of {@link
   * Coroutines#runCoroutineThreadsafe} (not started, or started and still pending) complete
   * exceptionally with {@link IllegalStateException}, and the other callbacks are cancelled (their
   * {@link Handle#isCancelled()} turns true) and reported to the exception handler in one report
   * with their number.
   */
  @Override
  public void close() {
    if (isRunning()) {
      throw new IllegalStateException("cannot close a running event loop");
    }
    if (closed) {
      return;
    }
    closed = true; // first: from now on submissions are refused (see callSoonThreadsafe)
    Jfr.loopClosed();
    Signals.removeAll(this); // the JVM's handlers come back
    wakeProducers();
    failThreadsafeWork();
    reportUnretrievedFailures();
    if (debug) {
      for (Task<?> t : pendingTasks()) {
        // through the exception handler, as asyncio's report (with the task as its source)
        callExceptionHandler(
            new ErrorContext(
                "Task was destroyed but it is pending: "
                    + t
                    + " (the loop was closed while it waited)",
                null,
                t,
                Debug.siteOf(t)));
      }
      Debug.loopClosing(this);
    }
    if (countedDebug) {
      countedDebug = false;
      Debug.loopDebug(-1);
    }
    if (Monitoring.ENABLED) {
      Monitoring.unregister(this);
    }
    ready.clear();
    // no incoming.clear(): failThreadsafeWork drained the inbox after `closed` was set, and a
    // producer that adds later sees `closed` and takes its callback back (enqueue). Clearing here
    // removed such a callback first, so its producer took it as accepted: it never ran and was
    // never cancelled (FloodStressTest caught it once)
    timers.clear(this::linkTask); // sleepers back among the tasks pendingTasks() lists
    IoPoller p = io;
    if (p != null) {
      io = null;
      p.close(); // closes the channels still registered (streams, servers) and the selector
    }
    ExecutorService ex;
    synchronized (this) {
      ex = defaultExecutor;
      defaultExecutor = null;
    }
    if (ex != null) {
      ex.shutdown();
    }
  }

  /**
   * For {@link #close()}: fails the thread-safe work that will not run. Takes the inbox (a producer
   * that adds after this finds {@link #closed} set and takes its callback back), and looks for
   * {@link ThreadsafeSubmission}s among the ready callbacks (a loop that died mid-pass) and the
   * done-callbacks of pending tasks (a coroutine submitted, started, not finished).
   */
  private void failThreadsafeWork() {
    List<Handle> dropped = new ArrayList<>();
    Runnable r;
    while ((r = incoming.poll()) != null) {
      incomingCount.getAndDecrement();
      Runnable cb = r instanceof Handle ? ((Handle) r).callbackOrNull() : r;
      if (cb instanceof ThreadsafeSubmission) {
        ((ThreadsafeSubmission<?>) cb).refuse("before the coroutine started");
      } else if (cb instanceof RuntimeHandoff) {
        ((Handle) r).cancel();
        ((RuntimeHandoff) cb).dropped(); // the runtime's: not the user's to hear of
      } else if (r instanceof Handle && !((Handle) r).isCancelled()) {
        dropped.add((Handle) r);
      }
    }
    for (Object o = ready.poll(); o != null; o = ready.poll()) {
      Runnable cb = o instanceof Handle ? ((Handle) o).callbackOrNull() : null;
      if (cb instanceof ThreadsafeSubmission) {
        ((ThreadsafeSubmission<?>) cb).refuse("before the coroutine started");
      } else if (cb instanceof RuntimeHandoff) {
        ((Handle) o).cancel();
        ((RuntimeHandoff) cb).dropped();
      } else if (o instanceof Future.DoneCallback
          && ContextBound.unwrap(((Future.DoneCallback) o).callback)
              instanceof ThreadsafeSubmission) {
        ((Future.DoneCallback) o).run(); // the task finished: hand its outcome over
      } else if (o instanceof Handle
          && ((Handle) o).isThreadsafe()
          && !((Handle) o).isCancelled()) {
        // taken from the inbox into the ready queue (a callSoon or createTask on a loop not
        // running does so, for asyncio's order) but not run: dropped as the inbox's are (found
        // from outside: it was dropped silently, not cancelled, not reported)
        dropped.add((Handle) o);
      }
    }
    for (Task<?> t : pendingTasks()) {
      ThreadsafeSubmission<?> s = ThreadsafeSubmission.of(t);
      if (s != null) {
        s.refuse("before the coroutine finished");
      }
    }
    if (!dropped.isEmpty()) {
      StringBuilder names = new StringBuilder();
      for (int i = 0; i < Math.min(3, dropped.size()); i++) {
        names
            .append(i == 0 ? "" : ", ")
            .append(CallbackNames.describe(dropped.get(i).callbackOrNull()));
      }
      for (Handle h : dropped) {
        h.cancel();
      }
      callExceptionHandler(
          new ErrorContext(
              "close() dropped "
                  + dropped.size()
                  + " callback(s) scheduled with callSoonThreadsafe that had not run (their"
                  + " handles are now cancelled): "
                  + names
                  + (dropped.size() > 3 ? ", ..." : ""),
              null,
              dropped.get(0)));
    }
  }

  /** Throws if the loop cannot run now: closed, already running, or another loop runs here. */
  private void checkCanRun() {
    checkOpen();
    if (thread != null) {
      throw new IllegalStateException("This event loop is already running");
    }
    if (RUNNING.get() != null) {
      throw new IllegalStateException(
          "Cannot run the event loop while another loop is running on this thread");
    }
  }

  private void enter() {
    checkCanRun();
    thread = Thread.currentThread();
    RUNNING.set(this);
    if (thread instanceof LoopThread) {
      ((LoopThread) thread).running = this;
    }
    lastEntered = this;
    contextCell = Context.cell();
  }

  private void exit() {
    RUNNING.remove();
    if (thread instanceof LoopThread) {
      ((LoopThread) thread).running = null;
    }
    thread = null;
    wakeProducers(); // producers waiting for room are admitted while the loop is not running
    if (lastEntered == this) {
      lastEntered = null; // a closed loop is not kept reachable by the cache
    }
    Context.releaseIfIdle(contextCell); // the thread may be a pool's: keep nothing of ours on it
  }

  // ---- task dumps --------------------------------------------------------------------------

  /** How long {@link #dumpTasks()} called from another thread waits for the loop to answer. */
  static final long DUMP_TIMEOUT_MILLIS = 2000;

  /**
   * A dump of every pending task, as a Java thread dump shows threads: for each task its name, its
   * state ({@code running}, {@code scheduled}, {@code ready}, {@code sleeping until ...}, {@code
   * waiting on <future>}), how long it has waited, and its async stack, innermost first, one {@code
   * at class.method(File.java:line)} line per {@code @Async} frame, naming the await where it is
   * suspended (in debug mode also where the task was created).
   *
   * <p>Safe from any thread: task state belongs to the loop thread, so from another thread the dump
   * is taken by a callback on the loop ({@link #callSoonThreadsafe}) and this call waits for it up
   * to {@value #DUMP_TIMEOUT_MILLIS} ms. If the loop does not answer (a callback blocks it), the
   * result is an unsynchronized snapshot, marked as such, followed by the loop thread's Java stack,
   * which shows what is blocking it. See also the {@code -Dcoroutine.jmx} and {@code
   * -Dcoroutine.dumpOnExit} hooks (docs/debugging.md).
   *
   * @return the dump, one block per pending task
   */
  public String dumpTasks() {
    return dumpTasks(DUMP_TIMEOUT_MILLIS, null);
  }

  /**
   * Appends {@link #dumpTasks()} to {@code out}; an {@code IOException} becomes unchecked.
   *
   * @param out where the dump is written
   */
  public void dumpTasks(Appendable out) {
    String dump = dumpTasks();
    try {
      out.append(dump);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  String dumpTasks(long timeoutMillis, String name) {
    Thread t = thread;
    String header =
        "Tasks of event loop"
            + (name != null ? " " + name : "")
            + (t != null ? " (thread \"" + t.getName() + "\")" : closed ? " (closed)" : "");
    String dump =
        onLoop(
            () -> TaskDump.render(this, pendingTasks(), ready.size(), timers.size(), header, false),
            timeoutMillis,
            null);
    if (dump != null) {
      return dump;
    }
    StringBuilder b = new StringBuilder();
    try {
      b.append(TaskDump.render(this, tasksSnapshot(), ready.size(), timers.size(), header, true));
    } catch (RuntimeException e) {
      b.append(header).append(": no snapshot (").append(e).append(")\n");
    }
    Thread lt = thread;
    if (lt != null) {
      b.append("\nThe loop thread \"").append(lt.getName()).append("\" is at:");
      for (StackTraceElement e : lt.getStackTrace()) {
        b.append("\n\tat ").append(e);
      }
      b.append('\n');
    }
    return b.toString();
  }

  /**
   * Runs {@code query} on the loop thread and returns its value: directly if called there or if the
   * loop is not running, else through {@link #callSoonThreadsafe}, waiting up to {@code
   * timeoutMillis}; {@code fallback} if the loop does not answer in time or is closed.
   */
  <T> T onLoop(java.util.function.Supplier<T> query, long timeoutMillis, T fallback) {
    Thread t = thread;
    if (t == null || t == Thread.currentThread()) {
      return query.get();
    }
    java.util.concurrent.CompletableFuture<T> answer =
        new java.util.concurrent.CompletableFuture<>();
    try {
      callSoonThreadsafe(
          RuntimeHandoff.of(
              () -> {
                try {
                  answer.complete(query.get());
                } catch (Throwable e) {
                  answer.completeExceptionally(e);
                }
              },
              () -> answer.complete(fallback))); // the loop closed before answering
      return answer.get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (IllegalStateException closedNow) {
      return thread == null ? query.get() : fallback; // stopped or closed in the meantime
    } catch (java.util.concurrent.TimeoutException e) {
      return fallback;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fallback;
    } catch (java.util.concurrent.ExecutionException e) {
      throw Sneaky.rethrow(e.getCause());
    }
  }

  /** The pending tasks read without the loop's cooperation (bounded, for a racy dump). */
  private java.util.List<Task<?>> tasksSnapshot() {
    return tasks(1_000_000);
  }

  // ---- errors and debug --------------------------------------------------------------------

  /**
   * What went wrong in a callback or a task: asyncio's exception-handler context.
   *
   * @param message what happened
   * @param exception the exception, or null
   * @param source the callback, task or future concerned, or null
   * @param creationSite in debug mode, where {@code source} was created; otherwise null
   */
  public record ErrorContext(
      String message, Throwable exception, Object source, StackTraceElement[] creationSite) {
    /**
     * A context without a creation site.
     *
     * @param message what happened
     * @param exception the exception, or null
     * @param source the callback, task or future concerned, or null
     */
    public ErrorContext(String message, Throwable exception, Object source) {
      this(message, exception, source, null);
    }
  }

  /**
   * Sets the handler called with errors of callbacks and tasks; null restores the default.
   *
   * @param handler called on the loop thread with this loop and what went wrong (or, for a future
   *     that failed after the loop closed and was collected unread, on the runtime's cleaner
   *     thread: no loop thread runs any more); null for the default, which logs
   */
  public void setExceptionHandler(BiConsumer<EventLoop, ErrorContext> handler) {
    exceptionHandler = handler != null ? handler : EventLoop::defaultHandler;
  }

  /**
   * Calls the exception handler; if the handler itself throws, logs both.
   *
   * @param context what went wrong
   */
  public void callExceptionHandler(ErrorContext context) {
    try {
      exceptionHandler.accept(this, context);
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.ERROR, "Unhandled error in exception handler", t);
      defaultHandler(this, context);
    }
  }

  private static void defaultHandler(EventLoop loop, ErrorContext c) {
    String site = c.creationSite() == null ? "" : "; created at:" + Debug.format(c.creationSite());
    LOG.log(System.Logger.Level.ERROR, c.message() + site, c.exception());
  }

  /**
   * Turns debug mode on or off (SPEC section 8): coroutines never awaited are reported with their
   * creation site, callbacks slower than {@link #getSlowCallbackDuration()} are logged, loop-affine
   * calls from another thread throw, tasks still pending when the loop closes are reported, and
   * tasks and handles remember where they were created for these reports (the report of an
   * exception never retrieved, made in and out of debug mode, then carries the creation site). Call
   * it on the loop thread or before the loop runs.
   *
   * @param enabled true to switch debug mode on, false to switch it off
   */
  public void setDebug(boolean enabled) {
    debug = enabled; // the property and the environment only set where a loop starts (asyncio's)
    if (enabled && !countedDebug && !closed) {
      countedDebug = true;
      Debug.loopDebug(+1);
    } else if (!enabled && countedDebug) {
      countedDebug = false;
      Debug.loopDebug(-1);
    }
  }

  /**
   * True in debug mode.
   *
   * @return true if debug mode is on
   */
  public boolean getDebug() {
    return debug;
  }

  /**
   * Sets how long a callback may run before debug mode logs it as slow.
   *
   * @param d the longest a callback or task step may run unreported
   */
  public void setSlowCallbackDuration(Duration d) {
    slowCallbackNanos = Deadlines.nanos(d, "setSlowCallbackDuration");
  }

  /**
   * How long a callback may run before debug mode logs it as slow (default 100 ms).
   *
   * @return the longest a callback or task step may run unreported
   */
  public Duration getSlowCallbackDuration() {
    return Duration.ofNanos(slowCallbackNanos);
  }

  @Override
  public String toString() {
    return "EventLoop[running=" + isRunning() + " closed=" + closed + " debug=" + debug + "]";
  }
}
