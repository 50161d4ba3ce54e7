package dev.coroutine;

import dev.coroutine.internal.Frames;
import dev.coroutine.internal.RuntimeCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The runtime half of the coroutine protocol: one object per call of an {@link Async} method,
 * holding where the method is suspended and the values it saved. Not an API: only code generated
 * by the transformer (and the runtime's own coroutines) use it. It lives in this package so that
 * the await path reaches {@link Task} and {@link Future} fields without accessors. The protocol
 * is described in {@code coroutine-runtime/PROTOCOL.md}.
 *
 * <p>Invariant: a frame runs at most once. {@link #task} is null until it is first awaited or
 * wrapped in a task; {@link #label} is 0 until its body first suspends, then the number of the
 * await to resume at, and {@link #DONE} once the body returned or threw.
 *
 * @param <T> the coroutine's result type
 */
public final class AsyncFrame<T> implements Coroutine<T> {
  /** Returned by a body, and by {@link #await}, when the task suspended. */
  public static final Object SUSPEND = new Marker("SUSPEND");
  /**
   * {@link Task#waitingOn} while the task's {@code current} frame waits to be started by the
   * trampoline: a too-deep child, or an async generator's hand-off frame (see {@code
   * AsyncGenerator}).
   */
  static final Object TRAMPOLINE = new Marker("TRAMPOLINE");
  /** The awaitable of {@code sleep(0)}: yields to the loop once. */
  static final Coroutine<Void> YIELD = new YieldCoroutine();
  /** {@link #label} of a frame whose body returned or threw. */
  public static final int DONE = -1;
  /**
   * {@link #label} of a query frame: a generated body called with it returns the {@link
   * StackTraceElement} of the await whose label is {@code prims[0]} (0: the method's first line).
   */
  public static final int DESCRIBE = -2;
  /**
   * Inline coroutine calls deeper than this go through the trampoline. Each level takes four
   * Java frames (body, its lambda, await, awaitFrame), up to about 1 KB of stack while still
   * interpreted, and the JVM keeps most of a small stack for itself (its shadow zone): 32 levels
   * run on a 128 KB thread stack, 256 needed more than 200 KB. Chains that suspend anyway pay
   * nothing for a low limit (every level saves its state once either way).
   */
  static final int MAX_INLINE_DEPTH = 32;

  /** The state-machine body: a static method of the user's class, bound by invokedynamic. */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs or resumes the frame: returns the coroutine's result, throws its failure, or returns
     * {@link #SUSPEND}.
     *
     * @param frame the frame to run, holding the label to resume at and the saved locals
     * @return the coroutine's result, or {@link #SUSPEND} when it waits
     * @throws Throwable the coroutine's failure, unchanged
     */
    Object resume(AsyncFrame<?> frame) throws Throwable;
  }

  /** 0 before the first suspension; then the await to resume at; {@link #DONE} at the end. */
  public int label;
  /**
   * The first saved reference of generated code (so a coroutine that keeps one reference across
   * its awaits needs no array); the others are in {@link #refs}.
   */
  public Object ref0;
  /** Saved reference values (parameters, live locals, operand stack) or null if none. */
  public Object[] refs;
  /** Saved primitive values (int-like widened, float/double as raw bits) or null if none. */
  public long[] prims;
  /** The body, a method of the instrumented class. */
  final Body body;
  /** The frame that awaits this one inline, or null for a task's outermost frame. */
  AsyncFrame<?> caller;
  /** The task running this frame; null until the frame is first awaited or scheduled. */
  Task<?> task;

  private AsyncFrame(Body body, int refCount, int primCount) {
    this.body = body;
    this.refs = refCount == 0 ? null : new Object[refCount];
    this.prims = primCount == 0 ? null : new long[primCount];
  }

  /**
   * Creates the frame of one call; generated code then stores the arguments into it.
   *
   * @param <T> the type of the coroutine's result
   * @param body the state-machine body that runs the frame
   * @param refCount the number of reference slots (saved object locals and arguments)
   * @param primCount the number of primitive slots (saved primitives, as longs)
   * @return a frame that has not run yet
   */
  public static <T> AsyncFrame<T> create(Body body, int refCount, int primCount) {
    AsyncFrame<T> f = new AsyncFrame<>(body, refCount, primCount);
    if (Debug.tracking) {
      Debug.trackFrame(f); // debug mode: remember the creation site, report if never awaited
    }
    return f;
  }

  /**
   * Awaits {@code awaitable} from the frame {@code f}: returns its value now if it is finished
   * (no allocation, no loop trip), throws its exception unchanged if it failed, or arranges for
   * the task to resume when it finishes and returns {@link #SUSPEND}; the body must then save its
   * state and return {@link #SUSPEND} too. A coroutine is run inline, right here. With {@code f}
   * itself as the awaitable it is a generated body's resume: it returns {@link #resumed()}, so a
   * resume lands on the same call as the first run, inside the same try ranges.
   *
   * @param awaitable a coroutine, future or completion stage
   * @param f the frame that awaits
   * @return the awaitable's value, or {@link #SUSPEND} when the frame must wait
   * @throws Throwable the awaitable's failure, unchanged
   */
  public static Object await(Object awaitable, AsyncFrame<?> f) throws Throwable {
    if (awaitable == f) { // a generated body resuming: the outcome of the await it resumes at
      return f.resumed();
    }
    if (awaitable == YIELD) { // sleep(0): the hottest suspension, one compare
      Task<?> t = f.task;
      t.current = f;
      t.waitingOn = YIELD;
      t.loop.schedule(t);
      return SUSPEND;
    }
    if (awaitable instanceof Future) {
      Future<?> fu = (Future<?>) awaitable;
      int s = fu.state;
      if (s == Future.SUCCEEDED) {
        return fu.value;
      }
      if (s != Future.PENDING) {
        throw fu.failure();
      }
      return f.suspendOn(fu);
    }
    if (awaitable instanceof AsyncFrame) {
      return awaitFrame((AsyncFrame<?>) awaitable, f);
    }
    if (awaitable instanceof LazyCoroutine) {
      return ((LazyCoroutine<?>) awaitable).begin(f);
    }
    if (awaitable instanceof Sleep) {
      return ((Sleep) awaitable).start(f);
    }
    if (awaitable instanceof DoneCoroutine) {
      return ((DoneCoroutine<?>) awaitable).value;
    }
    if (awaitable == null) {
      throw new NullPointerException("await(null)");
    }
    if (awaitable instanceof CompletionStage) {
      return awaitStage((CompletionStage<?>) awaitable, f);
    }
    throw new IllegalArgumentException(
        "cannot await a " + awaitable.getClass().getName() + ": not a Coroutine, Future or Task");
  }

  /**
   * {@link #await} of a {@link CompletionStage}: resumes on the loop thread when it completes.
   *
   * @param stage the stage to wait for; any thread may complete it
   * @param f the frame that awaits
   * @return the stage's value, or {@link #SUSPEND} when the frame must wait
   * @throws Throwable the stage's failure
   */
  public static Object awaitStage(CompletionStage<?> stage, AsyncFrame<?> f) throws Throwable {
    if (stage == null) {
      throw new NullPointerException("await(null)");
    }
    CompletableFuture<?> cf = fullFuture(stage);
    if (cf != null && cf.isDone()) {
      if (!cf.isCompletedExceptionally()) {
        return cf.getNow(null);
      }
      try {
        cf.join();
      } catch (Throwable t) {
        throw unwrap(t);
      }
    }
    EventLoop loop = f.task.loop;
    Future<Object> bridge = new Future<>(loop);
    stage.whenComplete(
        (v, ex) -> {
          try {
            loop.callSoonThreadsafe(
                () -> {
                  if (!bridge.isDone()) {
                    if (ex != null) {
                      bridge.setException(unwrap(ex));
                    } else {
                      bridge.setResult(v);
                    }
                  }
                });
          } catch (IllegalStateException closed) {
            // the loop was closed while the stage ran: nobody is left to resume
          }
        });
    if (cf != null) {
      bridge.addCallback(
          (java.util.function.Consumer<Future<Object>>)
              b -> {
                if (b.isCancelled()) {
                  cf.cancel(false);
                }
              });
    }
    return f.suspendOn(bridge);
  }

  /**
   * {@code stage} as a {@link CompletableFuture} that answers {@code isDone()} and {@code
   * cancel()}, or null: the JDK's minimal stages ({@code completedStage}, {@code
   * minimalCompletionStage()}) are CompletableFutures that throw {@link
   * UnsupportedOperationException} there, and are awaited as any other stage.
   */
  private static CompletableFuture<?> fullFuture(CompletionStage<?> stage) {
    if (!(stage instanceof CompletableFuture)) {
      return null;
    }
    CompletableFuture<?> cf = (CompletableFuture<?>) stage;
    try {
      cf.isDone();
      return cf;
    } catch (UnsupportedOperationException minimal) {
      return null;
    }
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * At a resume point: the value the awaited work produced, or its exception thrown unchanged.
   *
   * @return the value the awaited work produced
   * @throws Throwable the awaited work's failure, or the cancellation delivered to this task
   */
  public Object resumed() throws Throwable {
    EventLoop l = task.loop;
    Throwable e = l.resumeFailure;
    if (e != null) {
      l.resumeFailure = null;
      throw e;
    }
    Object v = l.resumeValue;
    l.resumeValue = null;
    return v;
  }

  /**
   * The default branch of a generated body's label switch: answers a {@link #DESCRIBE} query
   * with where the query's label ({@code prims[0]}) is suspended, from the body's table; any
   * other label is a corrupt state. The table (built by the transformer, one string constant per
   * body) holds the class, method and file names, each after its length as a char (the file's
   * plus one, 0 for none), then the number of groups {@code n}, {@code n + 2} positions (where
   * the lines of the method's start and of groups 1..n begin, and where the last ends) and the
   * lines, one char each (0: unknown). Label {@code g << 16 | i} is line {@code starts[g] + i}.
   *
   * @param f the query frame
   * @param table the body's describe table
   * @return where the label is, for task dumps and async stack traces
   * @throws IllegalStateException if {@code f} is not a query (a corrupt label)
   */
  public static StackTraceElement describe(AsyncFrame<?> f, String table) {
    if (f.label != DESCRIBE) {
      throw new IllegalStateException("coroutine resumed in an invalid state: label " + f.label);
    }
    int p = 0;
    int n = table.charAt(p++);
    String className = table.substring(p, p + n);
    p += n;
    n = table.charAt(p++);
    String method = table.substring(p, p + n);
    p += n;
    n = table.charAt(p++);
    String file = n == 0 ? null : table.substring(p, p + n - 1);
    p += Math.max(0, n - 1);
    int groups = table.charAt(p++);
    int starts = p;
    int lines = starts + groups + 2;
    int at = (int) f.prims[0];
    int group = at >> 16;
    int line = -1;
    if (group >= 0 && group <= groups) {
      int pos = table.charAt(starts + group) + (at & 0xFFFF);
      if (pos < table.charAt(starts + group + 1) && table.charAt(lines + pos) != 0) {
        line = table.charAt(lines + pos);
      }
    }
    return new StackTraceElement(className, method, file, line);
  }

  // ---- internals ---------------------------------------------------------------------------

  /** Binds the frame to its task; a frame runs at most once. */
  void claim(Task<?> t) {
    if (task != null || label != 0) {
      throw new IllegalStateException(
          "coroutine " + this + " was already awaited or scheduled: a coroutine runs at most once");
    }
    task = t;
    if (Debug.tracking) {
      Debug.frameStarted(this);
    }
  }

  /** Suspends the task on a pending future. */
  Object suspendOn(Future<?> fu) {
    Task<?> t = task;
    if (fu.loop == null) {
      fu.loop = t.loop;
    } else if (fu.loop != t.loop) {
      throw new IllegalStateException("cannot await a future of another event loop: " + fu);
    }
    if (fu == t) {
      throw new IllegalStateException("a task cannot await itself: " + t);
    }
    t.current = this;
    t.waitingOn = fu;
    fu.addCallback(t);
    if (t.mustCancel && fu.cancel((String) t.value)) {
      t.mustCancel = false;
    }
    return SUSPEND;
  }

  private static Object awaitFrame(AsyncFrame<?> child, AsyncFrame<?> parent) throws Throwable {
    Task<?> t = parent.task;
    child.claim(t);
    child.caller = parent;
    EventLoop l = t.loop;
    if (l.depth >= MAX_INLINE_DEPTH) {
      t.current = child;
      t.waitingOn = TRAMPOLINE;
      return SUSPEND;
    }
    l.depth++;
    Object r;
    try {
      r = child.body.resume(child);
    } catch (Throwable e) {
      child.finish();
      throw e;
    } finally {
      l.depth--;
    }
    if (r != SUSPEND) {
      child.finish();
    }
    return r;
  }

  void finish() {
    label = DONE;
    ref0 = null;
    refs = null;
    prims = null;
  }

  /** Wraps any coroutine in a frame a task can drive. */
  @SuppressWarnings("unchecked")
  static <T> AsyncFrame<T> asFrame(Coroutine<T> c) {
    if (c instanceof AsyncFrame) {
      return (AsyncFrame<T>) c;
    }
    if (c == null) {
      throw new NullPointerException("coroutine");
    }
    return Frames.lazy(() -> c);
  }

  /**
   * Where this coroutine is: class, method, source file and line of the await it is suspended
   * at, or of its first line if it has not suspended yet. Null for the runtime's own coroutines
   * and once finished. Costs a call into the body; meant for task dumps and debugging.
   *
   * @return where the coroutine stands, or null
   */
  public StackTraceElement location() {
    int at = label;
    if (at < 0 || isRuntimeBody(body)) {
      return null; // finished, or one of the runtime's hand-written bodies (no DESCRIBE branch)
    }
    AsyncFrame<?> query = new AsyncFrame<>(body, 0, 1);
    query.label = DESCRIBE;
    query.prims[0] = at;
    try {
      Object r = body.resume(query);
      return r instanceof StackTraceElement ? (StackTraceElement) r : null;
    } catch (Throwable t) {
      return null;
    }
  }

  private static boolean isRuntimeBody(Body body) {
    return RuntimeCode.isRuntimeClass(body.getClass().getNestHost());
  }

  /**
   * The frame awaiting this one inline, or null for a task's outermost frame.
   *
   * @return the awaiting frame, or null
   */
  public AsyncFrame<?> caller() {
    return caller;
  }

  @Override
  public String toString() {
    return "Coroutine<" + body.getClass().getName() + (label == DONE ? " done>" : ">");
  }

  /** A marker object with a readable name. */
  private static final class Marker {
    private final String name;

    Marker(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final class YieldCoroutine implements Coroutine<Void> {
    @Override
    public String toString() {
      return "sleep(0)";
    }
  }
}
