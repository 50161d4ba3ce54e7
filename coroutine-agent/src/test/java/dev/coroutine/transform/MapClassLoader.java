package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Defines classes from a map of class files, each rewritten by the transformer and checked by
 * {@code CheckClassAdapter} first; everything else comes from the parent.
 */
final class MapClassLoader extends ClassLoader {
  /** Class name to original class file. */
  private final Map<String, byte[]> classes;

  /** The transformer, reading supertypes from the map and then the parent's resources. */
  private final CoroutineTransformer transformer;

  /** The original classes of the map, for the verifier's type checks (never run). */
  private final ClassLoader types;

  /** Diagnostics of every class defined. */
  final List<Diagnostic> diagnostics = new ArrayList<>();

  MapClassLoader(Map<String, byte[]> classes) {
    super(MapClassLoader.class.getClassLoader());
    this.classes = classes;
    ClassFileLocator mine = name -> classes.get(name.replace('/', '.'));
    this.transformer =
        new CoroutineTransformer(
            mine.orElse(ClassFileLocator.of(MapClassLoader.class.getClassLoader())));
    this.types =
        new ClassLoader(MapClassLoader.class.getClassLoader()) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) {
              throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
          }
        };
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] original = classes.get(name);
    if (original == null) {
      throw new ClassNotFoundException(name);
    }
    TransformResult r = transformer.transform(original);
    diagnostics.addAll(r.diagnostics());
    byte[] bytes = original;
    if (r.changed()) {
      StringWriter sw = new StringWriter();
      CheckClassAdapter.verify(new ClassReader(r.bytes()), types, false, new PrintWriter(sw));
      assertThat(sw.toString()).as("CheckClassAdapter on " + name).isEmpty();
      bytes = r.bytes();
    }
    return defineClass(name, bytes, 0, bytes.length);
  }
}
