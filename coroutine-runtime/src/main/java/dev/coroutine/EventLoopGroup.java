package dev.coroutine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * N event loops, one thread each: how a program uses every core (asyncio answers with several
 * processes, Netty with an event-loop group). Each loop is a full single-threaded {@link EventLoop}
 * with asyncio's semantics; the group only starts them, hands work out and shuts them down.
 *
 * <p><b>A task never migrates.</b> A coroutine submitted to the group runs, start to finish, as a
 * task of the one loop chosen when it was submitted, and every task it creates, every future it
 * awaits and every callback it schedules belong to that loop too. So everything inside a task is
 * single-threaded, as in asyncio: no locks, no volatile fields. What loops may share is what
 * threads may share: between loops use {@link EventLoop#callSoonThreadsafe}, {@link
 * Coroutines#runCoroutineThreadsafe} (or {@link #submit}) and {@code await} on a {@link
 * java.util.concurrent.CompletableFuture} (it resumes on the awaiting task's own loop). The
 * runtime's {@link Future}s, {@code sync} primitives and streams are loop-affine: a task must not
 * await a future of another loop (it is refused), nor use another loop's queue or lock.
 *
 * <p>Invariant: loop {@code i} is run by thread {@code i} from the constructor until the loop stops
 * (after {@link #shutdown()}) or its machinery fails; the thread then closes the loop. Once every
 * thread has ended, {@link #terminationFuture()} completes. A loop that fails ({@link
 * EventLoop#runForever()} throws: a broken selector, an {@code OutOfMemoryError} in the loop
 * itself) closes itself, failing the work it held; the others keep running and new work goes only
 * to loops still open.
 *
 * <pre>{@code
 * try (EventLoopGroup group = new EventLoopGroup()) {      // one loop per core
 *   CompletableFuture<Integer> r = group.submit(work());   // on the least loaded loop
 *   System.out.println(r.join());
 * }                                                        // close(): shut down, wait
 * }</pre>
 */
public final class EventLoopGroup implements AutoCloseable {
  private static final System.Logger LOG = Debug.LOG;

  /** Numbers groups in their threads' default names. */
  private static final AtomicInteger GROUPS = new AtomicInteger();

  /** The loops; loop {@code i} runs on {@link #threads}{@code [i]}. */
  private final EventLoop[] loops;

  /** The loops' threads. */
  private final Thread[] threads;

  /**
   * Per loop, coroutines submitted through {@link #submit} that have not finished: the load that
   * {@link #leastLoaded()} compares.
   */
  private final AtomicIntegerArray inFlight;

  /** Round-robin cursor of {@link #next()}, and where {@link #leastLoaded()} starts its scan. */
  private final AtomicInteger cursor = new AtomicInteger();

  /** Per loop, what ended its thread abnormally, or null; written by that thread as it ends. */
  private final Throwable[] failures;

  /** Loops whose thread has not ended yet. */
  private final AtomicInteger alive;

  /** Completed when every loop's thread has ended (each loop closed). */
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();

  /** {@link #shutdown()} was called: submissions are refused. */
  private volatile boolean shuttingDown;

  /** A group of one loop per available processor. */
  public EventLoopGroup() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /**
   * A group of {@code size} loops, each running at once on a thread of its own.
   *
   * @param size the number of loops, at least 1
   */
  public EventLoopGroup(int size) {
    this(size, "coroutine-loop-" + GROUPS.incrementAndGet());
  }

  /**
   * A group of {@code size} loops whose threads are named {@code name-0}, {@code name-1}, ... They
   * are not daemon threads (as Netty's): a program ends once the group is shut down.
   *
   * @param size the number of loops, at least 1
   * @param name the prefix of the threads' names
   */
  public EventLoopGroup(int size, String name) {
    if (size < 1) {
      throw new IllegalArgumentException("an event loop group needs at least 1 loop, not " + size);
    }
    Objects.requireNonNull(name, "name");
    loops = new EventLoop[size];
    threads = new Thread[size];
    failures = new Throwable[size];
    inFlight = new AtomicIntegerArray(size);
    alive = new AtomicInteger(size);
    for (int i = 0; i < size; i++) {
      loops[i] = new EventLoop();
    }
    for (int i = 0; i < size; i++) {
      int index = i;
      threads[i] = new EventLoop.LoopThread(() -> runLoop(index), name + "-" + i);
      threads[i].start();
    }
  }

  /** The body of loop {@code i}'s thread: runs the loop until it stops, then closes it. */
  private void runLoop(int i) {
    EventLoop l = loops[i];
    try {
      l.runForever(); // until shutdown() stops it (or a user's stop() does)
      l.refusesSubmissions = true;
      // an interrupt runForever set again on return would only be logged by each cleanup run
      boolean interrupted = Thread.interrupted();
      LoopShutdown.finish(l, "the group's shutdown");
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    } catch (Throwable t) {
      failures[i] = t; // the loop closed itself (see EventLoop.runForever); the others go on
      LOG.log(
          System.Logger.Level.ERROR,
          "Event loop "
              + i
              + " of the group (thread \""
              + Thread.currentThread().getName()
              + "\") failed and closed itself; the other loops keep running",
          t);
    } finally {
      try {
        l.close(); // fails the thread-safe work still held; idempotent after a failure
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.ERROR, "closing event loop " + i + " of the group failed", t);
      }
      if (alive.decrementAndGet() == 0) {
        terminated.complete(null);
      }
    }
  }

  /**
   * The number of loops.
   *
   * @return the number of loops in the group
   */
  public int size() {
    return loops.length;
  }

  /**
   * Loop number {@code index}.
   *
   * @param index from 0 to {@code size() - 1}
   * @return the loop
   */
  public EventLoop loop(int index) {
    return loops[index];
  }

  /**
   * The loops, in order.
   *
   * @return an unmodifiable list of the group's loops
   */
  public List<EventLoop> loops() {
    return Collections.unmodifiableList(Arrays.asList(loops));
  }

  /**
   * What made loop {@code index} fail, or null if it is running or stopped normally.
   *
   * @param index from 0 to {@code size() - 1}
   * @return the throwable that ended the loop's thread, or null
   */
  public Throwable failure(int index) {
    return failures[index];
  }

  /**
   * The next open loop in round-robin order: turns go evenly to the loops that take work (a closed
   * loop's turns are not all given to the one after it).
   *
   * @return an open loop of the group
   * @throws IllegalStateException if the group is shut down or every loop is closed
   */
  public EventLoop next() {
    checkNotShutDown();
    int n = loops.length;
    for (int k = 0; k < n; k++) {
      // a closed loop's turn passes to the next turn, not to the loop after it
      EventLoop l = loops[Math.floorMod(cursor.getAndIncrement(), n)];
      if (takesWork(l)) {
        return l;
      }
    }
    for (EventLoop l : loops) { // others took the turns meanwhile
      if (takesWork(l)) {
        return l;
      }
    }
    throw allClosed();
  }

  /** Open and not ending its work (a loop stopped by hand ends it before it closes). */
  private static boolean takesWork(EventLoop l) {
    return !l.isClosed() && !l.refusesSubmissions;
  }

  /**
   * The open loop with the fewest coroutines submitted through {@link #submit} and not finished
   * (ties go round-robin). Work a loop's own tasks create is not counted: the figure is the group's
   * own hand-outs.
   *
   * @return an open loop of the group
   * @throws IllegalStateException if the group is shut down or every loop is closed
   */
  public EventLoop leastLoaded() {
    return loops[leastLoadedIndex()];
  }

  private int leastLoadedIndex() {
    checkNotShutDown();
    int n = loops.length;
    int start = Math.floorMod(cursor.getAndIncrement(), n);
    int best = -1;
    int bestLoad = Integer.MAX_VALUE;
    for (int k = 0; k < n; k++) {
      int i = (start + k) % n;
      if (!takesWork(loops[i])) {
        continue;
      }
      int load = inFlight.get(i);
      if (load < bestLoad) {
        best = i;
        bestLoad = load;
      }
    }
    if (best < 0) {
      throw allClosed();
    }
    return best;
  }

  /**
   * Runs {@code coroutine} as a task of the least loaded loop ({@link #leastLoaded()}) and returns
   * a future of its outcome; callable from any thread, loop threads included. The task stays on
   * that loop until it finishes. Cancelling the returned future cancels the task. If the loop
   * closes before the task finished (group shut down, loop failed), the future completes
   * exceptionally with {@link IllegalStateException} (or cancelled, if shutdown cancelled the
   * task).
   *
   * @param <T> the coroutine's result type
   * @param coroutine the coroutine to run; not started yet
   * @return a future completed with the coroutine's result or failure
   * @throws IllegalStateException if the group is shut down or every loop is closed
   */
  public <T> CompletableFuture<T> submit(Coroutine<T> coroutine) {
    Objects.requireNonNull(coroutine, "coroutine");
    while (true) {
      int i = leastLoadedIndex();
      inFlight.incrementAndGet(i);
      CompletableFuture<T> result;
      try {
        result = Coroutines.runCoroutineThreadsafe(coroutine, loops[i]);
      } catch (IllegalStateException closedMeanwhile) {
        inFlight.decrementAndGet(i);
        if (shuttingDown) {
          throw closedMeanwhile;
        }
        continue; // the loop failed between the choice and the hand-over: choose again
      }
      result.whenComplete((v, e) -> inFlight.decrementAndGet(i));
      return result;
    }
  }

  /**
   * Coroutines submitted through {@link #submit} to loop {@code index} and not finished yet.
   *
   * @param index from 0 to {@code size() - 1}
   * @return the loop's count of unfinished submissions
   */
  public int submittedAndUnfinished(int index) {
    return inFlight.get(index);
  }

  /**
   * Shuts the group down, as {@code asyncio.run} ends: from now on {@link #submit} is refused; each
   * loop stops, then its thread cancels the tasks it has pending and runs them until they finished
   * (their {@code finally} blocks and cancellation handlers run; failures other than the
   * cancellation go to the loop's exception handler), closes its suspended async generators, waits
   * for the jobs of its default executor (at most 300 s), cancels what started meanwhile, and
   * closes the loop (which fails thread-safe work that came too late), as {@link Coroutines#run}
   * ends. Idempotent; returns at once.
   *
   * @return {@link #terminationFuture()}
   */
  public CompletableFuture<Void> shutdown() {
    if (!shuttingDown) {
      shuttingDown = true;
      for (EventLoop l : loops) {
        l.post(() -> refuseSubmissionsThenStop(l)); // false for a loop already closed: ignored
      }
    }
    return terminated;
  }

  /**
   * On loop {@code l}: refuses thread-safe submissions from now on (one that passed the group's
   * check before {@link #shutdown()} may reach the loop after this) and stops it; its thread then
   * ends its work as asyncio.run does ({@link LoopShutdown}) and closes it.
   */
  private static void refuseSubmissionsThenStop(EventLoop l) {
    if (!l.refusesSubmissions) { // else it already ends its work (stopped by hand): let it end
      l.refusesSubmissions = true;
      l.stop();
    }
  }

  /**
   * True once {@link #shutdown()} was called.
   *
   * @return true if the group is shutting down or shut down
   */
  public boolean isShutdown() {
    return shuttingDown;
  }

  /**
   * True once every loop's thread has ended.
   *
   * @return true when every loop is closed and its thread has ended
   */
  public boolean isTerminated() {
    return terminated.isDone();
  }

  /**
   * Completes when every loop's thread has ended and every loop is closed.
   *
   * @return a future completed (with null) once the group has terminated
   */
  public CompletableFuture<Void> terminationFuture() {
    return terminated;
  }

  /**
   * Waits up to {@code timeout} for every loop's thread to end.
   *
   * @param timeout how long to wait at most
   * @return true if the group terminated in time
   * @throws InterruptedException if the waiting thread is interrupted
   * @throws IllegalStateException called, before the group terminated, on one of its own loop
   *     threads or in a job of one of their default executors: it would wait for itself
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    if (terminated.isDone()) {
      return true;
    }
    if (calledFromWithin()) {
      // it would wait for itself (as Netty's, refused): the whole timeout, or for ever
      throw new IllegalStateException(
          "cannot await the termination of "
              + this
              + " from its own loop or default-executor thread "
              + Thread.currentThread().getName()
              + ": shut it down there and await its termination elsewhere");
    }
    try {
      terminated.get(Deadlines.nanos(timeout, "awaitTermination"), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("the termination future never fails", e);
    }
  }

  /**
   * {@link #shutdown()}, then waits until every loop's thread has ended. Called on one of the
   * group's own loop threads, or in a job of one of its loops' default executors (which a loop's
   * end waits for), it cannot wait for itself: it only shuts down.
   */
  @Override
  public void close() {
    shutdown();
    if (calledFromWithin()) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        terminated.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // keep waiting: close() promises the loops are closed when it returns
      } catch (java.util.concurrent.ExecutionException e) {
        throw new AssertionError("the termination future never fails", e);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** True on a thread of one of the group's loops, or of one of their default executors. */
  private boolean calledFromWithin() {
    Thread me = Thread.currentThread();
    EventLoop here =
        me instanceof EventLoop.ExecutorThread
            ? ((EventLoop.ExecutorThread) me).owner.get()
            : EventLoop.runningOrNull();
    for (EventLoop l : loops) {
      if (l == here) {
        return true;
      }
    }
    return false;
  }

  private void checkNotShutDown() {
    if (shuttingDown) {
      throw new IllegalStateException("event loop group is shut down");
    }
  }

  private IllegalStateException allClosed() {
    List<String> causes = new ArrayList<>();
    for (Throwable t : failures) {
      if (t != null) {
        causes.add(t.toString());
      }
    }
    IllegalStateException e =
        new IllegalStateException(
            "every loop of the group is closed" + (causes.isEmpty() ? "" : ": " + causes));
    for (Throwable t : failures) {
      if (t != null) {
        e.addSuppressed(t);
      }
    }
    return e;
  }

  @Override
  public String toString() {
    int open = 0;
    for (EventLoop l : loops) {
      if (!l.isClosed()) {
        open++;
      }
    }
    return "EventLoopGroup["
        + loops.length
        + " loops, "
        + open
        + " open"
        + (shuttingDown ? ", shut down" : "")
        + "]";
  }
}
