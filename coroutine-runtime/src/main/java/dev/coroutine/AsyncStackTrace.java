package dev.coroutine;

import java.util.ArrayList;
import java.util.List;

/**
 * The async call chain of a failure, attached in debug mode as a suppressed exception.
 *
 * <p>When a suspended coroutine resumes and fails, its callers are not on the Java stack: the task
 * resumed the innermost frame directly (the trampoline, see {@link Task}), so the exception's own
 * stack trace ends in the loop's dispatch frames. In debug mode (see {@link EventLoop#setDebug})
 * the task adds to such an exception, the first time it propagates from a frame to its caller, one
 * {@code AsyncStackTrace} whose stack trace is the chain of awaiting coroutines, innermost first:
 * each line is the {@code await} where a caller is suspended (class, method, file, line). A printed
 * trace then reads:
 *
 * <pre>
 * java.lang.IllegalStateException: boom
 *     at app.Repo.load(Repo.java:42)             &lt;- the failing coroutine, resumed
 *     at dev.coroutine.Task.drive(Task.java:...)
 *     ...
 *     Suppressed: dev.coroutine.AsyncStackTrace: awaited by (task "Task-1")
 *         at app.Service.find(Service.java:17)   &lt;- the await that called Repo.load
 *         at app.Main.main(Main.java:9)
 * </pre>
 *
 * <p>It is added once per exception instance (an exception rethrown through several callers, or
 * awaited by several tasks, keeps the first chain) and only in debug mode: outside it the cost is
 * one boolean read on the failure path. The exception's own stack trace is left as it was.
 */
public final class AsyncStackTrace extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** At most this many async frames are listed; deeper chains end with an elision line. */
  static final int MAX_FRAMES = 1024;

  AsyncStackTrace(String message, StackTraceElement[] chain) {
    super(message, null, false, true);
    setStackTrace(chain);
  }

  /** Not filled from the Java stack: the stack trace is the async chain, set at construction. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  /**
   * The async stack attached to {@code t}, or null if it has none.
   *
   * @param t any throwable
   * @return its async stack, or null
   */
  public static AsyncStackTrace of(Throwable t) {
    for (Throwable s : t.getSuppressed()) {
      if (s instanceof AsyncStackTrace) {
        return (AsyncStackTrace) s;
      }
    }
    return null;
  }

  /**
   * Debug mode, failure path: {@code failure} propagates from a resumed frame to {@code caller},
   * which is suspended; attaches the chain from {@code caller} to the task's root, unless {@code
   * failure} already carries one.
   */
  static void attach(Throwable failure, AsyncFrame<?> caller, Task<?> task) {
    if (failure instanceof AsyncStackTrace || of(failure) != null) {
      return;
    }
    List<StackTraceElement> chain = new ArrayList<>();
    int skipped = 0;
    for (AsyncFrame<?> f = caller; f != null; f = f.caller()) {
      if (chain.size() == MAX_FRAMES) {
        skipped++;
        continue;
      }
      StackTraceElement e = f.location();
      if (e != null) { // null: one of the runtime's own coroutines (waitFor, gather...), skipped
        chain.add(e);
      }
    }
    if (skipped > 0) {
      chain.add(new StackTraceElement("...", skipped + " more async frames", null, -1));
    }
    if (chain.isEmpty()) {
      return;
    }
    failure.addSuppressed(
        new AsyncStackTrace(
            "awaited by (task \"" + task.getName() + "\")",
            chain.toArray(new StackTraceElement[0])));
  }
}
