package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.transform.UnreadableSupertypesTest.BytesLoader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A class rewritten against one version of a library must load against the next as the compiler's
 * class does: the rewrite may rely on no superclass the compiler's frames did not name. Found from
 * outside: a local declared as an interface, holding one of two classes that shared a superclass at
 * build time, was saved and its frames written as that superclass ({@code checkcast Animal}), and
 * the class failed verification once the library moved one of the two out from under it.
 */
class LibraryHierarchyChangeTest {
  private static final String NAMED = "package lib;\npublic interface Named { String name(); }\n";

  private static final String ANIMAL =
      "package lib;\npublic abstract class Animal { public String move() { return \"moves\"; } }\n";

  private static final String DOG =
      "package lib;\npublic class Dog extends Animal implements Named {\n"
          + "  public String name() { return \"dog\"; } }\n";

  private static Map<String, String> library(String catSource) {
    return Map.of("lib.Named", NAMED, "lib.Animal", ANIMAL, "lib.Dog", DOG, "lib.Cat", catSource);
  }

  /** Version 1: Cat is an Animal. */
  private static final String CAT_V1 =
      "package lib;\npublic class Cat extends Animal implements Named {\n"
          + "  public String name() { return \"cat\"; } }\n";

  /** Version 2: Cat is still Named, no longer an Animal. */
  private static final String CAT_V2 =
      "package lib;\npublic class Cat implements Named {\n"
          + "  public String name() { return \"cat2\"; } }\n";

  private static final String APP =
      "package app;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "import lib.*;\n"
          + "public class App {\n"
          + "  @Async public static Coroutine<String> named(boolean dog) {\n"
          + "    Named n;\n"
          + "    if (dog) { n = new Dog(); } else { n = new Cat(); }\n"
          + "    await(sleep(0));\n"
          + "    return done(n.name());\n"
          + "  }\n"
          + "  @Async public static Coroutine<String> reassigned(boolean dog) {\n"
          + "    Named n = new Cat();\n"
          + "    for (int i = 0; i < 2; i++) {\n"
          + "      await(sleep(0));\n"
          + "      if (dog) { n = new Dog(); }\n"
          + "    }\n"
          + "    return done(n.name());\n"
          + "  }\n"
          + "  public static String plain() { return \"plain\"; }\n"
          + "}\n";

  /** Uses the common superclass as such: the rewrite must keep naming it where javac does. */
  private static final String ZOO =
      "package app;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "import lib.*;\n"
          + "public class Zoo {\n"
          + "  @Async public static Coroutine<String> animal(boolean dog) {\n"
          + "    Animal a = dog ? new Dog() : new Cat();\n"
          + "    await(sleep(0));\n"
          + "    return done(a.move() + \" \" + ((Named) a).name());\n"
          + "  }\n"
          + "}\n";

  /** The library, and the application built against it if {@code withApp}. */
  private static Map<String, byte[]> compile(String catSource, boolean withApp) throws Exception {
    Map<String, String> sources = new HashMap<>(library(catSource));
    if (withApp) {
      sources.put("app.App", APP);
      sources.put("app.Zoo", ZOO);
    }
    return InMemoryCompiler.compile(sources, "17");
  }

  private static byte[] rewrite(Map<String, byte[]> built, String name) {
    ClassFileLocator fromBuild =
        internal -> {
          byte[] b = built.get(internal.replace('/', '.'));
          return b != null ? b : ClassFileLocator.of(null).find(internal);
        };
    TransformResult r = new CoroutineTransformer(fromBuild).transform(built.get(name));
    assertThat(r.diagnostics()).as(name).isEmpty();
    assertThat(r.changed()).as(name).isTrue();
    return r.bytes();
  }

  @Test
  void rewrittenAgainstVersion1_loadsAndRunsAgainstVersion2_whereJavacsClassDoes()
      throws Exception {
    Map<String, byte[]> v1 = compile(CAT_V1, true);
    // (a conditional of Dog and Cat has javac's frames name their common superclass, even cast to
    // Named with javac 25: such a class breaks against v2 as compiled, and rewritten)
    assertThat(new String(v1.get("app.App"), StandardCharsets.ISO_8859_1))
        .as("javac's App names only Named")
        .doesNotContain("lib/Animal");
    byte[] app = rewrite(v1, "app.App");
    assertThat(new String(app, StandardCharsets.ISO_8859_1))
        .as("names no class javac's App did not")
        .doesNotContain("lib/Animal");

    Map<String, byte[]> v2 = compile(CAT_V2, false); // App compiles against it too
    BytesLoader loader = new BytesLoader(v2); // the library as it is at run time
    loader.put("app.App", app);
    for (String m : List.of("named", "reassigned")) {
      assertThat(UnreadableSupertypesTest.run(loader, "app.App", m, true)).as(m).isEqualTo("dog");
      assertThat(UnreadableSupertypesTest.run(loader, "app.App", m, false)).as(m).isEqualTo("cat2");
    }
  }

  @Test
  void aMergeTheFramesDeclareAsTheSuperclass_stillNamesIt() throws Exception {
    Map<String, byte[]> v1 = compile(CAT_V1, true);
    BytesLoader loader = new BytesLoader(v1);
    loader.put("app.Zoo", rewrite(v1, "app.Zoo"));
    assertThat(UnreadableSupertypesTest.run(loader, "app.Zoo", "animal", true))
        .isEqualTo("moves dog");
    assertThat(UnreadableSupertypesTest.run(loader, "app.Zoo", "animal", false))
        .isEqualTo("moves cat");
  }

  /**
   * Found from outside, under the agent: a child-first class loader whose resources are
   * parent-first served the class file of an older Cat (not an Animal) while it loaded the Cat the
   * application was built against (an Animal). The rewrite trusted that file over the class's own
   * frames, merged Dog and Cat to Object, and the class failed verification at {@code a.move()}.
   * Where the class's frames say more than a class file, the frames win: the JVM verified them.
   */
  @Test
  void aStaleClassFileThatTheFramesContradict_givesWayToTheFrames() throws Exception {
    Map<String, byte[]> built = compile(CAT_V1, true); // App and Zoo built against v1
    Map<String, byte[]> stale = compile(CAT_V2, false); // what getResource serves for lib
    ClassFileLocator staleResources =
        internal -> {
          String name = internal.replace('/', '.');
          byte[] b = name.startsWith("lib.") ? stale.get(name) : built.get(name);
          return b != null ? b : ClassFileLocator.of(null).find(internal);
        };
    TransformResult r = new CoroutineTransformer(staleResources).transform(built.get("app.Zoo"));
    assertThat(r.diagnostics()).isEmpty();
    BytesLoader loader = new BytesLoader(built); // the classes as the loader defines them
    loader.put("app.Zoo", r.bytes());
    assertThat(UnreadableSupertypesTest.run(loader, "app.Zoo", "animal", true))
        .isEqualTo("moves dog");
    assertThat(UnreadableSupertypesTest.run(loader, "app.Zoo", "animal", false))
        .isEqualTo("moves cat");
  }

  /**
   * The same with both facts stale, found from outside: the served Animal is an interface (an older
   * release) and the served Cat is no Animal. That the frames rely on a Cat being an Animal did not
   * count against the file, because a value of any class may go where an interface is expected; but
   * the class's own code calls {@code Animal.move} with {@code invokevirtual}, so Animal is a class
   * there. The code wins over the file about a type's kind, as the frames do about its supertypes;
   * the merge gave Object, and {@code a.move()} failed verification.
   */
  @Test
  void aStaleFileThatMakesTheSuperclassAnInterface_givesWayToTheCode() throws Exception {
    Map<String, byte[]> built = compile(CAT_V1, true);
    Map<String, String> older = new HashMap<>(library(CAT_V2));
    older.put("lib.Animal", "package lib;\npublic interface Animal { String move(); }\n");
    older.put(
        "lib.Dog",
        "package lib;\npublic class Dog implements Named {\n"
            + "  public String name() { return \"dog\"; } }\n");
    Map<String, byte[]> stale = InMemoryCompiler.compile(older, "17");
    ClassFileLocator staleResources =
        internal -> {
          String name = internal.replace('/', '.');
          byte[] b =
              name.equals("lib.Animal") || name.equals("lib.Cat")
                  ? stale.get(name)
                  : built.get(name);
          return b != null ? b : ClassFileLocator.of(null).find(internal);
        };
    TransformResult r = new CoroutineTransformer(staleResources).transform(built.get("app.Zoo"));
    assertThat(r.diagnostics()).isEmpty();
    BytesLoader loader = new BytesLoader(built);
    loader.put("app.Zoo", r.bytes());
    assertThat(UnreadableSupertypesTest.run(loader, "app.Zoo", "animal", true))
        .isEqualTo("moves dog");
    assertThat(UnreadableSupertypesTest.run(loader, "app.Zoo", "animal", false))
        .isEqualTo("moves cat");
  }

  /**
   * Found by review of the first version: Dog and Cat merge to Mid (another method's frames rely on
   * both being Mids), then Mid with Bird needs Base, which no frame declares for a Mid: the rule
   * gave Object, and {@code b.m()} after the await failed verification. A class relied on being
   * both a Mid and a Base has Mid below Base on its one superclass chain: Base needs nothing new. A
   * second review found the element of a merged array (Dog[] or Cat[], then {@code pets[0]} merged
   * with a Bird) taught nothing: the learning read it as Object.
   */
  private static final String LEVELS =
      "package app;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "public class Levels {\n"
          + "  static class Base { String m() { return \"base:\" + getClass().getSimpleName(); } }\n"
          + "  static class Mid extends Base {}\n"
          + "  static class Dog extends Mid {}\n"
          + "  static class Cat extends Mid {}\n"
          + "  static class Bird extends Base {}\n"
          + "  @Async static Coroutine<String> pick(boolean d) {\n"
          + "    Mid m = d ? new Dog() : new Cat();\n"
          + "    await(sleep(0));\n"
          + "    return done(m.m());\n"
          + "  }\n"
          + "  @Async public static Coroutine<String> three(int k) {\n"
          + "    Base b;\n"
          + "    if (k == 0) { b = new Dog(); } else if (k == 1) { b = new Cat(); } else { b = new Bird(); }\n"
          + "    await(sleep(0));\n"
          + "    return done(b.m());\n"
          + "  }\n"
          + "  static String use(Base b, String s) { return b.m() + s; }\n"
          + "  static Base kept;\n"
          + "  @Async public static Coroutine<String> elementOfAMergedArray(int k) {\n"
          + "    Mid[] pets = null;\n"
          + "    if (k == 0) { pets = new Dog[] {new Dog()}; }"
          + " else if (k == 1) { pets = new Cat[] {new Cat()}; }\n"
          + "    Base b;\n"
          + "    if (k == 2) { b = new Bird(); } else { b = pets[0]; }\n"
          + "    await(sleep(0));\n"
          + "    return done(use(b, \"\"));\n"
          + "  }\n"
          + "  @Async public static Coroutine<String> elementOnTheStack(int k) {\n"
          + "    Mid[] pets = null;\n"
          + "    switch (k) { case 0: pets = new Dog[] {new Dog()}; break;"
          + " case 1: pets = new Cat[] {new Cat()}; break; default: }\n"
          + "    String s = use(k == 2 ? new Bird() : pets[0], await(tail()));\n"
          + "    kept = k == 2 ? new Bird() : pets[0];\n"
          + "    await(sleep(0));\n"
          + "    return done(s + kept.m());\n"
          + "  }\n"
          + "  @Async static Coroutine<String> tail() { await(sleep(0)); return done(\"!\"); }\n"
          + "  @Async public static Coroutine<String> arrays(int k) {\n"
          + "    Mid[] m = k == 0 ? new Dog[] {new Dog()} : new Cat[] {new Cat()};\n"
          + "    Base[] b = k == 2 ? new Bird[] {new Bird()} : m;\n"
          + "    String s = \"\";\n"
          + "    for (int i = 0; i < 2; i++) { await(sleep(0)); s += b[0].m(); }\n"
          + "    return done(s);\n"
          + "  }\n"
          + "}\n";

  /**
   * The merged array's element alone: no other method says Dog and Cat are Bases, so only the
   * element of the union of Dog[] and Cat[] can teach it (the learning pass read it as Object).
   */
  private static final String LONE =
      "package app;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "public class Lone {\n"
          + "  static class Base { String m() { return \"base:\" + getClass().getSimpleName(); } }\n"
          + "  static class Mid extends Base {}\n"
          + "  static class Dog extends Mid {}\n"
          + "  static class Cat extends Mid {}\n"
          + "  static class Bird extends Base {}\n"
          + "  static String use(Base b) { return b.m(); }\n"
          + "  @Async public static Coroutine<String> element(int k) {\n"
          + "    Mid[] pets = null;\n"
          + "    if (k == 0) { pets = new Dog[] {new Dog()}; }"
          + " else if (k == 1) { pets = new Cat[] {new Cat()}; }\n"
          + "    Base b;\n"
          + "    if (k == 2) { b = new Bird(); } else { b = pets[0]; }\n"
          + "    await(sleep(0));\n"
          + "    return done(use(b));\n"
          + "  }\n"
          + "}\n";

  /** {@code source} compiled by javac 17, its class {@code name} rewritten, in a loader. */
  private static BytesLoader compiledAndRewritten(String name, String source) throws Exception {
    Map<String, byte[]> built = InMemoryCompiler.compile(Map.of(name, source), "17");
    BytesLoader loader = new BytesLoader(built);
    loader.put(name, rewrite(built, name));
    return loader;
  }

  @Test
  void theElementOfAMergedArray_teachesWhatItsMembersAre() throws Exception {
    BytesLoader loader = compiledAndRewritten("app.Lone", LONE);
    List<Object> out = new java.util.ArrayList<>();
    for (int k = 0; k < 3; k++) {
      out.add(call(loader, "app.Lone", "element", k));
    }
    assertThat(out).containsExactly("base:Dog", "base:Cat", "base:Bird");
  }

  @Test
  void aMergeThroughAnEarlierMergesResult_keepsTheSuperclassBothRelyOn() throws Exception {
    BytesLoader loader = compiledAndRewritten("app.Levels", LEVELS);
    List<Object> out = new java.util.ArrayList<>();
    for (int k = 0; k < 3; k++) {
      for (String m : List.of("three", "arrays", "elementOfAMergedArray", "elementOnTheStack")) {
        out.add(call(loader, "app.Levels", m, k));
      }
    }
    assertThat(out)
        .containsExactly(
            "base:Dog",
            "base:Dogbase:Dog",
            "base:Dog",
            "base:Dog!base:Dog",
            "base:Cat",
            "base:Catbase:Cat",
            "base:Cat",
            "base:Cat!base:Cat",
            "base:Bird",
            "base:Birdbase:Bird",
            "base:Bird",
            "base:Bird!base:Bird");
  }

  /** Runs {@code className.method(k)} from {@code loader} and returns its result. */
  private static Object call(ClassLoader loader, String className, String method, int k)
      throws Exception {
    Class<?> c = Class.forName(className, true, loader);
    Object co = c.getMethod(method, int.class).invoke(null, k);
    return dev.coroutine.Coroutines.run((dev.coroutine.Coroutine<?>) co);
  }
}
