package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged class files, made from real ones by cutting them at every length and by changing bytes at
 * every offset: the pre-filter never throws, the transformer throws nothing but {@link
 * MalformedClassFileException}, and whatever it does rewrite, the JVM accepts exactly when it
 * accepts the damaged original (nothing corrupt is "repaired" into a class that loads, nothing
 * loadable is made unloadable). {@code -Dcoroutine.fuzz.values=N} tries N values per offset instead
 * of 2.
 */
class CorruptClassFilesTest {
  /** Values tried per byte offset. */
  private static final int VALUES = Integer.getInteger("coroutine.fuzz.values", 2);

  private static final String SOURCE =
      "package gen;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "public class Fuzzed {\n"
          + "  static int plain(int a) { return a * 3; }\n"
          + "  @Async public static Coroutine<String> run(int n, String s) {\n"
          + "    long total = 0;\n"
          + "    for (int i = 0; i < n; i++) {\n"
          + "      total += await(sleep(0)) == null ? i : 0;\n"
          + "    }\n"
          + "    try {\n"
          + "      await(sleep(0));\n"
          + "    } catch (RuntimeException e) {\n"
          + "      s = s + e;\n"
          + "    }\n"
          + "    return done(s + total + plain(n));\n"
          + "  }\n"
          + "}\n";

  /** What went wrong with each failing mutant, for one report. */
  private final List<String> failures = new ArrayList<>();

  private static byte[] sample(String which) {
    if (which.equals("javac")) {
      return InMemoryCompiler.compile(Map.of("gen.Fuzzed", SOURCE), "17").get("gen.Fuzzed");
    }
    return TransformingClassLoader.read(TransformingClassLoader.SAMPLES + "Basics");
  }

  @ParameterizedTest
  @ValueSource(strings = {"javac", "Basics"})
  void classCutAtEveryLength_isNeverRewritten_andNothingEscapesButMalformed(String which) {
    byte[] original = sample(which);
    for (int n = 0; n < original.length; n++) {
      check("cut at " + n, Arrays.copyOf(original, n), true);
    }
    assertThat(failures).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"javac", "Basics"})
  void classWithAByteChangedAtEveryOffset_loadsRewrittenExactlyWhenItLoadsAsIs(String which) {
    byte[] original = sample(which);
    Random random = new Random(which.hashCode());
    for (int at = 0; at < original.length; at++) {
      for (int k = 0; k < VALUES; k++) {
        byte[] mutant = original.clone();
        mutant[at] = (byte) (k == 0 ? original[at] ^ 0xFF : original[at] + 1 + random.nextInt(255));
        check("byte " + at + " set to " + (mutant[at] & 0xFF), mutant, false);
      }
    }
    assertThat(failures).isEmpty();
  }

  /**
   * Transforms {@code mutant}: it must not throw but {@link MalformedClassFileException}, must
   * leave its input alone, and, if it rewrites the class, the JVM must load the rewrite exactly
   * when it loads the original; with {@code neverRewritten} (a class file cut short, which no JVM
   * loads) it must not rewrite it at all.
   */
  private void check(String what, byte[] mutant, boolean neverRewritten) {
    if (failures.size() >= 20) {
      return;
    }
    byte[] copy = mutant.clone();
    try {
      CoroutineTransformer.mightNeedTransform(mutant);
    } catch (Throwable t) {
      failures.add(what + ": the pre-filter threw " + t);
      return;
    }
    TransformResult r;
    try {
      r = Samples.TRANSFORMER.transform(mutant);
    } catch (MalformedClassFileException e) {
      return;
    } catch (Throwable t) {
      failures.add(what + ": transform threw " + t);
      return;
    }
    if (!Arrays.equals(mutant, copy)) {
      failures.add(what + ": the input array was modified");
    }
    if (!r.changed()) {
      return;
    }
    if (neverRewritten) {
      failures.add(what + ": rewritten, though the class file is cut short");
      return;
    }
    String before = JvmCheck.loads(mutant);
    String after = JvmCheck.loads(r.bytes());
    if (before != null && before.startsWith("java.lang.NoClassDefFoundError")) {
      // a renamed class in a reference is no damage: the JVM reports the missing class when
      // it needs it, and whether verification needs it depends on the frames, which the rewrite
      // recomputes; the rewritten class fails at the reference instead
      return;
    }
    if (before != null && after == null) {
      failures.add(what + ": the JVM rejects it (" + before + ") but loads the rewritten class");
    } else if (before == null && after != null) {
      failures.add(what + ": the JVM loads it but rejects the rewritten class (" + after + ")");
    }
  }
}
