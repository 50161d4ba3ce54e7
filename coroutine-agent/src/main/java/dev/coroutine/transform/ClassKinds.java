package dev.coroutine.transform;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Learns, from the class being transformed, which of the types it names are interfaces and which
 * are classes: what a merge needs to know of a type whose class file cannot be read (the verifier
 * checks a value against a class, never against an interface). The class tells it in its {@code
 * InnerClasses} attribute (which the JVM specification requires for every nested type it names,
 * with its flags), its own supertypes, and its code: the owner of an {@code invokeinterface} or of
 * a call marked as an interface method is an interface, that of an {@code invokevirtual} or a
 * constructor call and the type of a {@code new} are classes.
 */
final class ClassKinds {
  private ClassKinds() {}

  /** Records in {@code h} the kind of every type {@code cn} tells the kind of. */
  static void learn(ClassNode cn, ClassHierarchy h) {
    if (cn.innerClasses != null) {
      for (InnerClassNode ic : cn.innerClasses) {
        h.learnKind(ic.name, (ic.access & Opcodes.ACC_INTERFACE) != 0);
      }
    }
    if (cn.superName != null) {
      h.learnKind(cn.superName, false);
    }
    if (cn.interfaces != null) {
      for (String i : cn.interfaces) {
        h.learnKind(i, true);
      }
    }
    for (MethodNode m : cn.methods) {
      for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
        if (i instanceof MethodInsnNode) {
          MethodInsnNode mi = (MethodInsnNode) i;
          if (mi.owner.startsWith("[")) {
            continue; // an array's clone()
          }
          boolean isInterface =
              mi.getOpcode() == Opcodes.INVOKEINTERFACE
                  || (mi.getOpcode() != Opcodes.INVOKEVIRTUAL && mi.itf);
          h.learnKind(mi.owner, isInterface);
        } else if (i instanceof TypeInsnNode && i.getOpcode() == Opcodes.NEW) {
          h.learnKind(((TypeInsnNode) i).desc, false);
        } else if (i instanceof InvokeDynamicInsnNode) {
          for (Object arg : ((InvokeDynamicInsnNode) i).bsmArgs) {
            // a method handle's constant says whether its owner is an interface (a field's does
            // not)
            if (arg instanceof Handle
                && ((Handle) arg).getTag() >= Opcodes.H_INVOKEVIRTUAL
                && !((Handle) arg).getOwner().startsWith("[")) {
              Handle handle = (Handle) arg;
              h.learnKind(handle.getOwner(), handle.isInterface());
            }
          }
        }
      }
    }
  }
}
