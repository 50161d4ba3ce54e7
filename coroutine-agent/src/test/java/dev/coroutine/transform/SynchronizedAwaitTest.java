package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutines;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * An await where a monitor is held is refused whatever the bytecode around it looks like: javac's
 * catch-all ranges split by {@code return}, {@code break} and {@code continue}, nested blocks,
 * awaits in a handler inside the block, a hand-written {@code monitorenter} followed by a {@code
 * nop} before its range, a monitor without any handler, and the same sources compiled by ECJ; and
 * an await where no monitor is held (after the block, in a {@code catch} around it) is rewritten
 * and runs.
 */
class SynchronizedAwaitTest {
  private static final String SOURCE =
      "package gen;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "public class Held {\n"
          + "  final Object lock = new Object();\n"
          + "  final Object other = new Object();\n"
          + "  int x;\n"
          + "  @Async Coroutine<Integer> afterReturn(boolean b) {\n"
          + "    synchronized (lock) {\n"
          + "      if (b) return done(1);\n"
          + "      await(sleep(1)); // AWAIT afterReturn\n"
          + "    }\n"
          + "    return done(0);\n"
          + "  }\n"
          + "  @Async Coroutine<Integer> afterBreak() {\n"
          + "    for (int i = 0; i < 3; i++) {\n"
          + "      synchronized (lock) {\n"
          + "        if (i == 2) break;\n"
          + "        await(sleep(1)); // AWAIT afterBreak\n"
          + "      }\n"
          + "    }\n"
          + "    return done(0);\n"
          + "  }\n"
          + "  @Async Coroutine<Integer> afterContinue() {\n"
          + "    for (int i = 0; i < 3; i++) {\n"
          + "      synchronized (lock) {\n"
          + "        if (i == 1) continue;\n"
          + "        x++;\n"
          + "        await(sleep(1)); // AWAIT afterContinue\n"
          + "      }\n"
          + "    }\n"
          + "    return done(0);\n"
          + "  }\n"
          + "  @Async Coroutine<Integer> afterNestedBlock() {\n"
          + "    synchronized (lock) {\n"
          + "      synchronized (other) {\n"
          + "        x++;\n"
          + "      }\n"
          + "      await(sleep(1)); // AWAIT afterNestedBlock\n"
          + "    }\n"
          + "    return done(0);\n"
          + "  }\n"
          + "  @Async Coroutine<Integer> inCatchInside() {\n"
          + "    synchronized (lock) {\n"
          + "      try {\n"
          + "        x = 10 / x;\n"
          + "      } catch (ArithmeticException e) {\n"
          + "        await(sleep(1)); // AWAIT inCatchInside\n"
          + "      }\n"
          + "    }\n"
          + "    return done(0);\n"
          + "  }\n"
          + "  @Async Coroutine<Integer> inSwitchAfterReturn(int k) {\n"
          + "    synchronized (lock) {\n"
          + "      switch (k) {\n"
          + "        case 0: return done(0);\n"
          + "        case 1: x++; break;\n"
          + "        default: await(sleep(1)); // AWAIT inSwitchAfterReturn\n"
          + "      }\n"
          + "    }\n"
          + "    return done(0);\n"
          + "  }\n"
          + "}\n";

  private static final String ACCEPTED =
      "package gen;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "public class Released {\n"
          + "  final Object lock = new Object();\n"
          + "  int x;\n"
          + "  @Async public Coroutine<Integer> afterBlock() {\n"
          + "    synchronized (lock) { x++; }\n"
          + "    await(sleep(1));\n"
          + "    return done(x);\n"
          + "  }\n"
          + "  @Async public Coroutine<Integer> inCatchAroundBlock() {\n"
          + "    try {\n"
          + "      synchronized (lock) { x = 10 / x; }\n"
          + "    } catch (ArithmeticException e) {\n"
          + "      await(sleep(1));\n"
          + "      x = 7;\n"
          + "    }\n"
          + "    return done(x);\n"
          + "  }\n"
          + "  @Async public Coroutine<Integer> inLoopAfterBlockWithBreak() {\n"
          + "    int n = 0;\n"
          + "    for (int i = 0; i < 5; i++) {\n"
          + "      synchronized (lock) {\n"
          + "        if (i == 3) break;\n"
          + "        n++;\n"
          + "      }\n"
          + "      await(sleep(0));\n"
          + "    }\n"
          + "    return done(n);\n"
          + "  }\n"
          + "}\n";

  /** Class name to class file, from javac or from ECJ. */
  private static Map<String, byte[]> compile(String compiler, String name, String source) {
    return compiler.equals("ecj")
        ? InMemoryCompiler.compileWithEcj(Map.of(name, source), "17")
        : InMemoryCompiler.compile(Map.of(name, source), "17");
  }

  @ParameterizedTest
  @ValueSource(strings = {"javac", "ecj"})
  void awaitInsideSynchronizedBlocks_ofEveryShape_isRefusedAtItsLine(String compiler) {
    byte[] held = compile(compiler, "gen.Held", SOURCE).get("gen.Held");
    TransformResult r = Samples.TRANSFORMER.transform(held);
    assertThat(r.changed()).isFalse();
    List<String> methods =
        List.of(
            "afterReturn",
            "afterBreak",
            "afterContinue",
            "afterNestedBlock",
            "inCatchInside",
            "inSwitchAfterReturn");
    assertThat(r.diagnostics().stream().map(Diagnostic::methodName).collect(Collectors.toList()))
        .containsExactlyInAnyOrderElementsOf(methods);
    for (Diagnostic d : r.diagnostics()) {
      assertThat(d.className()).isEqualTo("gen.Held");
      assertThat(d.sourceFile()).isEqualTo("Held.java");
      assertThat(d.line()).as(d.methodName()).isEqualTo(lineOf("AWAIT " + d.methodName()));
      assertThat(d.message()).contains("synchronized");
      assertThat(d.format()).startsWith("Held.java:" + d.line() + ": ");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"javac", "ecj"})
  void awaitWhereNoMonitorIsHeld_nextToSynchronizedBlocks_isRewrittenAndRuns(String compiler)
      throws Throwable {
    MapClassLoader loader = new MapClassLoader(compile(compiler, "gen.Released", ACCEPTED));
    Class<?> c = loader.loadClass("gen.Released");
    assertThat(loader.diagnostics).isEmpty();
    assertThat(Coroutines.run(Samples.call(c, "afterBlock", c.getConstructor().newInstance())))
        .isEqualTo(1);
    assertThat(
            Coroutines.run(Samples.call(c, "inCatchAroundBlock", c.getConstructor().newInstance())))
        .isEqualTo(7);
    assertThat(
            Coroutines.run(
                Samples.call(c, "inLoopAfterBlockWithBreak", c.getConstructor().newInstance())))
        .isEqualTo(3);
  }

  @Test
  void handWrittenMonitorEnter_followedByNopBeforeItsRange_isRefused() {
    Diagnostic d = refuseHandWritten(true, true);
    assertThat(d.format()).isEqualTo("Hand.java:21: " + d.message() + " (in gen.Hand.locked)");
  }

  @Test
  void handWrittenMonitor_withoutAnyHandler_isRefused() {
    Diagnostic d = refuseHandWritten(false, false);
    assertThat(d.line()).isEqualTo(21);
  }

  @Test
  void handWrittenMonitor_releasedBeforeTheAwait_isRewritten() {
    byte[] b = handWritten(true, true, true);
    TransformResult r = Samples.TRANSFORMER.transform(b);
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.changed()).isTrue();
    TransformingClassLoader.verify(r.bytes());
  }

  @Test
  void monitorDepth_countsNestedMonitors_andStopsAtTheFirstCatchAll() {
    byte[] held = InMemoryCompiler.compile(Map.of("gen.Held", SOURCE), "17").get("gen.Held");
    org.objectweb.asm.tree.ClassNode cn = new org.objectweb.asm.tree.ClassNode();
    new org.objectweb.asm.ClassReader(held).accept(cn, 0);
    org.objectweb.asm.tree.MethodNode m =
        cn.methods.stream().filter(x -> x.name.equals("afterNestedBlock")).findFirst().get();
    int[] depth = MonitorDepth.of(m);
    int max = 0;
    for (int i = 0; i < depth.length; i++) {
      max = Math.max(max, depth[i]);
      if (m.instructions.get(i).getOpcode() >= Opcodes.IRETURN
          && m.instructions.get(i).getOpcode() <= Opcodes.RETURN) {
        assertThat(depth[i]).as("no monitor held at a return").isZero();
      }
    }
    assertThat(max).isEqualTo(2);
  }

  private static Diagnostic refuseHandWritten(boolean nop, boolean handler) {
    TransformResult r = Samples.TRANSFORMER.transform(handWritten(nop, handler, false));
    assertThat(r.changed()).isFalse();
    assertThat(r.diagnostics()).hasSize(1);
    Diagnostic d = r.diagnostics().get(0);
    assertThat(d.className()).isEqualTo("gen.Hand");
    assertThat(d.methodName()).isEqualTo("locked");
    assertThat(d.sourceFile()).isEqualTo("Hand.java");
    assertThat(d.message()).contains("synchronized");
    return d;
  }

  /**
   * {@code @Async static Coroutine locked(Object lock)}: monitorenter on line 20, (a nop,) the
   * await on line 21 inside (a catch-all range that starts after the nop), monitorexit; or with
   * {@code exitFirst} the monitorexit before the await.
   */
  private static byte[] handWritten(boolean nop, boolean handler, boolean exitFirst) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        "gen/Hand",
        null,
        "java/lang/Object",
        null);
    cw.visitSource("Hand.java", null);
    MethodVisitor mv =
        cw.visitMethod(
            Opcodes.ACC_STATIC,
            "locked",
            "(Ljava/lang/Object;)Ldev/coroutine/Coroutine;",
            null,
            null);
    mv.visitAnnotation("Ldev/coroutine/Async;", false).visitEnd();
    mv.visitCode();
    Label enter = new Label();
    Label start = new Label();
    Label end = new Label();
    Label catchAll = new Label();
    Label done = new Label();
    Label awaitLine = new Label();
    if (handler) {
      mv.visitTryCatchBlock(start, end, catchAll, null);
    }
    mv.visitLabel(enter);
    mv.visitLineNumber(20, enter);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitInsn(Opcodes.MONITORENTER);
    if (nop) {
      mv.visitInsn(Opcodes.NOP);
    }
    mv.visitLabel(start);
    if (exitFirst) {
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitInsn(Opcodes.MONITOREXIT);
    }
    mv.visitLabel(awaitLine);
    mv.visitLineNumber(21, awaitLine);
    mv.visitLdcInsn(1L);
    AsmCalls.sleep(mv);
    AsmCalls.await(mv);
    mv.visitInsn(Opcodes.POP);
    if (!exitFirst) {
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitInsn(Opcodes.MONITOREXIT);
    }
    mv.visitLabel(end);
    mv.visitJumpInsn(Opcodes.GOTO, done);
    mv.visitLabel(catchAll);
    if (exitFirst) {
      mv.visitInsn(Opcodes.ATHROW); // the monitor was already released
    } else {
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitInsn(Opcodes.MONITOREXIT);
      mv.visitInsn(Opcodes.ATHROW);
    }
    mv.visitLabel(done);
    mv.visitMethodInsn(
        Opcodes.INVOKESTATIC,
        "dev/coroutine/Coroutines",
        "done",
        "()Ldev/coroutine/Coroutine;",
        false);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static int lineOf(String marker) {
    String[] lines = SOURCE.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains("// " + marker)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line with " + marker);
  }
}
