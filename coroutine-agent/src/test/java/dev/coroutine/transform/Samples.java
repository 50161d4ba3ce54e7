package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

/** Shared helpers of the transformer tests: load samples rewritten, call and run them. */
final class Samples {
  private Samples() {}

  /** The transformer as the tests' loader uses it. */
  static final CoroutineTransformer TRANSFORMER =
      new CoroutineTransformer(ClassFileLocator.of(Samples.class.getClassLoader()));

  /**
   * Compiles the one class {@code name} of {@code source} with {@code compiler} and rewrites it:
   * refused by nothing, changed, and each warning's message contains {@code mustSay}.
   */
  static Warned compileAndRewrite(
      InMemoryCompiler compiler, String name, String source, String... mustSay) throws Exception {
    Map<String, byte[]> compiled = compiler.compile(Map.of(name, source));
    TransformResult r = TRANSFORMER.transform(compiled.get(name));
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.changed()).isTrue();
    List<String> warned = new ArrayList<>();
    for (Diagnostic w : r.warnings()) {
      assertThat(w.message()).contains(mustSay);
      warned.add(w.methodName() + ":" + w.line());
    }
    Map<String, byte[]> classes = new HashMap<>(compiled);
    classes.put(name, r.bytes());
    return new Warned(
        warned, Class.forName(name, true, new UnreadableSupertypesTest.BytesLoader(classes)));
  }

  /**
   * What {@link #compileAndRewrite} found.
   *
   * @param at each warning as {@code method:line}
   * @param rewritten the rewritten class, loaded
   */
  record Warned(List<String> at, Class<?> rewritten) {}

  /** Loads sample {@code simpleName} (e.g. {@code "Loops"}) rewritten, in a fresh loader. */
  static Class<?> load(String simpleName) {
    TransformingClassLoader loader = new TransformingClassLoader();
    try {
      Class<?> c = loader.loadClass(TransformingClassLoader.SAMPLES + simpleName);
      assertThat(loader.diagnostics).as("diagnostics").isEmpty();
      assertThat(loader.rewritten).as("rewritten").contains(c.getName());
      return c;
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  /** Calls the (unique by name) method {@code name}: static, or on {@code args[0]} if not. */
  static Object invoke(Class<?> c, String name, Object... args) throws Throwable {
    Method m = find(c, name);
    m.setAccessible(true);
    try {
      if (Modifier.isStatic(m.getModifiers())) {
        return m.invoke(null, args);
      }
      return m.invoke(args[0], Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Calls the @Async method {@code name} (which runs nothing) and returns its coroutine. */
  static Coroutine<?> call(Class<?> c, String name, Object... args) throws Throwable {
    return (Coroutine<?>) invoke(c, name, args);
  }

  /** {@code Coroutines.run} of the coroutine of {@code name(args)}. */
  static Object run(Class<?> c, String name, Object... args) throws Throwable {
    return Coroutines.run(call(c, name, args));
  }

  /**
   * True for a body method the transformer added: private static, returning Object, taking one
   * AsyncFrame or a supertype of it (user methods of the samples return Coroutine or a value).
   */
  static boolean isBody(Method m) {
    return Modifier.isStatic(m.getModifiers())
        && Modifier.isPrivate(m.getModifiers())
        && m.getReturnType() == Object.class
        && m.getParameterCount() == 1
        && m.getParameterTypes()[0].isAssignableFrom(AsyncFrame.class);
  }

  static Method find(Class<?> c, String name) {
    Method found = null;
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Method m : k.getDeclaredMethods()) {
        if (m.getName().equals(name) && !isBody(m)) {
          if (found != null && found.getDeclaringClass() == k) {
            throw new AssertionError("two methods named " + name + " in " + c);
          }
          if (found == null) {
            found = m;
          }
        }
      }
    }
    if (found == null) {
      throw new AssertionError("no method " + name + " in " + c);
    }
    return found;
  }

  /** A fresh side-effect log. */
  static List<String> log() {
    return new ArrayList<>();
  }

  /**
   * The log expected for a run: {@code entries} as given when the awaited work suspended, or
   * without the timer entries ({@code "~..."}) when it finished at once.
   */
  static List<String> expect(boolean suspend, String... entries) {
    List<String> out = new ArrayList<>();
    for (String e : entries) {
      if (suspend || !e.startsWith("~")) {
        out.add(e);
      }
    }
    return out;
  }

  /** The rewritten class file of sample {@code simpleName}. */
  static byte[] rewrittenBytes(String simpleName) {
    TransformResult r =
        TRANSFORMER.transform(
            TransformingClassLoader.read(TransformingClassLoader.SAMPLES + simpleName));
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.changed()).isTrue();
    return r.bytes();
  }

  static ClassNode node(byte[] classFile) {
    ClassNode cn = new ClassNode();
    new ClassReader(classFile).accept(cn, 0);
    return cn;
  }

  /** The source of sample {@code relativePath} (e.g. {@code "Traces.java"}). */
  static List<String> source(String relativePath) {
    Path p = Path.of("src/test/java/dev/coroutine/transform/samples", relativePath);
    try {
      return Files.readAllLines(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The 1-based line of sample source {@code relativePath} that ends with {@code // @marker}. */
  static int line(String relativePath, String marker) {
    List<String> lines = source(relativePath);
    int found = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().endsWith("// @" + marker)) {
        assertThat(found).as("marker " + marker + " twice").isEqualTo(-1);
        found = i + 1;
      }
    }
    assertThat(found).as("marker " + marker + " in " + relativePath).isPositive();
    return found;
  }
}
