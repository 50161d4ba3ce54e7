package dev.coroutine.transform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Finds {@code return other();} statements whose coroutine is made inside a try block that does not
 * also cover the return: a returned coroutine is awaited at the return itself (a tail await), which
 * the compiler places after the try's finally code, so the finally block runs before {@code other}
 * does and the try's catch blocks never see its failure. Python's {@code return await other()} in
 * the same place runs inside the try; {@code return done(await(other()))} is its twin.
 */
final class TailReturnInTry {
  private TailReturnInTry() {}

  /** A return of a coroutine made at {@code madeAt}, inside {@code handler}'s try block. */
  record Found(AbstractInsnNode madeAt, TryCatchBlockNode handler) {}

  /** Each tail return of {@code m} that a try block covers where its coroutine is made only. */
  static List<Found> find(String owner, MethodNode m) {
    List<Found> found = new ArrayList<>();
    if (m.tryCatchBlocks.isEmpty() || !hasTailReturn(m)) {
      return found; // the usual method: no analysis
    }
    Frame<SourceValue>[] frames;
    try {
      frames = new Analyzer<>(new SourceInterpreter()).analyze(owner, m);
    } catch (AnalyzerException | RuntimeException e) {
      return found; // a malformed method: the rewrite reports it
    }
    Set<AbstractInsnNode> reported = new HashSet<>();
    for (int i = 0; i < frames.length; i++) {
      AbstractInsnNode ret = m.instructions.get(i);
      if (ret.getOpcode() != Opcodes.ARETURN || frames[i] == null) {
        continue;
      }
      Frame<SourceValue> f = frames[i];
      for (AbstractInsnNode made : makers(m, frames, f.getStack(f.getStackSize() - 1))) {
        if (isDone(made) || !reported.add(made)) {
          continue;
        }
        int at = m.instructions.indexOf(made);
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
          if (covers(m, t, at) && !covers(m, t, i)) {
            found.add(new Found(made, t));
            break;
          }
        }
      }
    }
    return found;
  }

  /** The calls that made the value {@code v}, followed through stores, loads and casts. */
  private static List<AbstractInsnNode> makers(
      MethodNode m, Frame<SourceValue>[] frames, SourceValue v) {
    List<AbstractInsnNode> out = new ArrayList<>();
    Deque<AbstractInsnNode> pending = new ArrayDeque<>(v.insns);
    Set<AbstractInsnNode> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      AbstractInsnNode insn = pending.poll();
      if (!seen.add(insn)) {
        continue;
      }
      Frame<SourceValue> f = frames[m.instructions.indexOf(insn)];
      if (f == null) {
        continue;
      }
      switch (insn.getOpcode()) {
        case Opcodes.ALOAD:
          pending.addAll(f.getLocal(((VarInsnNode) insn).var).insns);
          break;
        case Opcodes.ASTORE:
        case Opcodes.CHECKCAST:
        case Opcodes.DUP:
          pending.addAll(f.getStack(f.getStackSize() - 1).insns);
          break;
        default:
          if (insn instanceof MethodInsnNode) {
            out.add(insn);
          }
      }
    }
    return out;
  }

  private static boolean isDone(AbstractInsnNode insn) {
    return AsyncMethodRewriter.isDone((MethodInsnNode) insn);
  }

  /**
   * True if some return of {@code m} is not right after a {@code done(...)}: only such a return may
   * hand back another coroutine (a return of {@code done} kept in a local, as a finally block makes
   * it, is told apart by the analysis).
   */
  private static boolean hasTailReturn(MethodNode m) {
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i.getOpcode() == Opcodes.ARETURN) {
        AbstractInsnNode prev = Insns.previousReal(i);
        if (!(prev instanceof MethodInsnNode) || !isDone(prev)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean covers(MethodNode m, TryCatchBlockNode t, int index) {
    return m.instructions.indexOf(t.start) <= index && index < m.instructions.indexOf(t.end);
  }
}
