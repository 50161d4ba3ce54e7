package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

/**
 * javac and ECJ copy {@code @Async} onto the bridge methods they generate for generic and covariant
 * overrides. Bridges are left exactly as compiled (never rewritten, never refused) and keep
 * forwarding to the rewritten method, so a call through the interface runs one coroutine, and a
 * wrong-typed call fails at the call.
 */
class BridgesTest {
  static final String SOURCE =
      "package br;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "import java.util.function.Supplier;\n"
          + "public class Bridges {\n"
          + "  public interface Handler<T> { Coroutine<String> handle(T t); }\n"
          + "  public static class Upper implements Handler<String> {\n"
          + "    @Async public Coroutine<String> handle(String s) {\n"
          + "      await(sleep(1));\n"
          + "      return done(s.toUpperCase());\n"
          + "    }\n"
          + "  }\n"
          + "  public static abstract class Base<T> {\n"
          + "    @Async public abstract Coroutine<T> make(T seed);\n"
          + "    @Async public Coroutine<String> twice(T seed) {\n"
          + "      T a = await(make(seed));\n"
          + "      T b = await(make(a));\n"
          + "      return done(a + \",\" + b);\n"
          + "    }\n"
          + "  }\n"
          + "  public static class Doubler extends Base<Integer> {\n"
          + "    @Async public Coroutine<Integer> make(Integer seed) {\n"
          + "      await(sleep(1));\n"
          + "      return done(seed * 2);\n"
          + "    }\n"
          + "  }\n"
          + "  public interface Source { Awaitable<String> fetch(); Object any(); }\n"
          + "  public static class Covariant implements Source {\n"
          + "    @Async public Coroutine<String> fetch() {\n"
          + "      await(sleep(1));\n"
          + "      return done(\"fetched\");\n"
          + "    }\n"
          + "    @Async public Coroutine<String> any() {\n"
          + "      return done(\"any:\" + await(fetch()));\n"
          + "    }\n"
          + "  }\n"
          + "  public static Supplier<Coroutine<Integer>> supplier(int base) {\n"
          + "    return new Supplier<Coroutine<Integer>>() {\n"
          + "      @Async public Coroutine<Integer> get() {\n"
          + "        await(sleep(1));\n"
          + "        return done(base + 1);\n"
          + "      }\n"
          + "    };\n"
          + "  }\n"
          + "}\n";

  static List<InMemoryCompiler> compilers() {
    return InMemoryCompiler.all();
  }

  /** {@link #SOURCE} compiled once per compiler. */
  private static final Map<String, Map<String, byte[]>> COMPILED = new ConcurrentHashMap<>();

  static Map<String, byte[]> compiled(InMemoryCompiler compiler) {
    return COMPILED.computeIfAbsent(
        compiler.name(), n -> compiler.compile(Map.of("br.Bridges", SOURCE)));
  }

  /** A loader of {@link #SOURCE}'s classes, each rewritten and checked by CheckClassAdapter. */
  static MapClassLoader load(InMemoryCompiler compiler) {
    return new MapClassLoader(compiled(compiler));
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void anonymousSupplierWithAsyncGet_calledThroughTheInterface_runsOnce(InMemoryCompiler compiler)
      throws Exception {
    MapClassLoader loader = load(compiler);
    Method supplier = loader.loadClass("br.Bridges").getMethod("supplier", int.class);
    @SuppressWarnings("unchecked")
    Supplier<Coroutine<Integer>> s = (Supplier<Coroutine<Integer>>) supplier.invoke(null, 41);
    assertThat(Coroutines.run(s.get())).isEqualTo(42);
    assertThat(loader.diagnostics).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void genericInterfaceImplementation_calledThroughTheInterface_runs(InMemoryCompiler compiler)
      throws Exception {
    MapClassLoader loader = load(compiler);
    Object upper = loader.loadClass("br.Bridges$Upper").getConstructor().newInstance();
    Class<?> handler = loader.loadClass("br.Bridges$Handler");
    Method handle = handler.getMethod("handle", Object.class);
    assertThat(Coroutines.run((Coroutine<?>) handle.invoke(upper, "abc"))).isEqualTo("ABC");
    assertThat(loader.diagnostics).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void genericInterfaceImplementation_wrongTypedCall_failsAtTheCall(InMemoryCompiler compiler)
      throws Exception {
    MapClassLoader loader = load(compiler);
    Object upper = loader.loadClass("br.Bridges$Upper").getConstructor().newInstance();
    Method handle = loader.loadClass("br.Bridges$Handler").getMethod("handle", Object.class);
    // the bridge's checkcast fails before any coroutine exists, not later at an await
    Throwable t = catchThrowable(() -> handle.invoke(upper, 42));
    assertThat(t).isInstanceOf(InvocationTargetException.class);
    assertThat(t.getCause()).isInstanceOf(ClassCastException.class);
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void abstractGenericBaseClass_awaitsTheOverrideThroughItsBridge(InMemoryCompiler compiler)
      throws Exception {
    MapClassLoader loader = load(compiler);
    Object doubler = loader.loadClass("br.Bridges$Doubler").getConstructor().newInstance();
    Method twice = loader.loadClass("br.Bridges$Base").getMethod("twice", Object.class);
    assertThat(Coroutines.run((Coroutine<?>) twice.invoke(doubler, 5))).isEqualTo("10,20");
    assertThat(loader.diagnostics).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void covariantOverrides_calledThroughTheInterface_run(InMemoryCompiler compiler)
      throws Exception {
    MapClassLoader loader = load(compiler);
    Object covariant = loader.loadClass("br.Bridges$Covariant").getConstructor().newInstance();
    Class<?> source = loader.loadClass("br.Bridges$Source");
    Object fetched = source.getMethod("fetch").invoke(covariant);
    Object any = source.getMethod("any").invoke(covariant);
    assertThat(Coroutines.run((Coroutine<?>) fetched)).isEqualTo("fetched");
    assertThat(Coroutines.run((Coroutine<?>) any)).isEqualTo("any:fetched");
    assertThat(loader.diagnostics).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void bridges_carryAsyncButAreLeftExactlyAsCompiled(InMemoryCompiler compiler) {
    Map<String, byte[]> classes = compiled(compiler);
    int bridges = 0;
    for (Map.Entry<String, byte[]> e : classes.entrySet()) {
      ClassNode before = Samples.node(e.getValue());
      TransformResult r = Samples.TRANSFORMER.transform(e.getValue());
      assertThat(r.diagnostics()).as(e.getKey()).isEmpty();
      if (!r.changed()) {
        continue;
      }
      ClassNode after = Samples.node(r.bytes());
      int userMethods = 0;
      for (MethodNode m : before.methods) {
        boolean bridge = (m.access & Opcodes.ACC_BRIDGE) != 0;
        if (bridge && carriesAsync(m)) {
          bridges++;
          MethodNode same = find(after, m.name, m.desc);
          assertThat(same.access).isEqualTo(m.access);
          assertThat(text(same)).as("bridge " + m.name + m.desc).isEqualTo(text(m));
        } else if (!bridge
            && CoroutineMethods.isAnnotatedAsync(m)
            && (m.access & Opcodes.ACC_ABSTRACT) == 0) {
          userMethods++;
        }
      }
      assertThat(r.methodsRewritten()).as(e.getKey()).isEqualTo(userMethods);
    }
    // Upper.handle(Object), Doubler.make(Object), Covariant.fetch()/any(), the supplier's get()
    assertThat(bridges).as("annotated bridges the compiler made").isEqualTo(5);
  }

  private static boolean carriesAsync(MethodNode m) {
    return m.visibleAnnotations != null
        && m.visibleAnnotations.stream().anyMatch(a -> a.desc.equals(Protocol.ASYNC_DESC));
  }

  private static MethodNode find(ClassNode cn, String name, String desc) {
    for (MethodNode m : cn.methods) {
      if (m.name.equals(name) && m.desc.equals(desc)) {
        return m;
      }
    }
    throw new AssertionError("no " + name + desc + " in " + cn.name);
  }

  /** The method's instructions as text, without frames (the writer may re-encode them). */
  private static List<String> text(MethodNode m) {
    Textifier t = new Textifier();
    TraceMethodVisitor v = new TraceMethodVisitor(t);
    m.instructions.accept(v);
    List<String> lines = new ArrayList<>();
    for (Object o : t.getText()) {
      String line = o.toString();
      if (!line.trim().startsWith("FRAME")) {
        lines.add(line);
      }
    }
    return lines;
  }
}
