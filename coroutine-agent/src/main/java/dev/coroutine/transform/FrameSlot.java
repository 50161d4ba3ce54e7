package dev.coroutine.transform;

import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.LocalVariableAnnotationNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Which local a body keeps its frame in. The body is built with the user's locals where the
 * compiler put them and the frame above them ({@code frameVar}), copied there from parameter 0; but
 * the frame is read at every await and in every shared block, and a local above 3 costs a byte more
 * per access (above 255, three more). So the frame swaps slots with the user's local among 0-3
 * whose move costs least, when that saves bytes: the user's local goes to {@code frameVar}, and in
 * slot 0 the incoming parameter is already the frame (no copy at all).
 *
 * <p>A renaming of two slots, nothing else: every load, store, {@code iinc}, {@code ret} and
 * local-variable entry of either slot takes the other, except the prologue's read of the parameter.
 * A slot where a {@code long} or {@code double} starts or that one covers is never swapped (the
 * frame is one slot wide).
 */
final class FrameSlot {
  private FrameSlot() {}

  /**
   * Moves the frame of {@code body} from {@code frameVar} to the cheapest slot among 0-3, if that
   * makes the code smaller.
   *
   * @param take the prologue's {@code aload 0} that reads the parameter (never renamed); the next
   *     instruction, after an optional {@code checkcast}, is its {@code astore frameVar}
   */
  static void choose(MethodNode body, int frameVar, VarInsnNode take) {
    if (frameVar <= 3) {
      return; // already in a one-byte slot
    }
    AbstractInsnNode copy = take.getNext();
    boolean cast = copy.getOpcode() == Opcodes.CHECKCAST;
    if (cast) {
      copy = copy.getNext();
    }
    int best = -1;
    int bestSaving = 0;
    for (int s = 0; s <= 3 && s < frameVar; s++) {
      int saving = saving(body, frameVar, take, s);
      if (!cast && s == 0 && saving != Integer.MIN_VALUE) {
        saving += 1; // the copy's aload 0 goes too (its astore is counted as a frame access)
      }
      if (saving > bestSaving) {
        best = s;
        bestSaving = saving;
      }
    }
    if (best < 0) {
      return;
    }
    swap(body, frameVar, best, take);
    if (!cast && best == 0) {
      body.instructions.remove(take); // aload 0; astore 0: the frame is already there
      body.instructions.remove(copy);
    }
  }

  /**
   * Bytes saved by swapping {@code frameVar} with slot {@code s}; {@code Integer.MIN_VALUE} if a
   * two-slot value uses {@code s}.
   */
  private static int saving(MethodNode body, int frameVar, AbstractInsnNode take, int s) {
    int saving = 0;
    for (AbstractInsnNode insn = body.instructions.getFirst();
        insn != null;
        insn = insn.getNext()) {
      if (insn == take) {
        continue;
      }
      int var = var(insn);
      if (var < 0) {
        continue;
      }
      if (isWide(insn.getOpcode()) && (var == s || var == s - 1)) {
        return Integer.MIN_VALUE;
      }
      if (var == s) {
        saving += length(insn, s) - length(insn, frameVar);
      } else if (var == frameVar) {
        saving += length(insn, frameVar) - length(insn, s);
      }
    }
    return saving;
  }

  private static void swap(MethodNode body, int frameVar, int s, AbstractInsnNode take) {
    for (AbstractInsnNode insn = body.instructions.getFirst();
        insn != null;
        insn = insn.getNext()) {
      if (insn == take) {
        continue;
      }
      if (insn instanceof VarInsnNode) {
        VarInsnNode v = (VarInsnNode) insn;
        v.var = other(v.var, frameVar, s);
      } else if (insn instanceof IincInsnNode) {
        IincInsnNode v = (IincInsnNode) insn;
        v.var = other(v.var, frameVar, s);
      }
    }
    if (body.localVariables != null) {
      for (LocalVariableNode l : body.localVariables) {
        l.index = other(l.index, frameVar, s);
      }
    }
    swapAnnotations(body.visibleLocalVariableAnnotations, frameVar, s);
    swapAnnotations(body.invisibleLocalVariableAnnotations, frameVar, s);
  }

  private static void swapAnnotations(
      List<LocalVariableAnnotationNode> annotations, int frameVar, int s) {
    if (annotations == null) {
      return;
    }
    for (LocalVariableAnnotationNode a : annotations) {
      a.index.replaceAll(i -> other(i, frameVar, s));
    }
  }

  private static int other(int var, int a, int b) {
    return var == a ? b : var == b ? a : var;
  }

  /** The local an instruction reads or writes, or -1. */
  private static int var(AbstractInsnNode insn) {
    if (insn instanceof VarInsnNode) {
      return ((VarInsnNode) insn).var;
    }
    if (insn instanceof IincInsnNode) {
      return ((IincInsnNode) insn).var;
    }
    return -1;
  }

  private static boolean isWide(int opcode) {
    return opcode == Opcodes.LLOAD
        || opcode == Opcodes.DLOAD
        || opcode == Opcodes.LSTORE
        || opcode == Opcodes.DSTORE;
  }

  /** Bytes the instruction takes with its local at {@code var} (ASM picks the short forms). */
  private static int length(AbstractInsnNode insn, int var) {
    if (insn instanceof IincInsnNode) {
      int incr = ((IincInsnNode) insn).incr;
      return var > 255 || incr < Byte.MIN_VALUE || incr > Byte.MAX_VALUE ? 6 : 3;
    }
    if (insn.getOpcode() == Opcodes.RET) {
      return var > 255 ? 4 : 2;
    }
    return var <= 3 ? 1 : var <= 255 ? 2 : 4;
  }
}
