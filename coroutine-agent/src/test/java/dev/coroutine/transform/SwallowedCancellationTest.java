package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Task;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A handler around an await that catches CancellationException (catch Exception, Throwable,
 * CancellationException, a finally that returns) and does not throw it again makes a cancelled task
 * go on: the build warns, naming the handler's line, and still rewrites the class. A handler that
 * rethrows on some path, or a narrower handler that takes the cancellation first, gets no warning;
 * {@code @CatchesCancellation} on the method or class silences it. Compiled by every compiler of
 * {@link InMemoryCompiler#all()}.
 */
class SwallowedCancellationTest {
  static final String SOURCE =
      "package sw;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "import java.io.IOException;\n"
          + "import java.util.concurrent.CancellationException;\n"
          + "import java.util.function.Supplier;\n"
          + "public class Swallow {\n"
          + "  @Async public static Coroutine<String> exception() {\n"
          + "    try {\n"
          + "      await(sleep(1_000));\n"
          + "    } catch (Exception e) { // @exception\n"
          + "      return done(\"fallback\");\n"
          + "    }\n"
          + "    return done(\"slept\");\n"
          + "  }\n"
          + "  @Async static Coroutine<Integer> throwable(int n) {\n"
          + "    int s = 0;\n"
          + "    for (int i = 0; i < n; i++) {\n"
          + "      try {\n"
          + "        s += await(sleep(1)) == null ? 1 : 0;\n"
          + "      } catch (Throwable t) { // @throwable\n"
          + "        s = -1;\n"
          + "      }\n"
          + "    }\n"
          + "    return done(s);\n"
          + "  }\n"
          + "  @Async static Coroutine<String> cancellation() {\n"
          + "    try {\n"
          + "      await(sleep(1));\n"
          + "    } catch (CancellationException e) { // @cancellation\n"
          + "      System.out.print(\"\");\n"
          + "    }\n"
          + "    return done(\"\");\n"
          + "  }\n"
          + "  @Async static Coroutine<String> finallyReturns() {\n"
          + "    try {\n"
          + "      await(sleep(1));\n"
          // one line: javac gives the handler the body's line, ECJ the finally's
          + "    } finally { return done(\"f\"); } // @finally\n"
          + "  }\n"
          + "  @Async static Coroutine<String> nestedOuterSwallows() {\n"
          + "    try {\n"
          + "      try {\n"
          + "        await(sleep(1));\n"
          + "      } catch (Exception inner) {\n"
          + "        throw inner;\n"
          + "      }\n"
          + "    } catch (RuntimeException outer) { // @outer\n"
          + "      return done(\"o\");\n"
          + "    }\n"
          + "    return done(\"\");\n"
          + "  }\n"
          + "  static Supplier<Coroutine<String>> inLambda() {\n"
          + "    return () -> {\n"
          + "      try {\n"
          + "        return done(\"\" + await(sleep(1)));\n"
          + "      } catch (IllegalStateException e) { // @lambda\n"
          + "        return done(\"l\");\n"
          + "      }\n"
          + "    };\n"
          + "  }\n"
          // a rethrow only as a type a CancellationException is not (found from outside)
          + "  @Async static Coroutine<String> rethrowsOnlyErrors() {\n"
          + "    try {\n"
          + "      await(sleep(1));\n"
          + "    } catch (Throwable t) { // @errors\n"
          + "      if (t instanceof Error) throw (Error) t;\n"
          + "      return done(\"x\");\n"
          + "    }\n"
          + "    return done(\"\");\n"
          + "  }\n"
          // ---- no warning from here on
          + "  @Async static Coroutine<String> rethrowsRuntimeExceptions() {\n"
          + "    try {\n"
          + "      await(sleep(1));\n"
          + "    } catch (Exception e) {\n"
          + "      if (e instanceof RuntimeException) throw (RuntimeException) e;\n"
          + "      return done(\"x\");\n"
          + "    }\n"
          + "    return done(\"\");\n"
          + "  }\n"
          + "  @Async static Coroutine<String> rethrowsOnOnePath() {\n"
          + "    try {\n"
          + "      await(sleep(1_000));\n"
          + "    } catch (Exception e) {\n"
          + "      if (e instanceof CancellationException) throw (CancellationException) e;\n"
          + "      return done(\"x\");\n"
          + "    }\n"
          + "    return done(\"\");\n"
          + "  }\n"
          + "  @Async static Coroutine<String> narrowerHandlerFirst() {\n"
          + "    try {\n"
          + "      await(sleep(1));\n"
          + "    } catch (CancellationException c) {\n"
          + "      throw c;\n"
          + "    } catch (Exception e) {\n"
          + "      return done(\"x\");\n"
          + "    }\n"
          + "    return done(\"\");\n"
          + "  }\n"
          + "  @Async static Coroutine<String> unrelatedOrRethrowing(AutoCloseable r) throws Exception {\n"
          + "    try {\n"
          + "      await(sleep(1));\n"
          + "    } catch (ArithmeticException e) {\n"
          + "      return done(\"a\");\n"
          + "    } finally {\n"
          + "      System.out.print(\"\");\n"
          + "    }\n"
          + "    try (AutoCloseable c = r) {\n"
          + "      await(sleep(1));\n"
          + "    }\n"
          + "    try {\n"
          + "      Integer.parseInt(\"1\");\n"
          + "    } catch (Exception notAroundAnAwait) {\n"
          + "    }\n"
          + "    await(sleep(1));\n"
          + "    return done(\"\");\n"
          + "  }\n"
          + "  @CatchesCancellation\n"
          + "  @Async static Coroutine<String> silenced() {\n"
          + "    Supplier<Coroutine<String>> alsoSilenced = () -> {\n"
          + "      try { await(sleep(1)); } catch (Throwable t) { }\n"
          + "      return done(\"\");\n"
          + "    };\n"
          + "    try {\n"
          + "      await(sleep(1));\n"
          + "    } catch (Exception e) {\n"
          + "    }\n"
          + "    return alsoSilenced.get();\n"
          + "  }\n"
          + "}\n";

  static final String SILENCED_CLASS =
      "package sw;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "@CatchesCancellation\n"
          + "public class Silenced {\n"
          + "  @Async static Coroutine<String> get() {\n"
          + "    try { await(sleep(1)); } catch (Exception e) { }\n"
          + "    return done(\"\");\n"
          + "  }\n"
          + "}\n";

  static List<InMemoryCompiler> compilers() {
    return InMemoryCompiler.all();
  }

  /** {@link #SOURCE} and {@link #SILENCED_CLASS} compiled once per compiler. */
  private static final Map<String, Map<String, byte[]>> COMPILED = new ConcurrentHashMap<>();

  static Map<String, byte[]> compiled(InMemoryCompiler compiler) {
    return COMPILED.computeIfAbsent(
        compiler.name(),
        n -> compiler.compile(Map.of("sw.Swallow", SOURCE, "sw.Silenced", SILENCED_CLASS)));
  }

  static int line(String marker) {
    return InMemoryCompiler.markedLine(SOURCE, marker);
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void handlersSwallowingCancellation_warnAtTheirLine_andTheClassIsStillRewritten(
      InMemoryCompiler compiler) {
    TransformResult r = Samples.TRANSFORMER.transform(compiled(compiler).get("sw.Swallow"));
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.changed()).isTrue();
    List<String> where = new ArrayList<>();
    for (Diagnostic w : r.warnings()) {
      assertThat(w.className()).isEqualTo("sw.Swallow");
      assertThat(w.message()).contains("swallows cancellation").contains("@CatchesCancellation");
      assertThat(w.format()).startsWith("Swallow.java:" + w.line() + ": ");
      where.add(w.methodName() + ":" + w.line());
    }
    assertThat(where)
        .containsExactlyInAnyOrder(
            "exception:" + line("exception"),
            "throwable:" + line("throwable"),
            "cancellation:" + line("cancellation"),
            "finallyReturns:" + line("finally"),
            "nestedOuterSwallows:" + line("outer"),
            "lambda in inLambda:" + line("lambda"),
            "rethrowsOnlyErrors:" + line("errors"));
    assertThat(r.warnings().get(0).message()).contains("catch (");
  }

  /**
   * Scala's {@code case NonFatal(e) => ...} rethrows only what NonFatal does not match, and a
   * CancellationException is matched: warned, though the handler rethrows on a path (found from
   * outside with Scala 2.13 and 3; here in Java, as Scala compiles it, against a stand-in).
   */
  @Test
  void scalaNonFatalCatchAll_isWarned() {
    String nonFatal =
        "package scala.util.control;\n"
            + "public final class NonFatal$ {\n"
            + "  public static final NonFatal$ MODULE$ = new NonFatal$();\n"
            + "  public Object unapply(Throwable t) { return t instanceof Error ? null : t; }\n"
            + "}\n";
    String src =
        "package sw;\n"
            + "import static dev.coroutine.Coroutines.*;\n"
            + "import dev.coroutine.*;\n"
            + "public class Scalaish {\n"
            + "  @Async static Coroutine<String> work() throws Throwable {\n"
            + "    try {\n"
            + "      await(sleep(1));\n"
            + "    } catch (Throwable t) {\n" // line 8
            + "      Object e = scala.util.control.NonFatal$.MODULE$.unapply(t);\n"
            + "      if (e == null) throw t;\n"
            + "      return done(\"went on\");\n"
            + "    }\n"
            + "    return done(\"slept\");\n"
            + "  }\n"
            + "}\n";
    Map<String, byte[]> c =
        InMemoryCompiler.compile(
            Map.of("sw.Scalaish", src, "scala.util.control.NonFatal$", nonFatal), "17");
    TransformResult r = Samples.TRANSFORMER.transform(c.get("sw.Scalaish"));
    assertThat(r.changed()).isTrue();
    assertThat(r.warnings()).hasSize(1);
    assertThat(r.warnings().get(0).format())
        .startsWith("Scalaish.java:8: catch (Throwable) around an await swallows cancellation");
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void classMarkedCatchesCancellation_hasNoWarnings(InMemoryCompiler compiler) {
    TransformResult r = Samples.TRANSFORMER.transform(compiled(compiler).get("sw.Silenced"));
    assertThat(r.changed()).isTrue();
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void theWarnedShape_reallySwallowsCancellation_whileTheRethrowingOneIsCancelled()
      throws Exception {
    MapClassLoader loader = new MapClassLoader(compiled(InMemoryCompiler.javac(17)));
    Class<?> c = loader.loadClass("sw.Swallow");
    Method rethrowing = c.getDeclaredMethod("rethrowsOnOnePath");
    rethrowing.setAccessible(true);
    // the task went on after cancel(): it completed with the handler's value
    assertThat(cancelWhileSleeping((Coroutine<?>) c.getMethod("exception").invoke(null)))
        .isEqualTo("fallback");
    assertThat(cancelWhileSleeping((Coroutine<?>) rethrowing.invoke(null))).isEqualTo("cancelled");
  }

  /** Runs {@code c} as a task, cancels it 5 ms in (while it awaits), says how the task ended. */
  static Object cancelWhileSleeping(Coroutine<?> c) {
    EventLoop loop = new EventLoop();
    try {
      Task<?> task = loop.createTask(c);
      loop.callLater(0.005, task::cancel);
      return loop.runUntilComplete(task);
    } catch (CancellationException e) {
      return "cancelled";
    } finally {
      loop.close();
    }
  }
}
