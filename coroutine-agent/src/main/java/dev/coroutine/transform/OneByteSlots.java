package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LocalVariableAnnotationNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Where a body keeps its frame and its locals. The body is built with the user's locals where the
 * compiler put them and the frame above them, copied there from parameter 0. The frame then moves
 * to slot 0, trading places with the user's local there (or, when a {@code long} or {@code double}
 * starts there, with every user local moving one slot up): slot 0 holds the frame, as passed, for
 * the whole body. A debugger's "drop frame" (JDWP PopFrame, an IDE's "Reset Frame") calls the
 * method again with the values its parameter slots hold at that moment: an {@code int} or another
 * object left in slot 0 by the body crashed the JVM (found from outside with jdb's {@code pop}),
 * and JDI's {@code getArgumentValues} failed on every body frame. The frame is read at every await
 * and in every shared block, so slot 0, with its one-byte loads, also suits it best.
 *
 * <p>Then the most-used locals take the least-used of slots 1-3, where a load or store takes one
 * byte (two up to 255, four above), while that makes the code smaller. Each such move is a renaming
 * of two slots, nothing else: every load, store, {@code iinc}, {@code ret} and local-variable entry
 * of either slot takes the other, except the prologue's read of the parameter. A slot where a
 * {@code long} or {@code double} starts, or that one covers, never moves that way.
 */
final class OneByteSlots {
  private OneByteSlots() {}

  /**
   * Moves the frame of {@code body} from {@code frameVar} into slot 0 (the user's local there to
   * {@code frameVar}, or all of them one slot up), then the most-used locals into slots 1-3 where
   * that makes the code smaller.
   *
   * @param take the prologue's {@code aload 0} that reads the parameter (never renamed); the next
   *     instruction, after an optional {@code checkcast}, is its {@code astore frameVar}
   */
  static void choose(MethodNode body, int frameVar, VarInsnNode take) {
    List<AbstractInsnNode> accesses = new ArrayList<>(); // every load, store, iinc, ret but take
    int slots = frameVar + 1; // the spill slots above are in no count yet: find them
    for (AbstractInsnNode insn = body.instructions.getFirst();
        insn != null;
        insn = insn.getNext()) {
      if (var(insn) >= 0 && insn != take) {
        accesses.add(insn);
        slots = Math.max(slots, var(insn) + (isWide(insn.getOpcode()) ? 2 : 1));
      }
    }
    boolean wideAt0 = false;
    for (AbstractInsnNode insn : accesses) {
      wideAt0 |= var(insn) == 0 && isWide(insn.getOpcode());
    }
    if (wideAt0) {
      // a long or double in slots 0-1 cannot be split: every user local one slot up
      rename(body, accesses, v -> v == frameVar ? 0 : v < frameVar ? v + 1 : v);
    } else {
      rename(body, accesses, v -> other(v, frameVar, 0)); // the user's slot 0 takes the frame's
    }
    AbstractInsnNode copy = take.getNext();
    if (copy.getOpcode() != Opcodes.CHECKCAST) {
      body.instructions.remove(take); // aload 0; astore 0: the frame is already there
      body.instructions.remove(copy);
      accesses.remove(copy);
    }
    boolean[] movable = new boolean[slots];
    Arrays.fill(movable, true);
    movable[0] = false; // the frame
    int[] uses = new int[slots];
    for (AbstractInsnNode insn : accesses) {
      int var = var(insn);
      if (isWide(insn.getOpcode())) {
        movable[var] = false;
        movable[var + 1] = false;
      }
      uses[var]++;
    }
    boolean[] placed = new boolean[4];
    placed[0] = true;
    // the most-used movable local above 3 into the least-used movable slot of 1-3, while that
    // saves bytes
    while (true) {
      int low = -1;
      for (int s = 1; s <= 3 && s < slots; s++) {
        if (movable[s] && !placed[s] && (low < 0 || uses[s] < uses[low])) {
          low = s;
        }
      }
      int high = -1;
      for (int v = 4; v < slots; v++) {
        if (movable[v] && (high < 0 || uses[v] > uses[high])) {
          high = v;
        }
      }
      if (low < 0 || high < 0 || saving(accesses, high, low) <= 0) {
        return;
      }
      int a = high;
      int b = low;
      rename(body, accesses, v -> other(v, a, b));
      swapUses(uses, high, low);
      placed[low] = true;
      movable[high] = false; // the local moved there is the least used: leave it
    }
  }

  /** Bytes saved by swapping slots {@code high} and {@code low}. */
  private static int saving(List<AbstractInsnNode> accesses, int high, int low) {
    int saving = 0;
    for (AbstractInsnNode insn : accesses) {
      int var = var(insn);
      if (var == low) {
        saving += length(insn, low) - length(insn, high);
      } else if (var == high) {
        saving += length(insn, high) - length(insn, low);
      }
    }
    return saving;
  }

  private static void swapUses(int[] uses, int a, int b) {
    int t = uses[a];
    uses[a] = uses[b];
    uses[b] = t;
  }

  /** Gives every access and local-variable entry of slot {@code v} the slot {@code to(v)}. */
  private static void rename(
      MethodNode body, List<AbstractInsnNode> accesses, IntUnaryOperator to) {
    for (AbstractInsnNode insn : accesses) {
      if (insn instanceof VarInsnNode) {
        VarInsnNode v = (VarInsnNode) insn;
        v.var = to.applyAsInt(v.var);
      } else if (insn instanceof IincInsnNode) {
        IincInsnNode v = (IincInsnNode) insn;
        v.var = to.applyAsInt(v.var);
      }
    }
    // new entries, not the old ones changed: the stub's table is made from the same nodes
    if (body.localVariables != null) {
      List<LocalVariableNode> renamed = new ArrayList<>();
      for (LocalVariableNode l : body.localVariables) {
        renamed.add(
            new LocalVariableNode(
                l.name, l.desc, l.signature, l.start, l.end, to.applyAsInt(l.index)));
      }
      body.localVariables = renamed;
    }
    body.visibleLocalVariableAnnotations = renamed(body.visibleLocalVariableAnnotations, to);
    body.invisibleLocalVariableAnnotations = renamed(body.invisibleLocalVariableAnnotations, to);
  }

  private static List<LocalVariableAnnotationNode> renamed(
      List<LocalVariableAnnotationNode> annotations, IntUnaryOperator to) {
    if (annotations == null) {
      return null;
    }
    List<LocalVariableAnnotationNode> renamed = new ArrayList<>();
    for (LocalVariableAnnotationNode n : annotations) {
      List<Integer> index = new ArrayList<>();
      for (int i : n.index) {
        index.add(to.applyAsInt(i));
      }
      LocalVariableAnnotationNode r =
          new LocalVariableAnnotationNode(
              n.typeRef,
              n.typePath,
              n.start.toArray(new LabelNode[0]),
              n.end.toArray(new LabelNode[0]),
              index.stream().mapToInt(Integer::intValue).toArray(),
              n.desc);
      r.values = n.values;
      renamed.add(r);
    }
    return renamed;
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
