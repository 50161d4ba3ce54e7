package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A rewritten body past 32 KB with many locals: its jumps need {@code goto_w}, for which ASM writes
 * the class a second time and computes frames between the existing ones, allocating a frame per
 * instruction. The class writer's default limit (10 MB) refused such bodies as an "internal error"
 * (found from outside on an R8-optimized method: 24,633 instructions, 63 locals, 63 stack words);
 * the writer now has the limits of the analyses that accepted the method.
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
}
