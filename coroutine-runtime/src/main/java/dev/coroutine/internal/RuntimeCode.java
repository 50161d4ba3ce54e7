package dev.coroutine.internal;

import java.security.CodeSource;
import java.util.List;

/**
 * The one rule for "is this the runtime's own code": a class is the runtime's if its package is one
 * of {@link #PACKAGES}, the packages of the runtime jar, and (when the class itself is at hand) it
 * was loaded from the same place as the runtime, so that a test or a user class that shares a
 * package name with the runtime is not taken for it.
 *
 * <p>Used where the runtime hides its own frames: creation sites in debug mode skip them, and
 * {@code AsyncFrame.location()} does not ask a runtime body (which has no source lines) where it
 * is. The agent skips the same packages by name (its copy of the list is checked against this one
 * by the agent's tests). {@code RuntimeCodeTest} fails when the runtime jar holds a package this
 * list lacks, so a new package cannot silently break task dumps.
 */
public final class RuntimeCode {
  private RuntimeCode() {}

  /** The packages of the runtime jar, sorted. */
  public static final List<String> PACKAGES =
      List.of("dev.coroutine", "dev.coroutine.internal", "dev.coroutine.io", "dev.coroutine.sync");

  /** Where the runtime's classes were loaded from (a jar or a directory); null if unknown. */
  private static final CodeSource RUNTIME_SOURCE =
      RuntimeCode.class.getProtectionDomain().getCodeSource();

  /** Per class: {@link #isRuntimeClass(Class)}, computed once. */
  private static final ClassValue<Boolean> RUNTIME_CLASSES =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
          return isRuntimePackage(c.getPackageName()) && sameSource(c);
        }
      };

  /**
   * True if {@code packageName} is one of the runtime's packages (exactly: a package below one of
   * them, like a user's {@code dev.coroutine.examples}, is not).
   *
   * @param packageName a package name, dotted
   * @return true for a package of the runtime jar
   */
  public static boolean isRuntimePackage(String packageName) {
    return PACKAGES.contains(packageName);
  }

  /**
   * True if the class named {@code className} (binary name, dotted) is in a runtime package; by
   * name only, for callers that have no class at hand.
   *
   * @param className a binary class name, like {@code dev.coroutine.Task$1}
   * @return true if the class's package is one of the runtime's
   */
  public static boolean isRuntimeClassName(String className) {
    int dot = className.lastIndexOf('.');
    return dot > 0 && isRuntimePackage(className.substring(0, dot));
  }

  /**
   * True if {@code c} is the runtime's own: in a runtime package and loaded from where the runtime
   * was (tests in the runtime's packages are not).
   *
   * @param c a class
   * @return true if {@code c} is part of the runtime
   */
  public static boolean isRuntimeClass(Class<?> c) {
    return RUNTIME_CLASSES.get(c);
  }

  private static boolean sameSource(Class<?> c) {
    CodeSource s = c.getProtectionDomain().getCodeSource();
    if (s == null || RUNTIME_SOURCE == null) {
      return s == RUNTIME_SOURCE; // both from the boot layer or an image: the same place
    }
    // compared as text: URL.equals may resolve host names
    return s.getLocation() != null
        && RUNTIME_SOURCE.getLocation() != null
        && s.getLocation().toExternalForm().equals(RUNTIME_SOURCE.getLocation().toExternalForm());
  }
}
