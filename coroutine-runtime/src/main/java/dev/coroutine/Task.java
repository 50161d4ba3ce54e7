package dev.coroutine;

import dev.coroutine.internal.ResultHandOver;
import java.util.concurrent.CancellationException;

/**
 * A coroutine scheduled on an event loop: asyncio's {@code Task}.
 *
 * <p>The task drives a chain of {@link AsyncFrame}s: the coroutine it wraps and the coroutines that
 * one awaits inline. Invariant: while the task is suspended, {@link #current} is the innermost
 * frame and {@link #waitingOn} is what it waits for; resuming runs {@link #current} and, as each
 * frame finishes, its caller, in a loop at the bottom of the Java stack (the trampoline), so chains
 * of any depth resume without growing the stack.
 *
 * <p>Cancellation is a request: {@link #cancel(String)} throws {@link CancellationException} into
 * the coroutine at the await where it is suspended (or at its next suspension if it is running),
 * counting requests in {@link #cancelling()} as asyncio 3.11 does.
 *
 * <p>While {@link Future#state} is PENDING, {@link #waitingOn} says where the task is:
 *
 * <pre>
 *  waitingOn        | the task is ...                              | resumed by
 * ------------------+----------------------------------------------+--------------------------
 *  null             | on the ready queue (new or woken), or running | the loop's pass: step()
 *  a Future f       | suspended in await(f), registered on f        | f finishing: f schedules it
 *  SLEEPING         | suspended in sleep(d), itself one of the      | the timer firing: queued
 *                   |   timers' Sleepers (suspendedAt: its gap     |   for the pass it is due
 *                   |   from the one before), or due and queued    |   in, where step() only
 *                   |   (suspendedAt: Sleepers.DUE)                |   queues it once more
 *  a Sleep          | suspended in sleep(d), its timer in the heap  | the timer's callback, a
 *                   |   (or due, its callback queued)              |   pass after it is due
 *  YIELD            | suspended in sleep(0), queued by drive()      | the next pass (a sleep(0)
 *                   |                                              |   with nothing else to run
 *                   |                                              |   goes on without suspending)
 *  TRAMPOLINE       | starting a too-deep inline child              | drive(), without a pass
 *
 *  mustCancel: a CancellationException is thrown in at the next resume or suspension
 *  ("cancelling" in toString); cancelRequests counts cancel() minus uncancel().
 *  PENDING --coroutine returns--> SUCCEEDED   --throws--> FAILED
 *          --throws CancellationException (or returns while mustCancel)--> CANCELLED
 * </pre>
 *
 * @param <T> the coroutine's result type
 */
public class Task<T> extends Future<T> {
  /** The innermost frame: resumed when the task next runs. */
  AsyncFrame<?> current;

  /**
   * What the task waits for: a Future, a Sleep, {@link Sleep#SLEEPING}, a {@link Parking} (a
   * queue's line), {@link AsyncFrame#YIELD}, or null.
   */
  Object waitingOn;

  /**
   * Number of cancellation requests not yet withdrawn by {@link #uncancel()}. A short, so that it
   * packs with {@link #mustCancel} and a sleeping task stays within its memory budget.
   */
  short cancelRequests;

  /** A cancellation is to be thrown in at the next resume or suspension. */
  boolean mustCancel;

  /** The number in the default name "Task-N". */
  final int id;

  /**
   * The loop's {@link EventLoop#clockMillis} when the task last suspended (or was created), for
   * task dumps' "waited for"; while the task is one of the timers' {@link Sleepers} ({@link
   * #waitingOn} {@link Sleep#SLEEPING}), the gap from the sleeper before it instead. With {@link
   * Future#state} a byte, the task is 56 bytes with compressed oops; written once per suspension,
   * from a loop field, so a suspension reads no clock.
   */
  int suspendedAt;

  /**
   * The name given by the user (a String), the task's context (see {@link #contextSlot()}), both (a
   * {@link Named}), or null: one slot, because few tasks have either, so that a task costs no more
   * memory for context variables until some are used.
   */
  private Object nameOrContext;

  /**
   * Neighbours in the loop's list of live tasks, or while the task sleeps in the timers' {@link
   * Sleepers}, in theirs (intrusive: no node allocated).
   */
  Task<?> prevLive, nextLive;

  Task(EventLoop loop, AsyncFrame<?> frame, String name, Object context) {
    super(loop);
    frame.claim(this);
    this.current = frame;
    this.id = ++loop.taskCounter;
    this.nameOrContext = name == null ? context : context == null ? name : new Named(name, context);
    loop.linkTask(this);
    this.suspendedAt = loop.clockMillis; // (its creation site, in debug mode: Future's constructor)
    Jfr.taskCreated(this); // TaskStart, and begins TaskEnd, if a recording has them enabled
  }

  /**
   * The task's name: the one given, or "Task-N".
   *
   * @return the task's name
   */
  public String getName() {
    Object o = nameOrContext;
    String name = o instanceof String ? (String) o : o instanceof Named ? ((Named) o).name : null;
    return name != null ? name : "Task-" + id;
  }

  /**
   * Renames the task.
   *
   * @param name the new name
   */
  public void setName(String name) {
    Object context = contextSlot();
    nameOrContext = name == null ? context : context == null ? name : new Named(name, context);
  }

  /**
   * The task's own context: null (empty), an immutable {@link dev.coroutine.internal.ContextMap}
   * (the task's private copy: a set replaces it), or a {@link Context} given to {@code createTask},
   * shared with its holder. See {@link Context.Cell}.
   */
  final Object contextSlot() {
    Object o = nameOrContext;
    if (o instanceof String) {
      return null;
    }
    return o instanceof Named ? ((Named) o).context : o;
  }

  /** Replaces the task's context (see {@link #contextSlot()}). */
  final void contextSlot(Object context) {
    Object o = nameOrContext;
    if (o instanceof Named) {
      ((Named) o).context = context;
    } else if (o instanceof String) {
      nameOrContext = context == null ? o : new Named((String) o, context);
    } else {
      nameOrContext = context;
    }
  }

  /** {@link #nameOrContext} of a task with both a name and a context. */
  private static final class Named {
    /** The task's name. */
    final String name;

    /** The task's context, as {@link #contextSlot()}. */
    Object context;

    Named(String name, Object context) {
      this.name = name;
      this.context = context;
    }
  }

  /** Tasks cannot be completed from outside: {@link UnsupportedOperationException}. */
  @Override
  public void setResult(T result) {
    throw new UnsupportedOperationException("Task does not support setResult");
  }

  /** Tasks cannot be completed from outside: {@link UnsupportedOperationException}. */
  @Override
  public void setException(Throwable exception) {
    throw new UnsupportedOperationException("Task does not support setException");
  }

  /**
   * Requests cancellation: a {@link CancellationException} carrying {@code message} is thrown into
   * the coroutine where it awaits. Returns false if the task is already done.
   */
  @Override
  public boolean cancel(String message) {
    if (state != PENDING) {
      return super.cancel(message); // false; a failure counts as retrieved, as in asyncio
    }
    if (loop.debug) {
      loop.checkThread("Task.cancel");
    }
    cancelRequests++;
    value = message; // a pending task has no result yet: the slot holds the cancel message
    Object w = waitingOn;
    if (w instanceof SkipHop) {
      w = ((SkipHop) w).then; // cancelled already in this pass: as for any finished future
    }
    if (w instanceof Future) {
      if (((Future<?>) w).cancel(message)) {
        return true; // its completion wakes us with the CancellationException
      }
    } else if (w == Sleep.SLEEPING || w instanceof Sleep) {
      loop.checkOpen(); // as asyncio, whose sleep's future then schedules the wake-up: refused
      // asyncio cancels the sleep's future, unless its timer callback already ran: the
      // cancellation is then delivered with this message even if a later cancel() brings another
      // or uncancel() withdraws the request, and the task resumes where the cancel() was called
      boolean queued = false;
      if (w == Sleep.SLEEPING) {
        if (loop.timers.removeSleeper(this)) {
          loop.linkTask(this); // back among the live tasks
        } else {
          queued = true; // due: the task is queued already
        }
      } else {
        loop.removeTimer((Sleep) w); // due or not: its run() finds the task no longer waiting
      }
      Future<Object> cancelled = cancelledWait(message);
      waitingOn = queued ? new SkipHop(cancelled) : cancelled; // a queued turn then passes
      loop.schedule(this);
      return true;
    } else if (w instanceof Parking) {
      if (((Parking) w).withdrawWaiting(this)) {
        loop.checkOpen(); // as asyncio, whose waiter future then schedules the wake-up: refused
        // out of the line: resume with the cancellation (and this message), as for a sleep
        waitingOn = cancelledWait(message);
        loop.schedule(this);
        return true;
      }
    }
    mustCancel = true;
    return true;
  }

  /**
   * A wait already cancelled with {@code message}: what a task waits on once its cancellation is
   * committed, as asyncio cancels the future a task waits on (a later {@link #uncancel()} or {@code
   * cancel()} no longer changes what the task resumes with).
   */
  Future<Object> cancelledWait(String message) {
    Future<Object> cancelled = new Future<>(loop);
    cancelled.cancel(message);
    return cancelled;
  }

  /**
   * Suspends with the cancellation requested while the task ran, committed: it resumes at once with
   * it (asyncio's step cancels the future the task then waits on, and clears must_cancel).
   */
  void suspendCancelled() {
    mustCancel = false;
    waitingOn = cancelledWait((String) value);
    loop.schedule(this);
  }

  /**
   * {@link #waitingOn} of a task cancelled in the pass its sleep in the timers' run was due: the
   * task is on the ready queue twice, for that pass (where {@link #step} only moves on to {@link
   * #then}) and where the cancel scheduled it.
   */
  static final class SkipHop {
    /** What the task then resumes with: the cancelled sleep. */
    final Future<Object> then;

    SkipHop(Future<Object> then) {
      this.then = then;
    }

    @Override
    public String toString() {
      return then.toString();
    }
  }

  /**
   * Number of pending cancellation requests (asyncio 3.11 {@code Task.cancelling()}).
   *
   * @return the number of cancellation requests not withdrawn
   */
  public int cancelling() {
    return cancelRequests;
  }

  /**
   * Withdraws one cancellation request and returns the remaining count (asyncio's {@code
   * Task.uncancel()}); at zero a not-yet-delivered cancellation is dropped, as in asyncio 3.13
   * (3.11 and 3.12 still deliver it).
   *
   * @return the number of cancellation requests left
   */
  public int uncancel() {
    if (cancelRequests > 0) {
      cancelRequests--;
      if (cancelRequests == 0) {
        mustCancel = false;
      }
    }
    return cancelRequests;
  }

  /**
   * {@code Task<name state...>} as {@link Future#toString()}, with the state {@code cancelling}
   * while {@link #cancelling()} counts a request and the task is not done (as asyncio).
   */
  @Override
  public String toString() {
    return render("Task<" + getName() + " ");
  }

  @Override
  String stateText() {
    // as asyncio's repr: cancelling while a request is counted, delivered or not (a task that
    // waits on a future has it cancelled at once, and one that caught it stays cancelling)
    return state == PENDING && cancelRequests > 0 ? "cancelling" : super.stateText();
  }

  // ---- the driver --------------------------------------------------------------------------

  /** Runs the task from the loop: takes the outcome of what it waited for and resumes. */
  final void step() {
    if (state != PENDING) {
      return;
    }
    Object w = waitingOn;
    waitingOn = null;
    if (w == Sleep.SLEEPING) {
      loop.schedule(this); // the pass its timer was due in: resume in the next (see Sleep)
      return;
    }
    Object v = null;
    Throwable e = null;
    if (w instanceof Future) {
      Future<?> f = (Future<?>) w;
      if (f.state == SUCCEEDED) {
        v = f.value;
      } else {
        e = f.failure();
      }
    } else if (w instanceof Parking) {
      Parking p = (Parking) w;
      if (mustCancel) {
        p.abandon(this); // the cancellation below is delivered instead of what woke us
      } else {
        try {
          v = p.resume(this);
        } catch (Throwable t) {
          e = t;
        }
        if (v == AsyncFrame.SUSPEND) {
          waitingOn = p; // woken, but what it waits for is gone again: it is back in the line
          suspendedAt = loop.clockMillis;
          return;
        }
      }
    } else if (w instanceof SkipHop) {
      waitingOn = ((SkipHop) w).then; // cancelled in the same pass: scheduled again since
      return;
    }
    if (mustCancel) {
      mustCancel = false;
      if (!(e instanceof CancellationException)) {
        if (w instanceof ResultHandOver) {
          ((ResultHandOver) w).outcomeDropped(); // its item goes back to its queue
        }
        e = new CancellationException((String) value);
      }
    }
    drive(v, e, true);
  }

  /**
   * Resumes {@link #current} with a value or an exception, then each caller in turn as frames
   * finish, until a frame suspends or the outermost finishes the task. {@code fromLoop}: called by
   * the loop's pass (not by an eager start inside other code), so a {@code sleep(0)} with nothing
   * else to run may go on without suspending ({@link LoopCore#steppedByPass}).
   */
  final void drive(Object v, Throwable e, boolean fromLoop) {
    EventLoop l = loop;
    Task<?> previous = l.currentTask;
    boolean previousByPass = l.steppedByPass;
    l.currentTask = this;
    l.steppedByPass = fromLoop;
    Context.Cell contexts = l.contextCell;
    Object outerContext = contexts.enter(this); // the task's own context (see Context.Cell)
    try {
      AsyncFrame<?> f = current;
      while (true) {
        Object r;
        if (e != null && f.label == 0) {
          r = null; // a frame that never ran cannot take an exception: it fails with it
        } else {
          if (DebuggerResume.ON && f.label > 0) {
            f = DebuggerResume.top(l, f); // its callers back on the Java stack, for a debugger
          }
          l.resumeValue = v;
          l.resumeFailure = e;
          e = null;
          try {
            r = f.body.resume(f);
          } catch (Throwable t) {
            if (DebuggerResume.ON) {
              l.rewindPath = null; // a body that failed before it reached the frame below
            }
            r = null;
            e = t;
            if (l.debug && f.caller() != null) {
              // the callers are not on the Java stack: record them (see AsyncStackTrace)
              AsyncStackTrace.attach(t, f.caller(), this);
            }
          }
          if (r == AsyncFrame.SUSPEND) {
            if (waitingOn == AsyncFrame.TRAMPOLINE) {
              // a call chain got too deep: start its innermost coroutine here, at the bottom
              waitingOn = null;
              f = current;
              v = null;
              continue;
            }
            Object w = waitingOn;
            if (w == AsyncFrame.YIELD) {
              l.schedule(this); // queued here, not in the await: nothing runs between the two
            } else if (w == Sleep.SLEEPING) {
              return; // suspendedAt holds its gap in the timers' Sleepers
            }
            suspendedAt = l.clockMillis; // for task dumps: waiting since
            return;
          }
        }
        f.finish();
        AsyncFrame<?> caller = f.caller();
        if (caller == null) {
          complete(r, e); // the outermost frame (its owner is this task)
          return;
        }
        current = f = caller;
        v = r;
      }
    } finally {
      l.currentTask = previous;
      l.steppedByPass = previousByPass;
      contexts.exit(outerContext);
    }
  }

  private void complete(Object result, Throwable failure) {
    loop.unlinkTask(this);
    current = null;
    loop.resumeValue = null;
    if (failure == null && mustCancel) {
      // cancelled while running (by itself, say) and returned before another await: asyncio
      // ends such a task cancelled, not with its result
      mustCancel = false;
      super.cancel((String) value);
    } else if (failure == null) {
      super.setResult(castResult(result));
    } else if (failure instanceof CancellationException) {
      cancelWith(failure); // awaiters get the very exception (asyncio: its _cancelled_exc)
    } else {
      super.setException(failure);
    }
    Jfr.taskFinished(this);
  }

  @SuppressWarnings("unchecked")
  private T castResult(Object r) {
    return (T) r;
  }
}
