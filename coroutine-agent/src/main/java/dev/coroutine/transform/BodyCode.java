package dev.coroutine.transform;

import dev.coroutine.transform.FrameLayout.Await;
import dev.coroutine.transform.FrameLayout.Group;
import dev.coroutine.transform.FrameLayout.RestorePart;
import dev.coroutine.transform.FrameLayout.SavePart;
import dev.coroutine.transform.FrameLayout.Saved;
import dev.coroutine.transform.FrameLayout.StackValue;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The code a coroutine body adds to the user's, emitted from its {@link FrameLayout}: the prologue
 * (label switch, arguments), the code at each suspension site, and each group's save and restore
 * blocks (see coroutine-runtime/PROTOCOL.md).
 *
 * <p>Invariant: every block is entered with the locals and operand stack its layout says (the save
 * parts with the await's stack, {@code SUSPEND} and its index; the restore parts with the group's
 * locals restored), so one block serves all the awaits that reach it.
 */
final class BodyCode {
  /** What the body saves where. */
  private final FrameLayout layout;

  /** Moves values between locals and the frame. */
  private final FrameValues values;

  /** Every await pushes its label in one width (see {@link Insns#pushLabel}), not the shortest. */
  private final boolean sameWidthLabels;

  BodyCode(FrameLayout layout, FrameValues values, boolean sameWidthLabels) {
    this.layout = layout;
    this.values = values;
    this.sameWidthLabels = sameWidthLabels;
  }

  /**
   * The prologue up to the start of the user's code ({@code start}): takes the frame (cast if the
   * body takes a supertype), goes by its label (0: the start; positive: the restore block of the
   * group whose range holds it), then the groups' blocks; at {@code start}, loads the arguments and
   * drops the arrays no await needs. No branch answers where the body is: the stub's bootstrap
   * keeps the describe table in the runtime.
   *
   * @param castFrame true if the body's parameter is a supertype of AsyncFrame (an overload)
   */
  InsnList prologue(boolean castFrame, LabelNode start) {
    int f = layout.frameVar;
    InsnList c = new InsnList();
    c.add(new VarInsnNode(Opcodes.ALOAD, 0));
    if (castFrame) {
      c.add(new TypeInsnNode(Opcodes.CHECKCAST, Protocol.FRAME));
    }
    c.add(new VarInsnNode(Opcodes.ASTORE, f));
    for (Saved v : layout.zeroedAtTop) { // instead of in each save part that lacks them
      c.add(FrameValues.fill(v));
    }
    // label 0 starts, a positive one is in one group's range (the runtime never runs a body with
    // another: a finished frame is never resumed); a group of several awaits dispatches on it
    // again, so the label is kept in a local for it
    List<Group> groups = layout.groups;
    if (!groups.isEmpty()) {
      boolean keep = groups.size() > 1 || groups.get(0).awaits.size() > 1;
      c.add(loadLabel(f));
      if (keep) {
        c.add(new InsnNode(Opcodes.DUP));
        c.add(new VarInsnNode(Opcodes.ISTORE, layout.labelVar()));
      }
      c.add(new JumpInsnNode(Opcodes.IFEQ, start));
      Group next = groups.get(0); // the group whose restore block the switch falls into
      if (groups.size() > 1) {
        InsnList sw = groupSwitch(groups, 0, groups.size());
        LabelNode last = ((JumpInsnNode) sw.getLast()).label; // every branch ends in a goto
        sw.remove(sw.getLast());
        c.add(sw);
        next = groups.stream().filter(g -> g.restore == last).findFirst().orElseThrow();
      }
      // the shared blocks sit here, before the method's start: outside every try range, and
      // before the first line entry, so they belong to no line (a breakpoint on an await's line
      // has one location)
      c.add(restoreBlocks(next));
      c.add(saveBlocks(next));
      for (Group g : groups) {
        if (g != next) {
          c.add(saveBlocks(g));
          c.add(restoreBlocks(g));
        }
      }
    }
    c.add(start);
    c.add(values.restore(layout.params));
    // arrays that only carried the arguments are dropped once they are read: a suspended
    // coroutine then retains only what its awaits save (memory per sleeping task)
    int paramRefs = (int) layout.params.stream().filter(Saved::isRef).count();
    if (layout.keptRefs == 0 && paramRefs > 0) {
      c.add(values.clear(Protocol.REF0, "Ljava/lang/Object;"));
    }
    if (layout.keptRefs <= 1 && paramRefs > 1) {
      c.add(values.clear(Protocol.REFS, "[Ljava/lang/Object;"));
    }
    // arguments kept where no group's locals go (a stack value may go there later, and is
    // cleared when restored): nulled, so the frame keeps no dead argument
    int kept = layout.keptRefs > 1 ? paramRefs : Math.min(paramRefs, layout.keptRefs);
    if (layout.localRefs < kept) {
      c.add(values.save(List.of(), layout.localRefs, kept));
    }
    if (layout.dropPrims && layout.primArray) {
      c.add(values.clear(Protocol.PRIMS, "[J"));
    }
    return c;
  }

  /**
   * The code replacing one {@code Coroutines.await} call. A resume lands at its start with the
   * stack back and the frame as the awaitable, which {@code AsyncFrame.await} answers with the
   * outcome (the value, or the failure thrown as is), inside the await's own try ranges; a
   * suspension has the call record the await's label:
   *
   * <pre>
   * RESUME:  aload f; push label; invokestatic AsyncFrame.await(Object, AsyncFrame, int)Object
   *          dup; getstatic SUSPEND; if_acmpeq SAVE_PART
   * </pre>
   */
  InsnList suspensionSite(Await a) {
    InsnList c = new InsnList();
    c.add(a.resume); // Stack: S, awaitable
    c.add(new VarInsnNode(Opcodes.ALOAD, layout.frameVar));
    int label = a.group.label(a.index);
    c.add(sameWidthLabels ? Insns.pushLabel(label, layout.lastLabel()) : Insns.pushInt(label));
    Unboxing u = a.unboxing;
    if (u != null) { // the value unboxed by the call, a suspension told in prim0
      c.add(
          new MethodInsnNode(
              Opcodes.INVOKESTATIC, Protocol.FRAME, u.method(), u.methodDesc(), false));
      c.add(new VarInsnNode(Opcodes.ALOAD, layout.frameVar));
      c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.PRIM0, "I"));
      c.add(new JumpInsnNode(Opcodes.IFNE, a.save.start)); // Stack: S, meaningless primitive
      return c; // Stack: S, primitive value
    }
    c.add(
        new MethodInsnNode(
            Opcodes.INVOKESTATIC,
            Protocol.FRAME,
            Protocol.FRAME_AWAIT,
            Protocol.FRAME_AWAIT_DESC,
            false));
    c.add(new InsnNode(Opcodes.DUP));
    c.add(FrameValues.suspendMarker());
    c.add(new JumpInsnNode(Opcodes.IF_ACMPEQ, a.save.start)); // Stack: S, SUSPEND
    return c; // Stack: S, value
  }

  /**
   * Goes to the restore block of the group whose label range holds the label in {@link
   * FrameLayout#labelVar} (positive, at most the last group's): compares in a row for a few groups,
   * halving the range for more.
   */
  private InsnList groupSwitch(List<Group> groups, int from, int to) {
    InsnList c = new InsnList();
    if (to - from <= 8) {
      for (Group g : groups.subList(from, to - 1)) {
        c.add(new VarInsnNode(Opcodes.ILOAD, layout.labelVar()));
        c.add(Insns.pushInt(g.endLabel()));
        c.add(new JumpInsnNode(Opcodes.IF_ICMPLT, g.restore));
      }
      c.add(new JumpInsnNode(Opcodes.GOTO, groups.get(to - 1).restore));
      return c;
    }
    int mid = (from + to) / 2;
    LabelNode low = new LabelNode();
    c.add(new VarInsnNode(Opcodes.ILOAD, layout.labelVar()));
    c.add(Insns.pushInt(groups.get(mid).firstLabel));
    c.add(new JumpInsnNode(Opcodes.IF_ICMPLT, low));
    c.add(groupSwitch(groups, mid, to));
    c.add(low);
    c.add(groupSwitch(groups, from, mid));
    return c;
  }

  /**
   * A group's save parts, then its save block, each falling through into the next or jumping to the
   * save block.
   */
  InsnList saveBlocks(Group g) {
    InsnList c = new InsnList();
    List<SavePart> parts = new ArrayList<>(g.saveParts.values());
    for (int i = 0; i < parts.size(); i++) {
      c.add(savePart(g, parts.get(i)));
      if (i < parts.size() - 1) {
        c.add(new JumpInsnNode(Opcodes.GOTO, g.save));
      }
    }
    c.add(g.save);
    // the locals of a larger group may be there from an earlier suspension: null them
    c.add(values.saveAndSuspend(g.saved, g.refCount, layout.localRefs));
    return c;
  }

  /**
   * Entered with {@code S, SUSPEND} (the await's call has recorded the label): spills S and saves
   * it after the group's locals, clears the references a longer save left, and sets the slots the
   * await does not keep to null or zero, so the group's block saves only what it needs.
   */
  private InsnList savePart(Group g, SavePart p) {
    InsnList c = new InsnList();
    c.add(p.start);
    boolean wide = p.result != null && p.result.getSize() == 2; // a typed await's long or double
    c.add(new InsnNode(wide ? Opcodes.POP2 : Opcodes.POP)); // Stack: S
    List<Saved> stackSaved = new ArrayList<>();
    for (int j = p.stack.size() - 1; j >= 0; j--) {
      Saved v = p.stack.get(j);
      if (v.type() == null) { // a null, constant or local's copy: pushed again on resume
        c.add(new InsnNode(p.values.get(j).type().getSize() == 2 ? Opcodes.POP2 : Opcodes.POP));
      } else {
        c.add(new VarInsnNode(v.type().getOpcode(Opcodes.ISTORE), v.var()));
        stackSaved.add(0, v);
      }
    }
    c.add(values.save(stackSaved, 0, 0));
    for (Saved v : p.fill) {
      c.add(FrameValues.fill(v));
    }
    return c;
  }

  /**
   * A group's restore block (the label switch's target: restores the group's locals, then goes to
   * the restore part of the label's range) and its restore parts, the last range's first so the
   * block falls through into it.
   */
  InsnList restoreBlocks(Group g) {
    int f = layout.frameVar;
    InsnList c = new InsnList();
    c.add(g.restore);
    c.add(values.restore(g.saved));
    for (int var : g.nullLocals) {
      c.add(new InsnNode(Opcodes.ACONST_NULL));
      c.add(new VarInsnNode(Opcodes.ASTORE, var));
    }
    List<RestorePart> parts = new ArrayList<>(g.restoreParts.values());
    int labelVar = layout.labelVar(); // the prologue keeps the label there for this
    for (RestorePart p : parts.subList(0, parts.size() - 1)) {
      c.add(new VarInsnNode(Opcodes.ILOAD, labelVar));
      c.add(Insns.pushInt(g.label(p.first + p.awaits.size())));
      c.add(new JumpInsnNode(Opcodes.IF_ICMPLT, p.start));
    }
    for (int i = parts.size() - 1; i >= 0; i--) {
      c.add(restorePart(g, parts.get(i)));
    }
    return c;
  }

  /**
   * Pushes the stack back from the frame (straight onto the stack, bottom first; a reference's
   * element cleared, so the frame keeps no value the code has taken back), then the frame, and goes
   * to the await's resume by the label.
   */
  private InsnList restorePart(Group g, RestorePart p) {
    int f = layout.frameVar;
    InsnList c = new InsnList();
    c.add(p.start);
    for (int j = 0; j < p.stack.size(); j++) {
      Saved v = p.stack.get(j);
      c.add(v.type() == null ? pushAgain(p.values.get(j)) : values.take(v));
    }
    c.add(new VarInsnNode(Opcodes.ALOAD, f)); // Stack: S, the frame as the awaitable
    int n = p.awaits.size();
    LabelNode[] targets = new LabelNode[n];
    for (int i = 0; i < n; i++) {
      targets[i] = p.awaits.get(i).resume;
    }
    // the label is always one of the part's, so the last target needs no test: compares for a
    // few targets (7 bytes each), a tableswitch (4 bytes each, 16 more once) for more
    int labelVar = layout.labelVar();
    int first = g.label(p.first);
    if (n <= 6) {
      for (int i = 0; i < n - 1; i++) {
        c.add(new VarInsnNode(Opcodes.ILOAD, labelVar));
        c.add(Insns.pushInt(first + i));
        c.add(new JumpInsnNode(Opcodes.IF_ICMPEQ, targets[i]));
      }
      c.add(new JumpInsnNode(Opcodes.GOTO, targets[n - 1]));
    } else {
      c.add(new VarInsnNode(Opcodes.ILOAD, labelVar));
      c.add(new TableSwitchInsnNode(first, first + n - 1, targets[n - 1], targets));
    }
    return c;
  }

  /** Pushes a stack value that was not saved: a null, a constant, or the local it copies. */
  private static InsnList pushAgain(StackValue v) {
    Rematerialization.Source from = v.source();
    if (from == null) {
      return single(new InsnNode(Opcodes.ACONST_NULL));
    }
    if (from.isLocal()) {
      return single(new VarInsnNode(v.type().getOpcode(Opcodes.ILOAD), from.local()));
    }
    return single(Insns.pushConstant(from.constant()));
  }

  private static InsnList loadLabel(int frameVar) {
    InsnList c = new InsnList();
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.LABEL, "I"));
    return c;
  }

  private static InsnList single(AbstractInsnNode insn) {
    InsnList c = new InsnList();
    c.add(insn);
    return c;
  }

  /**
   * The describe table the stub hands to its bootstrap ({@code AsyncFrame.frame}): a 0 char (this
   * format), the class, method and source file names, each after its length as a char (the file's
   * length plus one, 0 for none), then one char per label: the method's first line (label 0), then
   * the line of each await in label order (group after group), 0 for none.
   */
  static String describeTable(
      String className, String method, String sourceFile, int firstLine, List<Group> groups) {
    StringBuilder t = new StringBuilder();
    t.append((char) 0); // this format (one line per label); marker version 1's has no 0 first
    t.append((char) className.length()).append(className);
    t.append((char) method.length()).append(method);
    if (sourceFile == null) {
      t.append((char) 0);
    } else {
      t.append((char) (sourceFile.length() + 1)).append(sourceFile);
    }
    t.append(lineChar(firstLine));
    for (Group g : groups) {
      for (Await a : g.awaits) {
        t.append(lineChar(a.line));
      }
    }
    return t.toString();
  }

  /** A line number as one char of the describe table: lines are u2 in class files; 0 = none. */
  private static char lineChar(int line) {
    return line > 0 && line <= Character.MAX_VALUE ? (char) line : 0;
  }
}
