package dev.coroutine;

/**
 * The gate to the runtime's Java Flight Recorder events ({@link JfrEvents}).
 *
 * <p>Invariant: no class of {@code jdk.jfr} is loaded unless {@link #AVAILABLE} is true, so the
 * runtime runs on a JDK image without the {@code jdk.jfr} module. Callers test {@link #AVAILABLE}
 * (a constant the JIT folds) before calling in; past it, each event is created only if a running
 * recording has it enabled ({@code isEnabled()} first), so nothing is allocated or timed while no
 * recording asks for it.
 */
final class Jfr {
  private Jfr() {}

  /**
   * True if the {@code jdk.jfr} module is present and the event classes loaded; false also with
   * {@code -Dcoroutine.jfr=false}.
   */
  static final boolean AVAILABLE = probe();

  private static boolean probe() {
    if ("false".equalsIgnoreCase(System.getProperty("coroutine.jfr"))) {
      return false;
    }
    try {
      if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
        return false;
      }
      return JfrEvents.init();
    } catch (Throwable t) { // LinkageError and friends: a JDK without a usable jdk.jfr
      return false;
    }
  }

  /** True if a recording has the slow-callback event enabled: callbacks must then be timed. */
  static boolean slowCallbacks() {
    return AVAILABLE && JfrEvents.slowCallbackEnabled();
  }

  /** A task was created: emits {@code dev.coroutine.TaskStart} and starts its TaskEnd event. */
  static void taskCreated(Task<?> t) {
    if (AVAILABLE) {
      JfrEvents.taskCreated(t);
    }
  }

  /** A task finished: emits its {@code dev.coroutine.TaskEnd} event if one was started. */
  static void taskFinished(Task<?> t) {
    if (AVAILABLE) {
      JfrEvents.taskFinished(t);
    }
  }

  /** Before a timed callback: an event to end after it, or null if none is wanted. */
  static Object callbackBegin() {
    return AVAILABLE ? JfrEvents.callbackBegin() : null;
  }

  /** After a timed callback: commits {@code event} if it ran longer than the JFR threshold. */
  static void callbackEnd(Object event, Object callback) {
    JfrEvents.callbackEnd(event, callback);
  }
}
