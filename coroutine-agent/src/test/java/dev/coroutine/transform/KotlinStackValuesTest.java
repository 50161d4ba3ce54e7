package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values kotlinc leaves on the operand stack under an await (receivers of call chains, partial
 * sums, array stores being built, constants, copies of locals that the same statement then writes):
 * the rewritten {@code @Async} function, whether each awaited child finishes at once or suspends,
 * must compute what the same Kotlin code computes as a plain function (the oracle: kotlinc's own
 * compilation of the plain twin, not our reading of it).
 */
class KotlinStackValuesTest {
  static final String SOURCE =
      "package ktstack\n"
          + "import dev.coroutine.*\n"
          + "import dev.coroutine.Coroutines.*\n"
          + "object Stack {\n"
          + "  @JvmField var suspendEach = false\n"
          + "  @JvmStatic @Async fun v(x: Int): Coroutine<Int> {\n"
          + "    if (suspendEach) await(sleep(0))\n"
          + "    return done(x)\n"
          + "  }\n"
          + "  @JvmStatic fun p(x: Int): Int = x\n"
          + "  @JvmStatic @Async fun shapes(n: Int, name: String): Coroutine<String> {\n"
          + "    var total = 0L\n"
          + "    var k = 3\n"
          + "    var d = 0.5\n"
          + "    val sb = StringBuilder()\n"
          + "    for (i in 0 until n) {\n"
          + "      total += await(v(i)) * 2 + k\n"
          + "      sb.append(name).append(':').append(await(v(i + 1))).append(',')\n"
          + "      k = k + await(v(k)) - (if (i % 2 == 0) await(v(1)) else 0)\n"
          + "      val arr = intArrayOf(1, await(v(i)), 3, await(v(7)))\n"
          + "      total += arr.sum() + Math.max(k.toLong(), await(v(i * 5)).toLong())\n"
          + "      d = d * 1.5 + await(v(i)) - (k % 7)\n"
          + "      total = 100L - (total + await(v(i)) % 1000L)\n"
          + "      total += k++ + await(v(k)) * 3 + --k\n"
          + "    }\n"
          + "    return done(\"$total/$k/$d/$sb\")\n"
          + "  }\n"
          + "  @JvmStatic fun plain(n: Int, name: String): String {\n"
          + "    var total = 0L\n"
          + "    var k = 3\n"
          + "    var d = 0.5\n"
          + "    val sb = StringBuilder()\n"
          + "    for (i in 0 until n) {\n"
          + "      total += p(i) * 2 + k\n"
          + "      sb.append(name).append(':').append(p(i + 1)).append(',')\n"
          + "      k = k + p(k) - (if (i % 2 == 0) p(1) else 0)\n"
          + "      val arr = intArrayOf(1, p(i), 3, p(7))\n"
          + "      total += arr.sum() + Math.max(k.toLong(), p(i * 5).toLong())\n"
          + "      d = d * 1.5 + p(i) - (k % 7)\n"
          + "      total = 100L - (total + p(i) % 1000L)\n"
          + "      total += k++ + p(k) * 3 + --k\n"
          + "    }\n"
          + "    return \"$total/$k/$d/$sb\"\n"
          + "  }\n"
          + "  @JvmStatic fun rewritten(n: Int, name: String, suspend: Boolean): String {\n"
          + "    suspendEach = suspend\n"
          + "    return Coroutines.run(shapes(n, name))\n"
          + "  }\n"
          + "}\n";

  static Map<String, byte[]> kotlin;

  @BeforeAll
  static void compileKotlin() {
    kotlin = KotlinCompiler.compile(Map.of("Stack.kt", SOURCE));
  }

  @ParameterizedTest(name = "children suspend: {0}")
  @ValueSource(booleans = {false, true})
  void kotlinStackValuesUnderAwaits_computeWhatThePlainTwinComputes(boolean suspend)
      throws Exception {
    MapClassLoader loader = new MapClassLoader(kotlin);
    Class<?> stack = loader.loadClass("ktstack.Stack");
    Method plain = stack.getMethod("plain", int.class, String.class);
    Method rewritten = stack.getMethod("rewritten", int.class, String.class, boolean.class);
    for (int n : new int[] {0, 1, 2, 7}) {
      Object expected = plain.invoke(null, n, "x");
      assertThat(rewritten.invoke(null, n, "x", suspend)).as("n = %d", n).isEqualTo(expected);
    }
    assertThat(loader.diagnostics).isEmpty();
    assertThat(Samples.TRANSFORMER.transform(kotlin.get("ktstack.Stack")).methodsRewritten())
        .isEqualTo(2);
  }
}
