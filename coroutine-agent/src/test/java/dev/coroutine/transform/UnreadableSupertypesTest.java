package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Classes whose supertypes' class files cannot be read (defined from bytes by a class loader that
 * does not serve them as resources): the rewrite merges them through the supertypes the class's own
 * frames declare, and never emits frames that fail verification.
 */
public class UnreadableSupertypesTest {
  /** The sources: Base and its subclasses A and B, and User, whose coroutines merge A and B. */
  public static final Map<String, String> SOURCES =
      Map.of(
          "plug.Base",
          "package plug;\npublic abstract class Base { public abstract String hello(); }\n",
          "plug.A",
          "package plug;\npublic class A extends Base { public String hello() { return \"A\"; } }\n",
          "plug.B",
          "package plug;\npublic class B extends Base { public String hello() { return \"B\"; } }\n",
          "plug.Greeter",
          "package plug;\npublic interface Greeter { String greet(); }\n",
          "plug.User",
          "package plug;\n"
              + "import static dev.coroutine.Coroutines.*;\n"
              + "import dev.coroutine.*;\n"
              + "public class User {\n"
              + "  @Async public static Coroutine<String> ternary(boolean c) {\n"
              + "    Base b = c ? new A() : new B();\n"
              + "    await(sleep(0));\n"
              + "    return done(b.hello());\n"
              + "  }\n"
              + "  @Async public static Coroutine<String> ifElse(boolean c) {\n"
              + "    Base b;\n"
              + "    if (c) { b = new A(); } else { b = new B(); }\n"
              + "    String first = b.hello();\n"
              + "    await(sleep(0));\n"
              + "    return done(first + b.hello());\n"
              + "  }\n"
              + "  @Async public static Coroutine<String> onTheStack(boolean c) {\n"
              + "    return done(join(c ? new A() : new B(), await(hi())));\n"
              + "  }\n"
              + "  @Async static Coroutine<String> hi() { await(sleep(0)); return done(\"!\"); }\n"
              + "  static String join(Base b, String s) { return b.hello() + s; }\n"
              + "  @Async public static Coroutine<String> viaInterface(boolean c) {\n"
              + "    Greeter g = c ? () -> \"lambda\" : new Greeter() {\n"
              + "      public String greet() { return \"anonymous\"; } };\n"
              + "    await(sleep(0));\n"
              + "    return done(g.greet());\n"
              + "  }\n"
              + "}\n");

  /**
   * Defines classes from bytes, child-first, and serves none of them as a resource: what plugin
   * systems, in-memory compilers and {@code Lookup.defineClass} users look like.
   */
  public static final class BytesLoader extends ClassLoader {
    /** Class name to the bytes to define. */
    private final Map<String, byte[]> classes;

    public BytesLoader(Map<String, byte[]> classes) {
      super(BytesLoader.class.getClassLoader());
      this.classes = new HashMap<>(classes);
    }

    /** Replaces the bytes of {@code name} before it is loaded. */
    public void put(String name, byte[] bytes) {
      classes.put(name, bytes);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        byte[] b = classes.get(name);
        if (b == null) {
          return super.loadClass(name, resolve);
        }
        Class<?> c = findLoadedClass(name);
        return c != null ? c : defineClass(name, b, 0, b.length);
      }
    }
  }

  /** Runs {@code User.method(flag)} from {@code loader} and returns its result. */
  public static Object run(ClassLoader loader, String method, boolean flag) throws Exception {
    return run(loader, "plug.User", method, flag);
  }

  /** Runs {@code className.method(flag)} from {@code loader} and returns its result. */
  public static Object run(ClassLoader loader, String className, String method, boolean flag)
      throws Exception {
    Class<?> c = Class.forName(className, true, loader);
    return Coroutines.run((Coroutine<?>) c.getMethod(method, boolean.class).invoke(null, flag));
  }

  @Test
  void mergedSubclassesOfAnUnreadableBase_keepTheDeclaredSupertype_andRunAfterTheRewrite()
      throws Exception {
    Map<String, byte[]> compiled = InMemoryCompiler.compile(SOURCES, "17");
    BytesLoader loader = new BytesLoader(compiled);
    assertThat(loader.getResource("plug/Base.class")).as("not readable as a resource").isNull();
    CoroutineTransformer transformer = new CoroutineTransformer(ClassFileLocator.of(loader));

    TransformResult r = transformer.transform(compiled.get("plug.User"));

    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.changed()).isTrue();
    loader.put("plug.User", r.bytes());
    for (String m : List.of("ternary", "ifElse", "onTheStack", "viaInterface")) {
      assertThat(run(loader, m, true)).as(m).isEqualTo(expected(m, true));
      assertThat(run(loader, m, false)).as(m).isEqualTo(expected(m, false));
    }
  }

  /** What {@code User.method(flag)} returns. */
  public static String expected(String method, boolean flag) {
    switch (method) {
      case "ternary":
        return flag ? "A" : "B";
      case "ifElse":
        return flag ? "AA" : "BB";
      case "onTheStack":
        return flag ? "A!" : "B!";
      default:
        return flag ? "lambda" : "anonymous";
    }
  }

  @Test
  void unreadableClasses_thatNoFrameDeclaresAnythingAbout_areAMissingType_notObject() {
    ClassHierarchy root = new ClassHierarchy(ClassFileLocator.of(null)); // the JDK only
    ClassHierarchy view =
        root.with("plug/User", new ClassHierarchy.Info("java/lang/Object", false, true, List.of()));

    assertThatThrownBy(() -> view.commonSuperClass("plug/A", "plug/B"))
        .isInstanceOf(ClassHierarchy.MissingType.class)
        .hasMessageContaining("plug.A")
        .hasMessageContaining("plug.B")
        .hasMessageContaining("cannot be read");

    view.declare("plug/A", "plug/Base");
    view.declare("plug/B", "plug/Base");
    assertThat(view.commonSuperClass("plug/A", "plug/B")).isEqualTo("plug/Base");
    assertThat(view.commonSuperClass("plug/A", "java/lang/String")).isEqualTo("java/lang/Object");
  }

  /**
   * Two merges of the same two unreadable classes, to an interface and then to their common
   * superclass (found from outside: javac 17's frames declare both; the rewrite named the interface
   * at both, and the class failed verification with "Type 'plug.Named' is not assignable to
   * 'java/util/AbstractList'").
   */
  public static final Map<String, String> TWO_MERGES =
      Map.of(
          "plug.Twice",
          "package plug;\n"
              + "import static dev.coroutine.Coroutines.*;\n"
              + "import dev.coroutine.*;\n"
              + "import java.util.*;\n"
              + "public class Twice {\n"
              + "  interface Named {}\n"
              + "  static class A1 extends ArrayList<String> implements Named {}\n"
              + "  static class A2 extends LinkedList<String> implements Named {}\n"
              + "  @Async public static Coroutine<String> nested(boolean c) {\n"
              + "    Named n = c ? new A1() : new A2();\n"
              + "    AbstractList<String> l = c ? new A1() : new A2();\n"
              + "    await(sleep(0));\n"
              + "    return done(l.size() + (n instanceof A1 ? \"A1\" : \"A2\"));\n"
              + "  }\n"
              + "  @Async public static Coroutine<String> onTheStack(boolean c) {\n"
              + "    Named n = c ? new A1() : new A2();\n"
              + "    return done(size(c ? new A1() : new A2(), await(hi())) + n.getClass().getSimpleName());\n"
              + "  }\n"
              + "  @Async static Coroutine<String> hi() { await(sleep(0)); return done(\"!\"); }\n"
              + "  static String size(AbstractList<String> l, String s) { return l.size() + s; }\n"
              + "}\n",
          "plug.Kind",
          "package plug;\npublic interface Kind { default String kind() { return \"kind\"; } }\n",
          "plug.K1",
          "package plug;\npublic class K1 extends java.util.ArrayList<String> implements Kind {}\n",
          "plug.K2",
          "package plug;\npublic class K2 extends java.util.LinkedList<String> implements Kind {}\n",
          "plug.TopLevel",
          "package plug;\n"
              + "import static dev.coroutine.Coroutines.*;\n"
              + "import dev.coroutine.*;\n"
              + "import java.util.*;\n"
              + "public class TopLevel {\n"
              + "  @Async public static Coroutine<String> called(boolean c) {\n"
              + "    Kind k = c ? new K1() : new K2();\n"
              + "    AbstractList<String> l = c ? new K1() : new K2();\n"
              + "    await(sleep(0));\n"
              + "    return done(k.kind() + l.size());\n"
              + "  }\n"
              + "}\n",
          "plug.Silent",
          "package plug;\n"
              + "import static dev.coroutine.Coroutines.*;\n"
              + "import dev.coroutine.*;\n"
              + "import java.util.*;\n"
              + "public class Silent {\n"
              + "  @Async public static Coroutine<String> neverCalled(boolean c) {\n"
              + "    Kind k = c ? new K1() : new K2();\n"
              + "    AbstractList<String> l = c ? new K1() : new K2();\n"
              + "    await(sleep(0));\n"
              + "    return done(String.valueOf(k != null) + l.size());\n"
              + "  }\n"
              + "}\n");

  @Test
  void twoMergesOfUnreadableClasses_toAnInterfaceAndToTheirSuperclass_verifyAndRun()
      throws Exception {
    Map<String, byte[]> compiled = InMemoryCompiler.compile(TWO_MERGES, "17");
    BytesLoader loader = new BytesLoader(compiled);
    CoroutineTransformer transformer = new CoroutineTransformer(ClassFileLocator.of(loader));
    for (String c : List.of("plug.Twice", "plug.TopLevel")) {
      TransformResult r = transformer.transform(compiled.get(c));
      assertThat(r.diagnostics()).as(c).isEmpty();
      assertThat(r.changed()).as(c).isTrue();
      loader.put(c, r.bytes());
    }

    assertThat(run(loader, "plug.Twice", "nested", true)).isEqualTo("0A1");
    assertThat(run(loader, "plug.Twice", "nested", false)).isEqualTo("0A2");
    assertThat(run(loader, "plug.Twice", "onTheStack", true)).isEqualTo("0!A1");
    assertThat(run(loader, "plug.Twice", "onTheStack", false)).isEqualTo("0!A2");
    // plug.Kind is top-level: its invokeinterface tells it is an interface
    assertThat(run(loader, "plug.TopLevel", "called", true)).isEqualTo("kind0");
    assertThat(run(loader, "plug.TopLevel", "called", false)).isEqualTo("kind0");
  }

  @Test
  void aMergeThatDependsOnWhetherAnUnreadableTypeIsAnInterface_isRefusedWithWhy_notGuessed() {
    Map<String, byte[]> compiled = InMemoryCompiler.compile(TWO_MERGES, "17");
    BytesLoader loader = new BytesLoader(compiled);
    CoroutineTransformer transformer = new CoroutineTransformer(ClassFileLocator.of(loader));

    TransformResult r = transformer.transform(compiled.get("plug.Silent"));

    // nothing in Silent says whether plug.Kind is an interface or a class below AbstractList
    assertThat(r.changed()).isFalse();
    assertThat(r.diagnostics()).hasSize(1);
    assertThat(r.diagnostics().get(0).toString())
        .contains("plug.Silent", "neverCalled", "plug.Kind", "interface", "java.util.AbstractList")
        .contains("getResource");
  }

  @Test
  void mergesOfUnreadableClasses_nameTheirMostSpecificClass_notAnInterfaceTheyShare() {
    ClassHierarchy root = new ClassHierarchy(ClassFileLocator.of(null)); // the JDK only
    for (Boolean kind : new Boolean[] {true, false, null}) {
      ClassHierarchy view =
          root.with(
              "plug/User", new ClassHierarchy.Info("java/lang/Object", false, true, List.of()));
      for (String c : List.of("plug/A1", "plug/A2")) {
        view.declare(c, "plug/Named"); // as the first merge's frame declares
        view.declare(c, "java/util/AbstractList"); // and the second's
      }
      if (kind == null) {
        assertThatThrownBy(() -> view.commonSuperClass("plug/A1", "plug/A2"))
            .isInstanceOf(ClassHierarchy.AmbiguousType.class)
            .hasMessageContaining("plug.Named")
            .hasMessageContaining("java.util.AbstractList");
        continue;
      }
      view.learnKind("plug/Named", kind);
      // an interface verifies as Object: the class; an unreadable class is below every readable one
      assertThat(view.commonSuperClass("plug/A1", "plug/A2"))
          .as("Named an interface: " + kind)
          .isEqualTo(kind ? "java/util/AbstractList" : "plug/Named");
    }
  }
}
