package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code return other();} awaits {@code other} at the return, after the compiler's copy of the
 * finally block: inside a try block that ends before the return, {@code other} runs after the
 * finally (after a try-with-resources closed its resource) and outside the catch blocks. Found from
 * outside (a twin of Python's {@code try: return await other() finally: ...} printed its finally
 * line first). The build warns at the line; the shapes where the try covers the return, or where
 * the coroutine is made outside the try, are not warned. Every compiler of {@link
 * InMemoryCompiler#all()}: whether a try covers the return is the compiler's layout, so the test
 * checks the warning against what the rewritten code does.
 */
class TailReturnInTryTest {
  static final String SOURCE =
      "package tr;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "public class Tail {\n"
          + "  public static final StringBuilder LOG = new StringBuilder();\n"
          + "  @Async static Coroutine<String> other(boolean fail) {\n"
          + "    await(sleep(0));\n"
          + "    LOG.append(\"other;\");\n"
          + "    if (fail) { throw new IllegalStateException(\"other failed\"); }\n"
          + "    return done(\"other\");\n"
          + "  }\n"
          + "  @Async public static Coroutine<String> inFinally(boolean fail) {\n"
          + "    try {\n"
          + "      return other(fail); // @inFinally\n"
          + "    } finally {\n"
          + "      LOG.append(\"finally;\");\n"
          + "    }\n"
          + "  }\n"
          + "  @Async public static Coroutine<String> withResource(boolean fail) {\n"
          + "    try (AutoCloseable r = () -> LOG.append(\"closed;\")) {\n"
          + "      return other(fail); // @withResource\n"
          + "    } catch (Exception e) {\n"
          + "      return done(\"caught\");\n"
          + "    }\n"
          + "  }\n"
          + "  @Async public static Coroutine<String> inCatchOnly(boolean fail) {\n"
          + "    try {\n"
          + "      return other(fail); // @inCatchOnly\n"
          + "    } catch (IllegalStateException e) {\n"
          + "      LOG.append(\"caught;\");\n"
          + "      return done(\"caught\");\n"
          + "    }\n"
          + "  }\n"
          + "  @Async public static Coroutine<String> awaitedInside(boolean fail) {\n"
          + "    try {\n"
          + "      return done(await(other(fail)));\n"
          + "    } finally {\n"
          + "      LOG.append(\"finally;\");\n"
          + "    }\n"
          + "  }\n"
          + "  @Async public static Coroutine<String> madeOutside(boolean fail) {\n"
          + "    Coroutine<String> c = other(fail);\n"
          + "    try {\n"
          + "      LOG.append(\"try;\");\n"
          + "    } finally {\n"
          + "      LOG.append(\"finally;\");\n"
          + "    }\n"
          + "    return c;\n"
          + "  }\n"
          + "}\n";

  static int line(String marker) {
    return InMemoryCompiler.markedLine(SOURCE, marker);
  }

  @ParameterizedTest
  @MethodSource("dev.coroutine.transform.InMemoryCompiler#all")
  void aReturnedCoroutineMadeInATryThatEndsBeforeTheReturn_isWarnedAtItsLine(
      InMemoryCompiler compiler) throws Exception {
    Samples.Warned w =
        Samples.compileAndRewrite(
            compiler,
            "tr.Tail",
            SOURCE,
            "runs after the try's finally block",
            "return done(await(");
    List<String> warned = new ArrayList<>(w.at());
    // a try with only catch blocks covers the return or not as the compiler lays it out (javac's
    // range ends before the return instruction): warned exactly where the catch misses the failure
    boolean catchMisses = warned.remove("inCatchOnly:" + line("inCatchOnly"));
    assertThat(warned)
        .containsExactlyInAnyOrder(
            "inFinally:" + line("inFinally"), "withResource:" + line("withResource"));
    Class<?> tail = w.rewritten();
    StringBuilder log = (StringBuilder) tail.getField("LOG").get(null);
    // what the warning says, as the rewritten code does it
    assertThat(outcome(tail, log, "inFinally", false)).isEqualTo("other|finally;other;");
    assertThat(outcome(tail, log, "withResource", false)).isEqualTo("other|closed;other;");
    assertThat(outcome(tail, log, "withResource", true))
        .isEqualTo("IllegalStateException|closed;other;");
    // where the coroutine is awaited inside the try, or made outside it, it runs where it reads
    assertThat(outcome(tail, log, "inCatchOnly", true))
        .isEqualTo(catchMisses ? "IllegalStateException|other;" : "caught|other;caught;");
    assertThat(outcome(tail, log, "awaitedInside", false)).isEqualTo("other|other;finally;");
    assertThat(outcome(tail, log, "madeOutside", false)).isEqualTo("other|try;finally;other;");
  }

  private static String outcome(Class<?> c, StringBuilder log, String method, boolean fail)
      throws Exception {
    log.setLength(0);
    String result;
    try {
      result =
          (String)
              Coroutines.run((Coroutine<?>) c.getMethod(method, boolean.class).invoke(null, fail));
    } catch (IllegalStateException e) {
      result = e.getClass().getSimpleName();
    }
    return result + "|" + log;
  }
}
