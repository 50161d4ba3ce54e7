package dev.coroutine.transform;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * An await whose value the original code unboxes at once: javac's and ECJ's {@code checkcast
 * Integer; invokevirtual Integer.intValue()I} right after the call ({@code int n =
 * await(count())}), for {@code int}, {@code long}, {@code double} and {@code boolean}. The body
 * then calls the runtime's typed await ({@code AsyncFrame.awaitInt} and its siblings), which
 * unboxes and tells a suspension in {@code prim0}: 6 bytes less per such await than the call, the
 * compare with {@code SUSPEND} and the two instructions (see PROTOCOL.md).
 *
 * @param cast the {@code checkcast} to the box class, right after the await's call
 * @param unbox the {@code xValue()} call right after it
 * @param type the primitive type the code goes on with
 * @param method the runtime's typed await for it
 */
record Unboxing(TypeInsnNode cast, MethodInsnNode unbox, Type type, String method) {
  /**
   * The unboxing directly after {@code call} (no label, line or frame between: nothing may jump in
   * between or start a try range there), or null.
   */
  static Unboxing after(MethodInsnNode call) {
    AbstractInsnNode next = call.getNext();
    if (next == null || next.getOpcode() != Opcodes.CHECKCAST) {
      return null;
    }
    TypeInsnNode cast = (TypeInsnNode) next;
    AbstractInsnNode then = cast.getNext();
    if (then == null || then.getOpcode() != Opcodes.INVOKEVIRTUAL) {
      return null;
    }
    MethodInsnNode unbox = (MethodInsnNode) then;
    for (String[] k : Protocol.TYPED_AWAITS) {
      if (k[0].equals(cast.desc)
          && k[0].equals(unbox.owner)
          && k[1].equals(unbox.name)
          && k[2].equals(unbox.desc)) {
        return new Unboxing(cast, unbox, Type.getReturnType(k[2]), k[3]);
      }
    }
    return null;
  }

  /** The descriptor of the typed await: {@code (Object, AsyncFrame, int)} the primitive. */
  String methodDesc() {
    return Protocol.typedAwaitDesc(unbox.desc);
  }
}
