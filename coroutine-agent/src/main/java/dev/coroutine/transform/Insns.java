package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/** Small helpers over ASM instruction lists. */
final class Insns {
  private Insns() {}

  /** The instruction pushing int constant {@code v}. */
  static AbstractInsnNode pushInt(int v) {
    if (v >= -1 && v <= 5) {
      return new InsnNode(Opcodes.ICONST_0 + v);
    }
    if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
      return new IntInsnNode(Opcodes.BIPUSH, v);
    }
    if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
      return new IntInsnNode(Opcodes.SIPUSH, v);
    }
    return new LdcInsnNode(v);
  }

  /**
   * The instruction pushing an await's label (from 1) in the width the method's largest label
   * {@code max} needs, not in its shortest form: the compiler's copies of a finally block holding
   * an await then stay the same sequence of opcodes once rewritten, which is how JaCoCo recognizes
   * the copies and counts them as one (a copy that differed by {@code iconst_1} against {@code
   * iconst_2} was reported partly covered: the one on the exception path, never run).
   */
  static AbstractInsnNode pushLabel(int label, int max) {
    if (max <= Byte.MAX_VALUE) {
      return new IntInsnNode(Opcodes.BIPUSH, label);
    }
    if (max <= Short.MAX_VALUE) {
      return new IntInsnNode(Opcodes.SIPUSH, label);
    }
    return new LdcInsnNode(label);
  }

  /**
   * The instruction pushing {@code c}: an Integer, Long, Float, Double, String or class {@code
   * Type} (the shortest form; {@code ldc} for the rest).
   */
  static AbstractInsnNode pushConstant(Object c) {
    if (c instanceof Integer) {
      return pushInt((Integer) c);
    }
    if (c instanceof Long && ((Long) c == 0L || (Long) c == 1L)) {
      return new InsnNode(Opcodes.LCONST_0 + (int) (long) (Long) c);
    }
    if (c instanceof Float) {
      int bits = Float.floatToRawIntBits((Float) c);
      for (int k = 0; k <= 2; k++) {
        if (bits == Float.floatToRawIntBits(k)) {
          return new InsnNode(Opcodes.FCONST_0 + k);
        }
      }
    }
    if (c instanceof Double) {
      long bits = Double.doubleToRawLongBits((Double) c);
      for (int k = 0; k <= 1; k++) {
        if (bits == Double.doubleToRawLongBits(k)) {
          return new InsnNode(Opcodes.DCONST_0 + k);
        }
      }
    }
    return new LdcInsnNode(c);
  }

  /** True if {@code m} has an instruction with {@code opcode}. */
  static boolean contains(MethodNode m, int opcode) {
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i.getOpcode() == opcode) {
        return true;
      }
    }
    return false;
  }

  /** The source line of {@code insn}: the nearest line-number entry before it, or -1. */
  static int lineOf(AbstractInsnNode insn) {
    for (AbstractInsnNode p = insn; p != null; p = p.getPrevious()) {
      if (p instanceof LineNumberNode) {
        return ((LineNumberNode) p).line;
      }
    }
    return -1;
  }

  /** The first source line of a method, or -1. */
  static int firstLine(MethodNode m) {
    LineNumberNode first = firstLineNode(m);
    return first == null ? -1 : first.line;
  }

  /** The first line-number entry of {@code m} (null if none, or if {@code m} is null). */
  static LineNumberNode firstLineNode(MethodNode m) {
    for (AbstractInsnNode p = m == null ? null : m.instructions.getFirst();
        p != null;
        p = p.getNext()) {
      if (p instanceof LineNumberNode) {
        return (LineNumberNode) p;
      }
    }
    return null;
  }

  /** The previous instruction that executes (skipping labels, lines and frames), or null. */
  static AbstractInsnNode previousReal(AbstractInsnNode insn) {
    AbstractInsnNode p = insn.getPrevious();
    while (p != null && p.getOpcode() < 0) {
      p = p.getPrevious();
    }
    return p;
  }

  /** The next instruction that executes (skipping labels, lines and frames), or null. */
  static AbstractInsnNode nextReal(AbstractInsnNode insn) {
    AbstractInsnNode p = insn.getNext();
    while (p != null && p.getOpcode() < 0) {
      p = p.getNext();
    }
    return p;
  }

  /**
   * The labels {@code insn} may jump to: a jump's (including {@code jsr}'s) target, a switch's
   * default and cases; none for any other instruction.
   */
  static List<LabelNode> jumpTargets(AbstractInsnNode insn) {
    if (insn instanceof JumpInsnNode) {
      return List.of(((JumpInsnNode) insn).label);
    }
    List<LabelNode> targets = new ArrayList<>();
    if (insn instanceof TableSwitchInsnNode) {
      targets.add(((TableSwitchInsnNode) insn).dflt);
      targets.addAll(((TableSwitchInsnNode) insn).labels);
    } else if (insn instanceof LookupSwitchInsnNode) {
      targets.add(((LookupSwitchInsnNode) insn).dflt);
      targets.addAll(((LookupSwitchInsnNode) insn).labels);
    }
    return targets;
  }

  /**
   * True if control never falls through from an instruction with {@code opcode} to the next one: an
   * unconditional jump ({@code goto}; {@code jsr}, whose next instruction only a {@code ret}
   * reaches), a switch, {@code ret}, a return or {@code athrow}. Such an instruction ends a basic
   * block, its next instruction is reached only as a branch target (or not at all), and the type
   * checker asks for a stack map frame there. Opcodes only: the tree API folds {@code goto_w} and
   * {@code jsr_w} into {@code goto} and {@code jsr}.
   */
  static boolean endsFlow(int opcode) {
    switch (opcode) {
      case Opcodes.GOTO:
      case Opcodes.JSR:
      case Opcodes.RET:
      case Opcodes.TABLESWITCH:
      case Opcodes.LOOKUPSWITCH:
      case Opcodes.IRETURN:
      case Opcodes.LRETURN:
      case Opcodes.FRETURN:
      case Opcodes.DRETURN:
      case Opcodes.ARETURN:
      case Opcodes.RETURN:
      case Opcodes.ATHROW:
        return true;
      default:
        return false;
    }
  }

  /** Labels that control can reach other than by falling through: jump and handler targets. */
  static Set<LabelNode> branchTargets(MethodNode m) {
    Set<LabelNode> targets = new HashSet<>();
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      targets.addAll(jumpTargets(i));
    }
    for (TryCatchBlockNode t : m.tryCatchBlocks) {
      targets.add(t.handler);
    }
    return targets;
  }

  /** True if no branch target lies strictly between {@code from} and {@code to}. */
  static boolean straightLine(AbstractInsnNode from, AbstractInsnNode to, Set<LabelNode> targets) {
    for (AbstractInsnNode p = from.getNext(); p != null && p != to; p = p.getNext()) {
      if (p instanceof LabelNode && targets.contains(p)) {
        return false;
      }
    }
    return true;
  }

  static boolean isReference(Type t) {
    return t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY;
  }
}
