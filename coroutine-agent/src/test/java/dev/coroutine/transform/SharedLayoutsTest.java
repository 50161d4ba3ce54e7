package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Awaits with the same saved layout share one save block and one restore block in the rewritten
 * body (so code grows by a few bytes per await, not by the size of the saved state): each still
 * resumes with its own values, at its own place, inside its own try ranges; and a method of 400
 * awaits with a dozen live locals is rewritten, verifies, and computes what plain Java computes.
 */
class SharedLayoutsTest {
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void sameLayoutInLoopAndStraightCode_resumesWithItsOwnValues(boolean s) throws Throwable {
    Class<?> c = Samples.load("SharedLayouts");
    for (int n : new int[] {-30, 1, 4, 19}) {
      List<String> log = Samples.log();
      Object plain = Samples.invoke(c, "loopAndStraightPlain", n);
      assertThat(Samples.run(c, "loopAndStraight", log, s, n)).as("n=" + n).isEqualTo(plain);
      assertThat(log).as("suspended at every await").hasSize(s ? 9 : 0);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void sameLayoutInTryBlocksAndHandlers_resumesInsideTheRightTryRanges(boolean s) throws Throwable {
    Class<?> c = Samples.load("SharedLayouts");
    for (int n : new int[] {-2, 0, 7}) {
      List<String> log = Samples.log();
      Object plain = Samples.invoke(c, "tryAndHandlersPlain", n);
      assertThat(Samples.run(c, "tryAndHandlers", log, s, n)).as("n=" + n).isEqualTo(plain);
      assertThat(log).isEqualTo(Samples.expect(s, "~1", "~!", "~2", "~!", "~3", "~4", "~5"));
    }
  }

  @Test
  void awaitsWhoseLocalsNest_shareOneGroup() {
    ClassNode cn = Samples.node(Samples.rewrittenBytes("SharedLayouts"));
    // one save block per group, the only code returning SUSPEND. 6 awaits, 3 local sets (before
    // and after the loop; in the loop, k live too; in the if arms, log and s dead): one group
    assertThat(saveBlocks(body(cn, "loopAndStraight"))).isEqualTo(1);
    // 8 awaits in tries, handlers and a finally (whose exceptional copy keeps the exception
    // live): one group, the others null the exception's slot before saving
    assertThat(saveBlocks(body(cn, "tryAndHandlers"))).isEqualTo(1);
  }

  @Test
  void slotReusedWithAnotherType_getsItsOwnGroupAndResumesWithItsValues() throws Throwable {
    ClassNode cn = Samples.node(Samples.rewrittenBytes("SharedLayouts"));
    MethodNode body = body(cn, "slotReusedWithAnotherType");
    assertThat(saveBlocks(body)).as("two groups").isEqualTo(2);
    Class<?> c = Samples.load("SharedLayouts");
    for (boolean s : new boolean[] {false, true}) {
      for (int n : new int[] {-3, 0, 11}) {
        List<String> log = Samples.log();
        Object plain = Samples.invoke(c, "slotReusedWithAnotherTypePlain", n);
        assertThat(Samples.run(c, "slotReusedWithAnotherType", log, s, n))
            .as("n=" + n + " suspending=" + s)
            .isEqualTo(plain);
        assertThat(log).hasSize(s ? 2 : 0);
      }
    }
  }

  @Test
  void twelveGroups_eachResumesInItsOwn_andReportsItsLine() throws Throwable {
    Class<?> c = Samples.load("SharedLayouts");
    MethodNode body = body(Samples.node(Samples.rewrittenBytes("SharedLayouts")), "twelveGroups");
    assertThat(saveBlocks(body)).as("one group per type").isEqualTo(12);
    Method m = c.getMethod("twelveGroups", List.class, int.class);
    try (EventLoop loop = new EventLoop()) {
      List<Future<String>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 12; i++) {
        futures.add(loop.createFuture());
      }
      AsyncFrame<?> frame = (AsyncFrame<?>) m.invoke(null, futures, 5);
      @SuppressWarnings("unchecked")
      Task<String> task = loop.createTask((Coroutine<String>) frame);
      for (int i = 0; i < 12; i++) {
        loop.callSoon(loop::stop);
        loop.runForever(); // the task runs up to await number i and suspends there
        assertThat(frame.location().getLineNumber())
            .as("await " + i)
            .isEqualTo(Samples.line("SharedLayouts.java", "group" + i));
        futures.get(i).setResult("v" + i);
      }
      assertThat(loop.runUntilComplete(task)).isEqualTo(Samples.invoke(c, "twelveGroupsPlain", 5));
    }
  }

  @Test
  void suspendedInOneLayout_eachAwaitReportsItsOwnLine() throws Exception {
    Class<?> c = Samples.load("SharedLayouts");
    MethodNode body =
        body(Samples.node(Samples.rewrittenBytes("SharedLayouts")), "oneLayoutThreeLines");
    assertThat(saveBlocks(body)).as("one layout").isEqualTo(1);
    Method m = c.getMethod("oneLayoutThreeLines", Future.class, Future.class, Future.class);
    try (EventLoop loop = new EventLoop()) {
      List<Future<String>> futures =
          List.of(loop.createFuture(), loop.createFuture(), loop.createFuture());
      AsyncFrame<?> frame =
          (AsyncFrame<?>) m.invoke(null, futures.get(0), futures.get(1), futures.get(2));
      @SuppressWarnings("unchecked")
      Task<String> task = loop.createTask((Coroutine<String>) frame);
      String[] markers = {"first", "second", "third"};
      for (int i = 0; i < 3; i++) {
        loop.callSoon(loop::stop);
        loop.runForever(); // the task runs up to await number i and suspends there
        assertThat(frame.location().getLineNumber())
            .as(markers[i])
            .isEqualTo(Samples.line("SharedLayouts.java", markers[i]));
        futures.get(i).setResult("v" + i);
      }
      assertThat(loop.runUntilComplete(task)).isEqualTo("v0v1v2:true");
    }
  }

  @Test
  void fourHundredAwaits_manyLiveLocals_rewrittenVerifiedAndRunAsPlainJava() throws Throwable {
    String pkg = "many";
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put(pkg + ".V", MethodGenerator.helperSource(pkg));
    sources.put(pkg + ".Many", LongMethod.source(pkg, "Many", 400));
    Map<String, byte[]> classes = InMemoryCompiler.compile(sources, "17");
    MapClassLoader loader = new MapClassLoader(classes); // CheckClassAdapter on every rewrite
    Class<?> c = loader.loadClass(pkg + ".Many");
    assertThat(loader.diagnostics).isEmpty();
    Method plain = c.getMethod("plain", int.class, String.class, List.class);
    Method async = c.getMethod("async", int.class, String.class, List.class);
    for (int n : new int[] {0, 3, 10}) {
      List<String> plainOut = new ArrayList<>();
      Object expected = plain.invoke(null, n, "p" + n, plainOut);
      List<String> asyncOut = new ArrayList<>();
      Coroutine<?> co = (Coroutine<?>) async.invoke(null, n, "p" + n, asyncOut);
      assertThat(Coroutines.run(co)).as("n=" + n).isEqualTo(expected);
      assertThat(asyncOut).as("n=" + n).isEqualTo(plainOut);
    }
  }

  private static MethodNode body(ClassNode cn, String name) {
    return cn.methods.stream()
        .filter(m -> m.name.equals(name) && m.desc.equals(ClassShapeTest.BODY_DESC))
        .findFirst()
        .orElseThrow();
  }

  /**
   * The group save blocks of a body: each ends in {@code areturn} of the {@code SUSPEND} marker,
   * read from its field or returned by the {@code AsyncFrame.Save.refs} call.
   */
  private static int saveBlocks(MethodNode m) {
    int n = 0;
    for (AbstractInsnNode i : m.instructions) {
      boolean marker =
          i.getOpcode() == Opcodes.GETSTATIC && ((FieldInsnNode) i).name.equals("SUSPEND")
              || i.getOpcode() == Opcodes.INVOKESTATIC
                  && ((MethodInsnNode) i).owner.equals("dev/coroutine/AsyncFrame$Save")
                  && ((MethodInsnNode) i).name.equals("refs");
      if (marker && i.getNext().getOpcode() == Opcodes.ARETURN) {
        n++;
      }
    }
    return n;
  }

  /**
   * One long method in two renderings of the same program: {@code async} (an {@code @Async} method
   * awaiting helper coroutines of {@link MethodGenerator#helperSource} that finish now, after a
   * yield or after a loop trip, and sometimes throw) and {@code plain} (the values computed
   * directly). Ten locals of every kind live across the awaits, which sit in straight code, if and
   * switch arms, loop bodies and updates, try blocks, handlers, finally blocks and in the middle of
   * expressions.
   */
  static final class LongMethod {
    /** True while rendering the async version. */
    private final boolean async;

    /** The next await's helper mode: finished, yield, loop trip, done future (in turn). */
    private int mode;

    private LongMethod(boolean async) {
      this.async = async;
    }

    static String source(String pkg, String name, int awaits) {
      return "package "
          + pkg
          + ";\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "import java.util.*;\n"
          + "public class "
          + name
          + " {\n"
          + new LongMethod(true).method(awaits)
          + new LongMethod(false).method(awaits)
          + "}\n";
    }

    private String method(int awaits) {
      StringBuilder sb = new StringBuilder();
      sb.append(
          async ? "  @Async public static Coroutine<Long> async(" : "  public static long plain(");
      sb.append(
          "int n, String name, List<String> out) {\n"
              + "    long total = n;\n"
              + "    int count = n + 1;\n"
              + "    double ratio = 0.5;\n"
              + "    float f = 1.5f;\n"
              + "    boolean flag = false;\n"
              + "    char ch = 'a';\n"
              + "    String label = name;\n"
              + "    StringBuilder sb = new StringBuilder();\n"
              + "    int[] hist = new int[4];\n"
              + "    List<String> seen = new ArrayList<>();\n");
      int left = awaits;
      for (int j = 0; left > 0; j++) {
        int t = j % 9;
        if (AWAITS[t] > left) {
          t = 0;
        }
        sb.append(statement(t, j));
        left -= AWAITS[t];
      }
      sb.append(
          "    out.add(sb.toString());\n"
              + "    out.addAll(seen);\n"
              + "    long h = total * 31 + count + Double.doubleToLongBits(ratio)"
              + " + Float.floatToIntBits(f) + (flag ? 1 : 0) + ch + label.hashCode() + V.hash(hist);\n"
              + (async ? "    return done(h);\n" : "    return h;\n")
              + "  }\n");
      return sb.toString();
    }

    /** Awaits in each statement template. */
    private static final int[] AWAITS = {1, 2, 1, 2, 1, 2, 2, 1, 3};

    private String statement(int t, int j) {
      switch (t) {
        case 0:
          return "    total += " + aw("l", "count * 3L + " + j) + ";\n";
        case 1:
          return "    if ((count & 1) == 0) { label = "
              + aw("s", "label.substring(0, 1) + " + j)
              + "; } else { ratio += "
              + aw("d", "count * 0.25")
              + "; }\n";
        case 2:
          return "    for (int k = 0; k < 3; k++) { count += "
              + aw("i", "k + " + j)
              + "; hist[k & 3] += count; }\n";
        case 3:
          return "    try { "
              + check("count % 4 == 0", "e" + j)
              + " total++; }"
              + " catch (IllegalStateException e) { seen.add(e.getMessage()); count -= "
              + aw("i", "" + j)
              + "; }\n";
        case 4:
          return "    sb.append(label).append(':').append(" + aw("s", "name + " + j) + ");\n";
        case 5:
          return "    try { flag = "
              + aw("b", "(count & 2) == 0")
              + "; } finally { f += "
              + aw("f", "0.5f")
              + "; }\n";
        case 6:
          return "    switch (count % 3) { case 0: hist[0] += "
              + aw("i", "" + j)
              + "; break;"
              + " case 1: label = label + "
              + aw("c", "(char) ('a' + " + j % 26 + ")")
              + "; break;"
              + " default: ratio *= 0.5; }\n";
        case 7:
          return "    for (int w = 0; w < 2; w += "
              + aw("i", "1")
              + ") { ch = (char) ('a' + (ch + 1 - 'a') % 26); }\n";
        default:
          return "    try { try { "
              + check("count % 2 == 0", "n" + j)
              + " }"
              + " catch (IllegalStateException e) { label = "
              + aw("s", "e.getMessage()")
              + "; throw new IllegalArgumentException(label); } }"
              + " catch (IllegalArgumentException e2) { seen.add("
              + aw("s", "e2.getMessage()")
              + "); }\n";
      }
    }

    private String aw(String helper, String expr) {
      int m = mode++ % 4;
      return async ? "await(V." + helper + "(" + expr + ", " + m + "))" : "(" + expr + ")";
    }

    private String check(String cond, String message) {
      int m = mode++ % 4;
      String msg = "\"" + message + "\"";
      return async
          ? "await(V.check(" + cond + ", " + msg + ", " + m + "));"
          : "V.checkPlain(" + cond + ", " + msg + ");";
    }
  }
}
