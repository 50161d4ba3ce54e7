package dev.coroutine.transform;

import java.util.List;

/**
 * The outcome of transforming one class file.
 *
 * @param className the class, dotted, or null if the bytes could not be read
 * @param bytes the rewritten class file, or null when the class is left as it was (nothing to
 *     rewrite, already rewritten, or refused: see {@code diagnostics})
 * @param methodsRewritten how many methods (and async lambdas) became state machines
 * @param diagnostics the problems found; non-empty means the class was refused and left as is
 * @param warnings code that works but likely not as meant (a handler swallowing cancellation); they
 *     never stop a class from being rewritten
 */
public record TransformResult(
    String className,
    byte[] bytes,
    int methodsRewritten,
    List<Diagnostic> diagnostics,
    List<Diagnostic> warnings) {

  /**
   * A result without warnings.
   *
   * @param className the class, dotted, or null if the bytes could not be read
   * @param bytes the rewritten class file, or null when the class is left as it was
   * @param methodsRewritten how many methods (and async lambdas) became state machines
   * @param diagnostics the problems found; non-empty means the class was refused
   */
  public TransformResult(
      String className, byte[] bytes, int methodsRewritten, List<Diagnostic> diagnostics) {
    this(className, bytes, methodsRewritten, diagnostics, List.of());
  }

  /**
   * Whether the class was rewritten.
   *
   * @return true if {@link #bytes()} holds a rewritten class
   */
  public boolean changed() {
    return bytes != null;
  }

  /**
   * Whether the class was refused.
   *
   * @return true if {@link #diagnostics()} is non-empty: the class is left as it was
   */
  public boolean failed() {
    return !diagnostics.isEmpty();
  }

  static TransformResult unchanged(String className) {
    return new TransformResult(className, null, 0, List.of());
  }
}
