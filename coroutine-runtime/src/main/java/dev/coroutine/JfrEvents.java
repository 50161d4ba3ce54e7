package dev.coroutine;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * The runtime's flight-recorder events. Only {@link Jfr} calls in here, and only once the recorder
 * is initialized ({@link JfrRecorderWatch}); see there for the cost model.
 *
 * <p>Events: {@code dev.coroutine.TaskStart} (a task was created), {@code dev.coroutine.TaskEnd}
 * (spans a task from creation to completion: its duration is the task's lifetime) and {@code
 * dev.coroutine.SlowCallback} (one callback or task step that ran longer than its threshold, 100 ms
 * unless the recording's settings say otherwise). All are enabled by default, so {@code jcmd <pid>
 * JFR.start} records them.
 */
final class JfrEvents {
  private JfrEvents() {}

  /** Shared instances used only to ask whether an event type is enabled (never committed). */
  private static final TaskStart START_PROBE = new TaskStart();

  private static final TaskEnd END_PROBE = new TaskEnd();
  private static final SlowCallback SLOW_PROBE = new SlowCallback();

  /**
   * TaskEnd events begun at creation, by task, while a recording wanted them (weak: a task that
   * never finishes does not leak).
   */
  private static final Map<Task<?>, TaskEnd> RUNNING =
      Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * Set when the first TaskEnd event is begun, so that {@link #taskFinished} skips the map while no
   * recording ever asked (plain: a stale read at worst skips the event of a task that finished as
   * the first recording started).
   */
  private static boolean anyBegun;

  /** Loads the event classes; true if usable. */
  static boolean init() {
    return START_PROBE != null && END_PROBE != null && SLOW_PROBE != null;
  }

  static boolean slowCallbackEnabled() {
    return SLOW_PROBE.isEnabled();
  }

  static void taskCreated(Task<?> t) {
    if (START_PROBE.isEnabled()) {
      TaskStart e = new TaskStart();
      if (e.shouldCommit()) {
        e.task = t.getName();
        e.commit();
      }
    }
    if (END_PROBE.isEnabled()) {
      TaskEnd e = new TaskEnd();
      e.begin();
      RUNNING.put(t, e);
      anyBegun = true;
    }
  }

  static void taskFinished(Task<?> t) {
    if (!anyBegun) {
      return;
    }
    TaskEnd e = RUNNING.remove(t);
    if (e == null) {
      return;
    }
    e.end();
    if (e.shouldCommit()) {
      e.task = t.getName();
      int s = t.state; // read directly: exception() would count as retrieving it
      e.outcome = s == Future.SUCCEEDED ? "result" : s == Future.FAILED ? "exception" : "cancelled";
      e.exception = s == Future.FAILED ? t.value.getClass().getName() : null;
      e.commit();
    }
  }

  static Object callbackBegin() {
    if (!SLOW_PROBE.isEnabled()) {
      return null;
    }
    SlowCallback e = new SlowCallback();
    e.begin();
    return e;
  }

  static void callbackEnd(Object event, Object callback) {
    SlowCallback e = (SlowCallback) event;
    e.end();
    if (e.shouldCommit()) {
      e.callback = String.valueOf(callback);
      e.commit();
    }
  }

  /** A task was created (scheduled on its loop, or started eagerly). */
  @Name("dev.coroutine.TaskStart")
  @Label("Task Start")
  @Category({"Coroutines"})
  @Description("A coroutine task was created")
  @StackTrace(false)
  static final class TaskStart extends Event {
    @Label("Task")
    String task;
  }

  /** A task finished; the event spans the task's life, from creation to completion. */
  @Name("dev.coroutine.TaskEnd")
  @Label("Task End")
  @Category({"Coroutines"})
  @Description("A coroutine task finished; the duration is its lifetime")
  @StackTrace(false)
  static final class TaskEnd extends Event {
    @Label("Task")
    String task;

    @Label("Outcome")
    @Description("result, exception or cancelled")
    String outcome;

    @Label("Exception Class")
    String exception;
  }

  /** A callback or task step that held the loop thread longer than the threshold. */
  @Name("dev.coroutine.SlowCallback")
  @Label("Slow Callback")
  @Category({"Coroutines"})
  @Description("A callback or task step that blocked the event loop longer than the threshold")
  @Threshold("100 ms")
  @StackTrace(false)
  static final class SlowCallback extends Event {
    @Label("Callback")
    String callback;
  }
}
