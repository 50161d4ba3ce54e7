package dev.coroutine.transform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Which operand-stack values under an await a resume can push again instead of keeping them in the
 * frame: a constant ({@code iconst}, {@code ldc} of a number, string or class), or a local's value
 * that the local still holds at the await ({@code total += await(x)} loads {@code total} before the
 * call, {@code sb.append(await(x))} loads {@code sb}). Compilers put such values there all the
 * time, and saving each costs the method a spill, a store into the frame and a load back.
 *
 * <p>A value qualifies when one instruction produced it on every path (ASM's source analysis,
 * seeing through {@code dup}s) and that instruction is a constant push, or a load of local {@code
 * s} after which no path to the await stores into {@code s} before reaching the await (paths
 * through exception handlers included; a path that runs the load again makes a new value and is not
 * followed).
 *
 * <p>Invariant: {@link #source} answers only what holds on every path; a method the analyzer cannot
 * follow gets no answers.
 */
final class Rematerialization {
  /** Where a stack value comes from when a resume can push it again. */
  record Source(int local, Object constant) {
    /** A copy of local {@code var}. */
    static Source ofLocal(int var) {
      return new Source(var, null);
    }

    /** The constant {@code value} (Integer, Long, Float, Double, String or a class Type). */
    static Source ofConstant(Object value) {
      return new Source(-1, value);
    }

    boolean isLocal() {
      return constant == null;
    }
  }

  /** The method. */
  private final MethodNode method;

  /** Its control flow (normal successors and handlers by instruction index). */
  private final MethodAnalysis flow;

  /** Which instructions produced each value before each instruction, or null if not analyzed. */
  private final Frame<SourceValue>[] frames;

  /** Each instruction's successors (normal and exceptional), made on first need. */
  private List<List<Integer>> successors;

  /** Each instruction's predecessors (normal and exceptional), made with {@link #successors}. */
  private List<List<Integer>> predecessors;

  private Rematerialization(MethodNode method, MethodAnalysis flow, Frame<SourceValue>[] frames) {
    this.method = method;
    this.flow = flow;
    this.frames = frames;
  }

  /**
   * The sources of {@code m} of class {@code owner} (internal name), whose flow is {@code flow}.
   */
  static Rematerialization of(String owner, MethodNode m, MethodAnalysis flow) {
    Frame<SourceValue>[] frames;
    try {
      frames = new Analyzer<>(new ThroughDups()).analyze(owner, m);
    } catch (AnalyzerException | RuntimeException e) {
      frames = null;
    }
    return new Rematerialization(m, flow, frames);
  }

  /**
   * Where stack value {@code depth} (0 = bottom) before the await at instruction {@code index}
   * comes from, or null if it must be saved.
   */
  Source source(int index, int depth) {
    if (frames == null || frames[index] == null) {
      return null;
    }
    SourceValue v = frames[index].getStack(depth);
    if (v.insns.size() != 1) {
      return null; // made by different instructions on different paths
    }
    AbstractInsnNode producer = v.insns.iterator().next();
    Object constant = constantOf(producer);
    if (constant != null) {
      return Source.ofConstant(constant);
    }
    int op = producer.getOpcode();
    if (op >= Opcodes.ILOAD && op <= Opcodes.ALOAD) {
      int var = ((VarInsnNode) producer).var;
      int load = method.instructions.indexOf(producer);
      int size = op == Opcodes.LLOAD || op == Opcodes.DLOAD ? 2 : 1;
      if (!storedOnTheWay(load, index, var, size)) {
        return Source.ofLocal(var);
      }
    }
    return null;
  }

  /**
   * True if some path from instruction {@code from} (not running it again) to instruction {@code
   * to} writes the {@code size} slots of local {@code var}: the instructions reachable from {@code
   * from} that reach {@code to} hold a store that overlaps them.
   */
  private boolean storedOnTheWay(int from, int to, int var, int size) {
    int n = method.instructions.size();
    BitSet forward = new BitSet(n);
    Deque<Integer> work = new ArrayDeque<>();
    if (successors == null) {
      edges(n); // once per method, for every value searched
    }
    for (int next : successors.get(from)) {
      if (next != from && !forward.get(next)) {
        forward.set(next);
        work.push(next);
      }
    }
    while (!work.isEmpty()) {
      int i = work.pop();
      for (int next : successors.get(i)) {
        if (next != from && !forward.get(next)) {
          forward.set(next);
          work.push(next);
        }
      }
    }
    BitSet backward = new BitSet(n);
    backward.set(to);
    work.push(to);
    while (!work.isEmpty()) {
      int i = work.pop();
      for (int prev : predecessors.get(i)) {
        if (prev != from && !backward.get(prev)) {
          backward.set(prev);
          work.push(prev);
        }
      }
    }
    forward.and(backward);
    for (int i = forward.nextSetBit(0); i >= 0; i = forward.nextSetBit(i + 1)) {
      if (writes(method.instructions.get(i), var, size)) {
        return true;
      }
    }
    return false;
  }

  /** True if {@code insn} writes any of the {@code size} slots from local {@code var}. */
  private static boolean writes(AbstractInsnNode insn, int var, int size) {
    if (insn instanceof IincInsnNode) {
      int v = ((IincInsnNode) insn).var;
      return v >= var && v < var + size;
    }
    int op = insn.getOpcode();
    if (op < Opcodes.ISTORE || op > Opcodes.ASTORE) {
      return false;
    }
    int stored = ((VarInsnNode) insn).var;
    int storedSize = op == Opcodes.LSTORE || op == Opcodes.DSTORE ? 2 : 1;
    return stored < var + size && var < stored + storedSize; // the slot ranges overlap
  }

  /** Makes {@link #successors} and {@link #predecessors}: normal edges and handler edges. */
  private void edges(int n) {
    successors = new ArrayList<>(n);
    predecessors = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<Integer> all = new ArrayList<>(flow.successors.get(i));
      all.addAll(flow.handlers.get(i));
      successors.add(all);
      predecessors.add(new ArrayList<>(2));
    }
    for (int i = 0; i < n; i++) {
      for (int next : successors.get(i)) {
        predecessors.get(next).add(i);
      }
    }
  }

  /**
   * ASM's source analysis, except that a {@code dup} (any form) or {@code swap} keeps a value's
   * producer: {@code hist[k] += await(x)} duplicates the array and index it loaded, and the copies
   * are still those loads' values.
   */
  private static final class ThroughDups extends SourceInterpreter {
    ThroughDups() {
      super(Opcodes.ASM9);
    }

    @Override
    public SourceValue copyOperation(AbstractInsnNode insn, SourceValue value) {
      int op = insn.getOpcode();
      return op >= Opcodes.DUP && op <= Opcodes.SWAP ? value : super.copyOperation(insn, value);
    }
  }

  /** The constant {@code insn} pushes (one whose push has no effect but the value), or null. */
  static Object constantOf(AbstractInsnNode insn) {
    int op = insn.getOpcode();
    if (op >= Opcodes.ICONST_M1 && op <= Opcodes.ICONST_5) {
      return op - Opcodes.ICONST_0;
    }
    switch (op) {
      case Opcodes.LCONST_0:
      case Opcodes.LCONST_1:
        return (long) (op - Opcodes.LCONST_0);
      case Opcodes.FCONST_0:
      case Opcodes.FCONST_1:
      case Opcodes.FCONST_2:
        return (float) (op - Opcodes.FCONST_0);
      case Opcodes.DCONST_0:
      case Opcodes.DCONST_1:
        return (double) (op - Opcodes.DCONST_0);
      case Opcodes.BIPUSH:
      case Opcodes.SIPUSH:
        return ((IntInsnNode) insn).operand;
      case Opcodes.LDC:
        Object c = ((LdcInsnNode) insn).cst;
        boolean plain =
            c instanceof Number
                || c instanceof String
                || (c instanceof Type && ((Type) c).getSort() != Type.METHOD);
        return plain ? c : null; // method types, handles, dynamic constants: saved
      default:
        return null;
    }
  }
}
