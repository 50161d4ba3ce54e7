package dev.coroutine;

import dev.coroutine.internal.CallbackNames;
import dev.coroutine.internal.RuntimeCallback;
import dev.coroutine.internal.RuntimeCode;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The result of an operation that may not have finished yet: asyncio's {@code Future}.
 *
 * <p>A future belongs to one {@link EventLoop} and, like asyncio's, is not thread-safe: complete it
 * and read it on the loop's thread; from other threads go through {@link
 * EventLoop#callSoonThreadsafe(Runnable)}. Done-callbacks never run inline: completing a future
 * schedules each callback on its loop, in the order they were added.
 *
 * <p>Awaiting a finished future (see {@link Coroutines#await(Awaitable)}) is a read of {@link
 * #state} and a branch; awaiting a pending one suspends the awaiting task until it finishes.
 *
 * <p>States ({@link #state}; what {@link #value} and {@link #callbacks} hold in each):
 *
 * <pre>
 *  state     | value              | callbacks                              | entered by
 * -----------+--------------------+----------------------------------------+-----------------
 *  PENDING   | null               | null, one Consumer or Task, or a list  | construction
 *  SUCCEEDED | the result         | null (all scheduled on completion)     | setResult
 *  FAILED    | the Throwable      | UnretrievedFailure until retrieved     | setException
 *  CANCELLED | the cancel message | null                                   | cancel
 *            | or the exception   |                                        |
 *
 *  PENDING --setResult----> SUCCEEDED    every arrow schedules the callbacks on the loop;
 *  PENDING --setException-> FAILED       the three finished states are final (a second
 *  PENDING --cancel-------> CANCELLED    setResult/setException throws InvalidStateException)
 * </pre>
 *
 * @param <T> the result type
 */
public class Future<T> implements Awaitable<T> {
  static final int PENDING = 0;
  static final int SUCCEEDED = 1;
  static final int FAILED = 2;
  static final int CANCELLED = 3;

  /** The futures whose {@link #toString()} runs on this thread, to cut cycles. */
  private static final ThreadLocal<java.util.IdentityHashMap<Future<?>, Boolean>> RENDERING =
      ThreadLocal.withInitial(java.util.IdentityHashMap::new);

  /** The longest result text {@link #toString()} shows in full (asyncio's reprlib cuts too). */
  private static final int MAX_RESULT_TEXT = 80;

  /** The loop this future schedules its callbacks on; bound lazily when created off-loop. */
  EventLoop loop;

  /** One of {@link #PENDING}, {@link #SUCCEEDED}, {@link #FAILED}, {@link #CANCELLED}. */
  byte state; // a byte: it packs with the fields of Task, keeping a sleeping task small

  /**
   * The result when SUCCEEDED, the Throwable when FAILED; when CANCELLED, the cancel message, or
   * the {@link CancellationException} a task ended with (see {@link #cancelWith}).
   */
  Object value;

  /**
   * Done-callbacks: null, a single {@code Consumer} or {@link Task} waiter, or an {@code ArrayList}
   * of them. A task awaiting this future is stored as itself (no wrapper allocated). Once the
   * future failed (unless a lone task awaited it) it holds an {@link UnretrievedFailure} until the
   * exception is retrieved.
   */
  Object callbacks;

  /** A future bound to the running loop, or to the loop that first awaits it. */
  public Future() {
    this.loop = EventLoop.runningOrNull();
    recordSiteInDebugMode();
  }

  /**
   * A future bound to {@code loop}.
   *
   * @param loop the loop whose thread completes the future and runs its callbacks
   */
  public Future(EventLoop loop) {
    this.loop = Objects.requireNonNull(loop, "loop");
    recordSiteInDebugMode();
  }

  /**
   * In debug mode, remembers where the future (a task too) was made, for the reports that name it
   * (an exception never retrieved, a task pending at close), as asyncio's {@code
   * _source_traceback}.
   */
  private void recordSiteInDebugMode() {
    EventLoop l = loop;
    if (l != null && l.debug && RuntimeCode.isRuntimeClass(getClass())) {
      // the runtime's own kinds only: the sites are kept by equality, and a user's subclass may
      // override hashCode and equals (and has not set its fields yet here)
      Debug.recordSite(this);
    }
  }

  /**
   * The loop this future belongs to.
   *
   * @return the loop this future belongs to
   */
  public EventLoop getLoop() {
    EventLoop l = loop;
    if (l == null) {
      throw new IllegalStateException("future is not bound to an event loop yet");
    }
    return l;
  }

  /**
   * True once the future has a result, an exception, or was cancelled.
   *
   * @return true once the future is done
   */
  public boolean isDone() {
    return state != PENDING;
  }

  /**
   * True if the future was cancelled.
   *
   * @return true if the future was cancelled
   */
  public boolean isCancelled() {
    return state == CANCELLED;
  }

  /**
   * The result. Rethrows the future's exception unchanged (the same instance, checked ones too) if
   * it failed, throws {@link CancellationException} if it was cancelled, and {@link
   * InvalidStateException} if it is not done yet.
   *
   * @return the value the future succeeded with
   */
  @SuppressWarnings("unchecked")
  public T result() {
    switch (state) {
      case SUCCEEDED:
        return (T) value;
      case PENDING:
        throw new InvalidStateException("Result is not set.");
      default:
        throw Sneaky.rethrow(failure());
    }
  }

  /**
   * The exception the future failed with, or null if it succeeded. Throws {@link
   * CancellationException} if it was cancelled and {@link InvalidStateException} if not done.
   *
   * @return the failure, or null if the future succeeded
   */
  public Throwable exception() {
    switch (state) {
      case SUCCEEDED:
        return null;
      case FAILED:
        retrieved();
        return (Throwable) value;
      case CANCELLED:
        throw cancellation();
      default:
        throw new InvalidStateException("Exception is not set.");
    }
  }

  /**
   * Completes the future with {@code result}; {@link InvalidStateException} if already done.
   *
   * @param result the value awaiters get
   */
  public void setResult(T result) {
    checkPending();
    beforeCompleting("Future.setResult");
    value = result;
    state = SUCCEEDED;
    scheduleCallbacks();
  }

  /**
   * Completes the future with {@code exception}; {@link InvalidStateException} if done.
   *
   * @param exception what awaiters get thrown, the same instance
   */
  public void setException(Throwable exception) {
    Objects.requireNonNull(exception, "exception");
    checkPending();
    beforeCompleting("Future.setException");
    value = exception;
    state = FAILED;
    Object waiters = callbacks;
    callbacks = null;
    if (!(waiters instanceof Task)) {
      // a lone awaiting task reads the exception in its next step: nothing to watch. Otherwise
      // report it if nobody reads it (asyncio: "exception was never retrieved"). Watched before
      // the callbacks are handed out: a gather's slot may read the exception right away
      UnretrievedFailure.watch(this, exception);
    }
    scheduleAll(waiters);
  }

  /**
   * Cancels the future; false if it was already done.
   *
   * @return true if this call cancelled the future
   */
  public boolean cancel() {
    return cancel(null);
  }

  /**
   * Cancels the future with a message carried by the {@link CancellationException}.
   *
   * @param message the message of the {@link java.util.concurrent.CancellationException} awaiters
   *     get
   * @return true if this call cancelled the future
   */
  public boolean cancel(String message) {
    if (state != PENDING) {
      retrieved(); // asyncio: cancel() on a failed future counts as looking at its exception
      return false;
    }
    return cancelWith(message);
  }

  /**
   * Cancels a pending future with {@code why}: a message, or the {@link CancellationException} a
   * task ended with, which its awaiters then get as it is (asyncio hands a task's own {@code
   * CancelledError} to its awaiter: a subclass, its cause and its identity are kept).
   */
  final boolean cancelWith(Object why) {
    beforeCompleting("Future.cancel");
    value = why;
    state = CANCELLED;
    scheduleCallbacks();
    return true;
  }

  /**
   * Adds a callback called with this future once it is done. If the future is already done the
   * callback is scheduled at once; either way it runs from the loop, never inline, in a copy of the
   * {@link Context} current now.
   *
   * @param callback called with this future, on the loop thread
   */
  public void addDoneCallback(Consumer<? super Future<T>> callback) {
    Objects.requireNonNull(callback, "callback");
    register(ContextBound.capture(callback));
  }

  /**
   * Adds a callback that runs in {@code context} (asyncio's {@code add_done_callback(fn,
   * context=ctx)}): what it sets stays in that context. See {@link #addDoneCallback(Consumer)}.
   *
   * @param callback called with this future, on the loop thread
   * @param context the context the callback runs in; it must not be entered elsewhere then
   */
  public void addDoneCallback(Consumer<? super Future<T>> callback, Context context) {
    Objects.requireNonNull(callback, "callback");
    register(ContextBound.explicit(context, callback));
  }

  /**
   * Adds a done-callback without copying the current context: for the runtime's own callbacks,
   * which read no context variables (and so that a search for them among {@link #callbacks} finds
   * them as they are).
   */
  final void whenDone(Consumer<? super Future<T>> callback) {
    register(callback);
  }

  /** Schedules {@code callback} (a Consumer, maybe {@link ContextBound}) now or once done. */
  private void register(Object callback) {
    if (state != PENDING) {
      EventLoop l = loop;
      if (l != null && l.debug) {
        l.checkThread("Future.addDoneCallback"); // it schedules the callback: asyncio's call_soon
      }
      scheduleOne(callback);
    } else {
      addCallback(callback);
    }
  }

  /**
   * Removes every registration of {@code callback}; returns how many were removed.
   *
   * @param callback the callback to remove, compared by identity
   * @return the number of registrations removed
   */
  public int removeDoneCallback(Consumer<? super Future<T>> callback) {
    Object cbs = callbacks;
    if (cbs != null && ContextBound.unwrap(cbs) == callback) {
      callbacks = null;
      return 1;
    }
    if (cbs instanceof ArrayList) {
      ArrayList<?> list = (ArrayList<?>) cbs;
      int before = list.size();
      list.removeIf(c -> ContextBound.unwrap(c) == callback);
      return before - list.size();
    }
    return 0;
  }

  /**
   * {@code Future<pending>}, {@code Future<finished result=...>}, {@code Future<finished
   * exception=...>} or {@code Future<cancelled>}. A result that contains this future (a task
   * returning a list of itself) shows it as {@code ...}, and a long result is shortened, as
   * asyncio's repr does.
   */
  @Override
  public String toString() {
    return render(getClass().getSimpleName() + "<");
  }

  /**
   * {@code prefix + stateText() + ">"}, or {@code "..."} when this future's text is already being
   * rendered on this thread (its result contains it, directly or not).
   */
  final String render(String prefix) {
    java.util.IdentityHashMap<Future<?>, Boolean> busy = RENDERING.get();
    if (busy.putIfAbsent(this, Boolean.TRUE) != null) {
      return "...";
    }
    try {
      return prefix + stateText() + ">";
    } finally {
      busy.remove(this);
    }
  }

  String stateText() {
    switch (state) {
      case PENDING:
        return "pending";
      case SUCCEEDED:
        String text = String.valueOf(value);
        if (text.length() > MAX_RESULT_TEXT) {
          int keep = (MAX_RESULT_TEXT - 3) / 2;
          text = text.substring(0, keep) + "..." + text.substring(text.length() - keep);
        }
        return "finished result=" + text;
      case FAILED:
        return "finished exception=" + value;
      default:
        return "cancelled";
    }
  }

  // ---- runtime internals -------------------------------------------------------------------

  /** The Throwable that awaiting a FAILED or CANCELLED future rethrows; counts as retrieved. */
  final Throwable failure() {
    if (state == FAILED) {
      retrieved();
      return (Throwable) value;
    }
    return cancellation();
  }

  /**
   * Marks the exception of a FAILED future as retrieved. Once it is retrieved {@link #callbacks} is
   * null, so reading it again is one read and a branch.
   */
  private void retrieved() {
    Object w = callbacks;
    if (w instanceof UnretrievedFailure) {
      ((UnretrievedFailure) w).retrieved();
      callbacks = null;
    }
  }

  final CancellationException cancellation() {
    Object v = value;
    return v instanceof CancellationException
        ? (CancellationException) v // the same instance every time, as for a failure
        : new CancellationException((String) v);
  }

  /**
   * Checks made before a completion changes anything: the thread, in debug mode; and a future with
   * callbacks but no loop (made outside one) refuses when no loop runs here to run them.
   */
  private void beforeCompleting(String what) {
    EventLoop l = loop;
    if (l != null) {
      if (l.debug) {
        l.checkThread(what);
      }
    } else if (callbacks != null) {
      loopForCallbacks();
    }
  }

  final void checkPending() {
    if (state != PENDING) {
      throw new InvalidStateException("invalid state: " + stateText());
    }
  }

  final EventLoop loopForCallbacks() {
    EventLoop l = loop;
    if (l == null) {
      l = loop = EventLoop.runningOrNull();
      if (l == null) {
        throw new IllegalStateException(
            "future has callbacks but no event loop: create it with loop.createFuture()");
      }
    }
    return l;
  }

  /** Registers a callback or a waiting {@link Task} on a pending future. */
  @SuppressWarnings("unchecked")
  final void addCallback(Object callback) {
    Object cbs = callbacks;
    if (cbs == null) {
      callbacks = callback;
    } else if (cbs instanceof ArrayList) {
      ((ArrayList<Object>) cbs).add(callback);
    } else {
      ArrayList<Object> list = new ArrayList<>(4);
      list.add(cbs);
      list.add(callback);
      callbacks = list;
    }
  }

  /** Removes a waiting task registered with {@link #addCallback}. */
  final void removeCallback(Object callback) {
    Object cbs = callbacks;
    if (cbs == callback) {
      callbacks = null;
    } else if (cbs instanceof ArrayList) {
      ((ArrayList<?>) cbs).remove(callback);
    }
  }

  private void scheduleCallbacks() {
    Object cbs = callbacks;
    callbacks = null;
    scheduleAll(cbs);
  }

  /** Schedules the callbacks {@code cbs} (one, a list of them, or null) taken from this future. */
  private void scheduleAll(Object cbs) {
    if (cbs == null) {
      return;
    }
    if (cbs instanceof ArrayList) {
      for (Object cb : (ArrayList<?>) cbs) {
        scheduleOne(cb);
      }
    } else {
      scheduleOne(cbs);
    }
  }

  @SuppressWarnings("unchecked")
  private void scheduleOne(Object cb) {
    EventLoop l = loopForCallbacks();
    l.takeInboxBeforeRun(); // asyncio's order before the loop runs (see there)
    if (l.closed) {
      if (cb instanceof RuntimeCallback) {
        return; // the runtime's own (a transport's bookkeeping): nothing left for it to do
      }
      // as asyncio's call_soon: a closed loop runs nothing, so the callback would be lost (and
      // kept in its dead queue); the future is done all the same
      throw l.closedError();
    }
    if (cb instanceof Task) {
      l.schedule(cb); // a task awaiting this future: its step reads the outcome from here
    } else if (cb instanceof GatheringFuture.ChildCounter && state != PENDING) {
      ((GatheringFuture.ChildCounter) cb).accept(this); // counts the child; schedules the end
    } else {
      l.schedule(new DoneCallback(this, (Consumer<Object>) cb));
    }
  }

  /** A done-callback on the ready queue: calls {@link #callback} with {@link #future}. */
  static final class DoneCallback implements Runnable {
    /** The future that is done. */
    final Future<?> future;

    /** The callback. */
    final Consumer<Object> callback;

    DoneCallback(Future<?> future, Consumer<Object> callback) {
      this.future = future;
      this.callback = callback;
    }

    @Override
    public void run() {
      callback.accept(future);
    }

    @Override
    public String toString() {
      return "done-callback " + CallbackNames.describe(callback) + " of " + future;
    }
  }
}
