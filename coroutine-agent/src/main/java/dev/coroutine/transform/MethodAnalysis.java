package dev.coroutine.transform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.Interpreter;

/**
 * What a suspension point needs to know about a method: the precise type of every local and stack
 * value before each instruction ({@link #frames}), and which locals are live there ({@link
 * #liveIn}) so that only those are saved.
 */
final class MethodAnalysis {
  /** Typed frame before each instruction; null for unreachable instructions. */
  final Frame<BasicValue>[] frames;

  /** Locals read later on some path from each instruction (exception paths included). */
  final BitSet[] liveIn;

  /** Instructions each instruction may continue to normally, by index. */
  final List<List<Integer>> successors;

  /** Handlers each instruction may throw to, by index. */
  final List<List<Integer>> handlers;

  private MethodAnalysis(
      Frame<BasicValue>[] frames,
      BitSet[] liveIn,
      List<List<Integer>> successors,
      List<List<Integer>> handlers) {
    this.frames = frames;
    this.liveIn = liveIn;
    this.successors = successors;
    this.handlers = handlers;
  }

  /**
   * The analyzer of every type analysis of the transformer: {@code interpreter}'s values in frames
   * that track which objects are initialized ({@link InitTrackingFrame}).
   */
  static class TypeAnalyzer extends Analyzer<BasicValue> {
    TypeAnalyzer(TypeInterpreter interpreter) {
      super(interpreter);
    }

    @Override
    protected Frame<BasicValue> newFrame(int numLocals, int numStack) {
      return new InitTrackingFrame(numLocals, numStack);
    }

    @Override
    protected Frame<BasicValue> newFrame(Frame<? extends BasicValue> frame) {
      return new InitTrackingFrame(frame);
    }
  }

  static MethodAnalysis of(String owner, MethodNode method, ClassHierarchy hierarchy)
      throws AnalyzerException {
    int n = method.instructions.size();
    List<List<Integer>> successors = new ArrayList<>(n);
    List<List<Integer>> handlers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      successors.add(new ArrayList<>(2));
      handlers.add(new ArrayList<>(1));
    }
    Analyzer<BasicValue> analyzer =
        new TypeAnalyzer(new TypeInterpreter(hierarchy)) {
          @Override
          protected void newControlFlowEdge(int insn, int successor) {
            successors.get(insn).add(successor);
          }

          @Override
          protected boolean newControlFlowExceptionEdge(int insn, int successor) {
            handlers.get(insn).add(successor);
            return true;
          }
        };
    Frame<BasicValue>[] frames = analyzer.analyze(owner, method);
    return new MethodAnalysis(
        frames, liveness(method, frames, successors, handlers), successors, handlers);
  }

  /**
   * {@link #of}, for a method as the class file has it: also checks the operand stack against
   * {@code max_stack} in slots. ASM's analyzer bounds the stack in values, where the JVM counts
   * slots (a long or double takes two); a method whose stack outgrows {@code max_stack} fails
   * verification, and must not be rewritten (the rewrite computes a new, sufficient maximum).
   */
  static MethodAnalysis ofOriginal(String owner, MethodNode method, ClassHierarchy hierarchy)
      throws AnalyzerException {
    MethodAnalysis analysis = of(owner, method, hierarchy);
    checkStackSlots(method, analysis.frames);
    return analysis;
  }

  private static void checkStackSlots(MethodNode method, Frame<BasicValue>[] frames)
      throws AnalyzerException {
    for (int i = 0; i < frames.length; i++) {
      Frame<BasicValue> f = frames[i];
      if (f == null) {
        continue;
      }
      int slots = 0;
      for (int j = 0; j < f.getStackSize(); j++) {
        slots += f.getStack(j).getSize();
      }
      if (slots > method.maxStack) {
        throw new AnalyzerException(
            method.instructions.get(i),
            "the operand stack holds "
                + slots
                + " slots, over the method's max_stack of "
                + method.maxStack);
      }
    }
  }

  /** Backward may-liveness of local slots, to a fixed point. */
  private static BitSet[] liveness(
      MethodNode method,
      Frame<BasicValue>[] frames,
      List<List<Integer>> successors,
      List<List<Integer>> handlers) {
    InsnList insns = method.instructions;
    int n = insns.size();
    BitSet[] use = new BitSet[n];
    BitSet[] def = new BitSet[n];
    List<List<Integer>> predecessors = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      predecessors.add(new ArrayList<>(2));
    }
    for (int i = 0; i < n; i++) {
      use[i] = new BitSet();
      def[i] = new BitSet();
      AbstractInsnNode insn = insns.get(i);
      if (insn instanceof VarInsnNode) {
        int var = ((VarInsnNode) insn).var;
        int op = insn.getOpcode();
        if (op >= Opcodes.ILOAD && op <= Opcodes.ALOAD || op == Opcodes.RET) {
          use[i].set(var);
        } else {
          def[i].set(var);
          if (op == Opcodes.LSTORE || op == Opcodes.DSTORE) {
            def[i].set(var + 1);
          }
        }
      } else if (insn instanceof IincInsnNode) {
        use[i].set(((IincInsnNode) insn).var);
      }
      for (int s : successors.get(i)) {
        predecessors.get(s).add(i);
      }
      for (int h : handlers.get(i)) {
        predecessors.get(h).add(i);
      }
    }
    BitSet[] liveIn = new BitSet[n];
    for (int i = 0; i < n; i++) {
      liveIn[i] = new BitSet();
    }
    ArrayDeque<Integer> work = new ArrayDeque<>();
    boolean[] queued = new boolean[n];
    for (int i = n - 1; i >= 0; i--) {
      if (frames[i] != null) {
        work.add(i);
        queued[i] = true;
      }
    }
    while (!work.isEmpty()) {
      int i = work.poll();
      queued[i] = false;
      BitSet out = new BitSet();
      for (int s : successors.get(i)) {
        out.or(liveIn[s]);
      }
      out.andNot(def[i]);
      out.or(use[i]);
      for (int h : handlers.get(i)) {
        out.or(liveIn[h]); // an exception may leave before this instruction's store
      }
      if (!out.equals(liveIn[i])) {
        liveIn[i] = out;
        for (int p : predecessors.get(i)) {
          if (!queued[p]) {
            queued[p] = true;
            work.add(p);
          }
        }
      }
    }
    return liveIn;
  }

  /**
   * A frame that, when a constructor runs, replaces every copy of the uninitialized object with an
   * initialized value of its type.
   */
  static final class InitTrackingFrame extends Frame<BasicValue> {
    InitTrackingFrame(int numLocals, int numStack) {
      super(numLocals, numStack);
    }

    InitTrackingFrame(Frame<? extends BasicValue> frame) {
      super(frame);
    }

    @Override
    public void execute(AbstractInsnNode insn, Interpreter<BasicValue> interpreter)
        throws AnalyzerException {
      BasicValue receiver = null;
      if (insn.getOpcode() == Opcodes.INVOKESPECIAL
          && ((MethodInsnNode) insn).name.equals("<init>")) {
        int args = Type.getArgumentTypes(((MethodInsnNode) insn).desc).length;
        receiver = getStack(getStackSize() - 1 - args);
      }
      super.execute(insn, interpreter);
      if (receiver instanceof TypeInterpreter.Uninitialized) {
        BasicValue init = new BasicValue(receiver.getType());
        for (int i = 0; i < getLocals(); i++) {
          if (receiver.equals(getLocal(i))) {
            setLocal(i, init);
          }
        }
        for (int i = 0; i < getStackSize(); i++) {
          if (receiver.equals(getStack(i))) {
            setStack(i, init);
          }
        }
      }
    }
  }
}
