package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Defines classes from a map of class files, each rewritten by the transformer and checked by
 * {@code CheckClassAdapter} first; everything else comes from the parent.
 */
final class MapClassLoader extends ClassLoader {
  /** Class name to original class file. */
  private final Map<String, byte[]> classes;
  /** The transformer, reading supertypes from the map and then the parent's resources. */
  private final CoroutineTransformer transformer;
  /** Diagnostics of every class defined. */
  final List<Diagnostic> diagnostics = new ArrayList<>();

  MapClassLoader(Map<String, byte[]> classes) {
    super(MapClassLoader.class.getClassLoader());
    this.classes = classes;
    ClassFileLocator mine = name -> classes.get(name.replace('/', '.'));
    this.transformer =
        new CoroutineTransformer(mine.orElse(ClassFileLocator.of(MapClassLoader.class.getClassLoader())));
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
      TransformingClassLoader.verify(r.bytes());
      bytes = r.bytes();
    }
    return defineClass(name, bytes, 0, bytes.length);
  }
}
