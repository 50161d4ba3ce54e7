package dev.coroutine;

import dev.coroutine.internal.ContextMap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A mapping of {@link ContextVar}s to values: asyncio's {@code contextvars.Context}. Every thread
 * has a current context; {@link ContextVar#get} and {@link ContextVar#set} read and change it. The
 * event loop makes a task's own context current while the task runs, and a callback's while the
 * callback runs:
 *
 * <ul>
 *   <li>a task ({@code createTask}, {@code ensureFuture}, the children of {@code gather} and {@code
 *       TaskGroup}) runs in a copy of the context current when it was created;
 *   <li>a callback ({@code callSoon}, {@code callLater}, {@code callAt}, {@code addDoneCallback},
 *       {@code callSoonThreadsafe}) runs in a copy of the context current when it was scheduled, or
 *       in the context passed to the overload that takes one;
 *   <li>{@code runInExecutor} and {@code toThread} run their callable in a copy of the caller's
 *       context, on the worker thread; {@code runCoroutineThreadsafe} starts its task in a copy of
 *       the calling thread's.
 * </ul>
 *
 * <p>Copying is O(1): the mapping is immutable (a persistent map, {@link ContextMap}) and a set
 * replaces it, so a copy shares the mapping until either side changes it.
 *
 * <p>Until the first {@link ContextVar#set} in the JVM, every context is empty and the runtime
 * captures nothing: tasks and callbacks then cost what they did without context variables.
 *
 * <p>Invariant: {@link #data} changes only while the context is current on some thread (through
 * {@link ContextVar#set}/{@link ContextVar#reset}), and a context is {@link #run entered} by at
 * most one thread at a time ({@link #entered}).
 */
public final class Context {
  /**
   * Set by the first {@link ContextVar#set} in the JVM. Until then every context is empty, so tasks
   * and callbacks capture none and {@link ContextVar#get} looks nothing up. Plain, not volatile: a
   * thread whose current context holds a value either set it itself or received that context (a
   * task, a callback, a submitted coroutine) through a hand-off that orders the write before its
   * reads; a thread that still reads false can only be in an empty context.
   */
  static boolean used;

  /**
   * Each thread's {@link Cell}: which context is current on it; none until something needs one, and
   * none again once the runtime's work on the thread ends with nothing set ({@link
   * #releaseIfIdle}): a pooled thread keeps no object of the runtime's classes, which would keep
   * the class loader of a web application or plugin that bundles the runtime.
   */
  private static final ThreadLocal<Cell> CELLS = new ThreadLocal<>();

  /** {@link Cell#current} while a loop callback runs whose context is empty: created on a set. */
  static final Object FRESH =
      new Object() {
        @Override
        public String toString() {
          return "<fresh context>";
        }
      };

  /** Registered listeners, or null when there are none (one read on every context switch). */
  private static volatile ContextListener[] listeners;

  private static final VarHandle ENTERED;

  static {
    try {
      ENTERED = MethodHandles.lookup().findVarHandle(Context.class, "entered", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The variables' values; replaced, never changed in place. */
  ContextMap data;

  /** True while {@link #run} (or the loop running a callback in it) has it current somewhere. */
  @SuppressWarnings("unused") // through ENTERED
  private volatile boolean entered;

  /** A new, empty context (asyncio's {@code contextvars.Context()}). */
  public Context() {
    this(ContextMap.empty());
  }

  Context(ContextMap data) {
    this.data = data;
  }

  /**
   * A copy of the current context (asyncio's {@code contextvars.copy_context()}).
   *
   * @return a new context with the same variables and values as the current one
   */
  public static Context copyContext() {
    return new Context(used ? currentMap() : ContextMap.empty());
  }

  /**
   * A copy of this context: later changes of either are not seen by the other.
   *
   * @return a new context with the same variables and values
   */
  public Context copy() {
    return new Context(data);
  }

  /**
   * Runs {@code action} with this context current on the calling thread (asyncio's {@code
   * Context.run}): the variables it sets change this context, which keeps them after the call; the
   * previous context is current again afterwards.
   *
   * @param action what to run in this context
   * @throws IllegalStateException (asyncio's {@code RuntimeError}) if this context is already
   *     entered, on this thread or another
   */
  public void run(Runnable action) {
    Objects.requireNonNull(action, "action");
    Cell c = cell();
    enterChecked();
    Object previous = c.enter(this);
    try {
      action.run();
    } finally {
      c.exit(previous);
      ENTERED.setVolatile(this, false);
      releaseIfIdle(c);
    }
  }

  /**
   * {@link #run(Runnable)} for an action with a result.
   *
   * @param <T> the type of the result
   * @param action what to run in this context
   * @return what {@code action} returned
   * @throws IllegalStateException if this context is already entered, on this thread or another
   */
  public <T> T run(Supplier<T> action) {
    Objects.requireNonNull(action, "action");
    Cell c = cell();
    enterChecked();
    Object previous = c.enter(this);
    try {
      return action.get();
    } finally {
      c.exit(previous);
      ENTERED.setVolatile(this, false);
      releaseIfIdle(c);
    }
  }

  private void enterChecked() {
    if (!ENTERED.compareAndSet(this, false, true)) {
      throw new IllegalStateException("cannot enter context: " + this + " is already entered");
    }
  }

  /**
   * True if {@code var} is set in this context (asyncio's {@code var in ctx}).
   *
   * @param var the variable
   * @return true if this context has a value for it
   */
  public boolean containsKey(ContextVar<?> var) {
    return data.get(Objects.requireNonNull(var, "var")) != ContextMap.MISSING;
  }

  /**
   * The value of {@code var} in this context (asyncio's {@code ctx[var]}); the variable's default
   * does not count.
   *
   * @param <T> the type of the variable's values
   * @param var the variable
   * @return its value in this context
   * @throws NoSuchElementException (asyncio's {@code KeyError}) if it is not set in this context
   */
  @SuppressWarnings("unchecked")
  public <T> T get(ContextVar<T> var) {
    Object v = data.get(Objects.requireNonNull(var, "var"));
    if (v == ContextMap.MISSING) {
      throw new NoSuchElementException(var + " is not set in this context");
    }
    return (T) v;
  }

  /**
   * The value of {@code var} in this context, or {@code fallback} (asyncio's {@code ctx.get(var,
   * default)}).
   *
   * @param <T> the type of the variable's values
   * @param var the variable
   * @param fallback what to return if it is not set in this context
   * @return its value in this context, or {@code fallback}
   */
  @SuppressWarnings("unchecked")
  public <T> T get(ContextVar<T> var, T fallback) {
    Object v = data.get(Objects.requireNonNull(var, "var"));
    return v == ContextMap.MISSING ? fallback : (T) v;
  }

  /**
   * The number of variables set in this context (asyncio's {@code len(ctx)}).
   *
   * @return the number of variables with a value here
   */
  public int size() {
    return data.size();
  }

  /**
   * The variables and their values, a snapshot (asyncio's {@code dict(ctx)}).
   *
   * @return an unmodifiable map of the variables set in this context to their values
   */
  public Map<ContextVar<?>, Object> toMap() {
    Map<ContextVar<?>, Object> m = new HashMap<>();
    data.forEach((k, v) -> m.put((ContextVar<?>) k, v));
    return Collections.unmodifiableMap(m);
  }

  /** {@code Context{name=value, ...}}, variables by name. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Context{");
    data.forEach(
        (k, v) -> {
          if (b.length() > 8) {
            b.append(", ");
          }
          b.append(((ContextVar<?>) k).getName()).append('=').append(v);
        });
    return b.append('}').toString();
  }

  // ---- listeners ---------------------------------------------------------------------------

  /**
   * Registers {@code listener}, called on a thread each time its current context changes: the loop
   * switching to a task or a callback and back, {@link #run} entering and leaving, a {@link
   * ContextVar#set} or {@link ContextVar#reset}. The hook that copies context variables into a
   * logging library's thread-local diagnostic context (SLF4J's {@code MDC}, Log4j's {@code
   * ThreadContext}): see {@link ContextListener#mirror}.
   *
   * @param listener called on the thread whose context changed; it reads the variables it needs
   */
  public static synchronized void addListener(ContextListener listener) {
    Objects.requireNonNull(listener, "listener");
    ContextListener[] ls = listeners;
    int n = ls == null ? 0 : ls.length;
    ContextListener[] more = new ContextListener[n + 1];
    if (n > 0) {
      System.arraycopy(ls, 0, more, 0, n);
    }
    more[n] = listener;
    listeners = more;
  }

  /**
   * Removes a listener registered with {@link #addListener}; false if it was not registered.
   *
   * @param listener the listener, compared by identity
   * @return true if it was removed
   */
  public static synchronized boolean removeListener(ContextListener listener) {
    ContextListener[] ls = listeners;
    if (ls == null) {
      return false;
    }
    for (int i = 0; i < ls.length; i++) {
      if (ls[i] == listener) {
        ContextListener[] fewer = new ContextListener[ls.length - 1];
        System.arraycopy(ls, 0, fewer, 0, i);
        System.arraycopy(ls, i + 1, fewer, i, ls.length - i - 1);
        listeners = fewer.length == 0 ? null : fewer;
        return true;
      }
    }
    return false;
  }

  /** Tells the listeners, if any, that the calling thread's current context changed. */
  static void changed() {
    ContextListener[] ls = listeners;
    if (ls != null) {
      tell(ls);
    }
  }

  private static void tell(ContextListener[] ls) {
    for (ContextListener l : ls) {
      try {
        l.contextChanged();
      } catch (Throwable t) {
        // a broken listener must not break the task or callback being switched to
        Debug.LOG.log(System.Logger.Level.ERROR, "context listener " + l + " failed", t);
      }
    }
  }

  // ---- runtime internals -------------------------------------------------------------------

  /** The calling thread's cell, made if it has none. */
  static Cell cell() {
    Cell c = CELLS.get();
    if (c == null) {
      c = new Cell();
      CELLS.set(c);
    }
    return c;
  }

  /** The calling thread's cell, noting that a variable is about to be set. */
  static Cell cellForUpdate() {
    if (!used) {
      used = true;
    }
    return cell();
  }

  /** The current mapping, read without making the thread a cell. */
  static ContextMap currentMap() {
    Cell c = CELLS.get();
    return c == null ? ContextMap.empty() : c.map();
  }

  /**
   * Drops the calling thread's cell {@code c} if it holds nothing (the thread's own context was
   * never created) and no loop runs on the thread (a running loop keeps its thread's cell).
   */
  static void releaseIfIdle(Cell c) {
    if (c != null && c.current == null && CELLS.get() == c && EventLoop.runningOrNull() == null) {
      CELLS.remove();
    }
  }

  /**
   * What a new task keeps as its context (see {@link Task#contextSlot()}): the current mapping,
   * which is immutable, so keeping it is the copy; null for an empty one.
   */
  static ContextMap captureForTask() {
    if (!used) {
      return null;
    }
    ContextMap m = currentMap();
    return m.size() == 0 ? null : m;
  }

  /** A copy of the current context for a callback scheduled now; null for an empty one. */
  static Context captureForCallback() {
    if (!used) {
      return null;
    }
    ContextMap m = currentMap();
    return m.size() == 0 ? null : new Context(m);
  }

  /**
   * Calls {@code callable} on this thread in {@code context}, a private copy (null: a fresh, empty
   * context), and makes the thread's previous context current again: how work handed to another
   * thread ({@link EventLoop#runInExecutor}) carries its caller's context, and sets nothing in the
   * worker's own.
   */
  static <T> T callIn(Context context, java.util.concurrent.Callable<T> callable) throws Exception {
    Cell c = cell();
    Object outer = c.enter(context != null ? context : FRESH);
    try {
      return callable.call();
    } finally {
      c.exit(outer);
      releaseIfIdle(c); // a worker thread of the user's executor keeps nothing of ours
    }
  }

  /** The mapping a task's {@link Task#contextSlot()} stands for. */
  static ContextMap mapOfSlot(Object slot) {
    if (slot == null) {
      return ContextMap.empty();
    }
    return slot instanceof Context ? ((Context) slot).data : (ContextMap) slot;
  }

  /**
   * Which context is current on one thread. {@link #current} is null (the thread's own context, not
   * created yet: nothing was set on it outside loops), {@link #FRESH} (a loop callback whose
   * context is empty, created at its first set), a {@link Context} (entered with {@link #run}, or
   * the thread's own once created), or a {@link Task} (the running task: its own context, kept in
   * the task itself so a task costs no context object).
   */
  static final class Cell {
    /** What is current: null, {@link #FRESH}, a {@link Context} or a {@link Task}. */
    Object current;

    /** Makes {@code next} current and returns what was, for {@link #exit}. */
    Object enter(Object next) {
      Object previous = current;
      current = next;
      ContextListener[] ls = listeners;
      if (ls != null) {
        tell(ls);
      }
      return previous;
    }

    /** Makes {@code previous} current again. */
    void exit(Object previous) {
      current = previous;
      ContextListener[] ls = listeners;
      if (ls != null) {
        tell(ls);
      }
    }

    /** The current mapping. */
    ContextMap map() {
      Object o = current;
      if (o instanceof Task) {
        return mapOfSlot(((Task<?>) o).contextSlot());
      }
      if (o instanceof Context) {
        return ((Context) o).data;
      }
      return ContextMap.empty();
    }

    /** The current context's identity, as {@link ContextVar.Token}s record it; null if none yet. */
    Object owner() {
      Object o = current;
      if (o instanceof Task) {
        Object slot = ((Task<?>) o).contextSlot();
        return slot instanceof Context ? slot : o;
      }
      return o instanceof Context ? o : null;
    }

    /**
     * Replaces the current mapping with {@code m}, creating the current context if there is none
     * yet; returns its identity (see {@link #owner()}).
     */
    Object replaceMap(ContextMap m) {
      Object o = current;
      if (o instanceof Task) {
        Task<?> t = (Task<?>) o;
        Object slot = t.contextSlot();
        if (slot instanceof Context) {
          ((Context) slot).data = m;
          return slot;
        }
        t.contextSlot(m);
        return t;
      }
      if (o instanceof Context) {
        ((Context) o).data = m;
        return o;
      }
      Context c = new Context(m); // the thread's own context, or a loop callback's (FRESH)
      current = c;
      return c;
    }
  }
}
