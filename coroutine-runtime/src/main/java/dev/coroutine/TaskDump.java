package dev.coroutine;

import dev.coroutine.internal.Steps;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@link EventLoop#dumpTasks()}: one block per pending task, its name and state on the
 * first line, then its async stack, innermost frame first, one {@code at class.method(File:line)}
 * line per {@code @Async} frame (the await where it is suspended, see {@link
 * AsyncFrame#location()}), as in a Java thread dump.
 *
 * <p>Invariant: {@link #render} reads task state that belongs to the loop thread; it runs on that
 * thread, or on another with {@code racy} set when the loop did not answer (then it tolerates
 * whatever it sees and says so in the header).
 */
final class TaskDump {
  private TaskDump() {}

  /** At most this many frames are printed per task; deeper stacks end with an elision line. */
  private static final int MAX_FRAMES = 256;

  static String render(
      EventLoop loop, List<Task<?>> tasks, int ready, int timers, String header, boolean racy) {
    StringBuilder b = new StringBuilder(256 + 128 * tasks.size());
    long now = loop.now();
    b.append(header)
        .append(String.format(Locale.ROOT, " at loop time %.3f s", now / 1e9))
        .append(loop.isVirtualTime() ? " (virtual)" : "")
        .append(": ")
        .append(tasks.size())
        .append(tasks.size() == 1 ? " pending task, " : " pending tasks, ")
        .append(ready)
        .append(ready == 1 ? " ready callback, " : " ready callbacks, ")
        .append(timers)
        .append(timers == 1 ? " timer" : " timers")
        .append(racy ? " [unsynchronized snapshot: the loop did not answer]" : "")
        .append('\n');
    int nowMillis = (int) (now / 1_000_000L);
    Map<Task<?>, Long> sleeping;
    try {
      sleeping = loop.timers.sleeperDeadlines(racy); // one walk, not one per task
    } catch (RuntimeException e) {
      if (!racy) {
        throw e;
      }
      sleeping = Collections.emptyMap();
    }
    for (Task<?> t : tasks) {
      try {
        task(b, loop, t, now, nowMillis, sleeping);
      } catch (RuntimeException e) {
        if (!racy) {
          throw e;
        }
        b.append("\t(changed while being read: ").append(e).append(")\n");
      }
    }
    return b.toString();
  }

  private static void task(
      StringBuilder b,
      EventLoop loop,
      Task<?> t,
      long now,
      int nowMillis,
      Map<Task<?>, Long> sleeping) {
    b.append('\n').append('"').append(t.getName()).append("\" ");
    boolean running = loop.currentTask == t;
    b.append(running ? "running" : state(t, now, sleeping));
    Object w = t.waitingOn;
    if (!running && w != Sleep.SLEEPING && !(w instanceof Sleep)) {
      // a sleep shows when it ends instead (and one of the timers' Sleepers keeps its gap from
      // the one before in suspendedAt)
      int waited =
          t.current == null
              ? 0
              : nowMillis - t.suspendedAt; // wrap-around safe for waits under 24 days
      b.append(String.format(Locale.ROOT, ", for %.3f s", Math.max(0, waited) / 1e3));
    }
    if (t.cancelRequests > 0) {
      b.append(", cancelling");
    }
    b.append('\n');
    int n = 0;
    for (AsyncFrame<?> f = t.current; f != null; f = f.caller()) {
      if (n++ == MAX_FRAMES) {
        int more = 0;
        for (; f != null; f = f.caller()) {
          more++;
        }
        b.append("\t... ").append(more).append(" more\n");
        break;
      }
      b.append("\tat ").append(frame(f)).append('\n');
    }
    StackTraceElement[] site = Debug.siteOf(t);
    if (site != null && site.length > 0) {
      b.append("\tcreated at:");
      for (StackTraceElement e : site) {
        b.append("\n\t\t").append(e);
      }
      b.append('\n');
    }
  }

  /**
   * What {@code t} is doing, as in "sleeping until 3.000 s (1.250 s left)"; {@code sleeping}: the
   * deadlines of the timers' {@link Sleepers}.
   */
  static String state(Task<?> t, long now, Map<Task<?>, Long> sleeping) {
    Object w = t.waitingOn;
    AsyncFrame<?> f = t.current;
    if (w == null) {
      return f != null && f.label == 0 && f.caller() == null ? "scheduled (not started)" : "ready";
    }
    if (w == Sleep.SLEEPING || w instanceof Sleep) {
      long when =
          w == Sleep.SLEEPING
              ? sleeping.getOrDefault(t, -1L)
              : ((Sleep) w).isScheduled() ? ((Sleep) w).when : -1;
      if (when < 0) {
        return "ready (sleep over)";
      }
      if (when == Deadlines.NEVER) {
        return "sleeping forever"; // as its timer's when(): +Infinity, never due
      }
      return String.format(
          Locale.ROOT,
          "sleeping until %.3f s (%.3f s left)",
          when / 1e9,
          Math.max(0, when - now) / 1e9);
    }
    if (w instanceof Future) {
      Future<?> fu = (Future<?>) w;
      return fu.isDone() ? "ready (woken by " + fu + ")" : "waiting on " + fu;
    }
    if (w instanceof Parking) {
      return "waiting in " + w;
    }
    if (w == AsyncFrame.YIELD) {
      return "ready (yielded)";
    }
    if (w == AsyncFrame.TRAMPOLINE) {
      return "ready (deep call)";
    }
    if (w instanceof Task.SkipHop) {
      return "ready (woken by " + w + ")";
    }
    return "waiting on " + w;
  }

  /** One frame: its {@link AsyncFrame#location()}, or a name for the runtime's own coroutines. */
  static String frame(AsyncFrame<?> f) {
    StackTraceElement e = f.location();
    if (e != null) {
      return e.toString();
    }
    if (f.label == AsyncFrame.DONE) {
      return "(finished coroutine)";
    }
    // a Steps body is shared by every hand-written coroutine: name the class its steps belong to
    Object owner = f.ref0 instanceof Steps ? f.ref0 : f.body;
    return owner.getClass().getNestHost().getName() + " (runtime coroutine)";
  }
}
