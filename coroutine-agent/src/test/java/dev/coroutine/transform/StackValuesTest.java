package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutines;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Values under an awaitable on the operand stack that a resume pushes again instead of saving (a
 * constant, or a local that still holds the value at the await), and those it must save (a local
 * written between its load and the await, on a normal or an exceptional path): each method resumes
 * with the values plain Java computes, whichever compiler made the class file.
 */
class StackValuesTest {
  /** The sample's methods and the arguments each runs with. */
  private static final Map<String, int[]> CASES =
      Map.of(
          "accumulators", new int[] {-4, 0, 9},
          "constants", new int[] {-1, 0, 5},
          "writtenBetween", new int[] {-7, 0, 3},
          "writtenInAHandler", new int[] {-2, 0, 4});

  /** The sample's {@code Later.v}, as a member: the in-memory compilers see only the runtime. */
  private static final String LATER =
      """
        static <T> dev.coroutine.Future<T> v(List<String> log, boolean suspend, T value) {
          dev.coroutine.Future<T> f = dev.coroutine.Coroutines.getRunningLoop().createFuture();
          if (!suspend) {
            f.setResult(value);
            return f;
          }
          dev.coroutine.Coroutines.getRunningLoop()
              .callLater(0.001, () -> { log.add("~" + value); f.setResult(value); });
          return f;
        }
      """;

  /** Compilers for Java 17 sources (the sample has a switch expression): javac and ECJ. */
  static Stream<InMemoryCompiler> compilers() {
    return InMemoryCompiler.all().stream()
        .filter(c -> Integer.parseInt(c.options().get(c.options().indexOf("--release") + 1)) >= 17);
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void everyCompilersStackValues_resumeAsPlainJava(InMemoryCompiler compiler) throws Throwable {
    String sample =
        String.join("\n", Samples.source("StackValues.java"))
            .replace("package dev.coroutine.transform.samples;", "package gen;")
            .replace("import static dev.coroutine.transform.samples.Later.v;", "");
    String source = sample.substring(0, sample.lastIndexOf('}')) + LATER + "}\n";
    MapClassLoader loader = new MapClassLoader(compiler.compile(Map.of("gen.StackValues", source)));
    Class<?> c = loader.loadClass("gen.StackValues");
    assertThat(loader.diagnostics).isEmpty();
    checkEveryCase(c);
  }

  @Test
  void samplesStackValues_resumeAsPlainJava() throws Throwable {
    checkEveryCase(Samples.load("StackValues"));
  }

  @Test
  void copiesOfKeptLocals_areNotSpilled_andWrittenLocalsAre() throws Exception {
    ClassNode cn = Samples.node(Samples.rewrittenBytes("StackValues"));
    assertThat(spills(cn, "accumulators")).as("accumulators' stack values").isZero();
    assertThat(spills(cn, "constants")).as("constants' stack values").isZero();
    // t's old value and w's (before w++) are on the stack while the locals changed: saved
    assertThat(spills(cn, "writtenBetween")).as("writtenBetween").isPositive();
    assertThat(spills(cn, "writtenInAHandler")).as("writtenInAHandler").isPositive();
  }

  private static void checkEveryCase(Class<?> c) throws Throwable {
    for (Map.Entry<String, int[]> e : CASES.entrySet()) {
      for (int n : e.getValue()) {
        Object plain = Samples.invoke(c, e.getKey() + "Plain", n);
        for (boolean s : new boolean[] {false, true}) {
          List<String> log = Samples.log();
          Object got = Coroutines.run(Samples.call(c, e.getKey(), log, s, n));
          assertThat(got).as(e.getKey() + "(" + n + ") suspending=" + s).isEqualTo(plain);
          if (!s) {
            assertThat(log).isEmpty();
          } else {
            assertThat(log).as("suspended at every await").isNotEmpty();
          }
        }
      }
    }
  }

  /**
   * Stores into the spill slots where a suspending await puts the stack values it saves: above the
   * javac method's locals, the slot the body's frame was built in and the index local after it.
   */
  private static int spills(ClassNode cn, String name) throws Exception {
    int firstSpill = -1;
    for (MethodNode m :
        Samples.node(TransformingClassLoader.read(TransformingClassLoader.SAMPLES + "StackValues"))
            .methods) {
      if (m.name.equals(name)) {
        firstSpill = m.maxLocals + 2;
      }
    }
    int n = 0;
    for (AbstractInsnNode i : body(cn, name).instructions) {
      if (i instanceof VarInsnNode
          && i.getOpcode() >= Opcodes.ISTORE
          && i.getOpcode() <= Opcodes.ASTORE
          && ((VarInsnNode) i).var >= firstSpill) {
        n++;
      }
    }
    return n;
  }

  private static MethodNode body(ClassNode cn, String name) {
    return cn.methods.stream()
        .filter(m -> m.name.equals(name) && m.desc.equals(ClassShapeTest.BODY_DESC))
        .findFirst()
        .orElseThrow();
  }
}
