package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.io.InputStream;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * A rewritten body past 32 KB with many locals: its jumps need {@code goto_w}, for which ASM writes
 * the class a second time and computes frames between the existing ones, allocating a frame per
 * instruction. The class writer's default limit (10 MB) refused such bodies as an "internal error"
 * (found from outside on an R8-optimized method: 24,633 instructions, 63 locals, 63 stack words);
 * the writer now has the limits of the analyses that accepted the method.
 *
 * <p>And ASM's own way with long jumps fails on some layouts (see {@link LongJumps}): the
 * transformer makes far jumps wide itself.
 */
class LongJumpsTest {
  static final int LOCALS = 200;
  static final int STATEMENTS = 6_500;

  @Test
  void bodyPast32KiBWithManyLocals_isRewrittenAndComputesWhatPlainJavaDoes() throws Exception {
    Random random = new Random(20261201);
    int[] v = new int[LOCALS];
    StringBuilder src = new StringBuilder();
    src.append("package gen;\n")
        .append("import static dev.coroutine.Coroutines.*;\n")
        .append("import dev.coroutine.*;\n")
        .append("public class LongJumps {\n")
        .append("  @Async public static Coroutine<Integer> big(int seed) {\n");
    for (int i = 0; i < LOCALS; i++) {
      src.append("    int v").append(i).append(" = seed + ").append(i).append(";\n");
      v[i] = 1 + i;
    }
    for (int k = 0; k < STATEMENTS; k++) {
      if (k == STATEMENTS / 10 || k == STATEMENTS / 2 || k == STATEMENTS * 95 / 100) {
        // suspends: every local is saved and restored; the last resume point lies more than
        // 32 KB after the dispatch that jumps to it
        src.append("    await(sleep(1));\n");
      }
      int a = random.nextInt(LOCALS);
      int b = random.nextInt(LOCALS);
      src.append("    v").append(a).append(" += v").append(b).append(";\n");
      v[a] += v[b];
    }
    src.append("    return done(0");
    int expected = 0;
    for (int i = 0; i < LOCALS; i++) {
      src.append(" ^ v").append(i);
      expected ^= v[i];
    }
    src.append(");\n  }\n}\n");
    byte[] original =
        InMemoryCompiler.compile(Map.of("gen.LongJumps", src.toString()), "17")
            .get("gen.LongJumps");

    TransformResult r = Samples.TRANSFORMER.transform(original);

    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.changed()).isTrue();
    ClassVersionsTest.BytesLoader loader =
        new ClassVersionsTest.BytesLoader(Map.of("gen/LongJumps", r.bytes()));
    ClassVersionsTest.verifyInProcess(Map.of("gen/LongJumps", r.bytes()), loader);
    Coroutine<?> big =
        (Coroutine<?>)
            loader.loadClass("gen.LongJumps").getMethod("big", int.class).invoke(null, 1);
    assertThat(Coroutines.runWithVirtualTime(big)).isEqualTo(expected);
  }

  /**
   * A loop whose back edge reaches back 32,766 bytes, over a conditional jump out of the loop that
   * goes 32,870 bytes forward. ASM 9.11 alone widens the forward jump, which pushes the back edge
   * past -32,768; it marks the back edge with its internal opcode and reads its offset back as
   * unsigned, past the end of the code. The layout of the kotlinc and scalac methods below, made
   * exact here with NOPs.
   */
  @Test
  void aBackEdgePushedOutOfRangeByAnotherJumpsWidening_isWrittenWide_andRuns() throws Exception {
    assertThat(catchThrowable(() -> writeAsAsmAlone(farLoop())))
        .as("ASM writes this shape by itself now: LongJumps may no longer be needed")
        .isInstanceOf(ArrayIndexOutOfBoundsException.class);

    // as CoroutineTransformer.write: widen, compute frames, read back, widen the gotos again
    ClassNode cn = farLoop();
    cn.methods.forEach(LongJumps::widen);
    ClassWriter computing = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    cn.accept(computing);
    ClassNode withFrames = new ClassNode();
    new ClassReader(computing.toByteArray()).accept(withFrames, 0);
    withFrames.methods.forEach(LongJumps::widenAgain);
    ClassWriter out = new ClassWriter(0);
    withFrames.accept(out);
    byte[] bytes = out.toByteArray();

    TransformingClassLoader.verify(bytes);
    ClassVersionsTest.BytesLoader loader =
        new ClassVersionsTest.BytesLoader(Map.of("gen/FarLoop", bytes));
    java.lang.reflect.Method far = loader.loadClass("gen.FarLoop").getMethod("far", int.class);
    assertThat(far.invoke(null, 0)).as("the far jump forward").isEqualTo(2);
    assertThat(far.invoke(null, 3)).as("round the loop, back edge taken twice").isEqualTo(1);
  }

  /**
   * {@code static int far(int x)}: {@code top: if (x == 0) goto out; x--; NOP x 32,758; if (x != 0)
   * goto top; return 1; NOP x 100; out: return 2}.
   */
  private static ClassNode farLoop() {
    ClassNode cn = new ClassNode();
    cn.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "gen/FarLoop", null, "java/lang/Object", null);
    MethodNode m =
        new MethodNode(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "far", "(I)I", null, null);
    LabelNode top = new LabelNode();
    LabelNode out = new LabelNode();
    m.instructions.add(top);
    m.instructions.add(new VarInsnNode(Opcodes.ILOAD, 0));
    m.instructions.add(new JumpInsnNode(Opcodes.IFEQ, out));
    m.instructions.add(new IincInsnNode(0, -1));
    for (int i = 0; i < 32_758; i++) {
      m.instructions.add(new InsnNode(Opcodes.NOP));
    }
    m.instructions.add(new VarInsnNode(Opcodes.ILOAD, 0));
    m.instructions.add(new JumpInsnNode(Opcodes.IFNE, top)); // at 32,766: back 32,766 bytes
    m.instructions.add(new InsnNode(Opcodes.ICONST_1));
    m.instructions.add(new InsnNode(Opcodes.IRETURN));
    for (int i = 0; i < 100; i++) {
      m.instructions.add(new InsnNode(Opcodes.NOP));
    }
    m.instructions.add(out);
    m.instructions.add(new InsnNode(Opcodes.ICONST_2));
    m.instructions.add(new InsnNode(Opcodes.IRETURN));
    m.maxStack = 1;
    m.maxLocals = 1;
    cn.methods.add(m);
    return cn;
  }

  private static byte[] writeAsAsmAlone(ClassNode cn) {
    ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    cn.accept(w);
    return w.toByteArray();
  }

  /**
   * kotlinc's own class file (see src/test/resources/kotlinc/README.md): a method of 555 awaits
   * whose rewritten body (38 KB) has the layout above; the class was refused as an "internal error
   * while writing the class" naming another method (found from outside, as were three scalac
   * methods). The program's run against its plain twin was checked outside.
   */
  @Test
  void kotlincMethodOf555Awaits_isRewritten_andPassesTheVerifier() throws Exception {
    byte[] kotlinc;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("kotlinc/fz40/M_only_m15.class")) {
      kotlinc = in.readAllBytes();
    }
    TransformResult r = Samples.TRANSFORMER.transform(kotlinc);
    assertThat(r.diagnostics())
        .allSatisfy(d -> assertThat(d.message()).contains("swallows cancellation"));
    assertThat(r.methodsRewritten()).isEqualTo(1);
    Map<String, byte[]> classes = new java.util.HashMap<>();
    for (String helper : new String[] {"H", "P"}) {
      try (InputStream in =
          getClass().getClassLoader().getResourceAsStream("kotlinc/fz40/" + helper + ".class")) {
        classes.put("fz40/" + helper, in.readAllBytes());
      }
    }
    classes.put("fz40/M", r.bytes());
    ClassVersionsTest.BytesLoader loader = new ClassVersionsTest.BytesLoader(classes);
    ClassVersionsTest.verifyInProcess(Map.of("fz40/M", r.bytes()), loader);
    assertThat(loader.loadClass("fz40.M").getMethods()).isNotEmpty(); // loads: the JVM verified it
  }
}
