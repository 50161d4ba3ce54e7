package dev.coroutine.transform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Trims a coroutine's local-variable table so that a debugger is shown a variable only where its
 * slot holds it. A resume restores only the locals live across the await; every other slot of the
 * fresh JVM frame holds nothing of the user's (slot 0 even holds the frame object), yet javac's
 * entry of a variable that is dead at the await still covers the code after it.
 *
 * <p>Invariant established: no entry covers an instruction reached, on some path, from a resume
 * that did not restore the entry's slot without a store to that slot in between ("stale"). A slot
 * is stale from the point where the resume lands (the site's resume label) until the next store,
 * through branches and exception handlers (a forward may-analysis); each entry is split into the
 * runs of its range where its slot is not stale.
 */
final class LocalVariableRanges {
  private LocalVariableRanges() {}

  /**
   * Splits the entries of {@code m.localVariables}. {@code unrestored} gives, for each await call,
   * the slots its resume does not restore; {@code resumeLabel}, the label the rewrite will put
   * where that resume lands (before the {@code resumed()} call). Labels for the other cuts are
   * inserted into {@code m.instructions}, which must be the code {@code a} was computed on.
   */
  static void trim(
      MethodNode m,
      MethodAnalysis a,
      Map<AbstractInsnNode, BitSet> unrestored,
      Map<AbstractInsnNode, LabelNode> resumeLabel) {
    if (m.localVariables == null || m.localVariables.isEmpty() || unrestored.isEmpty()) {
      return;
    }
    AbstractInsnNode[] code = m.instructions.toArray();
    BitSet[] staleIn = staleSlots(code, a, unrestored);
    Map<Integer, LabelNode> cutBefore = new HashMap<>();
    List<LocalVariableNode> trimmed = new ArrayList<>();
    for (LocalVariableNode v : m.localVariables) {
      int from = indexIn(m, code, v.start);
      int to = indexIn(m, code, v.end);
      if (from < 0 || to < 0 || from > to) {
        trimmed.add(v); // not a range of this code: left as it was
        continue;
      }
      List<LocalVariableNode> runs = new ArrayList<>();
      LabelNode runStart = v.start;
      boolean cut = false;
      int previous = -1;
      for (int i = from; i < to; i++) {
        if (code[i].getOpcode() < 0 || a.frames[i] == null) {
          continue; // labels, lines, frames, unreachable code: no value to describe
        }
        boolean stale = staleIn[i].get(v.index);
        if (stale && runStart != null) {
          BitSet byAwait = previous < 0 ? null : unrestored.get(code[previous]);
          LabelNode end =
              byAwait != null && byAwait.get(v.index)
                  ? resumeLabel.get(code[previous])
                  : cutBefore.computeIfAbsent(i, k -> new LabelNode());
          if (runStart != end) {
            runs.add(run(v, runStart, end));
          }
          runStart = null;
          cut = true;
        } else if (!stale && runStart == null) {
          runStart = cutBefore.computeIfAbsent(i, k -> new LabelNode());
        }
        previous = i;
      }
      if (!cut) {
        trimmed.add(v);
        continue;
      }
      if (runStart != null) {
        runs.add(run(v, runStart, v.end));
      }
      trimmed.addAll(runs);
    }
    for (Map.Entry<Integer, LabelNode> e : cutBefore.entrySet()) {
      m.instructions.insertBefore(code[e.getKey()], e.getValue());
    }
    m.localVariables = trimmed;
  }

  /** The index of {@code label} in {@code code} (m's instructions), or -1 if not among them. */
  private static int indexIn(MethodNode m, AbstractInsnNode[] code, LabelNode label) {
    int i = m.instructions.indexOf(label); // InsnList caches the indexes until it changes
    return i >= 0 && i < code.length && code[i] == label ? i : -1;
  }

  private static LocalVariableNode run(LocalVariableNode v, LabelNode start, LabelNode end) {
    return new LocalVariableNode(v.name, v.desc, v.signature, start, end, v.index);
  }

  /**
   * For each instruction, the slots that may hold nothing of the user's when it runs: set by a
   * resume that does not restore them, cleared by a store. Handlers see the state before the
   * throwing instruction, and an await's own resume state ({@code resumed()} rethrows there).
   */
  private static BitSet[] staleSlots(
      AbstractInsnNode[] code, MethodAnalysis a, Map<AbstractInsnNode, BitSet> unrestored) {
    int n = code.length;
    BitSet[] in = new BitSet[n];
    for (int i = 0; i < n; i++) {
      in[i] = new BitSet();
    }
    ArrayDeque<Integer> work = new ArrayDeque<>();
    boolean[] queued = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (a.frames[i] != null) {
        work.add(i);
        queued[i] = true;
      }
    }
    while (!work.isEmpty()) {
      int i = work.poll();
      queued[i] = false;
      BitSet gen = unrestored.get(code[i]);
      BitSet out = (BitSet) in[i].clone();
      if (code[i] instanceof VarInsnNode) {
        int op = code[i].getOpcode();
        if (op >= Opcodes.ISTORE && op <= Opcodes.ASTORE) {
          int var = ((VarInsnNode) code[i]).var;
          out.clear(var);
          if (op == Opcodes.LSTORE || op == Opcodes.DSTORE) {
            out.clear(var + 1);
          }
        }
      }
      BitSet toHandler = in[i];
      if (gen != null) {
        out.or(gen);
        toHandler = (BitSet) in[i].clone();
        toHandler.or(gen);
      }
      for (int s : a.successors.get(i)) {
        flow(out, s, in, work, queued);
      }
      for (int h : a.handlers.get(i)) {
        flow(toHandler, h, in, work, queued);
      }
    }
    return in;
  }

  private static void flow(
      BitSet state, int target, BitSet[] in, ArrayDeque<Integer> work, boolean[] queued) {
    BitSet merged = (BitSet) in[target].clone();
    merged.or(state);
    if (!merged.equals(in[target])) {
      in[target] = merged;
      if (!queued[target]) {
        queued[target] = true;
        work.add(target);
      }
    }
  }
}
