package dev.coroutine;

import dev.coroutine.internal.RuntimeHandoff;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * POSIX signal handlers for event loops ({@link EventLoop#addSignalHandler}) and {@link
 * Coroutines#run}'s Ctrl-C, over the JDK's {@code sun.misc.Signal}.
 *
 * <p>{@code sun.misc.Signal} lives in the {@code jdk.unsupported} module, which the runtime's
 * module requires (an application run as a module resolves only what is required: without it, found
 * from outside, Ctrl-C skipped the coroutines' finally blocks). It is reached by reflection, so the
 * runtime compiles without it: where that module is missing (an image made without it from the
 * class path) signal handlers are refused with {@link UnsupportedOperationException} and {@code
 * run} leaves Ctrl-C to the JVM.
 *
 * <p>Invariant: a signal has at most one handler in the process, so {@link #INSTALLED} maps each
 * signal we took over to the one loop and handler it serves and to the JVM's handler that was there
 * before ({@link Installed#previous}), which is put back when ours is removed or its loop closes.
 * The JVM delivers a signal on a thread of its own; ours only hands the handler to the loop with
 * {@link EventLoop#callSoonThreadsafe}, so handlers run on the loop thread, between callbacks.
 */
final class Signals {
  /**
   * Signals the JVM needs for itself, which {@code sun.misc.Signal} would nevertheless let us take:
   * HotSpot suspends threads with SIGUSR2 (a Java handler there silently stops JFR's execution
   * sampling), ignores SIGPIPE natively so that writes to a closed pipe fail with an IOException
   * instead, turns a SIGBUS of a mapped file's access into an InternalError (a Java handler there
   * returns to the faulting instruction, which faults again forever: found from outside, the JVM
   * spinning and deaf to TERM), uses SIGTRAP for its own traps on some platforms, and SIGPROF for
   * JFR's CPU-time sampling on JDK 25 (a handler there took the samples: found from outside).
   */
  private static final Set<String> RESERVED = Set.of("USR2", "PIPE", "BUS", "TRAP", "PROF");

  /** {@code new sun.misc.Signal(String)}, or null without {@code jdk.unsupported}. */
  private static final Constructor<?> NEW_SIGNAL;

  /** {@code sun.misc.Signal.handle(Signal, SignalHandler)}. */
  private static final Method HANDLE;

  /** {@code sun.misc.SignalHandler}, the interface our handlers implement by proxy. */
  private static final Class<?> HANDLER;

  /**
   * {@code sun.misc.SignalHandler.SIG_IGN}: what {@code handle} returns, installing nothing, for a
   * HUP, INT or TERM that the process was started with ignored (HotSpot never takes those over).
   */
  private static final Object IGNORED;

  static {
    Constructor<?> c = null;
    Method h = null;
    Class<?> i = null;
    Object ignored = null;
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      i = Class.forName("sun.misc.SignalHandler");
      c = signal.getConstructor(String.class);
      h = signal.getMethod("handle", signal, i);
      ignored = i.getField("SIG_IGN").get(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      c = null; // no jdk.unsupported: no signal handlers
    }
    NEW_SIGNAL = c;
    HANDLE = h;
    HANDLER = i;
    IGNORED = ignored;
  }

  /** The signals taken over, by name without "SIG"; guarded by itself. */
  private static final Map<String, Installed> INSTALLED = new HashMap<>();

  private Signals() {}

  /**
   * A signal taken over.
   *
   * @param loop the loop its handler runs on, or null for {@link Coroutines#run}'s Ctrl-C
   * @param handler what runs when it arrives
   * @param previous the JVM's handler before ours, put back on removal
   */
  private record Installed(EventLoop loop, Runnable handler, Object previous) {}

  /** "SIGINT", "int", "INT" -&gt; "INT". */
  static String normalize(String signal) {
    String s = signal.trim().toUpperCase(Locale.ROOT);
    return s.startsWith("SIG") ? s.substring(3) : s;
  }

  /** True if this JVM lets us handle signals at all. */
  static boolean supported() {
    return NEW_SIGNAL != null;
  }

  /** Makes {@code handler} run on {@code loop} whenever {@code signal} arrives (any thread). */
  static void add(EventLoop loop, String signal, Runnable handler) {
    String name = normalize(signal);
    if (!supported()) {
      throw new UnsupportedOperationException(
          "signal handlers need the jdk.unsupported module (sun.misc.Signal), which this JVM has"
              + " not resolved (an image made without it: add it with jlink --add-modules or the"
              + " java launcher's --add-modules jdk.unsupported)");
    }
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException(
          "SIG" + name + " is used by the JVM itself and cannot be handled: " + RESERVED);
    }
    if (name.equals("CHLD") || name.equals("CLD")) {
      settleChildSignal();
    }
    // asyncio: the handler runs in a copy of the context add_signal_handler was called in
    Runnable bound = (Runnable) ContextBound.capture(handler);
    synchronized (INSTALLED) {
      Installed old = INSTALLED.get(name);
      Object previous =
          install(
              name, s -> deliver(name)); // IllegalArgumentException: unknown or refused by the JVM
      INSTALLED.put(
          name,
          new Installed(
              loop, new SignalCallback(name, bound), old != null ? old.previous : previous));
    }
  }

  /**
   * The JDK sets SIGCHLD to its default disposition when it first starts a process (the static
   * initializer of {@code java.lang.ProcessImpl}, so that it can reap its children): a handler
   * installed before that would be silently dropped by the first {@code ProcessBuilder.start()} or
   * subprocess (found from outside: a CHLD handler that never ran). Initializing the class first
   * makes that reset happen now, before ours is installed; it happens once per JVM.
   */
  private static void settleChildSignal() {
    try {
      Class.forName("java.lang.ProcessImpl", true, null);
    } catch (ClassNotFoundException | LinkageError e) {
      // a JDK without that class resets nothing there
    }
  }

  /**
   * A handler as the loop runs it: named after its signal, so an exception it throws is reported as
   * "Exception in callback Handle[handler of SIGHUP: ...]".
   */
  private record SignalCallback(String signal, Runnable handler) implements Runnable {
    @Override
    public void run() {
      handler.run();
    }

    @Override
    public String toString() {
      return "handler of SIG" + signal + ": " + ContextBound.unwrap(handler);
    }
  }

  /** On the JVM's signal thread: hands the signal's handler to its loop. */
  private static void deliver(String name) {
    Installed in;
    synchronized (INSTALLED) {
      in = INSTALLED.get(name);
    }
    if (in == null) {
      return; // removed meanwhile
    }
    try {
      in.loop.callSoonThreadsafe(in.handler);
    } catch (IllegalStateException closed) {
      // the loop closed meanwhile; its handlers are being put back
    }
  }

  /** Removes {@code loop}'s handler of {@code signal}: true if there was one. */
  static boolean remove(EventLoop loop, String signal) {
    String name = normalize(signal);
    synchronized (INSTALLED) {
      Installed in = INSTALLED.get(name);
      if (in == null || in.loop != loop) {
        return false;
      }
      INSTALLED.remove(name);
      restore(name, in.previous);
      return true;
    }
  }

  /** Removes every handler of {@code loop} (it is closing). */
  static void removeAll(EventLoop loop) {
    synchronized (INSTALLED) {
      INSTALLED
          .entrySet()
          .removeIf(
              e -> {
                if (e.getValue().loop != loop) {
                  return false;
                }
                restore(e.getKey(), e.getValue().previous);
                return true;
              });
    }
  }

  /** True if a loop has a handler for {@code signal}. */
  static boolean hasHandler(String signal) {
    synchronized (INSTALLED) {
      return INSTALLED.containsKey(normalize(signal));
    }
  }

  /** Installs {@code onSignal} for signal {@code name}; returns the JVM's handler it replaced. */
  private static Object install(String name, Consumer<String> onSignal) {
    return install(name, handlerOf(name, onSignal));
  }

  /** A JVM signal handler ({@code sun.misc.SignalHandler}) running {@code onSignal}. */
  private static Object handlerOf(String name, Consumer<String> onSignal) {
    return Proxy.newProxyInstance(
        Signals.class.getClassLoader(),
        new Class<?>[] {HANDLER},
        (self, m, args) -> {
          switch (m.getName()) {
            case "handle":
              onSignal.accept(name);
              return null;
            case "hashCode":
              return System.identityHashCode(self);
            case "equals":
              return self == args[0];
            default:
              return "coroutine signal handler for SIG" + name;
          }
        });
  }

  /** Installs JVM handler {@code proxy} for signal {@code name}; returns the one it replaced. */
  private static Object install(String name, Object proxy) {
    Object previous = handle(name, proxy);
    if (previous == IGNORED) {
      // HotSpot left the signal ignored and installed nothing: a handler would silently never run
      throw new IllegalStateException(
          "SIG"
              + name
              + " is ignored by this process (its parent started it so: nohup, or a background job"
              + " of a non-interactive shell), and the JVM never delivers a signal ignored at start;"
              + " start the program with the signal at its default (e.g. env --default-signal="
              + name
              + " java ...)");
    }
    return previous;
  }

  private static void restore(String name, Object previous) {
    handle(name, previous);
  }

  private static Object handle(String name, Object handler) {
    try {
      return HANDLE.invoke(null, NEW_SIGNAL.newInstance(name), handler);
    } catch (InvocationTargetException e) {
      Throwable c = e.getCause();
      if (c instanceof IllegalArgumentException) {
        // "Unknown signal: X" or "Signal already used by VM or OS: SIGX"
        throw new IllegalArgumentException("cannot handle SIG" + name + ": " + c.getMessage(), c);
      }
      throw new IllegalStateException("cannot handle SIG" + name + ": " + c, c);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot handle SIG" + name + ": " + e, e);
    }
  }

  // ---- run()'s Ctrl-C ----------------------------------------------------------------------

  /** The exit status of a process ended by SIGINT, as the JVM (and a shell) reports it. */
  static final int INTERRUPTED_EXIT = 128 + 2;

  /** Guards that one {@link Coroutines#run} at a time owns SIGINT. */
  private static final Object SIGINT_OWNER = new Object();

  /** The {@link SigintCancel} that owns SIGINT now, or null; guarded by {@link #SIGINT_OWNER}. */
  private static SigintCancel sigintOwner;

  /**
   * asyncio.run's Ctrl-C: the first SIGINT cancels {@code main} (its finally blocks run, then
   * {@link Coroutines#run} exits the process with {@link #INTERRUPTED_EXIT}); a second one exits at
   * once. Null (Ctrl-C left to the JVM) if signals are unsupported, a loop handles SIGINT itself,
   * or another run() on another thread owns it.
   */
  static SigintCancel cancelOnSigint(EventLoop loop, Task<?> main) {
    if (!supported() || hasHandler("INT")) {
      return null;
    }
    synchronized (SIGINT_OWNER) {
      if (sigintOwner != null) {
        return null;
      }
      SigintCancel c = new SigintCancel(loop, main);
      c.ours = handlerOf("INT", s -> c.interrupted());
      try {
        c.previous = install("INT", c.ours);
      } catch (RuntimeException refused) {
        return null; // -Xrs, or SIGINT ignored since the process started: no Ctrl-C can arrive
      }
      sigintOwner = c;
      return c;
    }
  }

  /** One run()'s hold on SIGINT. */
  static final class SigintCancel {
    /** The loop running the main task. */
    private final EventLoop loop;

    /** The main task, cancelled by the first SIGINT. */
    private final Task<?> main;

    /** SIGINTs received. */
    private final AtomicInteger count = new AtomicInteger();

    /** The JVM's SIGINT handler before ours. */
    private Object previous;

    /** Ours. */
    private Object ours;

    SigintCancel(EventLoop loop, Task<?> main) {
      this.loop = loop;
      this.main = main;
    }

    /** On the JVM's signal thread. */
    private void interrupted() {
      if (count.incrementAndGet() == 1) {
        try {
          loop.callSoonThreadsafe(
              RuntimeHandoff.of(
                  () -> {
                    if (!main.isDone()) {
                      main.cancel("interrupted by SIGINT");
                    }
                  },
                  // the loop closed first: nothing left to cancel
                  () -> Runtime.getRuntime().exit(INTERRUPTED_EXIT)));
          return;
        } catch (IllegalStateException closed) {
          // the loop is closing: nothing is left to cancel, so this one ends the process too
        }
      }
      Runtime.getRuntime().exit(INTERRUPTED_EXIT);
    }

    /** True if a SIGINT arrived. */
    boolean wasInterrupted() {
      return count.get() > 0;
    }

    /**
     * Gives SIGINT back to the JVM's handler; if a loop took it over from ours meanwhile, that loop
     * gives back the handler from before ours when it lets it go (found from outside: it put ours
     * back, stale, and the program's own handler never ran again).
     */
    void close() {
      synchronized (SIGINT_OWNER) {
        if (sigintOwner == this) {
          sigintOwner = null;
          synchronized (INSTALLED) {
            Installed in = INSTALLED.get("INT");
            if (in == null) {
              restore("INT", previous);
            } else if (in.previous == ours) {
              INSTALLED.put("INT", new Installed(in.loop, in.handler, previous));
            }
          }
        }
      }
    }
  }
}
