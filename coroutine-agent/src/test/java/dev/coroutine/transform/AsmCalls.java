package dev.coroutine.transform;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The runtime calls that hand-built test methods make, one line each. */
final class AsmCalls {
  private AsmCalls() {}

  private static final String COROUTINES = "dev/coroutine/Coroutines";

  /** {@code Coroutines.sleep(long)}: takes the millis, leaves the coroutine. */
  static void sleep(MethodVisitor mv) {
    mv.visitMethodInsn(
        Opcodes.INVOKESTATIC, COROUTINES, "sleep", "(J)Ldev/coroutine/Coroutine;", false);
  }

  /** {@code Coroutines.await(Awaitable)}: takes the awaitable, leaves its value. */
  static void await(MethodVisitor mv) {
    mv.visitMethodInsn(
        Opcodes.INVOKESTATIC,
        COROUTINES,
        "await",
        "(Ldev/coroutine/Awaitable;)Ljava/lang/Object;",
        false);
  }

  /** {@code Coroutines.done(Object)}: takes the value, leaves a finished coroutine. */
  static void done(MethodVisitor mv) {
    mv.visitMethodInsn(
        Opcodes.INVOKESTATIC,
        COROUTINES,
        "done",
        "(Ljava/lang/Object;)Ldev/coroutine/Coroutine;",
        false);
  }
}
