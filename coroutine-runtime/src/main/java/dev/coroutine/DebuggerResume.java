package dev.coroutine;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Resuming a task the way a debugger can step through: its awaiting chain back on the Java stack.
 *
 * <p>A task normally resumes its innermost frame alone and, when that frame finishes, calls its
 * caller's body from {@link Task#drive}, one after another: the callers are not on the Java stack
 * below the frame, so a debugger's "step out" (or "step over" a return) after a resume had no frame
 * to stop in and ran the rest of the task (found from outside, with JDI and jdb). With a debugger
 * attached, {@link Task#drive} instead enters the chain from its outermost generated frame: each
 * body restores its values and, at the await it is suspended at, {@link AsyncFrame#resumed()} runs
 * the frame below it inline, as the first run did, down to the innermost, which takes the resumed
 * value. Then a frame that finishes returns into its caller's body at that await, where a step out
 * stops. What runs, and in what order, is the same either way; only the Java stack differs
 * (exceptions thrown after a resume then also show the callers).
 *
 * <p>Only bodies the transformer generated (linked by {@link StubLinker}, which keeps their tables)
 * are entered this way: each resumes at an await that checks what {@link AsyncFrame#resumed()}
 * gives for {@link AsyncFrame#SUSPEND}, where the runtime's own bodies and hand-written ones take
 * it as the value, at most {@link AsyncFrame#MAX_INLINE_DEPTH} levels (the trampoline's bound on
 * the Java stack). It costs every resume of a nested frame a walk up its chain and an array, so it
 * is on only with a debugger: when the JVM was started with a JDWP agent ({@code -agentlib:jdwp},
 * {@code -Xrunjdwp}, also through {@code JAVA_TOOL_OPTIONS}), or with {@code
 * -Dcoroutine.debugger=true}; {@code -Dcoroutine.debugger=false} turns it off. Without one, {@link
 * #ON} is a constant false and the JIT drops every use.
 */
final class DebuggerResume {
  private DebuggerResume() {}

  /** Whether tasks resume with their chain on the Java stack (a debugger is attached). */
  static final boolean ON = debuggerAttached();

  /**
   * The frame {@link Task#drive} should enter to resume {@code innermost} (suspended at an await,
   * {@code label > 0}): its outermost caller of an unbroken run of generated bodies, with the path
   * down to {@code innermost} left in {@code loop} for {@link #next}; {@code innermost} itself when
   * it has no such caller.
   */
  static AsyncFrame<?> top(LoopCore loop, AsyncFrame<?> innermost) {
    int max = AsyncFrame.MAX_INLINE_DEPTH - loop.depth;
    int n = 1;
    AsyncFrame<?> top = innermost;
    for (AsyncFrame<?> c = top.caller(); c != null && n < max; c = c.caller()) {
      if (c.label <= 0 || StubLinker.table(c.body.getClass()) == null) {
        break;
      }
      top = c;
      n++;
    }
    if (n == 1) {
      return innermost;
    }
    AsyncFrame<?>[] path = new AsyncFrame<?>[n];
    AsyncFrame<?> f = innermost;
    for (int i = n - 1; i >= 0; i--) {
      path[i] = f;
      f = f.caller();
    }
    loop.rewindPath = path;
    loop.rewindAt = 0;
    return top;
  }

  /**
   * Called by {@link AsyncFrame#resumed()} of {@code caller} while a path is being entered: runs
   * the frame below it inline, as {@link AsyncFrame#await} runs a coroutine, and returns its
   * result, or {@link AsyncFrame#SUSPEND} when it suspends again (the caller then saves its values,
   * as at the first run). The innermost frame finds the path gone and takes the resumed value
   * itself.
   */
  static Object next(LoopCore loop, AsyncFrame<?> caller) throws Throwable {
    AsyncFrame<?>[] path = loop.rewindPath;
    int i = loop.rewindAt;
    if (path[i] != caller) {
      loop.rewindPath = null;
      throw new IllegalStateException(
          "debugger resume: " + caller + " resumed where " + path[i] + " was expected");
    }
    i++;
    loop.rewindAt = i;
    if (i == path.length - 1) {
      loop.rewindPath = null;
    }
    AsyncFrame<?> child = path[i];
    // as AsyncFrame.awaitFrame runs a child; kept apart so that the await every nested call takes
    // stays as the benchmarks measured it (sharing it was not measured either way)
    loop.depth++;
    Object r;
    try {
      r = child.body.resume(child);
    } catch (Throwable e) {
      child.finish();
      throw e;
    } finally {
      loop.depth--;
    }
    if (r != AsyncFrame.SUSPEND) {
      child.finish();
    }
    return r;
  }

  private static boolean debuggerAttached() {
    String forced = System.getProperty("coroutine.debugger");
    if (forced != null && !forced.equalsIgnoreCase("auto")) {
      return Boolean.parseBoolean(forced);
    }
    if (mentionsJdwp(System.getenv("JAVA_TOOL_OPTIONS"))) {
      return true;
    }
    try (FileInputStream in = new FileInputStream("/proc/self/cmdline")) {
      return mentionsJdwp(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    } catch (IOException | SecurityException notLinux) {
      return jvmArgumentsMentionJdwp();
    }
  }

  /** Elsewhere than Linux: the JVM's arguments, if {@code java.management} is there (~10 ms). */
  private static boolean jvmArgumentsMentionJdwp() {
    try {
      return mentionsJdwp(
          String.join(
              " ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
    } catch (LinkageError | RuntimeException absent) {
      return false;
    }
  }

  private static boolean mentionsJdwp(String args) {
    return args != null
        && (args.contains("-agentlib:jdwp")
            || args.contains("-Xrunjdwp")
            || args.contains("libjdwp"));
  }
}
