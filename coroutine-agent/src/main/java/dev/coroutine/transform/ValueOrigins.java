package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.Interpreter;
import org.objectweb.asm.tree.analysis.Value;

/**
 * Where the references of one method come from, by data flow over every path (through locals, stack
 * copies, casts, branches and handlers): whether a value is the constant {@code null} on every path
 * that reaches an instruction, and which exception handlers' caught exceptions an {@code athrow}
 * may throw. Answers hold for any bytecode shape, whatever the compiler (ECJ's try-with-resources
 * rethrows a local that holds one of two handlers' exceptions).
 *
 * <p>Invariant: {@link Origin#isNull} holds only if the value is null on every path; {@link
 * Origin#caught} holds every handler whose exception the value is on some path.
 */
final class ValueOrigins {
  /** The frame before each instruction (null: unreachable), or null if the analysis failed. */
  private final Frame<Origin>[] frames;

  /** The method analyzed. */
  private final MethodNode method;

  private ValueOrigins(MethodNode method, Frame<Origin>[] frames) {
    this.method = method;
    this.frames = frames;
  }

  /**
   * Analyzes {@code m} of class {@code owner} (internal name). A method the analyzer cannot follow
   * (a malformed class file) gets no answers: {@link #isConstantNull} and {@link #rethrows} are
   * then false and empty, and {@link #analyzed} false, so checks built on them stay silent.
   */
  static ValueOrigins of(String owner, MethodNode m) {
    Frame<Origin>[] frames;
    try {
      frames = new Analyzer<>(new Tracking(m)).analyze(owner, m);
    } catch (AnalyzerException | RuntimeException e) {
      frames = null;
    }
    return new ValueOrigins(m, frames);
  }

  /** The analyses of one class's methods, each made once for every check that asks. */
  static final class Memo {
    /** Internal name of the class. */
    private final String owner;

    /** The analyses made, by method. */
    private final Map<MethodNode, ValueOrigins> made = new IdentityHashMap<>();

    Memo(String owner) {
      this.owner = owner;
    }

    /** {@link ValueOrigins#of} {@code m}, analyzed at the first call. */
    ValueOrigins of(MethodNode m) {
      return made.computeIfAbsent(m, k -> ValueOrigins.of(owner, k));
    }
  }

  /** True if the value on top of the stack before {@code insn} is null on every path. */
  boolean isConstantNull(AbstractInsnNode insn) {
    Origin top = top(insn);
    return top != null && top.isNull;
  }

  /**
   * True if the value on top of the stack before {@code insn} is null on every path, and every null
   * it may be was written before the method's first line number: code a tool put in front of the
   * compiler's (an advice's result variable, null until the body returns, returned as it is only on
   * a path that does not run when the body always throws).
   */
  boolean isNullFromBeforeAnyLine(AbstractInsnNode insn) {
    Origin top = top(insn);
    return top != null && top.isNull && top.beforeAnyLine;
  }

  private Origin top(AbstractInsnNode insn) {
    Frame<Origin> f = frameAt(insn);
    return f == null || f.getStackSize() == 0 ? null : f.getStack(f.getStackSize() - 1);
  }

  /**
   * The {@code athrow} instructions that may throw the exception {@code handler} caught (the same
   * for every entry of the exception table sharing its handler code).
   */
  List<AbstractInsnNode> rethrows(TryCatchBlockNode handler) {
    List<AbstractInsnNode> sites = new ArrayList<>();
    for (AbstractInsnNode i = method.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i.getOpcode() == Opcodes.ATHROW) {
        Frame<Origin> f = frameAt(i);
        if (f != null && f.getStack(f.getStackSize() - 1).caught.contains(handler.handler)) {
          sites.add(i);
        }
      }
    }
    return sites;
  }

  /**
   * True if the exception {@code handler} caught is passed to a method of {@code owner} named in
   * {@code names} somewhere (as the call's last argument).
   */
  boolean passesCaughtTo(TryCatchBlockNode handler, String owner, Set<String> names) {
    for (AbstractInsnNode i = method.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i instanceof MethodInsnNode) {
        MethodInsnNode call = (MethodInsnNode) i;
        Frame<Origin> f = frameAt(i);
        if (call.owner.equals(owner)
            && names.contains(call.name)
            && f != null
            && f.getStackSize() > 0
            && f.getStack(f.getStackSize() - 1).caught.contains(handler.handler)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True if the analysis ran (the checks built on it can be trusted). */
  boolean analyzed() {
    return frames != null;
  }

  private Frame<Origin> frameAt(AbstractInsnNode insn) {
    return frames == null ? null : frames[method.instructions.indexOf(insn)];
  }

  /** A value: its basic kind, and where a reference comes from. */
  static final class Origin implements Value {
    /** The kind (int, long, reference, ...) as BasicInterpreter sees it. */
    final BasicValue basic;

    /** Null on every path (an {@code aconst_null}, however copied and cast). */
    final boolean isNull;

    /** A null written before the method's first line number, on every path. */
    final boolean beforeAnyLine;

    /** The handlers (their code's first label) whose caught exception this is on some path. */
    final Set<LabelNode> caught;

    Origin(BasicValue basic, boolean isNull, boolean beforeAnyLine, Set<LabelNode> caught) {
      this.basic = basic;
      this.isNull = isNull;
      this.beforeAnyLine = beforeAnyLine;
      this.caught = caught;
    }

    @Override
    public int getSize() {
      return basic.getSize();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Origin
          && ((Origin) o).basic.equals(basic)
          && ((Origin) o).isNull == isNull
          && ((Origin) o).beforeAnyLine == beforeAnyLine
          && ((Origin) o).caught.equals(caught);
    }

    @Override
    public int hashCode() {
      return basic.hashCode() * 31 + caught.hashCode() + (isNull ? 1 : 0) + (beforeAnyLine ? 2 : 0);
    }
  }

  /** BasicInterpreter's kinds, plus the origins of references. */
  private static final class Tracking extends Interpreter<Origin> {
    /** Computes the kinds. */
    private final BasicInterpreter basic = new BasicInterpreter();

    /** The method analysed. */
    private final MethodNode method;

    /**
     * Index of the method's first line number, or -1 if it has none (compiled with {@code -g:none}:
     * nothing to tell apart there); a null written before it is a tool's (see there).
     */
    private final int firstLine;

    Tracking(MethodNode m) {
      super(Protocol.ASM_API);
      this.method = m;
      int first = -1;
      for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
        if (i instanceof LineNumberNode) {
          first = m.instructions.indexOf(i);
          break;
        }
      }
      this.firstLine = first;
    }

    private static Origin plain(BasicValue b) {
      return b == null ? null : new Origin(b, false, false, Set.of());
    }

    @Override
    public Origin newValue(Type type) {
      return plain(basic.newValue(type));
    }

    @Override
    public Origin newExceptionValue(
        TryCatchBlockNode handler, Frame<Origin> frame, Type exceptionType) {
      return new Origin(BasicValue.REFERENCE_VALUE, false, false, Set.of(handler.handler));
    }

    @Override
    public Origin newOperation(AbstractInsnNode insn) throws AnalyzerException {
      if (insn.getOpcode() == Opcodes.ACONST_NULL) {
        return new Origin(
            BasicValue.REFERENCE_VALUE,
            true,
            method.instructions.indexOf(insn) < firstLine,
            Set.of());
      }
      return plain(basic.newOperation(insn));
    }

    @Override
    public Origin copyOperation(AbstractInsnNode insn, Origin value) {
      return value;
    }

    @Override
    public Origin unaryOperation(AbstractInsnNode insn, Origin value) throws AnalyzerException {
      if (insn.getOpcode() == Opcodes.CHECKCAST) {
        if (value.caught.isEmpty()
            || SwallowedCancellation.CANCELLATION_IS_A.contains(((TypeInsnNode) insn).desc)) {
          return value; // a cast changes neither a null nor which exception it is
        }
        // a CancellationException cannot pass this cast (to Error, say): what is thrown after it
        // is never the cancellation caught (`if (t instanceof Error) throw (Error) t;`)
        return new Origin(value.basic, value.isNull, value.beforeAnyLine, Set.of());
      }
      return plain(basic.unaryOperation(insn, value.basic));
    }

    @Override
    public Origin binaryOperation(AbstractInsnNode insn, Origin a, Origin b)
        throws AnalyzerException {
      return plain(basic.binaryOperation(insn, a.basic, b.basic));
    }

    @Override
    public Origin ternaryOperation(AbstractInsnNode insn, Origin a, Origin b, Origin c)
        throws AnalyzerException {
      return plain(basic.ternaryOperation(insn, a.basic, b.basic, c.basic));
    }

    @Override
    public Origin naryOperation(AbstractInsnNode insn, List<? extends Origin> values)
        throws AnalyzerException {
      List<BasicValue> basics = new ArrayList<>(values.size());
      for (Origin v : values) {
        basics.add(v.basic);
      }
      return plain(basic.naryOperation(insn, basics));
    }

    @Override
    public void returnOperation(AbstractInsnNode insn, Origin value, Origin expected) {}

    @Override
    public Origin merge(Origin a, Origin b) {
      if (a.equals(b)) {
        return a;
      }
      BasicValue kind = basic.merge(a.basic, b.basic);
      if (!kind.isReference()) {
        return plain(kind);
      }
      Set<LabelNode> caught = new HashSet<>(a.caught);
      caught.addAll(b.caught);
      return new Origin(
          kind, a.isNull && b.isNull, a.beforeAnyLine && b.beforeAnyLine, Set.copyOf(caught));
    }
  }
}
