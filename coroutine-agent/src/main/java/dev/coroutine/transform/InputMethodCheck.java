package dev.coroutine.transform;

import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * What the JVM checks in a method's Code attribute that a rewrite would otherwise erase: a stack
 * map frame wherever the type checker needs one (branch and switch targets, handlers, and the
 * instruction after an unconditional jump, return or throw). The rewrite computes new frames, so a
 * method failing this check would come out valid: it is refused as malformed instead.
 *
 * <p>Only from version 51 (Java 7): the JVM verifies a version 50 class file by type inference when
 * its frames are missing or wrong (HotSpot's failover, JVMS 4.10), so such a class loads, and a
 * rewrite that adds frames changes nothing the JVM would have rejected.
 *
 * <p>Runs on a method read without {@code EXPAND_FRAMES} and before any change to it.
 */
final class InputMethodCheck {
  private InputMethodCheck() {}

  /** What is wrong with {@code m}, or null; {@code version} is the class file's major version. */
  static String problem(MethodNode m, int version) {
    return version > Opcodes.V1_6 ? missingFrame(m) : null;
  }

  private static String missingFrame(MethodNode m) {
    Set<LabelNode> targets = Insns.branchTargets(m);
    boolean afterTransfer = false;
    boolean framed = false;
    boolean targeted = false;
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i instanceof FrameNode) {
        framed = true;
        continue;
      }
      if (i instanceof LabelNode) {
        targeted |= targets.contains(i);
        continue;
      }
      if (i instanceof LineNumberNode) {
        continue;
      }
      if ((targeted || afterTransfer) && !framed) {
        return "no stack map frame at instruction "
            + m.instructions.indexOf(i)
            + (targeted ? ", a branch target" : ", after an unconditional jump")
            + " (the JVM's verifier rejects the class)";
      }
      framed = false;
      targeted = false;
      afterTransfer = Insns.endsFlow(i.getOpcode());
    }
    return null;
  }
}
