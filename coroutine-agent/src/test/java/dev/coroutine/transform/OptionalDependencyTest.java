package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A class that uses an optional library (on the class path when it was built, maybe not when it
 * runs) only on a path that is not taken loads and runs without it after the rewrite, as it does
 * without: the rewrite must not make the verifier load a type the original did not need (a restored
 * value is cast to its own type, so the verifier compares names, as in the original).
 */
class OptionalDependencyTest {
  private static final Map<String, String> SOURCES =
      Map.of(
          "opt.Plugin",
          "package opt;\npublic interface Plugin { String name(); }\n",
          "opt.Factory",
          "package opt;\npublic class Factory {\n"
              + "  public static Plugin make() {\n"
              + "    return new Plugin() { public String name() { return \"plugin\"; } };\n"
              + "  }\n}\n",
          "app.App",
          "package app;\n"
              + "import static dev.coroutine.Coroutines.*;\n"
              + "import dev.coroutine.*;\n"
              + "public class App {\n"
              + "  @Async public static Coroutine<String> run(boolean use) {\n"
              + "    if (use) {\n"
              + "      opt.Plugin p = opt.Factory.make();\n"
              + "      await(sleep(0));\n"
              + "      return done(p.name());\n"
              + "    }\n"
              + "    await(sleep(0));\n"
              + "    return done(\"no plugin\");\n"
              + "  }\n"
              + "}\n",
          "app.Taker",
          "package app;\n"
              + "import static dev.coroutine.Coroutines.*;\n"
              + "import dev.coroutine.*;\n"
              + "public class Taker {\n"
              + "  @Async public static Coroutine<String> take(opt.Plugin p, String s) {\n"
              + "    await(sleep(0));\n"
              + "    return done(p == null ? \"none \" + s : p.name());\n"
              + "  }\n"
              + "}\n",
          "app.Main",
          "package app;\n"
              + "import dev.coroutine.*;\n"
              + "public class Main {\n"
              + "  public static Coroutine<String> takeNothing() {\n"
              + "    return Taker.take(null, \"x\");\n"
              + "  }\n"
              + "}\n");

  @Test
  void interfaceOfAnAbsentLibrary_inALocalAcrossAnAwait_isNotNeededWhereItIsNotUsed()
      throws Throwable {
    Class<?> c = Class.forName("app.App", true, withoutLibrary()); // linked: verified
    assertThat(Samples.run(c, "run", false)).isEqualTo("no plugin");
  }

  @Test
  void interfaceOfAnAbsentLibrary_asAParameterType_isNotNeededForANullArgument() throws Throwable {
    // the stub's call site passes references as Object: linking it resolves no parameter class
    Class<?> c = Class.forName("app.Main", true, withoutLibrary());
    assertThat(Samples.run(c, "takeNothing")).isEqualTo("none x");
  }

  /** The app's classes rewritten with the library readable, defined where it is absent. */
  private ClassLoader withoutLibrary() {
    Map<String, byte[]> built = InMemoryCompiler.compile(SOURCES, "17");
    ClassFileLocator buildPath = name -> built.get(name.replace('/', '.'));
    CoroutineTransformer transformer =
        new CoroutineTransformer(
            buildPath.orElse(ClassFileLocator.of(getClass().getClassLoader())));
    return new ClassLoader(getClass().getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (!name.startsWith("app.")) {
          throw new ClassNotFoundException(name);
        }
        TransformResult r = transformer.transform(built.get(name));
        byte[] b = r.changed() ? r.bytes() : built.get(name);
        return defineClass(name, b, 0, b.length);
      }
    };
  }
}
