package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Makes wide, before ASM writes a method, every jump whose offset might not fit in 16 bits, so
 * ASM's class writer never has to rewrite the method for its long jumps.
 *
 * <p>Why not leave it to ASM: ASM 9.11 writes such a method, then marks the jumps that the widening
 * of others pushes out of range with its internal opcodes, whose offsets it reads back as unsigned;
 * a backward jump so marked points past the end of the code, and writing the class failed with an
 * ArrayIndexOutOfBoundsException (found from outside: kotlinc and scalac methods of 400 to 550
 * awaits, the class refused as an "internal error"). Here the distances are bounded from above
 * (each instruction at its longest encoding), so a jump left short always fits.
 */
final class LongJumps {
  /** The JVM's wide jumps; ASM's method writer writes them as given (its own second pass does). */
  static final int GOTO_W = 200;

  static final int JSR_W = 201;

  private LongJumps() {}

  /**
   * Before frames are computed: a conditional jump that might be far becomes the opposite condition
   * over a {@code goto_w} (the frame at the new target is computed with the others); a far {@code
   * goto} or {@code jsr} becomes wide.
   */
  static void widen(MethodNode m) {
    widen(m, true);
  }

  /**
   * After frames were computed and read back (a {@code goto_w} reads back as {@code goto}): only
   * {@code goto} and {@code jsr} become wide again, which adds no jump target and so needs no
   * frame. The bounds cannot have grown since {@link #widen(MethodNode)}, so no conditional jump is
   * far.
   */
  static void widenAgain(MethodNode m) {
    widen(m, false);
  }

  private static void widen(MethodNode m, boolean conditionals) {
    InsnList code = m.instructions;
    int bound = 0;
    for (AbstractInsnNode i = code.getFirst(); i != null; i = i.getNext()) {
      bound += longest(i);
    }
    if (bound <= Short.MAX_VALUE) {
      return; // the usual method: no jump can be far, and no offsets are needed
    }
    while (true) {
      Map<AbstractInsnNode, Integer> at = upperBoundOffsets(code);
      List<JumpInsnNode> far = new ArrayList<>();
      for (AbstractInsnNode i = code.getFirst(); i != null; i = i.getNext()) {
        if (i instanceof JumpInsnNode) {
          JumpInsnNode j = (JumpInsnNode) i;
          int op = j.getOpcode();
          if (op != GOTO_W
              && op != JSR_W
              && Math.abs(at.get(j.label) - at.get(j)) > Short.MAX_VALUE) {
            far.add(j);
          }
        }
      }
      if (far.isEmpty()) {
        return;
      }
      for (JumpInsnNode j : far) {
        int op = j.getOpcode();
        if (op == Opcodes.GOTO || op == Opcodes.JSR) {
          j.setOpcode(op == Opcodes.GOTO ? GOTO_W : JSR_W);
          continue;
        }
        if (!conditionals) {
          throw new IllegalStateException(
              "a conditional jump became far after the frames were computed in " + m.name + m.desc);
        }
        LabelNode next = new LabelNode();
        JumpInsnNode wide = new JumpInsnNode(GOTO_W, j.label);
        j.setOpcode(opposite(op));
        j.label = next;
        code.insert(j, wide);
        code.insert(wide, next);
      }
    }
  }

  /** The opposite condition: IFEQ and IFNE, IFLT and IFGE, ..., IFNULL and IFNONNULL. */
  static int opposite(int op) {
    if (op == Opcodes.IFNULL || op == Opcodes.IFNONNULL) {
      return op ^ 1;
    }
    // IFEQ (153) .. IF_ACMPNE (166) come in pairs starting at odd opcodes
    return ((op - Opcodes.IFEQ) ^ 1) + Opcodes.IFEQ;
  }

  /**
   * Each instruction's offset if every instruction before it took its longest encoding (a constant
   * as {@code ldc_w}, a switch with 3 bytes of padding).
   */
  private static Map<AbstractInsnNode, Integer> upperBoundOffsets(InsnList code) {
    Map<AbstractInsnNode, Integer> at = new IdentityHashMap<>(code.size() * 2);
    int offset = 0;
    for (AbstractInsnNode i = code.getFirst(); i != null; i = i.getNext()) {
      at.put(i, offset);
      offset += longest(i);
    }
    return at;
  }

  private static int longest(AbstractInsnNode i) {
    switch (i.getType()) {
      case AbstractInsnNode.LABEL:
      case AbstractInsnNode.LINE:
      case AbstractInsnNode.FRAME:
        return 0;
      case AbstractInsnNode.INSN:
        return 1;
      case AbstractInsnNode.INT_INSN:
        return i.getOpcode() == Opcodes.SIPUSH ? 3 : 2;
      case AbstractInsnNode.VAR_INSN:
        return ((VarInsnNode) i).var < 256 ? 2 : 4;
      case AbstractInsnNode.IINC_INSN:
        IincInsnNode inc = (IincInsnNode) i;
        return inc.var < 256 && inc.incr == (byte) inc.incr ? 3 : 6;
      case AbstractInsnNode.TYPE_INSN:
      case AbstractInsnNode.FIELD_INSN:
      case AbstractInsnNode.LDC_INSN:
        return 3;
      case AbstractInsnNode.METHOD_INSN:
        return i.getOpcode() == Opcodes.INVOKEINTERFACE ? 5 : 3;
      case AbstractInsnNode.INVOKE_DYNAMIC_INSN:
        return 5;
      case AbstractInsnNode.JUMP_INSN:
        return i.getOpcode() == GOTO_W || i.getOpcode() == JSR_W ? 5 : 3;
      case AbstractInsnNode.TABLESWITCH_INSN:
        return 1 + 3 + 12 + 4 * ((TableSwitchInsnNode) i).labels.size();
      case AbstractInsnNode.LOOKUPSWITCH_INSN:
        return 1 + 3 + 8 + 8 * ((LookupSwitchInsnNode) i).labels.size();
      case AbstractInsnNode.MULTIANEWARRAY_INSN:
        return 4;
      default:
        throw new IllegalStateException("unknown instruction type " + i.getType());
    }
  }
}
