package dev.coroutine;

import dev.coroutine.internal.Frames;
import dev.coroutine.internal.NeverFailingLogger;
import dev.coroutine.internal.RuntimeCleaner;
import dev.coroutine.internal.RuntimeCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debug mode's bookkeeping: creation sites and never-awaited coroutines (never-retrieved exceptions
 * are watched in and out of debug mode: {@link UnretrievedFailure}).
 *
 * <p>Invariant: nothing here runs unless debug mode is on. The hot paths read one boolean ({@link
 * #tracking} or {@link EventLoop#debug}) and branch; everything else (stack walks, weak tables,
 * {@link RuntimeCleaner} registrations) happens only behind that branch. Reports go to the {@link
 * System.Logger} named {@code dev.coroutine}.
 */
final class Debug {
  private Debug() {}

  /** The logger every report of the runtime goes to. */
  static final System.Logger LOG = NeverFailingLogger.of("dev.coroutine");

  /** Debug mode switched on for the whole JVM by a system property or the environment. */
  static final boolean GLOBAL = enabledByEnvironment();

  /** Loops that currently have debug mode on (see {@link EventLoop#setDebug}). */
  private static final AtomicInteger DEBUG_LOOPS = new AtomicInteger();

  /**
   * True while coroutine creation must be tracked: debug mode is on globally or on some loop. A
   * plain static read on {@link AsyncFrame#create}; a stale value only means a frame more or less
   * is tracked, so it need not be volatile.
   */
  static boolean tracking = GLOBAL;

  /**
   * Creation sites of debug-mode futures, tasks and handles (weak keys; none of the runtime's own
   * overrides equals, and only those are recorded).
   */
  private static final Map<Object, StackTraceElement[]> SITES =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** Never-awaited watches of frames created while tracking, removed when the frame starts. */
  private static final Map<Coroutine<?>, FrameWatch> FRAMES =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** Stack frames of a creation site kept in reports. */
  private static final int SITE_DEPTH = 16;

  /** True if {@code -Dcoroutine.debug=true} or the environment has {@code COROUTINE_DEBUG=1}. */
  static boolean enabledByEnvironment() {
    if (Boolean.getBoolean("coroutine.debug")) {
      return true;
    }
    String env = System.getenv("COROUTINE_DEBUG");
    return env != null && !env.isEmpty() && !env.equals("0") && !env.equalsIgnoreCase("false");
  }

  /** A loop turned debug mode on ({@code +1}) or off ({@code -1}). */
  static void loopDebug(int delta) {
    int n = DEBUG_LOOPS.addAndGet(delta);
    tracking = GLOBAL || n > 0;
  }

  // ---- creation sites ----------------------------------------------------------------------

  /** Remembers where {@code o} (a task or a handle) was created. */
  static void recordSite(Object o) {
    SITES.put(o, site());
  }

  /** Where {@code o} was created, or null if it was created outside debug mode. */
  static StackTraceElement[] siteOf(Object o) {
    return o == null ? null : SITES.get(o);
  }

  /** The caller's stack, without the runtime's own frames. */
  static StackTraceElement[] site() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(
            s ->
                s.dropWhile(f -> RuntimeCode.isRuntimeClass(f.getDeclaringClass()))
                    .limit(SITE_DEPTH)
                    .map(StackWalker.StackFrame::toStackTraceElement)
                    .toArray(StackTraceElement[]::new));
  }

  /**
   * The method that is creating a frame: the user's {@code @Async} method, or the runtime's own
   * (say {@code Queue.get}, whose frame the user's code only asked for). The creation site ({@link
   * #site()}) skips the runtime, so it cannot name the latter.
   */
  private static String creator() {
    return StackWalker.getInstance()
        .walk(
            s ->
                s.filter(
                        f ->
                            !f.getClassName().equals(AsyncFrame.class.getName())
                                && !f.getClassName().equals(Frames.class.getName())
                                && !f.getClassName().startsWith(Debug.class.getName()))
                    .findFirst()
                    .map(f -> f.getClassName() + "." + f.getMethodName())
                    .orElse("?"));
  }

  /** Formats a creation site for a report: one {@code \tat ...} line per frame. */
  static String format(StackTraceElement[] site) {
    if (site == null || site.length == 0) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (StackTraceElement e : site) {
      b.append("\n\tat ").append(e);
    }
    return b.toString();
  }

  // ---- never-awaited coroutines ------------------------------------------------------------

  /**
   * Watches {@code f} (a frame, or a {@link LazyCoroutine}): if it is collected without ever being
   * started, it is reported.
   */
  static void trackFrame(Coroutine<?> f) {
    trackFrame(f, creator());
  }

  /** As {@link #trackFrame(Coroutine)}, reported as {@code name}. */
  static void trackFrame(Coroutine<?> f, String name) {
    FrameWatch w = new FrameWatch(site(), name, EventLoop.runningOrNull());
    FRAMES.put(f, w);
    RuntimeCleaner.register(f, w);
  }

  /** True while {@code f} is watched: created in debug mode and not started yet (for tests). */
  static boolean isTracked(Coroutine<?> f) {
    return FRAMES.containsKey(f);
  }

  /** {@code f} was awaited or wrapped in a task: it will not be reported. */
  static void frameStarted(Coroutine<?> f) {
    FrameWatch w = FRAMES.remove(f);
    if (w != null) {
      w.started = true;
      w.loop = null;
    }
  }

  /**
   * Loop {@code l} closes: reports the coroutines created while it ran that were never started,
   * collected or not (CPython reports a dropped coroutine at once, counting references; here a
   * short program would end before any collection found it). Each is reported once.
   */
  static void loopClosing(EventLoop l) {
    List<FrameWatch> unstarted = new ArrayList<>();
    synchronized (FRAMES) {
      for (FrameWatch w : FRAMES.values()) {
        if (w.loop == l && !w.started) {
          unstarted.add(w);
        }
      }
    }
    for (FrameWatch w : unstarted) {
      w.loop = null;
      w.report(" when its event loop closed");
    }
  }

  /** Runs when a tracked frame is collected; holds no reference to the frame. */
  private static final class FrameWatch implements Runnable {
    /** Where the coroutine was created: its {@code @Async} method first, then its callers. */
    final StackTraceElement[] site;

    /** The coroutine's name: the method that created its frame, or what it is awaited for. */
    final String name;

    /** Set when the frame is first awaited or scheduled, or reported. */
    volatile boolean started;

    /** The loop that ran when the frame was created, until it is started or reported. */
    volatile EventLoop loop;

    FrameWatch(StackTraceElement[] site, String name, EventLoop loop) {
      this.site = site;
      this.name = name;
      this.loop = loop;
    }

    @Override
    public void run() {
      report("");
    }

    /** Reports the frame unless it started or was reported; {@code when} says when it is seen. */
    synchronized void report(String when) {
      if (started) {
        return;
      }
      started = true;
      LOG.log(
          System.Logger.Level.WARNING,
          "coroutine " + name + " was never awaited" + when + "; created at:" + format(site));
    }
  }
}
