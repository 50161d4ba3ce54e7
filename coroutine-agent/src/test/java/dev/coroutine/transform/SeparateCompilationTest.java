package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Classes compiled at different times: an {@code @Async} method whose parameter types the class
 * could name when it was compiled but not any more when it is rewritten and run (a nested class
 * made package-private since; other JVM languages emit such signatures directly). The original
 * method never resolves its parameter types, so neither may the rewritten one: its stub passes
 * references as Object, and the body restores them as a supertype the class can name.
 */
class SeparateCompilationTest {
  private static final String USER =
      "package a;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "public class X {\n"
          + "  @Async public static Coroutine<String> m(b.Pub.Hidden h, b.Pub.Hidden[] hs) {\n"
          + "    await(sleep(0));\n"
          + "    return done(h + \" \" + hs.length);\n"
          + "  }\n"
          + "}\n";

  private static String pub(String access) {
    return "package b;\n"
        + "public class Pub {\n"
        + "  "
        + access
        + " static class Hidden { public String toString() { return \"hidden\"; } }\n"
        + "}\n";
  }

  private static final String CALLER =
      "package b;\n"
          + "public class Caller {\n"
          + "  public static Object go() throws Throwable {\n"
          + "    return dev.coroutine.Coroutines.run(a.X.m(new Pub.Hidden(), new Pub.Hidden[2]));\n"
          + "  }\n"
          + "}\n";

  @Test
  void parameterTypeNoLongerAccessible_runsAsTheOriginalWould() throws Throwable {
    Map<String, byte[]> then =
        InMemoryCompiler.compile(
            Map.of("a.X", USER, "b.Pub", pub("public"), "b.Caller", CALLER), "17");
    Map<String, byte[]> now = new HashMap<>(then);
    now.putAll(InMemoryCompiler.compile(Map.of("b.Pub", pub("")), "17")); // Hidden now hidden
    MapClassLoader loader = new MapClassLoader(now);
    Class<?> caller = loader.loadClass("b.Caller");
    assertThat(caller.getMethod("go").invoke(null)).isEqualTo("hidden 2");
    assertThat(loader.diagnostics).isEmpty();
  }
}
