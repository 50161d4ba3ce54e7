package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Loads the test samples (classes under {@code dev.coroutine.transform.samples}) rewritten by the
 * transformer, child-first, after checking every rewritten class with {@link CheckClassAdapter}.
 * Everything else comes from the parent loader.
 */
final class TransformingClassLoader extends ClassLoader {
  static final String SAMPLES = "dev.coroutine.transform.samples.";

  /** The transformer, reading supertypes through the parent's class files. */
  private final CoroutineTransformer transformer =
      new CoroutineTransformer(ClassFileLocator.of(TransformingClassLoader.class.getClassLoader()));

  /** Diagnostics of the classes loaded so far. */
  final List<Diagnostic> diagnostics = new ArrayList<>();

  /** Names of the classes that came out rewritten. */
  final List<String> rewritten = new ArrayList<>();

  TransformingClassLoader() {
    super(TransformingClassLoader.class.getClassLoader());
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(SAMPLES)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        byte[] original = read(name);
        TransformResult r = transformer.transform(original);
        diagnostics.addAll(r.diagnostics());
        byte[] bytes = original;
        if (r.changed()) {
          verify(r.bytes());
          rewritten.add(name);
          bytes = r.bytes();
        }
        c = defineClass(name, bytes, 0, bytes.length);
      }
      return c;
    }
  }

  static byte[] read(String name) {
    String resource = name.replace('.', '/') + ".class";
    try (InputStream in =
        TransformingClassLoader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no class file for " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fails the test if ASM's verifier finds anything wrong in {@code bytes}. */
  static void verify(byte[] bytes) {
    StringWriter sw = new StringWriter();
    CheckClassAdapter.verify(
        new ClassReader(bytes),
        TransformingClassLoader.class.getClassLoader(),
        false,
        new PrintWriter(sw));
    assertThat(sw.toString()).as("CheckClassAdapter output").isEmpty();
  }
}
