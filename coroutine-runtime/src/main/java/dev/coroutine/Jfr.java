package dev.coroutine;

/**
 * The gate to the runtime's Java Flight Recorder events ({@link JfrEvents}).
 *
 * <p>Invariant: no class of {@code jdk.jfr} is loaded unless {@link #PRESENT} is true, so the
 * runtime runs on a JDK image without the {@code jdk.jfr} module; and the event classes are loaded
 * only once the flight recorder is initialized ({@link JfrRecorderWatch}): the first event class a
 * JVM loads costs it about 0.2 s (the recorder's metadata; benchmarks' StartupBench), which a
 * program that never records should not pay on its loop thread, and no recording exists before the
 * recorder does. Callers test {@link #on()} before calling in; past it, each event is created only
 * if a running recording has it enabled ({@code isEnabled()} first), so nothing is allocated or
 * timed while no recording asks for it.
 */
final class Jfr {
  private Jfr() {}

  /**
   * True if the {@code jdk.jfr} module is present (and usable) and {@code -Dcoroutine.jfr=false}
   * was not given.
   */
  static final boolean PRESENT = present();

  /**
   * True once the recorder is initialized and the event classes loaded. Volatile: the thread that
   * initializes the recorder (a {@code jcmd}, a {@code new Recording()}) sets it.
   */
  private static volatile boolean on;

  private static boolean present() {
    if ("false".equalsIgnoreCase(System.getProperty("coroutine.jfr"))) {
      return false;
    }
    return ModuleLayer.boot().findModule("jdk.jfr").isPresent();
  }

  /** A loop of this runtime was made: events may happen, so the recorder is watched. */
  static void loopOpened() {
    if (PRESENT) {
      JfrRecorderWatch.loopOpened();
    }
  }

  /** A loop closed: the last one stops watching the recorder ({@link JfrRecorderWatch}). */
  static void loopClosed() {
    if (PRESENT) {
      JfrRecorderWatch.loopClosed();
    }
  }

  /** True if events may be wanted: the recorder is initialized and the event classes loaded. */
  static boolean on() {
    return on;
  }

  /** Called once the recorder is initialized: loads the event classes; on if they are usable. */
  static void recorderInitialized() {
    try {
      on = JfrEvents.init();
    } catch (Throwable t) { // LinkageError and friends: a JDK without a usable jdk.jfr
      on = false;
    }
  }

  /** True if a recording has the slow-callback event enabled: callbacks must then be timed. */
  static boolean slowCallbacks() {
    return on && JfrEvents.slowCallbackEnabled();
  }

  /** A task was created: emits {@code dev.coroutine.TaskStart} and starts its TaskEnd event. */
  static void taskCreated(Task<?> t) {
    if (on) {
      JfrEvents.taskCreated(t);
    }
  }

  /** A task finished: emits its {@code dev.coroutine.TaskEnd} event if one was started. */
  static void taskFinished(Task<?> t) {
    if (on) {
      JfrEvents.taskFinished(t);
    }
  }

  /** Before a timed callback: an event to end after it, or null if none is wanted. */
  static Object callbackBegin() {
    return on ? JfrEvents.callbackBegin() : null;
  }

  /** After a timed callback: commits {@code event} if it ran longer than the JFR threshold. */
  static void callbackEnd(Object event, Object callback) {
    JfrEvents.callbackEnd(event, callback);
  }
}
