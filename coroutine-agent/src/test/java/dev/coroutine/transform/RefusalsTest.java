package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Each misuse is refused with one diagnostic naming class, method, source file and line, and the
 * refused class is left as it was.
 */
class RefusalsTest {
  static final String REFUSED = TransformingClassLoader.SAMPLES + "refused.";

  /** Transforms sample {@code simpleName}, asserts it was refused, returns its one diagnostic. */
  static Diagnostic refuse(String simpleName) {
    byte[] original = TransformingClassLoader.read(REFUSED + simpleName);
    byte[] copy = original.clone();
    TransformResult r = Samples.TRANSFORMER.transform(original);
    assertThat(r.bytes()).as("refused class left unchanged").isNull();
    assertThat(r.changed()).isFalse();
    assertThat(r.failed()).isTrue();
    assertThat(original).as("input array not modified").isEqualTo(copy);
    assertThat(r.diagnostics()).hasSize(1);
    Diagnostic d = r.diagnostics().get(0);
    assertThat(d.className()).isEqualTo(REFUSED + simpleName);
    assertThat(d.sourceFile()).isEqualTo(simpleName + ".java");
    return d;
  }

  static int line(String simpleName, String marker) {
    return Samples.line("refused/" + simpleName + ".java", marker);
  }

  /**
   * An await in a {@code finally} block is refused once, though the compiler copies the block into
   * every exit (found from outside: three identical lines for one await).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource(
      "dev.coroutine.transform.LambdasOfOtherCompilersTest#compilers")
  void awaitInAFinallyBlock_ofAMethodNotAsync_isRefusedOnce(InMemoryCompiler compiler) {
    String src =
        "package jbad;\n"
            + "import static dev.coroutine.Coroutines.*;\n"
            + "import dev.coroutine.*;\n"
            + "public class InFinally {\n"
            + "  static int plain(boolean b) {\n"
            + "    try {\n"
            + "      if (b) return 1;\n"
            + "      return 2;\n"
            + "    } finally {\n"
            + "      await(sleep(1));\n" // line 10
            + "    }\n"
            + "  }\n"
            + "}\n";
    byte[] c = compiler.compile(Map.of("jbad.InFinally", src)).get("jbad.InFinally");
    Diagnostic d = LambdasOfOtherCompilersTest.onlyDiagnostic(c);
    assertThat(d.format()).startsWith("InFinally.java:10: await() in InFinally.plain, which is");
  }

  /**
   * AspectJ's around advice moves an advised method's body into {@code name_aroundBodyN}: an await
   * there cannot suspend, and the refusal says what AspectJ did and how to order the weaving,
   * instead of asking to annotate a method the user never wrote.
   */
  @Test
  void awaitInAnAspectJAroundBody_saysToWeaveAfterTheRewrite() {
    String src =
        "package jbad;\n"
            + "import static dev.coroutine.Coroutines.*;\n"
            + "import dev.coroutine.*;\n"
            + "public class Woven {\n"
            + "  private static final Coroutine<Integer> compute_aroundBody0(int x) {\n"
            + "    await(sleep(1));\n"
            + "    return done(x);\n"
            + "  }\n"
            + "}\n";
    byte[] c = InMemoryCompiler.compile(Map.of("jbad.Woven", src), "17").get("jbad.Woven");
    Diagnostic d = LambdasOfOtherCompilersTest.onlyDiagnostic(c);
    assertThat(d.message())
        .startsWith(
            "await() in Woven.compute_aroundBody0, the body of an @Async method that AspectJ")
        .contains("weave after the coroutine rewrite");
  }

  /**
   * Dynamic Groovy compiles {@code await(x)} as an {@code invokedynamic} of its own bootstrap,
   * which the transformer cannot rewrite: refused at build time naming the line and {@code
   * CompileStatic}, instead of rewritten with no await and failing at run time from a Groovy frame
   * (found from outside with Groovy 4).
   */
  @Test
  void awaitThroughDynamicGroovy_isRefusedAskingForCompileStatic() {
    Diagnostic d =
        LambdasOfOtherCompilersTest.onlyDiagnostic(dynamicGroovyAwait("dev/coroutine/Coroutines"));

    assertThat(d.format())
        .startsWith("G2.groovy:8: await() called through Groovy's dynamic dispatch")
        .contains("@groovy.transform.CompileStatic")
        .contains("(in gen.G2.add)");
    // a static await(x) of another class (the user's own, Awaitility's) is not ours: left alone
    TransformResult other = Samples.TRANSFORMER.transform(dynamicGroovyAwait("gen/G2"));
    assertThat(other.diagnostics()).isEmpty();
  }

  /**
   * An @Async method as dynamic Groovy compiles {@code await(sleep(1))}, the static await looked up
   * on class {@code receiver}.
   */
  private static byte[] dynamicGroovyAwait(String receiver) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, "gen/G2", null, "java/lang/Object", null);
    cw.visitSource("G2.groovy", null);
    MethodVisitor mv =
        cw.visitMethod(Opcodes.ACC_STATIC, "add", "()Ldev/coroutine/Coroutine;", null, null);
    mv.visitAnnotation("Ldev/coroutine/Async;", true).visitEnd();
    mv.visitCode();
    Label start = new Label();
    mv.visitLabel(start);
    mv.visitLineNumber(8, start);
    mv.visitLdcInsn(org.objectweb.asm.Type.getObjectType(receiver));
    mv.visitLdcInsn(1L);
    AsmCalls.sleep(mv);
    mv.visitInvokeDynamicInsn(
        "invoke",
        "(Ljava/lang/Class;Ljava/lang/Object;)Ljava/lang/Object;",
        new org.objectweb.asm.Handle(
            Opcodes.H_INVOKESTATIC,
            "org/codehaus/groovy/vmplugin/v8/IndyInterface",
            "bootstrap",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
                + "Ljava/lang/invoke/MethodType;Ljava/lang/String;I)Ljava/lang/invoke/CallSite;",
            false),
        "await",
        0);
    mv.visitInsn(Opcodes.POP);
    mv.visitInsn(Opcodes.ACONST_NULL);
    AsmCalls.done(mv);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  /**
   * An await in a method annotated with another {@code @Async} (Spring's, picked by an IDE's
   * auto-import) is refused naming that annotation, not asking to annotate a method that is
   * annotated (found from outside).
   */
  @Test
  void awaitInAMethodWithAnotherAsyncAnnotation_namesIt() {
    String annotation =
        "package org.example.scheduling;\n"
            + "@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)\n"
            + "public @interface Async {}\n";
    String src =
        "package jbad;\n"
            + "import static dev.coroutine.Coroutines.*;\n"
            + "import dev.coroutine.Coroutine;\n"
            + "import org.example.scheduling.Async;\n"
            + "public class Wrong {\n"
            + "  @Async static Coroutine<Void> f() { await(sleep(1)); return done(); }\n"
            + "}\n";
    Map<String, byte[]> c =
        InMemoryCompiler.compile(
            Map.of("org.example.scheduling.Async", annotation, "jbad.Wrong", src), "17");
    assertThat(Samples.TRANSFORMER.transform(c.get("jbad.Wrong")).diagnostics())
        .extracting(Diagnostic::message)
        .containsExactly(
            "await() in Wrong.f, which is annotated @org.example.scheduling.Async, not"
                + " @dev.coroutine.Async (an import of another @Async, as an IDE may pick): import"
                + " dev.coroutine.Async");
  }

  /**
   * An await in a method a compiler made for a construct of the source (Scala's lifted try
   * expressions and lazy vals, function literals reached through an adapter, Groovy's closures) is
   * refused saying which construct, not asking to annotate a method the user never wrote.
   */
  @Test
  void awaitInAMethodMadeForASourceConstruct_saysWhichConstruct() {
    String src =
        "package jbad;\n"
            + "import static dev.coroutine.Coroutines.*;\n"
            + "import dev.coroutine.*;\n"
            + "public class Made {\n"
            + "  static int liftedTree1$1() { return await(sleep(1)) == null ? 1 : 2; }\n"
            + "  static int v$lzyINIT1$1() { await(sleep(1)); return 1; }\n"
            + "  static int x$lzycompute$1() { await(sleep(1)); return 1; }\n"
            + "  static int $anonfun$1(int x) { await(sleep(1)); return x; }\n"
            + "  static int caller() { return $anonfun$1(1); }\n" // called: not a dead body
            + "}\n";
    String closure =
        "package jbad;\n"
            + "import static dev.coroutine.Coroutines.*;\n"
            + "public class GB$_t_switchExpr_closure1 {\n"
            + "  Object doCall(Object it) { return await(sleep(1)); }\n"
            + "}\n";
    Map<String, byte[]> c =
        InMemoryCompiler.compile(
            Map.of("jbad.Made", src, "jbad.GB$_t_switchExpr_closure1", closure), "17");
    // from javac they are plain methods a user named so: the usual advice
    assertThat(Samples.TRANSFORMER.transform(c.get("jbad.Made")).diagnostics())
        .extracting(Diagnostic::message)
        .allMatch(m -> m.contains("which is not @Async: annotate the method @Async"));
    assertThat(
            Samples.TRANSFORMER
                .transform(fromSource(c.get("jbad.Made"), "Made.scala"))
                .diagnostics())
        .extracting(Diagnostic::message)
        .containsExactly(
            "await() in Made.liftedTree1$1, which the compiler made of a try expression inside"
                + " another expression (Scala 2 lifts it into a method; Scala 3 does not): it"
                + " cannot suspend there; move the await out of that construct, into the @Async"
                + " method's own code",
            "await() in Made.v$lzyINIT1$1, which the compiler made of the initializer of a lazy"
                + " val: it cannot suspend there; move the await out of that construct, into the"
                + " @Async method's own code",
            "await() in Made.x$lzycompute$1, which the compiler made of the initializer of a"
                + " lazy val: it cannot suspend there; move the await out of that construct, into"
                + " the @Async method's own code",
            "await() in Made.$anonfun$1, which the compiler made of a Scala function literal that"
                + " does not return Coroutine, or one reached through an adapter (a lambda with"
                + " primitive parameters: give them boxed types): it cannot suspend there; move"
                + " the await out of that construct, into the @Async method's own code");
    assertThat(
            LambdasOfOtherCompilersTest.onlyDiagnostic(
                    fromSource(c.get("jbad.GB$_t_switchExpr_closure1"), "GB.groovy"))
                .message())
        .contains("GB$_t_switchExpr_closure1.doCall, which the compiler made of a Groovy closure");
  }

  /** {@code classFile} as if compiled from {@code sourceFile} (its SourceFile attribute). */
  private static byte[] fromSource(byte[] classFile, String sourceFile) {
    org.objectweb.asm.ClassReader r = new org.objectweb.asm.ClassReader(classFile);
    ClassWriter w = new ClassWriter(r, 0);
    r.accept(
        new org.objectweb.asm.ClassVisitor(Opcodes.ASM9, w) {
          @Override
          public void visitSource(String source, String debug) {
            super.visitSource(sourceFile, debug);
          }
        },
        0);
    return w.toByteArray();
  }

  /** Without line numbers, refusals in overloads name each by its parameters. */
  @Test
  void refusalsInOverloads_withoutLineNumbers_nameTheParameters() {
    String src =
        "package jbad;\n"
            + "import static dev.coroutine.Coroutines.*;\n"
            + "import dev.coroutine.*;\n"
            + "public class Overloads {\n"
            + "  static int a(int x) { await(sleep(1)); return x; }\n"
            + "  static int a(String s, long[] t) { await(sleep(1)); return 0; }\n"
            + "}\n";
    InMemoryCompiler noDebugInfo =
        new InMemoryCompiler(
            "javac -g:none",
            javax.tools.ToolProvider.getSystemJavaCompiler(),
            java.util.List.of("--release", "17", "-g:none", "-proc:none", "-nowarn"));
    byte[] c = noDebugInfo.compile(Map.of("jbad.Overloads", src)).get("jbad.Overloads");
    TransformResult r = Samples.TRANSFORMER.transform(c);
    assertThat(r.diagnostics())
        .extracting(Diagnostic::methodName)
        .containsExactly("a(int)", "a(java.lang.String, long[])");
  }

  @Test
  void methodTooLargeOnceRewritten_isRefusedNamingItAndSayingWhatToDo() {
    // 70 int locals live across 2,600 awaits (javac's method: ~52 KB): the awaits share one
    // save and restore block, but ~20 bytes per await in place push the body past 64 KB
    StringBuilder src = new StringBuilder();
    src.append("package gen;\n")
        .append("import static dev.coroutine.Coroutines.*;\n")
        .append("import dev.coroutine.*;\n")
        .append("public class TooLarge {\n")
        .append("  @Async static Coroutine<Integer> small(int v) {\n    return done(v);\n  }\n")
        .append("  @Async static Coroutine<Integer> big() {\n");
    for (int i = 0; i < 70; i++) {
      src.append("    int v").append(i).append(" = ").append(i).append(";\n");
    }
    for (int k = 0; k < 2600; k++) {
      src.append("    v").append(k % 70).append(" += await(small(").append(k).append("));\n");
    }
    src.append("    return done(0");
    for (int i = 0; i < 70; i++) {
      src.append(" + v").append(i);
    }
    src.append(");\n  }\n}\n");
    byte[] original =
        InMemoryCompiler.compile(java.util.Map.of("gen.TooLarge", src.toString()), "17")
            .get("gen.TooLarge");
    TransformResult r = Samples.TRANSFORMER.transform(original);
    assertThat(r.bytes() == null).as("refused class left unchanged").isTrue();
    assertThat(r.diagnostics()).hasSize(1);
    Diagnostic d = r.diagnostics().get(0);
    assertThat(d.methodName()).isEqualTo("big");
    assertThat(d.line()).isEqualTo(9); // the first line of big's body
    assertThat(d.message()).contains("too large").contains("65535").contains("split");
    assertThat(d.format()).startsWith("TooLarge.java:9: ");
  }

  /**
   * One string concatenation of 100 awaited values (found from outside): since Java 9 its parts
   * wait on the operand stack, saved and restored at each await, so the rewrite needs ~120 KB; the
   * refusal says to await into locals first.
   */
  @Test
  void manyAwaitsInOneExpression_tooLarge_isRefusedSayingToAwaitIntoLocals() {
    StringBuilder src = new StringBuilder();
    src.append("package gen;\n")
        .append("import static dev.coroutine.Coroutines.*;\n")
        .append("import dev.coroutine.*;\n")
        .append("public class Concat {\n")
        .append("  @Async static Coroutine<Integer> v(int v) {\n    return done(v);\n  }\n")
        .append("  @Async static Coroutine<String> all() {\n")
        .append("    String s = \"\"");
    for (int k = 0; k < 100; k++) {
      src.append(" + await(v(").append(k).append("))");
    }
    src.append(";\n    return done(s);\n  }\n}\n");
    byte[] original =
        InMemoryCompiler.compile(java.util.Map.of("gen.Concat", src.toString()), "17")
            .get("gen.Concat");
    TransformResult r = Samples.TRANSFORMER.transform(original);
    assertThat(r.bytes() == null).as("refused class left unchanged").isTrue();
    assertThat(r.diagnostics())
        .singleElement()
        .satisfies(
            d -> assertThat(d.message()).contains("too large").contains("await into locals first"));
  }

  @Test
  void classTooLargeOnceRewritten_isRefusedSayingSo_notAsAnInternalError() {
    // 65,490 field names fill the constant pool; the rewrite's own names push it past 65,535
    // (found from outside: "internal error while writing the class (please report it)")
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "gen/Crowded", null, "java/lang/Object", null);
    cw.visitSource("Crowded.java", null);
    for (int i = 0; i < 65_490; i++) {
      cw.visitField(Opcodes.ACC_STATIC, "f" + i, "I", null, null).visitEnd();
    }
    MethodVisitor mv =
        cw.visitMethod(Opcodes.ACC_STATIC, "m", "()Ldev/coroutine/Coroutine;", null, null);
    mv.visitAnnotation("Ldev/coroutine/Async;", true).visitEnd();
    mv.visitCode();
    Label start = new Label();
    mv.visitLabel(start);
    mv.visitLineNumber(7, start);
    mv.visitLdcInsn(1L);
    AsmCalls.sleep(mv);
    AsmCalls.await(mv);
    AsmCalls.done(mv);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();

    TransformResult r = Samples.TRANSFORMER.transform(cw.toByteArray());

    assertThat(r.bytes() == null).as("refused class left unchanged").isTrue();
    assertThat(r.diagnostics()).hasSize(1);
    Diagnostic d = r.diagnostics().get(0);
    assertThat(d.format())
        .startsWith("Crowded.java:7: too large once rewritten")
        .contains("constant pool entries, over the JVM's limit of 65535")
        .doesNotContain("internal error")
        .contains("(in gen.Crowded.m)");
  }

  /**
   * A method of 4,000 int locals between two awaits (40 KB of code, which would fit rewritten):
   * analysing its frames passes ASM's limit of 400 MB, and the class was refused as an "internal
   * error while rewriting this method" (found from outside, from javac, kotlinc and Scala 3 alike;
   * a Scala 3 method of 1,076 awaits and 572 locals got the whole class refused with no method
   * named). It is refused saying what is too large, where.
   */
  @Test
  void methodTooLargeToAnalyse_isRefusedSayingSo_atItsLine() throws Exception {
    StringBuilder src = new StringBuilder();
    src.append("package gen;\n")
        .append("import static dev.coroutine.Coroutines.*;\n")
        .append("import dev.coroutine.*;\n")
        .append("public class Locals {\n")
        .append(
            "  @Async static Coroutine<Integer> iv(int x) { await(sleep(0)); return done(x); }\n")
        .append("  @Async static Coroutine<Integer> big(int p) {\n")
        .append("    int v0 = await(iv(p));\n"); // line 7
    for (int i = 1; i < 4_000; i++) {
      src.append("    int v")
          .append(i)
          .append(" = v")
          .append(i - 1)
          .append(" + ")
          .append(i)
          .append(";\n");
    }
    src.append("    int b = await(iv(v3999));\n    return done(b + v0);\n  }\n}\n");
    byte[] original =
        InMemoryCompiler.compile(Map.of("gen.Locals", src.toString()), "17").get("gen.Locals");

    TransformResult r = Samples.TRANSFORMER.transform(original);

    assertThat(r.bytes()).as("refused class left unchanged").isNull();
    assertThat(r.diagnostics()).hasSize(1);
    assertThat(r.diagnostics().get(0).format())
        .startsWith("Locals.java:7: too large to rewrite: analysing its")
        .contains("local variable slots exceeds the transformer's limits")
        .contains("split the method")
        .doesNotContain("internal error")
        .endsWith("(in gen.Locals.big)");
  }

  /**
   * A static method with {@code longs} long parameters, {@code ints} int parameters and a String
   * ({@code 2 * longs + ints + 1} slots) that awaits once and returns their sum and the string.
   */
  private static String wideSource(int longs, int ints) {
    StringBuilder src = new StringBuilder();
    src.append("package gen;\n")
        .append("import static dev.coroutine.Coroutines.*;\n")
        .append("import dev.coroutine.*;\n")
        .append("public class Wide {\n")
        .append("  @Async static Coroutine<String> wide(");
    StringBuilder sum = new StringBuilder("0L");
    for (int i = 0; i < longs; i++) {
      src.append("long a").append(i).append(", ");
      sum.append(" + a").append(i);
    }
    for (int i = 0; i < ints; i++) {
      src.append("int x").append(i).append(", ");
      sum.append(" + x").append(i);
    }
    src.append("String s) {\n")
        .append("    await(sleep(0));\n")
        .append("    return done((")
        .append(sum)
        .append(") + s);\n  }\n}\n");
    return src.toString();
  }

  @Test
  void asyncMethodWithTheMostParameterSlotsTheJvmAllows_runs() throws Throwable {
    // 126 longs, two ints and a reference: 255 slots, stored by the stub through a local
    Map<String, byte[]> ok = InMemoryCompiler.compile(Map.of("gen.Wide", wideSource(126, 2)), "17");
    MapClassLoader loader = new MapClassLoader(ok);
    Class<?> c = loader.loadClass("gen.Wide");
    assertThat(loader.diagnostics).isEmpty();
    Object[] args = new Object[129];
    long sum = 0;
    for (int i = 0; i < 126; i++) {
      args[i] = (long) i * 1_000_003L;
      sum += (long) i * 1_000_003L;
    }
    args[126] = 7;
    args[127] = -3;
    args[128] = "!";
    assertThat(Samples.run(c, "wide", args)).isEqualTo((sum + 4) + "!");
  }

  @Test
  void valueOfAClassThisClassCannotName_usedAsThatClassAfterAnAwait_isRefusedAtTheUse() {
    // a VerifyError at load time before (found by an outside review); Access keeps the cases
    // where the value is only used as a public supertype, which are rewritten and run
    Diagnostic d = refuse("HiddenTypeUsedAfterAwait");
    assertThat(d.methodName()).isEqualTo("use");
    assertThat(d.line()).isEqualTo(line("HiddenTypeUsedAfterAwait", "useHidden"));
    assertThat(d.message())
        .contains("dev.coroutine.transform.samples.other.Outer$Hidden")
        .contains("cannot name")
        .contains("public supertype");
  }

  @Test
  void hiddenTypeOnTheStackUnderAnAwait_isRefusedSayingToAwaitFirst() {
    Diagnostic d = refuse("HiddenTypeOnTheStack");
    assertThat(d.methodName()).isEqualTo("use");
    assertThat(d.line()).isEqualTo(line("HiddenTypeOnTheStack", "onTheStack"));
    assertThat(d.message())
        .contains("dev.coroutine.transform.samples.other.Outer$Hidden")
        .contains("operand stack")
        .contains("await first into a local");
  }

  @Test
  void callThroughAnInaccessibleCommonSuperclass_isRefusedSayingItFailsWithoutTheAwaitToo() {
    Diagnostic d = refuse("InaccessibleCommonSuperclassCall");
    assertThat(d.methodName()).isEqualTo("use");
    assertThat(d.line()).isEqualTo(line("InaccessibleCommonSuperclassCall", "append"));
    assertThat(d.message())
        .contains("java.lang.AbstractStringBuilder")
        .contains("IllegalAccessError even without an await")
        .contains("a declared local or a cast")
        .doesNotContain("make the class accessible");
  }

  @Test
  void awaitInNonAsyncMethod_isRefusedAtTheAwaitLine() {
    Diagnostic d = refuse("AwaitInPlainMethod");
    assertThat(d.methodName()).isEqualTo("plain");
    assertThat(d.line()).isEqualTo(line("AwaitInPlainMethod", "await"));
    assertThat(d.message()).contains("not @Async").contains("AwaitInPlainMethod.plain");
    assertThat(d.format()).startsWith("AwaitInPlainMethod.java:" + d.line() + ": ");
  }

  /**
   * Code of a constructor or an initializer (a field's too) cannot be annotated: the refusal says
   * so and where to await instead (it said "annotate the method @Async", which cannot be done).
   */
  @Test
  void awaitInInitializers_isRefusedWithAdviceThatCanBeFollowed() {
    byte[] original = TransformingClassLoader.read(REFUSED + "AwaitInInitializers");
    TransformResult r = Samples.TRANSFORMER.transform(original);
    assertThat(r.failed()).isTrue();
    assertThat(r.diagnostics()).hasSize(2);
    for (Diagnostic d : r.diagnostics()) {
      assertThat(d.message())
          .doesNotContain("annotate the method")
          .contains("cannot suspend")
          .contains("@Async factory method");
      String marker = d.methodName().equals("<clinit>") ? "static" : "instance";
      assertThat(d.line()).isEqualTo(line("AwaitInInitializers", marker));
    }
    assertThat(r.diagnostics())
        .anySatisfy(d -> assertThat(d.message()).contains("a static initializer of"))
        .anySatisfy(d -> assertThat(d.message()).contains("a constructor or instance initializer"));
  }

  @Test
  void awaitInLambdaNotReturningCoroutine_isRefusedAtTheAwaitLine() {
    Diagnostic d = refuse("AwaitInPlainLambda");
    assertThat(d.methodName()).contains("outer");
    assertThat(d.line()).isEqualTo(line("AwaitInPlainLambda", "await"));
    assertThat(d.message()).contains("lambda").contains("Coroutine");
  }

  @Test
  void awaitInsideSynchronizedBlock_isRefusedAtTheAwaitLine() {
    Diagnostic d = refuse("AwaitInSynchronizedBlock");
    assertThat(d.methodName()).isEqualTo("guarded");
    assertThat(d.line()).isEqualTo(line("AwaitInSynchronizedBlock", "await"));
    assertThat(d.message()).contains("synchronized block");
  }

  @Test
  void asyncSynchronizedMethod_isRefusedAtItsFirstLine() {
    Diagnostic d = refuse("SynchronizedAsyncMethod");
    assertThat(d.methodName()).isEqualTo("guarded");
    assertThat(d.line()).isEqualTo(line("SynchronizedAsyncMethod", "first"));
    assertThat(d.message()).contains("synchronized");
  }

  @Test
  void asyncMethodNotReturningCoroutine_isRefusedNamingTheReturnType() {
    Diagnostic d = refuse("AsyncNotReturningCoroutine");
    assertThat(d.methodName()).isEqualTo("notACoroutine");
    assertThat(d.line()).isEqualTo(line("AsyncNotReturningCoroutine", "first"));
    assertThat(d.message())
        .contains("must return dev.coroutine.Coroutine")
        .contains("java.lang.String");
  }

  @Test
  void methodReferenceToAwait_isRefusedAtItsLine() {
    Diagnostic d = refuse("AwaitMethodReference");
    assertThat(d.methodName()).isEqualTo("viaReference");
    assertThat(d.line()).isEqualTo(line("AwaitMethodReference", "ref"));
    assertThat(d.message()).contains("Coroutines::await");
  }

  @Test
  void asyncOnAConstructor_builtWithAsm_isRefusedAtItsLine() {
    // javac rejects @Async (@Target METHOD) on a constructor; other tools may still emit it
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        "gen/AsyncConstructor",
        null,
        "java/lang/Object",
        null);
    cw.visitSource("AsyncConstructor.java", null);
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    mv.visitAnnotation("Ldev/coroutine/Async;", true).visitEnd();
    mv.visitCode();
    Label start = new Label();
    mv.visitLabel(start);
    mv.visitLineNumber(7, start);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    Label await = new Label();
    mv.visitLabel(await);
    mv.visitLineNumber(8, await);
    mv.visitLdcInsn(1L);
    AsmCalls.sleep(mv);
    AsmCalls.await(mv);
    mv.visitInsn(Opcodes.POP);
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    TransformResult r = Samples.TRANSFORMER.transform(cw.toByteArray());
    assertThat(r.bytes()).isNull();
    assertThat(r.diagnostics()).hasSize(1);
    Diagnostic d = r.diagnostics().get(0);
    assertThat(d.className()).isEqualTo("gen.AsyncConstructor");
    assertThat(d.methodName()).isEqualTo("<init>");
    assertThat(d.sourceFile()).isEqualTo("AsyncConstructor.java");
    assertThat(d.line()).isEqualTo(7);
    assertThat(d.message()).contains("constructor");
  }

  @Test
  void refusedClass_loadsUnchanged_andItsAwaitThrowsNotInstrumented() throws Throwable {
    TransformingClassLoader loader = new TransformingClassLoader();
    Class<?> c = loader.loadClass(REFUSED + "AwaitInPlainMethod");
    assertThat(loader.rewritten).isEmpty();
    assertThat(loader.diagnostics).hasSize(1);
    Throwable t = catchThrowable(() -> Samples.invoke(c, "plain"));
    assertThat(t)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AwaitInPlainMethod.plain")
        .hasMessageContaining("not instrumented");
  }

  @Test
  void awaitInAClassWithoutDebugInformation_saysSoInsteadOfNullMinusOne() throws Throwable {
    // javac -g:none: no SourceFile, no line numbers; the message printed "(null:-1)"
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "gen/NoDebug", null, "java/lang/Object", null);
    MethodVisitor mv =
        cw.visitMethod(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "plain", "()Ljava/lang/Object;", null, null);
    mv.visitCode();
    mv.visitInsn(Opcodes.ICONST_1);
    mv.visitMethodInsn(
        Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
    AsmCalls.done(mv);
    AsmCalls.await(mv);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    ClassVersionsTest.BytesLoader loader =
        new ClassVersionsTest.BytesLoader(Map.of("gen/NoDebug", cw.toByteArray()));
    Class<?> c = loader.loadClass("gen.NoDebug");

    Throwable t = catchThrowable(() -> c.getMethod("plain").invoke(null));

    assertThat(t.getCause())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("await() called in gen.NoDebug.plain (no line: compiled without -g)")
        .hasMessageNotContaining("null:-1");
  }
}
