package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LocalVariableAnnotationNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Which locals a body keeps in slots 0-3, where a load or store takes one byte (two up to 255, four
 * above). The body is built with the user's locals where the compiler put them and the frame above
 * them, copied there from parameter 0; but the frame is read at every await and in every shared
 * block, and the state machine adds accesses to the locals it saves and restores. So, where that
 * makes the code smaller, the frame first takes the cheapest of slots 0-3 (slot 0, where the
 * incoming parameter is already the frame, needs no copy at all), then the most-used other locals
 * take the least-used of the rest.
 *
 * <p>Each move is a renaming of two slots, nothing else: every load, store, {@code iinc}, {@code
 * ret} and local-variable entry of either slot takes the other, except the prologue's read of the
 * parameter. A slot where a {@code long} or {@code double} starts, or that one covers, never moves.
 */
final class OneByteSlots {
  private OneByteSlots() {}

  /**
   * Moves the frame of {@code body} from {@code frameVar}, and its most-used locals, into slots 0-3
   * where that makes the code smaller.
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
    boolean[] movable = new boolean[slots];
    Arrays.fill(movable, true);
    int[] uses = new int[slots];
    for (AbstractInsnNode insn : accesses) {
      int var = var(insn);
      if (isWide(insn.getOpcode())) {
        movable[var] = false;
        movable[var + 1] = false;
      }
      uses[var]++;
    }
    AbstractInsnNode copy = take.getNext();
    boolean cast = copy.getOpcode() == Opcodes.CHECKCAST;
    if (cast) {
      copy = copy.getNext();
    }
    boolean[] placed = new boolean[4];
    int frame = frameVar;
    if (frameVar > 3) {
      int best = -1;
      int bestSaving = 0;
      for (int s = 0; s <= 3 && s < slots; s++) {
        if (!movable[s]) {
          continue;
        }
        int saving = saving(accesses, frameVar, s) + (!cast && s == 0 ? 1 : 0); // aload 0 goes
        if (saving > bestSaving) {
          best = s;
          bestSaving = saving;
        }
      }
      if (best >= 0) {
        swap(body, accesses, frameVar, best);
        swapUses(uses, frameVar, best);
        frame = best;
        if (!cast && best == 0) {
          body.instructions.remove(take); // aload 0; astore 0: the frame is already there
          body.instructions.remove(copy);
        }
      }
    }
    if (frame <= 3) {
      placed[frame] = true;
    }
    // then the most-used movable local above 3 into the least-used movable slot of 0-3, while
    // that saves bytes
    while (true) {
      int low = -1;
      for (int s = 0; s <= 3 && s < slots; s++) {
        if (movable[s] && !placed[s] && (low < 0 || uses[s] < uses[low])) {
          low = s;
        }
      }
      int high = -1;
      for (int v = 4; v < slots; v++) {
        if (movable[v] && v != frame && (high < 0 || uses[v] > uses[high])) {
          high = v;
        }
      }
      if (low < 0 || high < 0 || saving(accesses, high, low) <= 0) {
        return;
      }
      swap(body, accesses, high, low);
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

  private static void swap(MethodNode body, List<AbstractInsnNode> accesses, int a, int b) {
    for (AbstractInsnNode insn : accesses) {
      if (insn instanceof VarInsnNode) {
        VarInsnNode v = (VarInsnNode) insn;
        v.var = other(v.var, a, b);
      } else if (insn instanceof IincInsnNode) {
        IincInsnNode v = (IincInsnNode) insn;
        v.var = other(v.var, a, b);
      }
    }
    // new entries, not the old ones changed: the stub's table is made from the same nodes
    if (body.localVariables != null) {
      List<LocalVariableNode> renamed = new ArrayList<>();
      for (LocalVariableNode l : body.localVariables) {
        renamed.add(
            new LocalVariableNode(
                l.name, l.desc, l.signature, l.start, l.end, other(l.index, a, b)));
      }
      body.localVariables = renamed;
    }
    body.visibleLocalVariableAnnotations = swapped(body.visibleLocalVariableAnnotations, a, b);
    body.invisibleLocalVariableAnnotations = swapped(body.invisibleLocalVariableAnnotations, a, b);
  }

  private static List<LocalVariableAnnotationNode> swapped(
      List<LocalVariableAnnotationNode> annotations, int a, int b) {
    if (annotations == null) {
      return null;
    }
    List<LocalVariableAnnotationNode> renamed = new ArrayList<>();
    for (LocalVariableAnnotationNode n : annotations) {
      List<Integer> index = new ArrayList<>();
      for (int i : n.index) {
        index.add(other(i, a, b));
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
