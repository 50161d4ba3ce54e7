package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Async lambdas are found by what they are (the implementation method of a LambdaMetafactory call
 * site of the same class, returning Coroutine and awaiting), whatever the compiler names them:
 * Kotlin's {@code outer$lambda$0} (not synthetic), ECJ's {@code lambda$0}, javac's {@code
 * lambda$outer$0}. A method that awaits and is no lambda is still refused, with advice that can be
 * followed. Kotlin code calls and awaits Java's {@code @Async} methods.
 */
class LambdasOfOtherCompilersTest {
  static final String KOTLIN =
      "package kt\n"
          + "import dev.coroutine.*\n"
          + "import dev.coroutine.Coroutines.*\n"
          + "import java.util.function.Supplier\n"
          + "object Flows {\n"
          + "  @JvmStatic @Async fun add(a: Int, b: Int): Coroutine<Int> {\n"
          + "    await(sleep(1))\n"
          + "    return done(a + b)\n"
          + "  }\n"
          + "  @JvmStatic fun supplier(x: Int): Supplier<Coroutine<Int>> =\n"
          + "    Supplier { val v = await(add(x, 1)); done(v * 10) }\n"
          + "  @JvmStatic fun function(x: Int): (Int) -> Coroutine<String> =\n"
          + "    { y -> done(\"\" + await(add(x, y))) }\n"
          + "  @JvmStatic @Async fun loop(n: Int): Coroutine<String> {\n"
          + "    val sb = StringBuilder()\n"
          + "    for (i in 0 until n) {\n"
          + "      try {\n"
          + "        if (i == 1) throw IllegalStateException(\"x\")\n"
          + "        sb.append(await(add(i, i)))\n"
          + "      } catch (e: IllegalStateException) {\n"
          + "        sb.append(\"!\")\n"
          + "      }\n"
          + "    }\n"
          + "    val nested = Supplier<Coroutine<Int>> { done(await(supplier(1).get()) + 1) }\n"
          + "    sb.append(await(nested.get()))\n"
          + "    return done(sb.toString())\n"
          + "  }\n"
          + "  @JvmStatic fun runAll(): String {\n"
          + "    val a = Coroutines.run(supplier(4).get())\n"
          + "    val b = Coroutines.run(function(2)(3))\n"
          + "    val c = Coroutines.run(loop(3))\n"
          + "    return \"$a|$b|$c\"\n"
          + "  }\n"
          + "}\n";

  static final String KOTLIN_REFUSED =
      "package ktbad\n"
          + "import dev.coroutine.*\n"
          + "import dev.coroutine.Coroutines.*\n"
          + "object PlainFunction {\n"
          + "  @JvmStatic fun plain(): Coroutine<Int> {\n"
          + "    val v = await(sleep(1))\n" // line 6
          + "    return done(1)\n"
          + "  }\n"
          + "}\n"
          + "object PlainLambda {\n"
          + "  @JvmStatic fun outer(): () -> Int = {\n"
          + "    await(sleep(1))\n" // line 12
          + "    1\n"
          + "  }\n"
          + "}\n"
          + "object ReturnsNull {\n"
          + "  @JvmStatic @Async fun get(): Coroutine<Int>? {\n"
          + "    await(sleep(1))\n"
          + "    return null\n" // line 19
          + "  }\n"
          + "}\n"
          + "object Swallows {\n"
          + "  @JvmStatic @Async fun get(): Coroutine<String> {\n"
          + "    try {\n"
          + "      await(sleep(1))\n"
          + "    } catch (e: Exception) {\n" // line 26
          + "      return done(\"fallback\")\n"
          + "    }\n"
          + "    return done(\"ok\")\n"
          + "  }\n"
          + "}\n";

  static final String JAVA_REFUSED =
      "package jbad;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "import java.util.function.Supplier;\n"
          + "public class PlainLambda {\n"
          + "  static Supplier<Integer> outer() {\n"
          + "    return () -> {\n"
          + "      await(sleep(1));\n" // line 8
          + "      return 1;\n"
          + "    };\n"
          + "  }\n"
          + "}\n";

  static final String JAVA_PLAIN_METHOD =
      "package jbad;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "public class PlainMethod {\n"
          + "  static Coroutine<Integer> plain() {\n"
          + "    await(sleep(1));\n" // line 6
          + "    return done(1);\n"
          + "  }\n"
          + "}\n";

  static final String JAVA_REFERENCE =
      "package jref;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "import java.util.function.Supplier;\n"
          + "public class Reference {\n"
          + "  private static Coroutine<Integer> helper() {\n"
          + "    int v = await(sleep(1)) == null ? 41 : 0;\n"
          + "    return done(v + 1);\n"
          + "  }\n"
          + "  public static Supplier<Coroutine<Integer>> supplier() {\n"
          + "    return Reference::helper;\n"
          + "  }\n"
          + "  public static Supplier<Coroutine<String>> nested() {\n"
          + "    return () -> {\n"
          + "      Supplier<Coroutine<Integer>> inner = () -> done(await(helper()) + 1);\n"
          + "      return done(\"n\" + await(inner.get()));\n"
          + "    };\n"
          + "  }\n"
          + "}\n";

  /** Java @Async methods that Kotlin code calls and awaits. */
  static final String JAVA_LIB =
      "package jlib;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "public class Lib {\n"
          + "  @Async public static Coroutine<Integer> twice(int x) {\n"
          + "    await(sleep(1));\n"
          + "    return done(2 * x);\n"
          + "  }\n"
          + "}\n";

  static final String KOTLIN_CALLER =
      "package ktcall\n"
          + "import dev.coroutine.*\n"
          + "import dev.coroutine.Coroutines.*\n"
          + "import java.util.function.Supplier\n"
          + "import jlib.Lib\n"
          + "object Caller {\n"
          + "  @JvmStatic @Async fun sum(n: Int): Coroutine<Int> {\n"
          + "    var s = 0\n"
          + "    for (i in 1..n) s += await(Lib.twice(i))\n"
          + "    val later = Supplier<Coroutine<Int>> { done(await(Lib.twice(s)) + 1) }\n"
          + "    return done(await(createTask(later.get())))\n"
          + "  }\n"
          + "  @JvmStatic fun main(): Int = Coroutines.run(sum(3))\n"
          + "}\n";

  static Map<String, byte[]> kotlin;

  @BeforeAll
  static void compileKotlin() {
    kotlin = KotlinCompiler.compile(Map.of("Flows.kt", KOTLIN, "Refused.kt", KOTLIN_REFUSED));
  }

  @Test
  void kotlinCaller_ofJavaAsyncMethods_awaitsThemInFunctionsAndLambdas() throws Exception {
    Map<String, byte[]> java = InMemoryCompiler.javac(17).compile(Map.of("jlib.Lib", JAVA_LIB));
    Map<String, byte[]> classes = new java.util.TreeMap<>(java);
    classes.putAll(KotlinCompiler.compile(Map.of("Caller.kt", KOTLIN_CALLER), java));
    MapClassLoader loader = new MapClassLoader(classes);
    // (2 + 4 + 6) * 2 + 1
    assertThat(loader.loadClass("ktcall.Caller").getMethod("main").invoke(null)).isEqualTo(25);
    assertThat(loader.diagnostics).isEmpty();
  }

  static List<InMemoryCompiler> compilers() {
    return InMemoryCompiler.all();
  }

  static Diagnostic onlyDiagnostic(byte[] classFile) {
    TransformResult r = Samples.TRANSFORMER.transform(classFile);
    assertThat(r.bytes()).as("refused class left unchanged").isNull();
    assertThat(r.diagnostics()).hasSize(1);
    return r.diagnostics().get(0);
  }

  @Test
  void kotlinLambdas_notSynthetic_areRewrittenAndRun() throws Exception {
    MapClassLoader loader = new MapClassLoader(kotlin);
    Class<?> flows = loader.loadClass("kt.Flows");
    assertThat(flows.getMethod("runAll").invoke(null)).isEqualTo("50|5|0!421");
    assertThat(loader.diagnostics).isEmpty();
    // the Supplier lambda, the function lambda, the nested one in loop, and the two @Async funs
    assertThat(Samples.TRANSFORMER.transform(kotlin.get("kt.Flows")).methodsRewritten())
        .isEqualTo(5);
  }

  @Test
  void kotlinLambdaBody_isNotSynthetic_soItIsFoundByItsCallSite() {
    boolean found = false;
    for (org.objectweb.asm.tree.MethodNode m : Samples.node(kotlin.get("kt.Flows")).methods) {
      if (m.name.contains("$lambda$")) {
        found = true;
        assertThat(m.access & org.objectweb.asm.Opcodes.ACC_SYNTHETIC).as(m.name).isZero();
      }
    }
    assertThat(found).as("kotlinc's lambda bodies").isTrue();
  }

  static final String KOTLIN_DEAD_LAMBDA =
      "package ktdead\n"
          + "import dev.coroutine.*\n"
          + "import dev.coroutine.Coroutines.*\n"
          + "const val DEBUG = false\n"
          + "object Dead {\n"
          + "  @JvmStatic @Async fun iv(x: Int): Coroutine<Int> { await(sleep(1)); return done(x) }\n"
          + "  @JvmStatic @Async fun work(): Coroutine<Int> {\n"
          + "    if (DEBUG) {\n"
          + "      val probe = { s: String -> done(s + await(iv(1))) }\n"
          + "      println(await(probe(\"dbg\")))\n"
          + "    }\n"
          + "    return done(await(iv(41)) + 1)\n"
          + "  }\n"
          + "}\n";

  /**
   * kotlinc, as javac, keeps the body of a lambda whose call site it dropped as dead code, and its
   * {@code work$lambda$0} is not synthetic: found from outside, the class was refused ("not
   * {@code @Async}") and loaded unrewritten, where javac's same code was rewritten. Nothing can run
   * that body: it is left as it is, and the rest of the class rewritten.
   */
  @Test
  void kotlinLambdaBodyWhoseCallSiteWasDroppedAsDeadCode_isLeftAlone() throws Exception {
    Map<String, byte[]> dead = KotlinCompiler.compile(Map.of("Dead.kt", KOTLIN_DEAD_LAMBDA));
    TransformResult r = Samples.TRANSFORMER.transform(dead.get("ktdead.Dead"));
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.methodsRewritten()).isEqualTo(2);
    MapClassLoader loader = new MapClassLoader(dead);
    Class<?> c = loader.loadClass("ktdead.Dead");
    assertThat(Coroutines.run((Coroutine<?>) c.getMethod("work").invoke(null))).isEqualTo(42);
    assertThat(loader.diagnostics).isEmpty();
  }

  /**
   * scalac's dead lambda body (after {@code ???} its call site is dropped) is {@code public
   * static}, for lambda deserialization, and not synthetic: the class was refused for it. The class
   * file is scalac 2.13.18's own (test resources: no Scala compiler runs here; scala-library is on
   * the test class path).
   */
  @Test
  void scalacLambdaBodyWhoseCallSiteWasDroppedAfterNotImplemented_isLeftAlone() throws Exception {
    byte[] scalac;
    try (java.io.InputStream in =
        getClass().getClassLoader().getResourceAsStream("scalac/deads2/Dead2$.class")) {
      scalac = in.readAllBytes();
    }
    TransformResult r = Samples.TRANSFORMER.transform(scalac);
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.methodsRewritten()).as("iv, work, todo").isEqualTo(3);
    TransformingClassLoader.verify(r.bytes());
    assertThat(runScalaObject(r.bytes(), "deads2.Dead2$", "work")).isEqualTo(42);
  }

  /**
   * Scala 3 drops the dead lambda's call site after {@code ???} (its ASM back end leaves NOPs), but
   * its {@code $deserializeLambda$} still names the body: the body counted as used, and the class
   * was refused as if the body were "a function literal that does not return Coroutine" (found from
   * outside). The body returns Coroutine and awaits: it is rewritten as an async lambda, as the
   * same body with a live call site is. Scala 3.3.6's class file of the same source as above.
   */
  @Test
  void scala3DeadLambdaBodyNamedByItsDeserializer_isRewrittenAsAnAsyncLambda() throws Exception {
    TransformResult r = Samples.TRANSFORMER.transform(resource("scalac/deads3/Dead2$.class"));
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.methodsRewritten()).as("iv, work, todo, $anonfun$1").isEqualTo(4);
    TransformingClassLoader.verify(r.bytes());
    assertThat(runScalaObject(r.bytes(), "deads2.Dead2$", "work")).isEqualTo(42);
  }

  /**
   * scalac's {@code -opt:local} drops a local function value's closure and calls its body {@code
   * $anonfun$f$1} directly: no {@code LambdaMetafactory} call site names it, so it was refused as
   * "not a function literal that returns Coroutine" (found from outside). A body named as a
   * compiler names lambda bodies that returns Coroutine and awaits is an async lambda however it is
   * called.
   */
  @Test
  void scalacOptLocal_lambdaBodyCalledDirectly_isRewrittenAsAnAsyncLambda() throws Exception {
    TransformResult r = Samples.TRANSFORMER.transform(resource("scalac/optlocal/OptLocal$.class"));
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.methodsRewritten()).as("iv, f, $anonfun$f$1").isEqualTo(3);
    TransformingClassLoader.verify(r.bytes());
    assertThat(runScalaObject(r.bytes(), "optlocal.OptLocal$", "f", 41)).isEqualTo("x41");
  }

  static final String KOTLIN_REIFIED =
      "package ktreif\n"
          + "import dev.coroutine.*\n"
          + "import dev.coroutine.Coroutines.*\n"
          + "inline fun <reified T> awaitAs(c: Coroutine<*>): T = await(c) as T\n"
          + "@Async fun iv(x: Int): Coroutine<Int> { await(sleep(1)); return done(x) }\n"
          + "@Async fun work(): Coroutine<Int> { val n: Int = awaitAs(iv(41)); return done(n + 1) }\n";

  /**
   * kotlinc inlines an {@code inline fun <reified T>} into each caller and also writes a synthetic
   * copy of it that throws if run ({@code Intrinsics.reifiedOperationMarker}): its await got the
   * whole file facade refused (found from outside). The copy is left as it is.
   */
  @Test
  void kotlinReifiedInlineHelperThatAwaits_itsUncallableCopyIsLeftAlone() throws Exception {
    Map<String, byte[]> reified = KotlinCompiler.compile(Map.of("Reified.kt", KOTLIN_REIFIED));
    TransformResult r = Samples.TRANSFORMER.transform(reified.get("ktreif.ReifiedKt"));
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.methodsRewritten()).as("iv, work").isEqualTo(2);
    MapClassLoader loader = new MapClassLoader(reified);
    Class<?> c = loader.loadClass("ktreif.ReifiedKt");
    assertThat(Coroutines.run((Coroutine<?>) c.getMethod("work").invoke(null))).isEqualTo(42);
    assertThat(loader.diagnostics).isEmpty();
  }

  static final String KOTLIN_INLINE_HELPERS =
      "package ktinl\n"
          + "import dev.coroutine.*\n"
          + "import dev.coroutine.Coroutines.*\n"
          + "@Async fun iv(x: Int): Coroutine<Int> { await(sleep(1)); return done(x) }\n"
          + "@Async inline fun plusOne(x: Int): Coroutine<Int> { return done(await(iv(x)) + 1) }\n";

  static final String KOTLIN_INLINE_CALLER =
      "package ktinl\n"
          + "import dev.coroutine.Coroutines.*\n"
          + "fun twice(): Int {\n"
          + "  val a = run(plusOne(1))\n"
          + "  return a + run(plusOne(41))\n" // line 5: kotlinc inlines plusOne's await here
          + "}\n";

  /**
   * kotlinc inlines an {@code inline fun} that awaits into a plain caller, and numbers the inlined
   * lines past the caller's file end: the refusal said "Main.kt:8" of a file of 6 lines (found from
   * outside). The class's SMAP maps the line back: the call's line, and where the inlined code is.
   */
  @Test
  void kotlinInlineFunctionThatAwaits_inlinedIntoAPlainCaller_isRefusedAtTheCallsLine()
      throws Exception {
    Map<String, byte[]> classes =
        KotlinCompiler.compile(
            Map.of("Helpers.kt", KOTLIN_INLINE_HELPERS, "Main.kt", KOTLIN_INLINE_CALLER));
    TransformResult r = Samples.TRANSFORMER.transform(classes.get("ktinl.MainKt"));
    assertThat(r.diagnostics()).hasSize(2);
    assertThat(r.diagnostics().get(0).format())
        .startsWith("Main.kt:4: await() in MainKt.twice, which is not @Async")
        .contains("(at code kotlinc inlined here from Helpers.kt:5)");
    assertThat(r.diagnostics().get(1).format()).startsWith("Main.kt:5: ");
  }

  static final String KOTLIN_ADVICE =
      "package ktadv\n"
          + "import dev.coroutine.*\n"
          + "import dev.coroutine.Coroutines.*\n"
          + "@Async fun iv(x: Int): Coroutine<Int> { await(sleep(1)); return done(x) }\n"
          + "object Lam {\n"
          + "  @JvmStatic fun make(): () -> Coroutine<Int> =\n"
          + "    @JvmSerializableLambda { done(await(iv(1)) + 1) }\n" // line 7
          + "}\n"
          + "object Fixed {\n"
          + "  @JvmStatic fun make(): () -> Coroutine<Int> =\n"
          + "    @JvmSerializableLambda @Async { done(await(iv(1)) + 1) }\n"
          + "}\n"
          + "object Dflt {\n"
          + "  @JvmStatic @Async fun withDefault(x: Int = await(iv(2))): Coroutine<Int> =\n"
          + "    done(x + 1)\n"
          + "}\n";

  /**
   * Refusals of code kotlinc made say which construct it is and advice that can be followed, not
   * "annotate the method @Async" (found from outside): a lambda compiled as a class can be
   * annotated, and then runs; a parameter's default value cannot suspend.
   */
  @Test
  void kotlinClassLambdaAndDefaultValue_thatAwait_areRefusedWithAdviceThatWorks() throws Exception {
    Map<String, byte[]> classes = KotlinCompiler.compile(Map.of("Advice.kt", KOTLIN_ADVICE));
    Diagnostic lambda = onlyDiagnostic(classes.get("ktadv.Lam$make$1"));
    assertThat(lambda.format())
        .startsWith("Advice.kt:7: ")
        .contains("a Kotlin lambda compiled as a class")
        .contains("`@Async { ... }`");
    Diagnostic dflt = onlyDiagnostic(classes.get("ktadv.Dflt"));
    assertThat(dflt.message())
        .contains("a parameter's default value")
        .doesNotContain("annotate the method");

    MapClassLoader loader = new MapClassLoader(classes);
    Class<?> fixed = loader.loadClass("ktadv.Fixed");
    Object made = fixed.getMethod("make").invoke(null);
    Coroutine<?> c = (Coroutine<?>) ((kotlin.jvm.functions.Function0<?>) made).invoke();
    assertThat(Coroutines.run(c)).isEqualTo(2);
    assertThat(loader.diagnostics).isEmpty();
  }

  /** The same for scalac's default value and Groovy's lambda (their own class files). */
  @Test
  void scalacDefaultValueAndGroovyLambda_thatAwait_sayWhatTheyAre() throws Exception {
    Diagnostic dflt = onlyDiagnostic(resource("scalac/dflt/Dflt$.class"));
    assertThat(dflt.format()).startsWith("Dflt.scala:6: ").contains("a parameter's default value");
    Diagnostic lambda = onlyDiagnostic(resource("groovyc/glam/GLam$_make_lambda1.class"));
    assertThat(lambda.format())
        .startsWith("GLam.groovy:9: ")
        .contains("a Groovy lambda")
        .doesNotContain("annotate the method");
  }

  /** Runs {@code method} of the Scala object {@code className} (its MODULE$) to its result. */
  private static Object runScalaObject(
      byte[] rewritten, String className, String method, Object... args) throws Exception {
    ClassVersionsTest.BytesLoader loader =
        new ClassVersionsTest.BytesLoader(Map.of(className.replace('.', '/'), rewritten));
    Class<?> c = loader.loadClass(className);
    for (java.lang.reflect.Method m : c.getMethods()) {
      if (m.getName().equals(method) && m.getParameterCount() == args.length) {
        return Coroutines.run((Coroutine<?>) m.invoke(c.getField("MODULE$").get(null), args));
      }
    }
    throw new AssertionError("no " + method + " in " + className);
  }

  private byte[] resource(String name) throws java.io.IOException {
    try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void kotlinFunctionThatAwaits_notAsync_isRefusedAskingForAsync() {
    Diagnostic d = onlyDiagnostic(kotlin.get("ktbad.PlainFunction"));
    assertThat(d.methodName()).isEqualTo("plain");
    assertThat(d.format()).startsWith("Refused.kt:6: ");
    assertThat(d.message()).contains("not @Async").contains("annotate the method @Async");
  }

  @Test
  void kotlinLambdaThatAwaits_notReturningCoroutine_isRefusedAsALambda() {
    Diagnostic d = onlyDiagnostic(kotlin.get("ktbad.PlainLambda"));
    assertThat(d.methodName()).isEqualTo("lambda in outer");
    assertThat(d.format()).startsWith("Refused.kt:12: ");
    assertThat(d.message())
        .contains("lambda that does not return Coroutine")
        .doesNotContain("annotate");
  }

  @Test
  void kotlinReturnNull_isRefusedSayingWhatToWrite() {
    Diagnostic d = onlyDiagnostic(kotlin.get("ktbad.ReturnsNull"));
    assertThat(d.methodName()).isEqualTo("get");
    assertThat(d.format()).startsWith("Refused.kt:19: ");
    assertThat(d.message()).contains("`return done(null);`");
  }

  @Test
  void kotlinCatchSwallowingCancellation_isAWarning() {
    TransformResult r = Samples.TRANSFORMER.transform(kotlin.get("ktbad.Swallows"));
    assertThat(r.changed()).isTrue();
    assertThat(r.warnings()).hasSize(1);
    assertThat(r.warnings().get(0).format())
        .startsWith("Refused.kt:26: catch (Exception) around an await swallows cancellation");
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void javaLambdaThatAwaits_notReturningCoroutine_isRefusedAsALambda(InMemoryCompiler compiler) {
    byte[] c = compiler.compile(Map.of("jbad.PlainLambda", JAVA_REFUSED)).get("jbad.PlainLambda");
    Diagnostic d = onlyDiagnostic(c);
    assertThat(d.methodName()).isEqualTo("lambda in outer");
    assertThat(d.format()).startsWith("PlainLambda.java:8: ");
    assertThat(d.message()).contains("lambda that does not return Coroutine");
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void javaMethodThatAwaits_notAsync_isRefusedAskingForAsync(InMemoryCompiler compiler) {
    byte[] c =
        compiler.compile(Map.of("jbad.PlainMethod", JAVA_PLAIN_METHOD)).get("jbad.PlainMethod");
    Diagnostic d = onlyDiagnostic(c);
    assertThat(d.methodName()).isEqualTo("plain");
    assertThat(d.format()).startsWith("PlainMethod.java:6: ");
    assertThat(d.message())
        .contains("PlainMethod.plain, which is not @Async: annotate the method @Async");
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void methodReferenceTarget_andNestedLambdas_areRewrittenAndRun(InMemoryCompiler compiler)
      throws Exception {
    MapClassLoader loader =
        new MapClassLoader(compiler.compile(Map.of("jref.Reference", JAVA_REFERENCE)));
    Class<?> c = loader.loadClass("jref.Reference");
    @SuppressWarnings("unchecked")
    Supplier<Coroutine<Integer>> s =
        (Supplier<Coroutine<Integer>>) c.getMethod("supplier").invoke(null);
    @SuppressWarnings("unchecked")
    Supplier<Coroutine<String>> n =
        (Supplier<Coroutine<String>>) c.getMethod("nested").invoke(null);
    assertThat(Coroutines.run(s.get())).isEqualTo(42);
    assertThat(Coroutines.run(n.get())).isEqualTo("n43");
    assertThat(loader.diagnostics).isEmpty();
  }

  static final String JAVA_DEAD_LAMBDAS =
      String.join(
          "\n",
          "package jdead;",
          "import static dev.coroutine.Coroutines.*;",
          "import dev.coroutine.*;",
          "import java.util.function.Supplier;",
          "public class DeadLambdas {",
          "  static final boolean DEBUG = false;",
          "  @Async public static Coroutine<Integer> work() {",
          "    int base = await(sleep(1, 40));",
          "    if (DEBUG) {",
          "      Supplier<Coroutine<Integer>> probe = () -> { await(sleep(1)); return done(1); };",
          "      base += await(probe.get());",
          "    }",
          "    return done(base + 2);",
          "  }",
          "  @Async public static Coroutine<Integer> early() {",
          "    if (true) return done(await(sleep(1, 42)));",
          "    Supplier<Coroutine<Integer>> after = () -> { await(sleep(1)); return done(0); };",
          "    return after.get();",
          "  }",
          "}",
          "");

  /**
   * javac keeps the body of a lambda whose call site it dropped as dead code (an {@code if (DEBUG)}
   * block with a false constant, code after {@code if (true) return}): found from outside, that
   * body was refused as a method that awaits without {@code @Async} ("annotate the method", which
   * cannot be done), failing the build. Nothing can run it: it is left as it is, and the rest of
   * the class is rewritten.
   */
  @ParameterizedTest
  @MethodSource("compilers")
  void lambdaBodyWhoseCallSiteWasDroppedAsDeadCode_isLeftAlone(InMemoryCompiler compiler)
      throws Exception {
    Map<String, byte[]> classes = compiler.compile(Map.of("jdead.DeadLambdas", JAVA_DEAD_LAMBDAS));
    TransformResult r = Samples.TRANSFORMER.transform(classes.get("jdead.DeadLambdas"));
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.changed()).isTrue();
    MapClassLoader loader = new MapClassLoader(classes);
    Class<?> c = loader.loadClass("jdead.DeadLambdas");
    assertThat(Coroutines.run((Coroutine<?>) c.getMethod("work").invoke(null))).isEqualTo(42);
    assertThat(Coroutines.run((Coroutine<?>) c.getMethod("early").invoke(null))).isEqualTo(42);
    assertThat(loader.diagnostics).isEmpty();
  }

  /** Async lambdas as the bodies of the runtime's scopes: asyncio's `async with` blocks. */
  static final String SCOPE_BODIES =
      String.join(
          "\n",
          "package jscope;",
          "import static dev.coroutine.Coroutines.*;",
          "import dev.coroutine.*;",
          "import java.time.Duration;",
          "public class Scopes {",
          "  @Async public static Coroutine<Integer> main() throws Exception {",
          "    int a = await(timeout(Duration.ofSeconds(5), scope -> {",
          "      await(sleep(1));",
          "      return done(scope.expired() ? -1 : 20);",
          "    }));",
          "    int b = await(TaskGroup.run(tg -> {",
          "      Task<Integer> t = tg.createTask(sleep(1, 2));",
          "      return done(await(t) * 10 + 2);",
          "    }));",
          "    return done(a + b);",
          "  }",
          "}");

  /**
   * An async lambda is the natural body of {@code timeout} (asyncio's {@code async with timeout()})
   * and of {@code TaskGroup.run}: both bodies' types return {@code Coroutine}, so the lambda is
   * rewritten. The timeout's body returned {@code Awaitable}, and such a lambda was refused with
   * advice that could not be followed (found by a reviewer).
   */
  @ParameterizedTest
  @MethodSource("compilers")
  void asyncLambdas_asTheBodiesOfTimeoutAndTaskGroup_areRewrittenAndRun(InMemoryCompiler compiler)
      throws Exception {
    MapClassLoader loader =
        new MapClassLoader(compiler.compile(Map.of("jscope.Scopes", SCOPE_BODIES)));
    Class<?> c = loader.loadClass("jscope.Scopes");
    @SuppressWarnings("unchecked")
    Coroutine<Integer> main = (Coroutine<Integer>) c.getMethod("main").invoke(null);
    assertThat(Coroutines.run(main)).isEqualTo(42);
    assertThat(loader.diagnostics).isEmpty();
  }
}
