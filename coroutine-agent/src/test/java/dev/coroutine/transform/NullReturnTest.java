package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code return null;} from a coroutine would fail only when awaited ({@code NullPointerException:
 * await(null)}); where the returned value is the constant null on every path, found by data flow,
 * the build refuses it and says what to write, or warns when the null went through a local (code a
 * tool wraps around the compiler's looks so on paths that never run). Compiled by every compiler of
 * {@link InMemoryCompiler#all()}.
 */
class NullReturnTest {
  static List<InMemoryCompiler> compilers() {
    return InMemoryCompiler.all();
  }

  static String source(String name, String members) {
    return "package nul;\n"
        + "import static dev.coroutine.Coroutines.*;\n"
        + "import dev.coroutine.*;\n"
        + "import java.util.function.Supplier;\n"
        + "public class "
        + name
        + " {\n"
        + members
        + "}\n";
  }

  /** The one diagnostic of class {@code name} compiled from {@code members}; it is refused. */
  static Diagnostic refused(InMemoryCompiler compiler, String name, String members) {
    byte[] c = compiler.compile(Map.of("nul." + name, source(name, members))).get("nul." + name);
    TransformResult r = Samples.TRANSFORMER.transform(c);
    assertThat(r.bytes()).as("refused class left unchanged").isNull();
    assertThat(r.diagnostics()).hasSize(1);
    Diagnostic d = r.diagnostics().get(0);
    assertThat(d.message())
        .contains("`return null;`")
        .contains("`return done(null);`")
        .contains("`return done();`");
    return d;
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void returnNull_afterAnAwait_isRefusedAtItsLineSayingWhatToWrite(InMemoryCompiler compiler) {
    Diagnostic d =
        refused(
            compiler,
            "Plain",
            "  @Async static Coroutine<Integer> get() {\n"
                + "    await(sleep(1));\n"
                + "    return null;\n" // line 8
                + "  }\n");
    assertThat(d.methodName()).isEqualTo("get");
    assertThat(d.format()).startsWith("Plain.java:8: ");
  }

  /** Class {@code name} compiled from {@code members}: rewritten, with one warning. */
  static Diagnostic warned(InMemoryCompiler compiler, String name, String members) {
    byte[] c = compiler.compile(Map.of("nul." + name, source(name, members))).get("nul." + name);
    TransformResult r = Samples.TRANSFORMER.transform(c);
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.methodsRewritten()).isEqualTo(1);
    assertThat(r.warnings()).hasSize(1);
    Diagnostic d = r.warnings().get(0);
    assertThat(d.message()).contains("null on every path").contains("`return done(null);`");
    return d;
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void nullThroughALocalAndACast_isFoundByDataFlow_andWarnedOf(InMemoryCompiler compiler) {
    Diagnostic d =
        warned(
            compiler,
            "ViaLocal",
            "  @Async static Coroutine<Void> get(int n) {\n"
                + "    Coroutine<Void> none = null;\n"
                + "    Object same = none;\n"
                + "    for (int i = 0; i < n; i++) {\n"
                + "      await(sleep(1));\n"
                + "    }\n"
                + "    return (Coroutine<Void>) same;\n" // line 12
                + "  }\n");
    assertThat(d.format()).startsWith("ViaLocal.java:12: ");
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void anAdvicesResultVariable_onAPathThatNeverRuns_isNotRefused(InMemoryCompiler compiler) {
    // the shape Byte Buddy's advice gives a method that always throws: its result variable is
    // returned, still null, on a path taken only if nothing was thrown. Refusing it left the class
    // unchanged, so its other coroutines failed (found from outside, Byte Buddy's agent first)
    warned(
        compiler,
        "Advised",
        "  @Async static Coroutine<Integer> fails() throws Exception {\n"
            + "    Coroutine<Integer> ret = null;\n"
            + "    Exception thrown = null;\n"
            + "    try {\n"
            + "      await(sleep(1));\n"
            + "      throw new IllegalStateException(\"boom\");\n"
            + "    } catch (Exception e) {\n"
            + "      thrown = e;\n"
            + "    }\n"
            + "    if (thrown != null) {\n"
            + "      throw thrown;\n"
            + "    }\n"
            + "    return ret;\n"
            + "  }\n");
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void asyncLambdaReturningNull_isRefusedNamingTheLambda(InMemoryCompiler compiler) {
    Diagnostic d =
        refused(
            compiler,
            "InLambda",
            "  static Supplier<Coroutine<String>> outer() {\n"
                + "    return () -> {\n"
                + "      await(sleep(1));\n"
                + "      return null;\n" // line 9
                + "    };\n"
                + "  }\n");
    assertThat(d.methodName()).isEqualTo("lambda in outer");
    assertThat(d.format()).startsWith("InLambda.java:9: ");
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void nullOnOnePathOnly_orFromAPlainMethod_isNotRefused(InMemoryCompiler compiler) {
    String members =
        "  @Async static Coroutine<Integer> maybe(boolean b) {\n"
            + "    Coroutine<Integer> c = b ? null : done(1);\n"
            + "    await(sleep(1));\n"
            + "    return c;\n"
            + "  }\n"
            + "  static Coroutine<Integer> notACoroutine() {\n"
            + "    return null;\n"
            + "  }\n";
    byte[] c = compiler.compile(Map.of("nul.Fine", source("Fine", members))).get("nul.Fine");
    TransformResult r = Samples.TRANSFORMER.transform(c);
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.methodsRewritten()).isEqualTo(1);
  }
}
