package dev.coroutine.transform;

import java.io.IOException;
import java.io.InputStream;

/**
 * Finds the class file of a type by internal name ({@code java/lang/String}), so the transformer
 * can learn supertypes for stack-map frames without loading any class. Implementations must be
 * safe to call from many threads.
 */
@FunctionalInterface
public interface ClassFileLocator {
  /** The bytes of {@code internalName}'s class file, or null if it cannot be found. */
  byte[] find(String internalName);

  /** Reads class files as resources of {@code loader} (null: the system loader); never loads. */
  static ClassFileLocator of(ClassLoader loader) {
    return name -> {
      String resource = name + ".class";
      try (InputStream in =
          loader != null
              ? loader.getResourceAsStream(resource)
              : ClassLoader.getSystemResourceAsStream(resource)) {
        return in == null ? null : in.readAllBytes();
      } catch (IOException e) {
        return null;
      }
    };
  }

  /** Tries {@code this}, then {@code other}. */
  default ClassFileLocator orElse(ClassFileLocator other) {
    return name -> {
      byte[] b = find(name);
      return b != null ? b : other.find(name);
    };
  }
}
