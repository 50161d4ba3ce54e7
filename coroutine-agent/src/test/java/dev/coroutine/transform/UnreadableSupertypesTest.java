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
}
