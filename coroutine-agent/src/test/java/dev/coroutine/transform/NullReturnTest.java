package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code return null;} from a coroutine would fail only when awaited ({@code NullPointerException:
 * await(null)}); where the returned value is the constant null on every path, found by data flow
 * (through locals and casts), the build refuses it and says what to write; a null that code before
 * the method's first line wrote (another tool's, wrapped around the compiler's) is left alone.
 * Compiled by every compiler of {@link InMemoryCompiler#all()}.
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

  @ParameterizedTest
  @MethodSource("compilers")
  void nullThroughALocalAndACast_isFoundByDataFlow(InMemoryCompiler compiler) {
    Diagnostic d =
        refused(
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
  void returnNull_insideTryFinally_isRefused(InMemoryCompiler compiler) {
    // javac keeps the value in a local while the finally code runs: still the user's null
    Diagnostic d =
        refused(
            compiler,
            "InFinally",
            "  @Async static Coroutine<Integer> get() {\n"
                + "    try {\n"
                + "      await(sleep(1));\n"
                + "      return null;\n" // line 9
                + "    } finally {\n"
                + "      System.out.println(\"finally\");\n"
                + "    }\n"
                + "  }\n");
    assertThat(d.format()).startsWith("InFinally.java:9: ");
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void aNullThatAToolWroteBeforeTheFirstLine_isNotRefused(InMemoryCompiler compiler) {
    // Byte Buddy's advice around a method that always throws: its result variable, set to null in
    // a prologue without line numbers, is returned as it is on a path taken only if nothing was
    // thrown. Refusing it left the class unchanged, so its other coroutines failed (found from
    // outside, Byte Buddy's agent first). The same source with its lines is refused
    String members =
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
            + "  }\n";
    refused(compiler, "Advised", members);
    byte[] c =
        compiler.compile(Map.of("nul.Advised", source("Advised", members))).get("nul.Advised");
    TransformResult r = Samples.TRANSFORMER.transform(withoutTheFirstLines(c, "fails", 2));
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.methodsRewritten()).isEqualTo(1);
    assertThat(r.warnings()).as("its line would be the tool's return, not the user's").isEmpty();
  }

  /** {@code classFile} with the first {@code n} line numbers of {@code method} taken out. */
  private static byte[] withoutTheFirstLines(byte[] classFile, String method, int n) {
    org.objectweb.asm.tree.ClassNode cn = new org.objectweb.asm.tree.ClassNode();
    new org.objectweb.asm.ClassReader(classFile).accept(cn, 0);
    for (org.objectweb.asm.tree.MethodNode m : cn.methods) {
      if (m.name.equals(method)) {
        int removed = 0;
        for (org.objectweb.asm.tree.AbstractInsnNode i : m.instructions.toArray()) {
          if (i instanceof org.objectweb.asm.tree.LineNumberNode && removed < n) {
            m.instructions.remove(i);
            removed++;
          }
        }
      }
    }
    org.objectweb.asm.ClassWriter w = new org.objectweb.asm.ClassWriter(0);
    cn.accept(w);
    return w.toByteArray();
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
