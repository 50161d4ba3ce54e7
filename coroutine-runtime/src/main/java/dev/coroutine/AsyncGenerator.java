package dev.coroutine;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * One run of an async generator (Python's async generator object): a {@link
 * AsyncIterable.Producer}'s coroutine that runs in the task of whoever awaits {@link #hasNext()},
 * and parks at each {@code await(out.emit(x))} until the next value is asked for.
 *
 * <p>No task and no buffer of its own: the producer's frames are part of the consumer's await chain
 * while it runs, so its sleeps suspend the consumer's task, a cancellation of that task is thrown
 * in where the producer waits, and the producer's failure arrives at the consumer's {@code
 * await(it.hasNext())}. Control passes between the two chains without growing the Java stack: the
 * side that gives control up suspends, leaving as the task's current frame a one-shot hand-off
 * frame (state {@link AsyncFrame#TRAMPOLINE}, as for a too-deep call) whose caller is the frame to
 * resume and whose result is the value to resume it with.
 *
 * <p>Invariant: {@link #state} is {@link #CREATED} until the first {@code hasNext()} starts the
 * producer; {@link #RUNNING} while a {@code hasNext()} or {@code aclose()} frame is {@link
 * #outer}'s caller and the producer runs on its behalf; {@link #PARKED} while {@link #parked} (the
 * innermost producer frame) is suspended at an emit, {@link #outer} has no caller, and the value is
 * held for {@link #next()} unless taken; {@link #CLOSED} once the producer returned, failed or was
 * closed (its frames dropped). A started generator is in its loop's set of them (weakly) until it
 * ends, so that {@code run()} can close those left suspended (asyncio's {@code
 * shutdown_asyncgens}).
 *
 * @param <T> the type of the values
 */
final class AsyncGenerator<T> implements AsyncIterator<T> {
  /**
   * The loop whose {@link EventLoop#asyncGenerators} holds this generator: the one it started on,
   * then the one it last parked on (a generator iterated from a second loop moves there, so that
   * loop's shutdown closes it); null before it starts and once it ended.
   */
  private EventLoop heldBy;

  private static final int CREATED = 0;
  private static final int RUNNING = 1;
  private static final int PARKED = 2;
  private static final int CLOSED = 3;

  /** Makes the producer's coroutine; null once started. */
  private AsyncIterable.Producer<T> producer;

  /** One of {@link #CREATED}, {@link #RUNNING}, {@link #PARKED}, {@link #CLOSED}. */
  private int state;

  /** The producer's outermost frame while it is started and not finished; else null. */
  private AsyncFrame<?> outer;

  /** While {@link #PARKED}: the frame suspended at the emit (the innermost of the producer). */
  private AsyncFrame<?> parked;

  /** While {@link #PARKED}: the loop of the task that ran the producer up to that emit. */
  private EventLoop parkedLoop;

  /**
   * While {@link #RUNNING}: the task whose {@code hasNext()} or {@code aclose()} runs the producer,
   * the only one whose emit is this generator's (kept, so that a chain of generators re-emitting
   * each other's values does not walk up the whole chain at every emit).
   */
  private Task<?> askerTask;

  /** The value emitted last, until {@link #next()} takes it. */
  private T value;

  /** {@link #value} is there for {@link #next()}. */
  private boolean hasValue;

  /** An exit was thrown into the producer: a further emit is an error. */
  private boolean exiting;

  /**
   * {@link #close()} was called while the producer ran (for a {@code hasNext()} of another task):
   * its next emit parks it without handing the value over, and closes it from there.
   */
  private boolean closeAsked;

  /** While a close runs the cleanup: completed at {@link #end()}, for other aclose() calls. */
  private Future<Void> endedFuture;

  /**
   * The emitter handed to the producer (a separate object, so the producer cannot reach next()).
   */
  private final Emitter<T> out = Emit::new;

  AsyncGenerator(AsyncIterable.Producer<T> producer) {
    this.producer = producer;
  }

  @Override
  public Coroutine<Boolean> hasNext() {
    AsyncFrame<Boolean> f = AsyncFrame.create(AsyncGenerator::advance, 0, 0);
    f.ref0 = this;
    return f;
  }

  @Override
  public T next() {
    if (!hasValue) {
      throw new NoSuchElementException(
          state == CLOSED
              ? "the async generator has ended"
              : "next() without a hasNext() that returned true");
    }
    T v = value;
    value = null;
    hasValue = false;
    return v;
  }

  @Override
  public Coroutine<Void> aclose() {
    AsyncFrame<Void> f = AsyncFrame.create(AsyncGenerator::closeBody, 0, 0);
    f.ref0 = this;
    return f;
  }

  @Override
  public void close() {
    switch (state) {
      case CREATED:
        end();
        return;
      case PARKED:
        closeParked(true);
        return;
      case RUNNING:
        // another task's hasNext() runs the producer: its next emit ends that hasNext() with
        // false and closes the producer there (if it returns or fails first, it is over anyway)
        closeAsked = !exiting;
        return;
      default:
        // CLOSED: nothing to do
    }
  }

  /**
   * asyncio's finalizer for a parked generator: the exit and the cleanup run in a task of their
   * own; from now on hasNext() returns false. {@code eagerAllowed} false from inside an emit: the
   * producer's frame is still in its call there, so the closing task must not start at once.
   */
  private void closeParked(boolean eagerAllowed) {
    if (exiting) {
      return;
    }
    exiting = true;
    value = null;
    hasValue = false;
    EventLoop loop = parkedLoop;
    if (loop.isClosed()) {
      end(); // nothing can run the producer's cleanup any more: drop it
      return;
    }
    if (eagerAllowed) {
      loop.createTask(aclose(), "aclose " + this);
    } else {
      loop.createTask(aclose(), "aclose " + this, false);
    }
  }

  @Override
  public String toString() {
    String[] names = {"created", "running", "suspended", "closed"};
    return "AsyncGenerator<" + names[state] + ">";
  }

  /**
   * asyncio's {@code loop.shutdown_asyncgens()} ({@link EventLoop#shutdownAsyncgens()}): closes
   * every generator of {@code loop} still suspended at an emit, concurrently, running their {@code
   * finally} blocks; a cleanup that fails goes to the loop's exception handler, and so does a
   * generator running in a task at the time (its {@code aclose()} fails: it is running).
   */
  static Future<Void> closeAll(EventLoop loop) {
    List<AsyncGenerator<?>> left = new ArrayList<>();
    Set<AsyncGenerator<?>> held = loop.asyncGenerators;
    synchronized (held) { // a generator moving from another loop's thread changes it too
      for (AsyncGenerator<?> g : held) {
        // a running one too, as asyncio: its aclose() fails ("is running"), and that is reported
        if (g.state == PARKED ? g.parkedLoop == loop : g.askerTaskLoop() == loop) {
          left.add(g);
        }
      }
    }
    Future<Void> closed = loop.createFuture();
    if (left.isEmpty()) {
      closed.setResult(null);
      return closed;
    }
    Awaitable<?>[] closing = new Awaitable<?>[left.size()];
    for (int i = 0; i < closing.length; i++) {
      closing[i] = left.get(i).aclose();
    }
    Coroutines.gatherOn(loop, true, closing)
        .addDoneCallback(
            all -> {
              List<Object> outcomes = all.result();
              for (int i = 0; i < closing.length; i++) {
                Object o = outcomes.get(i);
                if (o instanceof Throwable
                    && !(o instanceof java.util.concurrent.CancellationException)) {
                  loop.callExceptionHandler(
                      new EventLoop.ErrorContext(
                          "an error occurred during closing of asynchronous generator "
                              + left.get(i),
                          (Throwable) o,
                          left.get(i)));
                }
              }
              closed.setResult(null);
            });
    return closed;
  }

  /** While {@link #RUNNING}: the loop of the task running the producer; else null. */
  private EventLoop askerTaskLoop() {
    Task<?> t = askerTask;
    return state == RUNNING && t != null ? t.loop : null;
  }

  // ---- the frames ---------------------------------------------------------------------------

  /**
   * The body of {@code hasNext()}: label 0 starts or resumes the producer, label 1 is reached when
   * it hands control back (an emit: true) or its outer frame finishes (false, or its failure).
   */
  private static Object advance(AsyncFrame<?> f) throws Throwable {
    if (f.label < 0) {
      return null; // a DESCRIBE query: a runtime body has no source location
    }
    AsyncGenerator<?> g = (AsyncGenerator<?>) f.ref0;
    if (f.label == 0) {
      if (g.hasValue) {
        return Boolean.TRUE;
      }
      if (g.exiting) {
        return Boolean.FALSE; // close() was called: its task ends the producer
      }
      switch (g.state) {
        case CLOSED:
          return Boolean.FALSE;
        case RUNNING:
          throw new IllegalStateException(
              "hasNext(): the async generator is already running (awaited twice at once?)");
        case CREATED:
          return g.start(f);
        default:
          f.label = 1;
          return g.resumeParked(f, null);
      }
    }
    try {
      f.resumed();
    } catch (Throwable failure) {
      g.end(); // the producer failed (or was cancelled with the consumer's task)
      throw failure;
    }
    if (g.state == PARKED) {
      return g.hasValue; // an emit handed control back (without a value if closed meanwhile)
    }
    g.end(); // the producer returned
    return Boolean.FALSE;
  }

  /** Starts the producer inline in {@code f}'s task, {@code f} waiting for its first emit. */
  private Object start(AsyncFrame<?> f) throws Throwable {
    AsyncIterable.Producer<T> p = producer;
    producer = null;
    state = RUNNING;
    askerTask = AsyncFrame.runningTask();
    heldBy = askerTask.loop;
    heldBy.asyncGenerators.add(this);
    AsyncFrame<?> first;
    try {
      first = AsyncFrame.asFrame(p.produce(out));
    } catch (Throwable failure) {
      end();
      throw failure;
    }
    outer = first;
    f.label = 1;
    Object r;
    try {
      r = AsyncFrame.await(first, f); // runs it inline, its owner is f
    } catch (Throwable failure) {
      end();
      throw failure;
    }
    if (r == AsyncFrame.SUSPEND) {
      return r; // it emitted (control comes back to label 1) or waits for something
    }
    end(); // returned without emitting anything
    return Boolean.FALSE;
  }

  /**
   * Gives control to the parked producer on behalf of frame {@code f} (which then suspends): the
   * emit it is parked at returns normally, or throws {@code failure}.
   */
  private Object resumeParked(AsyncFrame<?> f, Throwable failure) {
    Task<?> t = AsyncFrame.runningTask();
    AsyncFrame<?> p = parked;
    parked = null;
    parkedLoop = null;
    state = RUNNING;
    askerTask = t;
    // the producer's frames follow f's task through their owners (even from another task than
    // last time), and its end (result or failure) goes to f
    outer.owner = f;
    return handOff(t, p, null, failure);
  }

  /** The producer parks at an emit awaited by frame {@code at}: control goes back to the asker. */
  private Object emitted(AsyncFrame<?> at, T v) {
    if (state != RUNNING || exiting || outer == null) {
      throw new IllegalStateException(
          exiting
              ? "the async generator emitted a value after it was closed (it caught the"
                  + " GeneratorExitException and went on)"
              : "emit() awaited outside of its generator's producer (state: " + toString() + ")");
    }
    AsyncFrame<?> asker = outer.caller();
    Task<?> t = AsyncFrame.runningTask(); // at's
    if (asker == null || askerTask != t) {
      throw new IllegalStateException(
          "emit() awaited in another task than the one its generator runs in");
    }
    boolean closing = closeAsked;
    value = closing ? null : v; // close() came while it ran: this value is not handed over
    hasValue = !closing;
    parked = at;
    parkedLoop = t.loop;
    if (heldBy != parkedLoop) { // iterated from another loop now: that one's shutdown closes it
      heldBy.asyncGenerators.remove(this);
      heldBy = parkedLoop;
      heldBy.asyncGenerators.add(this);
    }
    state = PARKED;
    askerTask = null;
    outer.owner = null; // parked: the producer's frames hold no link to the consumer's
    if (closing) {
      closeAsked = false;
      closeParked(false); // parked now: closed by a task of its own, from the next pass
    }
    return handOff(t, asker, Boolean.TRUE, null);
  }

  /**
   * The body of {@code aclose()}: label 0 throws the exit in, label 1 sees how the producer ended.
   */
  private static Object closeBody(AsyncFrame<?> f) throws Throwable {
    if (f.label < 0) {
      return null;
    }
    AsyncGenerator<?> g = (AsyncGenerator<?>) f.ref0;
    if (f.label == 0) {
      switch (g.state) {
        case CREATED:
        case CLOSED:
          g.end();
          return null;
        case RUNNING:
          if (g.exiting && AsyncFrame.runningTask() != g.askerTask) {
            // another task's aclose() (close()'s task, or run()'s end) is running the cleanup:
            // this one returns when that cleanup has ended, as an awaited aclose() promises
            f.label = 2;
            return AsyncFrame.await(g.ended(), f);
          }
          throw new IllegalStateException("aclose(): the async generator is running");
        default:
          g.value = null;
          g.hasValue = false;
          g.exiting = true;
          f.label = 1;
          return g.resumeParked(f, new GeneratorExitException());
      }
    }
    if (f.label == 2) {
      f.resumed(); // the other close's end
      return null;
    }
    try {
      f.resumed();
    } catch (GeneratorExitException exit) {
      // the producer let the exit through: closed as asked
    } finally {
      g.end();
    }
    return null;
  }

  /** Completed when the producer is over: what an aclose() waits for while another one closes. */
  private Future<Void> ended() {
    if (endedFuture == null) {
      endedFuture = AsyncFrame.runningTask().loop.createFuture();
    }
    return endedFuture;
  }

  /** The producer is over: drop its frames. */
  private void end() {
    Future<Void> e = endedFuture;
    if (e != null) {
      endedFuture = null;
      try {
        e.setResult(null);
      } catch (IllegalStateException loopClosed) {
        // the waiting aclose() went with its loop
      }
    }
    if (heldBy != null) {
      heldBy.asyncGenerators.remove(this);
      heldBy = null;
    }
    state = CLOSED;
    producer = null;
    outer = null;
    parked = null;
    parkedLoop = null;
    askerTask = null;
    value = null;
    hasValue = false;
  }

  /**
   * Makes {@code to} the frame task {@code t} resumes next, with {@code value} or {@code failure},
   * and returns {@link AsyncFrame#SUSPEND} for the running side to give control up with. The task's
   * driver starts the hand-off frame from the bottom of the stack (as for a too-deep call), which
   * returns the value (or throws) to its caller {@code to}.
   */
  private static Object handOff(Task<?> t, AsyncFrame<?> to, Object value, Throwable failure) {
    AsyncFrame<Object> h =
        AsyncFrame.create(failure == null ? AsyncGenerator::give : AsyncGenerator::fail, 0, 0);
    h.ref0 = failure == null ? value : failure;
    h.claim(to);
    t.current = h;
    t.waitingOn = AsyncFrame.TRAMPOLINE;
    return AsyncFrame.SUSPEND;
  }

  private static Object give(AsyncFrame<?> f) {
    return f.label < 0 ? null : f.ref0;
  }

  private static Object fail(AsyncFrame<?> f) throws Throwable {
    if (f.label < 0) {
      return null;
    }
    throw (Throwable) f.ref0;
  }

  /** One {@code emit(v)}: parks the producer when awaited. */
  private final class Emit extends LazyCoroutine<Void> {
    /** The value to hand over. */
    private final T v;

    Emit(T v) {
      super(AsyncGenerator.this, "emit");
      this.v = v;
    }

    @Override
    protected Object start(AsyncFrame<?> caller) {
      return emitted(caller, v);
    }
  }
}
