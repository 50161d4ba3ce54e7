package dev.coroutine.transform;

import org.objectweb.asm.tree.AbstractInsnNode;

/**
 * Thrown inside the transformer when a method cannot be rewritten; becomes a {@link Diagnostic}.
 */
final class Refusal extends Exception {
  private static final long serialVersionUID = 1L;

  /** The instruction the problem is at (for its line), or null for the whole method. */
  final transient AbstractInsnNode at;

  Refusal(String message, AbstractInsnNode at) {
    super(message, null, false, false);
    this.at = at;
  }
}
