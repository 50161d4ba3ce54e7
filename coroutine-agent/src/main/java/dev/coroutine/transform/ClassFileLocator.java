package dev.coroutine.transform;

import java.io.IOException;
import java.io.InputStream;

/**
 * Finds the class file of a type by internal name ({@code java/lang/String}), so the transformer
 * can learn supertypes for stack-map frames without loading any class. Implementations must be safe
 * to call from many threads.
 */
@FunctionalInterface
public interface ClassFileLocator {
  /**
   * Finds one class file.
   *
   * @param internalName the class's internal name, slash-separated ({@code java/util/List})
   * @return the bytes of its class file, or null if it cannot be found
   */
  byte[] find(String internalName);

  /**
   * Reads class files as resources of a class loader, without loading any class.
   *
   * @param loader the loader whose resources are read; null for the system class loader
   * @return a locator over that loader's {@code .class} resources
   */
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

  /**
   * Chains two locators.
   *
   * @param other asked only for the classes this locator cannot find
   * @return a locator that tries {@code this}, then {@code other}
   */
  default ClassFileLocator orElse(ClassFileLocator other) {
    return name -> {
      byte[] b = find(name);
      return b != null ? b : other.find(name);
    };
  }
}
