package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Rewrites one coroutine method (an {@code @Async} method or an async lambda) into two: the
 * method itself becomes a stub that only builds the {@code AsyncFrame} of the call, and a new
 * private static <em>body</em> method (synthetic only if the user's method was) holds the
 * original code as a state machine that saves the live locals and operand stack at each await and
 * restores them on resume (see coroutine-runtime/PROTOCOL.md).
 *
 * <p>Invariant kept: the original instructions, try/catch ranges and line numbers stay in the body
 * in their order; the code this class adds at an await (the fast-path test, the jump to its save
 * block, the resume point) sits inside the same try ranges as the await, and the save and restore
 * blocks, shared by the awaits that save the same layout, sit before all original code, outside
 * every range and before the first line entry: they belong to no source line, so each line has
 * one location for a debugger's breakpoint and coverage tools count no line for them. A shared
 * block is only ever entered with the locals and stack of its layout, so its frame is the same
 * from every await that uses it. The local-variable table describes a variable only where its
 * slot holds it ({@link LocalVariableRanges}).
 */
final class AsyncMethodRewriter {
  private static final Type OBJECT = Type.getObjectType("java/lang/Object");

  /** The class being rewritten. */
  private final String owner;
  /** The owner's source file name, or null. */
  private final String sourceFile;
  /** True if the owner is an interface (for the body's method handle). */
  private final boolean ownerIsInterface;
  /** Supertypes for the type analysis. */
  private final ClassHierarchy hierarchy;

  AsyncMethodRewriter(
      String owner, String sourceFile, boolean ownerIsInterface, ClassHierarchy hierarchy) {
    this.owner = owner;
    this.sourceFile = sourceFile;
    this.ownerIsInterface = ownerIsInterface;
    this.hierarchy = hierarchy;
  }

  /** A value saved into the frame at a suspension point, or restored from it. */
  private record Saved(int var, Type type, int index) {
    boolean isRef() {
      return Insns.isReference(type);
    }
  }

  /**
   * The live locals one await saves: awaits that save the same ones share one save block and one
   * restore block for them.
   *
   * @param saved the live locals saved to the frame, from reference 0 and primitive 0
   * @param nullLocals live locals holding null: restored as null, not saved
   * @param refCount references saved
   * @param primCount primitives saved
   */
  private record LocalsLayout(
      List<Saved> saved, List<Integer> nullLocals, int refCount, int primCount) {}

  /**
   * The operand stack below the awaitable at one await, saved after the locals: awaits with the
   * same locals layout and the same stack share one small block for it.
   *
   * @param stack spill slots of the values, bottom first (type null: a null, not saved)
   * @param refCount references saved with the locals'
   * @param primCount primitives saved with the locals'
   */
  private record StackLayout(List<Saved> stack, int refCount, int primCount) {
    List<Saved> saved() {
      return stack.stream().filter(v -> v.type != null).collect(Collectors.toList());
    }
  }

  /** What one await saves. */
  private record Layout(LocalsLayout locals, StackLayout stack) {}

  /** One await: where it is (its source line, or -1) and what it saves. */
  private record Site(MethodInsnNode call, int line, Layout layout, LabelNode resume) {}

  /**
   * The code shared by the awaits of one locals layout, and of each stack layout among them.
   * Suspending, an await jumps to its stack block's save part (which records the frame label and
   * saves the stack), which goes on into this layout's save block (the locals, then return).
   * Resuming, the label switch jumps to this layout's restore block (the locals), which
   * dispatches on the label to the await's resume point, through its stack block's restore part
   * if it has a stack. A suspended frame's label is {@code id << 16 | index}: one label-switch
   * entry per layout, one dispatch entry per await.
   */
  private static final class LocalsBlocks {
    /** The layout's number, from 1 (label 0 is the method's start). */
    final int id;
    /** The locals its awaits save. */
    final LocalsLayout layout;
    /** Start of the save block. */
    final LabelNode save = new LabelNode();
    /** Start of the restore block. */
    final LabelNode restore = new LabelNode();
    /** The blocks of each stack layout, in code order of their first await. */
    final Map<StackLayout, StackBlocks> stacks = new LinkedHashMap<>();
    /** The awaits, stack layout by stack layout; an await's index is its position here. */
    final List<Site> sites = new ArrayList<>();
    /** Resume point of each of {@link #sites}. */
    final List<LabelNode> resumes = new ArrayList<>();

    LocalsBlocks(int id, LocalsLayout layout) {
      this.id = id;
      this.layout = layout;
    }

    /** The stack blocks of the awaits with something on the stack, by index. */
    List<StackBlocks> withStack() {
      List<StackBlocks> l = new ArrayList<>();
      for (StackBlocks k : stacks.values()) {
        if (!k.layout.stack().isEmpty()) {
          l.add(k);
        }
      }
      l.sort((x, y) -> Integer.compare(x.first, y.first));
      return l;
    }

    /** The frame label of await number {@code index} of this layout. */
    int label(int index) {
      return id << 16 | index;
    }
  }

  /** The code shared by the awaits of one locals layout and one stack layout. */
  private static final class StackBlocks {
    /** The stack its awaits save. */
    final StackLayout layout;
    /** Start of the save part: label, stack. */
    final LabelNode save = new LabelNode();
    /** Start of the restore part: stack, then the dispatch to the resume point. */
    final LabelNode restore = new LabelNode();
    /** The awaits, in code order. */
    final List<Site> sites = new ArrayList<>();
    /** Index of the first of {@link #sites} in its locals layout (the others follow). */
    int first;

    StackBlocks(StackLayout layout) {
      this.layout = layout;
    }
  }

  /**
   * Rewrites {@code method} in place into the stub and returns the body, named {@code bodyName},
   * for the caller to add to the class.
   */
  MethodNode rewrite(MethodNode method, String bodyName, String bodyDesc)
      throws Refusal, AnalyzerException {
    List<LocalVariableNode> originalLocals = method.localVariables;
    prepareReturns(method);
    MethodAnalysis analysis = MethodAnalysis.ofOriginal(owner, method, hierarchy);
    if (ConstructionRewrite.apply(owner, method, analysis)) {
      analysis = MethodAnalysis.of(owner, method, hierarchy);
    }
    Type[] params = Type.getArgumentTypes(method.desc);
    boolean isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
    List<Saved> paramSlots = parameterSlots(Type.getObjectType(owner), params, isStatic);
    int refs = (int) paramSlots.stream().filter(Saved::isRef).count();
    int prims = paramSlots.size() - refs;

    int frameVar = method.maxLocals;
    int spillBase = frameVar + 1;
    List<Site> sites = new ArrayList<>();
    for (int i = 0; i < method.instructions.size(); i++) {
      AbstractInsnNode insn = method.instructions.get(i);
      if (insn instanceof MethodInsnNode && isAwait((MethodInsnNode) insn)) {
        Frame<BasicValue> f = analysis.frames[i];
        if (f == null) {
          continue; // unreachable: left as is, it can never run
        }
        MethodInsnNode call = (MethodInsnNode) insn;
        Site s =
            new Site(
                call,
                Insns.lineOf(call),
                layout(call, f, analysis.liveIn[i], spillBase),
                new LabelNode()); // where its resume lands, before the resumed() call
        sites.add(s);
        refs = Math.max(refs, s.layout.stack().refCount());
        prims = Math.max(prims, s.layout.stack().primCount());
      }
    }

    trimLocalVariables(method, analysis, sites);

    MethodNode body =
        new MethodNode(
            // not synthetic unless the user's method was (a javac lambda): coverage tools drop
            // synthetic methods (JaCoCo keeps only lambda$ ones) and debuggers skip them
            Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | (method.access & Opcodes.ACC_SYNTHETIC),
            bodyName,
            bodyDesc,
            null,
            new String[] {"java/lang/Throwable"});
    int siteRefs = sites.stream().mapToInt(x -> x.layout.stack().refCount()).max().orElse(0);
    int sitePrims = sites.stream().mapToInt(x -> x.layout.stack().primCount()).max().orElse(0);
    // reference 0 lives in the frame's field ref0, the others in the refs array; the array is
    // dropped after the start when no await needs it, so is ref0 when no await saves a reference
    int keptRefs = siteRefs <= 1 ? siteRefs : refs;
    buildBody(method, body, sites, paramSlots, frameVar, refs, keptRefs, sitePrims == 0);
    buildStub(method, bodyName, bodyDesc, paramSlots, refs, prims, originalLocals);
    return body;
  }

  // ---- preparation -------------------------------------------------------------------------

  /**
   * Turns each {@code return c} into a return of the coroutine's result: {@code return done(v)}
   * returns {@code v} directly; any other coroutine is awaited first (a tail await).
   */
  private static void prepareReturns(MethodNode m) {
    Set<LabelNode> targets = Insns.branchTargets(m);
    for (AbstractInsnNode insn : m.instructions.toArray()) {
      if (insn.getOpcode() != Opcodes.ARETURN) {
        continue;
      }
      AbstractInsnNode prev = Insns.previousReal(insn);
      if (prev instanceof MethodInsnNode
          && isDone((MethodInsnNode) prev)
          && Insns.straightLine(prev, insn, targets)) {
        if (((MethodInsnNode) prev).desc.equals(Protocol.DONE_VALUE_DESC)) {
          m.instructions.remove(prev);
        } else {
          m.instructions.set(prev, new InsnNode(Opcodes.ACONST_NULL));
        }
      } else {
        m.instructions.insertBefore(
            insn,
            new MethodInsnNode(
                Opcodes.INVOKESTATIC,
                Protocol.COROUTINES,
                Protocol.AWAIT,
                Protocol.AWAIT_AWAITABLE_DESC,
                false));
      }
    }
  }

  private static boolean isDone(MethodInsnNode m) {
    return m.getOpcode() == Opcodes.INVOKESTATIC
        && m.owner.equals(Protocol.COROUTINES)
        && m.name.equals(Protocol.DONE)
        && (m.desc.equals(Protocol.DONE_VALUE_DESC) || m.desc.equals(Protocol.DONE_VOID_DESC));
  }

  static boolean isAwait(MethodInsnNode m) {
    return Protocol.isAwait(m.getOpcode(), m.owner, m.name, m.desc);
  }

  // ---- what each await saves ---------------------------------------------------------------

  private static List<Saved> parameterSlots(Type self, Type[] params, boolean isStatic) {
    List<Saved> slots = new ArrayList<>();
    int var = 0;
    int refs = 0;
    int prims = 0;
    if (!isStatic) {
      slots.add(new Saved(0, self, refs++));
      var = 1;
    }
    for (Type p : params) {
      slots.add(new Saved(var, p, Insns.isReference(p) ? refs++ : prims++));
      var += p.getSize();
    }
    return slots;
  }

  /** What the await {@code call} saves, given its frame and the locals live there. */
  private static Layout layout(
      MethodInsnNode call, Frame<BasicValue> f, java.util.BitSet live, int spillBase)
      throws Refusal {
    List<Saved> saved = new ArrayList<>();
    List<Integer> nullLocals = new ArrayList<>();
    List<Saved> stack = new ArrayList<>();
    int[] counts = new int[2]; // references, primitives
    for (int j = 0; j < f.getLocals(); j++) {
      if (!live.get(j)) {
        continue;
      }
      BasicValue v = f.getLocal(j);
      Type t = v.getType();
      if (v == BasicValue.UNINITIALIZED_VALUE || t == null) {
        continue; // no usable value in the slot (merged from different types)
      }
      if (v instanceof TypeInterpreter.Uninitialized) {
        throw new Refusal("await while an object under construction is in a local variable", call);
      }
      if (v instanceof TypeInterpreter.Unresolved) {
        throw new Refusal(((TypeInterpreter.Unresolved) v).missing.getMessage(), call);
      }
      if (t.equals(TypeInterpreter.NULL_TYPE)) {
        nullLocals.add(j);
      } else {
        saved.add(saved(j, t, counts));
      }
    }
    LocalsLayout locals = new LocalsLayout(saved, nullLocals, counts[0], counts[1]);
    int var = spillBase;
    for (int j = 0; j < f.getStackSize() - 1; j++) {
      BasicValue v = f.getStack(j);
      Type t = v.getType();
      if (v instanceof TypeInterpreter.Uninitialized || t == null) {
        throw new Refusal("await with an object under construction on the operand stack", call);
      }
      if (v instanceof TypeInterpreter.Unresolved) {
        throw new Refusal(((TypeInterpreter.Unresolved) v).missing.getMessage(), call);
      }
      if (t.equals(TypeInterpreter.NULL_TYPE)) {
        stack.add(new Saved(var, null, -1));
        var += 1;
      } else {
        stack.add(saved(var, t, counts));
        var += t.getSize();
      }
    }
    return new Layout(locals, new StackLayout(stack, counts[0], counts[1]));
  }

  /** Slot {@code var} of type {@code t} saved as the next reference or primitive. */
  private static Saved saved(int var, Type t, int[] counts) {
    boolean ref = Insns.isReference(t);
    return new Saved(var, ref ? t : normalize(t), ref ? counts[0]++ : counts[1]++);
  }

  /** Local types as the verifier sees them: boolean, byte, char, short are ints. */
  private static Type normalize(Type t) {
    switch (t.getSort()) {
      case Type.BOOLEAN:
      case Type.BYTE:
      case Type.CHAR:
      case Type.SHORT:
        return Type.INT_TYPE;
      default:
        return t;
    }
  }

  /**
   * Cuts the local-variable table so that after a resume a debugger is not shown the variables
   * the resume did not restore (see {@link LocalVariableRanges}).
   */
  private static void trimLocalVariables(
      MethodNode method, MethodAnalysis analysis, List<Site> sites) {
    Map<AbstractInsnNode, BitSet> unrestored = new HashMap<>();
    Map<AbstractInsnNode, LabelNode> resumeLabel = new HashMap<>();
    for (Site s : sites) {
      BitSet slots = new BitSet();
      slots.set(0, method.maxLocals);
      for (Saved v : s.layout.locals().saved()) {
        slots.clear(v.var, v.var + v.type.getSize());
      }
      for (int var : s.layout.locals().nullLocals()) {
        slots.clear(var);
      }
      unrestored.put(s.call, slots);
      resumeLabel.put(s.call, s.resume);
    }
    LocalVariableRanges.trim(method, analysis, unrestored, resumeLabel);
  }

  // ---- the body ----------------------------------------------------------------------------

  private void buildBody(
      MethodNode method,
      MethodNode body,
      List<Site> sites,
      List<Saved> paramSlots,
      int frameVar,
      int refs,
      int keptRefs,
      boolean dropPrims) {
    InsnList code = method.instructions;
    List<LocalsBlocks> blocks = group(sites);
    LabelNode start = new LabelNode();
    LabelNode bad = new LabelNode();
    LabelNode[] targets = new LabelNode[blocks.size() + 1];
    targets[0] = start;
    for (LocalsBlocks b : blocks) {
      targets[b.id] = b.restore;
    }

    InsnList prologue = new InsnList();
    prologue.add(new VarInsnNode(Opcodes.ALOAD, 0));
    if (!body.desc.equals(Protocol.BODY_METHOD_DESC)) {
      prologue.add(new TypeInsnNode(Opcodes.CHECKCAST, Protocol.FRAME)); // overload: a supertype
    }
    prologue.add(new VarInsnNode(Opcodes.ASTORE, frameVar));
    prologue.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    prologue.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.LABEL, "I"));
    prologue.add(Insns.pushInt(16));
    prologue.add(new InsnNode(Opcodes.ISHR)); // the layout; negative labels go to the default
    prologue.add(new TableSwitchInsnNode(0, blocks.size(), bad, targets));
    prologue.add(bad);
    prologue.add(describe(method, blocks, frameVar));
    prologue.add(start);
    prologue.add(restoreAll(paramSlots, frameVar));
    // arrays that only carried the arguments are dropped once they are read: a suspended
    // coroutine then retains only what its awaits save (memory per sleeping task)
    boolean hasPrimParams = paramSlots.stream().anyMatch(p -> !p.isRef());
    if (keptRefs == 0 && refs > 0) {
      prologue.add(clearArray(frameVar, Protocol.REF0, "Ljava/lang/Object;"));
    }
    if (keptRefs <= 1 && refs > 1) {
      prologue.add(clearArray(frameVar, Protocol.REFS, "[Ljava/lang/Object;"));
    }
    if (dropPrims && hasPrimParams) {
      prologue.add(clearArray(frameVar, Protocol.PRIMS, "[J"));
    }
    code.insert(prologue);

    for (LocalsBlocks b : blocks) {
      for (StackBlocks k : b.stacks.values()) {
        for (int i = 0; i < k.sites.size(); i++) {
          MethodInsnNode call = k.sites.get(i).call;
          LabelNode resume = b.resumes.get(k.first + i);
          code.insert(call, awaitCode(call, b.sites.size() > 1, k.first + i, k.save, resume, frameVar));
          code.remove(call);
        }
      }
    }
    // the shared blocks sit in the prologue, after its describe branch (which ends in a return
    // or throw) and before the method's start: outside every try range, and before the first
    // line entry, so they belong to no line (a breakpoint on an await's line stopped a second
    // time in them, with no variables, and stepping showed another await's line)
    InsnList sharedCode = new InsnList();
    for (LocalsBlocks b : blocks) {
      sharedCode.add(sharedBlocks(b, frameVar, keptRefs));
    }
    code.insertBefore(start, sharedCode);

    body.instructions = code;
    body.tryCatchBlocks = method.tryCatchBlocks;
    body.localVariables = method.localVariables;
    body.visibleLocalVariableAnnotations = method.visibleLocalVariableAnnotations;
    body.invisibleLocalVariableAnnotations = method.invisibleLocalVariableAnnotations;
    body.maxLocals = frameVar + 1;
    body.maxStack = method.maxStack + 4;
    method.instructions = new InsnList();
    method.tryCatchBlocks = new ArrayList<>();
    method.localVariables = null;
    method.visibleLocalVariableAnnotations = null;
    method.invisibleLocalVariableAnnotations = null;
  }

  /**
   * The awaits grouped by locals layout (numbered in code order of their first await), and within
   * each by stack layout; an await's index in its locals layout puts those with nothing on the
   * stack first, then each stack layout's in a contiguous run.
   */
  private static List<LocalsBlocks> group(List<Site> sites) {
    Map<LocalsLayout, LocalsBlocks> byLocals = new LinkedHashMap<>();
    for (Site s : sites) {
      byLocals
          .computeIfAbsent(s.layout.locals(), l -> new LocalsBlocks(byLocals.size() + 1, l))
          .stacks
          .computeIfAbsent(s.layout.stack(), StackBlocks::new)
          .sites
          .add(s);
    }
    if (byLocals.size() > Short.MAX_VALUE || sites.size() > Character.MAX_VALUE) {
      throw new IllegalStateException("more awaits than a frame label can number");
    }
    List<LocalsBlocks> blocks = new ArrayList<>(byLocals.values());
    for (LocalsBlocks b : blocks) {
      List<StackBlocks> ordered = new ArrayList<>();
      b.stacks.forEach((k, v) -> ordered.add(k.stack().isEmpty() ? 0 : ordered.size(), v));
      for (StackBlocks k : ordered) {
        k.first = b.sites.size();
        b.sites.addAll(k.sites);
      }
      for (Site s : b.sites) {
        b.resumes.add(s.resume);
      }
    }
    return blocks;
  }

  /**
   * The blocks of one locals layout, in the order that lets each fall through into the next: the
   * stack blocks' save parts, then the locals' save block; the locals' restore block, then the
   * stack blocks' restore parts, the last by index first.
   */
  private InsnList sharedBlocks(LocalsBlocks b, int frameVar, int keptRefs) {
    InsnList c = new InsnList();
    int left = b.stacks.size();
    for (StackBlocks k : b.stacks.values()) {
      c.add(stackSave(k, b, frameVar, keptRefs, --left == 0));
    }
    c.add(localsSave(b, frameVar));
    c.add(localsRestore(b, frameVar));
    List<StackBlocks> withStack = b.withStack();
    for (int i = withStack.size() - 1; i >= 0; i--) {
      c.add(stackRestore(withStack.get(i), b, frameVar));
    }
    return c;
  }

  /**
   * Replaces an await call: the fast path (the awaitable finished: its value, a read and a
   * branch), the jump to its stack block's save part (with the await's index on the stack when
   * its locals layout has several awaits), and the resume point, where the restore blocks come
   * back to and the outcome is taken from the frame inside the await's own try ranges.
   */
  private static InsnList awaitCode(
      MethodInsnNode call,
      boolean pushIndex,
      int index,
      LabelNode save,
      LabelNode resume,
      int frameVar) {
    InsnList at = new InsnList();
    LabelNode cont = new LabelNode();
    boolean stage = call.desc.equals(Protocol.AWAIT_STAGE_DESC);
    // Stack: S, awaitable
    at.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    at.add(
        new MethodInsnNode(
            Opcodes.INVOKESTATIC,
            Protocol.FRAME,
            stage ? Protocol.FRAME_AWAIT_STAGE : Protocol.FRAME_AWAIT,
            stage ? Protocol.FRAME_AWAIT_STAGE_DESC : Protocol.FRAME_AWAIT_DESC,
            false));
    at.add(new InsnNode(Opcodes.DUP));
    at.add(suspendMarker());
    at.add(new JumpInsnNode(Opcodes.IF_ACMPNE, cont)); // Stack: S, value
    if (pushIndex) {
      at.add(Insns.pushInt(index)); // Stack: S, SUSPEND, index
    }
    at.add(new JumpInsnNode(Opcodes.GOTO, save));
    at.add(resume); // Stack: S (pushed by the restore blocks)
    at.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    at.add(
        new MethodInsnNode(
            Opcodes.INVOKEVIRTUAL, Protocol.FRAME, Protocol.RESUMED, Protocol.RESUMED_DESC, false));
    at.add(cont); // Stack: S, value
    return at;
  }

  /**
   * The save part of a stack block, entered with {@code S, SUSPEND[, index]} on the stack:
   * records the frame label, spills S and saves it after the locals, clears the references of
   * longer layouts, and goes on into the locals' save block (by a jump unless it comes next).
   */
  private static InsnList stackSave(
      StackBlocks k, LocalsBlocks b, int frameVar, int keptRefs, boolean localsSaveNext) {
    StackLayout layout = k.layout;
    InsnList c = new InsnList();
    c.add(k.save);
    if (b.sites.size() > 1) {
      c.add(Insns.pushInt(b.label(0))); // Stack: S, SUSPEND, index, id << 16
      c.add(new InsnNode(Opcodes.IOR));
      c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
      c.add(new InsnNode(Opcodes.SWAP));
    } else {
      c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
      c.add(Insns.pushInt(b.label(0)));
    }
    c.add(new FieldInsnNode(Opcodes.PUTFIELD, Protocol.FRAME, Protocol.LABEL, "I"));
    c.add(new InsnNode(Opcodes.POP)); // Stack: S
    for (int j = layout.stack().size() - 1; j >= 0; j--) {
      Saved v = layout.stack().get(j);
      c.add(
          v.type == null
              ? new InsnNode(Opcodes.POP) // a null: pushed again as null on resume
              : new VarInsnNode(v.type.getOpcode(Opcodes.ISTORE), v.var));
    }
    c.add(saveAll(layout.saved(), frameVar, layout.refCount(), keptRefs));
    if (!localsSaveNext) {
      c.add(new JumpInsnNode(Opcodes.GOTO, b.save));
    }
    return c;
  }

  /** The save block of one locals layout: saves the live locals and returns SUSPEND. */
  private static InsnList localsSave(LocalsBlocks b, int frameVar) {
    InsnList c = new InsnList();
    c.add(b.save);
    c.add(saveAll(b.layout.saved(), frameVar, 0, 0));
    c.add(suspendMarker());
    c.add(new InsnNode(Opcodes.ARETURN));
    return c;
  }

  /**
   * The restore block of one locals layout, the label switch's target for each of its awaits:
   * loads the live locals back from the frame, then goes on by the label's index: the awaits
   * with nothing on the stack (indexed first) through a tableswitch to their resume points, the
   * others by index range to their stack block's restore part; the one of the last range must
   * follow this block, which falls through into it.
   */
  private InsnList localsRestore(LocalsBlocks b, int frameVar) {
    InsnList c = new InsnList();
    c.add(b.restore);
    c.add(restoreAll(b.layout.saved(), frameVar));
    for (int var : b.layout.nullLocals()) {
      c.add(new InsnNode(Opcodes.ACONST_NULL));
      c.add(new VarInsnNode(Opcodes.ASTORE, var));
    }
    List<StackBlocks> withStack = b.withStack();
    int direct = b.sites.size() - withStack.stream().mapToInt(k -> k.sites.size()).sum();
    if (direct == 0 && withStack.size() == 1) {
      return c; // falls through into the one stack block
    }
    if (withStack.isEmpty()) {
      c.add(dispatch(0, b.resumes, frameVar));
      return c;
    }
    int indexVar = frameVar + 1;
    LabelNode ranges = new LabelNode();
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.LABEL, "I"));
    c.add(new InsnNode(Opcodes.I2C));
    c.add(new VarInsnNode(Opcodes.ISTORE, indexVar));
    if (direct > 0) {
      LabelNode[] table = b.resumes.subList(0, direct).toArray(new LabelNode[0]);
      c.add(new VarInsnNode(Opcodes.ILOAD, indexVar));
      c.add(new TableSwitchInsnNode(0, direct - 1, ranges, table));
    }
    c.add(ranges);
    for (StackBlocks k : withStack.subList(0, withStack.size() - 1)) {
      c.add(new VarInsnNode(Opcodes.ILOAD, indexVar));
      c.add(Insns.pushInt(k.first + k.sites.size()));
      c.add(new JumpInsnNode(Opcodes.IF_ICMPLT, k.restore));
    }
    return c; // falls through into the stack block of the last range
  }

  /** The restore part of a stack block: loads S back from the frame, then dispatches. */
  private InsnList stackRestore(StackBlocks k, LocalsBlocks b, int frameVar) {
    StackLayout layout = k.layout;
    InsnList c = new InsnList();
    c.add(k.restore);
    c.add(restoreAll(layout.saved(), frameVar));
    for (Saved v : layout.stack()) {
      c.add(
          v.type == null
              ? new InsnNode(Opcodes.ACONST_NULL)
              : new VarInsnNode(v.type.getOpcode(Opcodes.ILOAD), v.var));
    }
    c.add(dispatch(k.first, b.resumes.subList(k.first, k.first + k.sites.size()), frameVar));
    return c; // Stack: S
  }

  /**
   * Jumps to {@code targets[index - first]}, where index is the frame label's low 16 bits and
   * always one of the targets' (so the first doubles as the default): a goto for one target, else
   * a tableswitch.
   */
  private static InsnList dispatch(int first, List<LabelNode> targets, int frameVar) {
    InsnList c = new InsnList();
    if (targets.size() == 1) {
      c.add(new JumpInsnNode(Opcodes.GOTO, targets.get(0)));
      return c;
    }
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.LABEL, "I"));
    c.add(new InsnNode(Opcodes.I2C)); // the index
    c.add(
        new TableSwitchInsnNode(
            first, first + targets.size() - 1, targets.get(0), targets.toArray(new LabelNode[0])));
    return c;
  }

  private static AbstractInsnNode suspendMarker() {
    return new FieldInsnNode(Opcodes.GETSTATIC, Protocol.FRAME, Protocol.SUSPEND, "Ljava/lang/Object;");
  }

  /**
   * The prologue's default branch. With {@code label == DESCRIBE} the body answers where the
   * label {@code prims[0]} is suspended (0: the method's start) as a StackTraceElement, for task
   * dumps and async stack traces; any other label is a corrupt state. The lines come from string
   * constants, so the answer costs the same few bytes of code however many awaits the method
   * has: {@code lines} holds the first line, then the lines of layout 1's awaits, of layout 2's,
   * ...; {@code starts} holds where each layout's run begins, and where the last one ends.
   */
  private InsnList describe(MethodNode method, List<LocalsBlocks> blocks, int frameVar) {
    InsnList c = new InsnList();
    LabelNode corrupt = new LabelNode();
    LabelNode make = new LabelNode();
    LabelNode unknown = new LabelNode();
    LabelNode popUnknown = new LabelNode();
    int labelVar = frameVar + 1;
    int posVar = frameVar + 2;
    StringBuilder lines = new StringBuilder();
    StringBuilder starts = new StringBuilder();
    lines.append(lineChar(Insns.firstLine(method)));
    starts.append((char) 0);
    for (LocalsBlocks b : blocks) {
      starts.append((char) lines.length());
      for (Site s : b.sites) {
        lines.append(lineChar(s.line));
      }
    }
    starts.append((char) lines.length());
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.LABEL, "I"));
    c.add(Insns.pushInt(Protocol.DESCRIBE_LABEL));
    c.add(new JumpInsnNode(Opcodes.IF_ICMPNE, corrupt));
    c.add(new TypeInsnNode(Opcodes.NEW, "java/lang/StackTraceElement"));
    c.add(new InsnNode(Opcodes.DUP));
    c.add(new LdcInsnNode(owner.replace('/', '.')));
    c.add(new LdcInsnNode(method.name));
    c.add(sourceFile != null ? new LdcInsnNode(sourceFile) : new InsnNode(Opcodes.ACONST_NULL));
    // Stack: STE, STE, class, method, file
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.PRIMS, "[J"));
    c.add(new InsnNode(Opcodes.ICONST_0));
    c.add(new InsnNode(Opcodes.LALOAD));
    c.add(new InsnNode(Opcodes.L2I));
    c.add(new VarInsnNode(Opcodes.ISTORE, labelVar));
    // the layout must be 0..blocks
    c.add(new VarInsnNode(Opcodes.ILOAD, labelVar));
    c.add(Insns.pushInt(16));
    c.add(new InsnNode(Opcodes.ISHR));
    c.add(new InsnNode(Opcodes.DUP));
    c.add(new JumpInsnNode(Opcodes.IFLT, popUnknown));
    c.add(new InsnNode(Opcodes.DUP));
    c.add(Insns.pushInt(blocks.size()));
    c.add(new JumpInsnNode(Opcodes.IF_ICMPGT, popUnknown)); // Stack: ..., layout
    // pos = starts[layout] + index, which must be before starts[layout + 1]
    c.add(new InsnNode(Opcodes.DUP));
    c.add(new LdcInsnNode(starts.toString()));
    c.add(new InsnNode(Opcodes.SWAP));
    c.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/String", "charAt", "(I)C", false));
    c.add(new VarInsnNode(Opcodes.ILOAD, labelVar));
    c.add(new InsnNode(Opcodes.I2C));
    c.add(new InsnNode(Opcodes.IADD));
    c.add(new VarInsnNode(Opcodes.ISTORE, posVar)); // Stack: ..., layout
    c.add(new InsnNode(Opcodes.ICONST_1));
    c.add(new InsnNode(Opcodes.IADD));
    c.add(new LdcInsnNode(starts.toString()));
    c.add(new InsnNode(Opcodes.SWAP));
    c.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/String", "charAt", "(I)C", false));
    c.add(new VarInsnNode(Opcodes.ILOAD, posVar));
    c.add(new JumpInsnNode(Opcodes.IF_ICMPLE, unknown));
    c.add(new LdcInsnNode(lines.toString()));
    c.add(new VarInsnNode(Opcodes.ILOAD, posVar));
    c.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/String", "charAt", "(I)C", false));
    c.add(new InsnNode(Opcodes.DUP));
    c.add(new JumpInsnNode(Opcodes.IFNE, make)); // Stack: ..., line
    c.add(popUnknown);
    c.add(new InsnNode(Opcodes.POP));
    c.add(unknown);
    c.add(new InsnNode(Opcodes.ICONST_M1));
    c.add(make); // Stack: STE, STE, class, method, file, line
    c.add(
        new MethodInsnNode(
            Opcodes.INVOKESPECIAL,
            "java/lang/StackTraceElement",
            "<init>",
            "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;I)V",
            false));
    c.add(new InsnNode(Opcodes.ARETURN));
    c.add(corrupt);
    c.add(new TypeInsnNode(Opcodes.NEW, "java/lang/IllegalStateException"));
    c.add(new InsnNode(Opcodes.DUP));
    c.add(new LdcInsnNode("coroutine resumed in an invalid state"));
    c.add(
        new MethodInsnNode(
            Opcodes.INVOKESPECIAL,
            "java/lang/IllegalStateException",
            "<init>",
            "(Ljava/lang/String;)V",
            false));
    c.add(new InsnNode(Opcodes.ATHROW));
    return c;
  }

  /** A line number as one char of the describe table: lines are u2 in class files; 0 = none. */
  private static char lineChar(int line) {
    return line > 0 && line <= Character.MAX_VALUE ? (char) line : 0;
  }

  private static InsnList clearArray(int frameVar, String field, String desc) {
    InsnList c = new InsnList();
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new InsnNode(Opcodes.ACONST_NULL));
    c.add(new FieldInsnNode(Opcodes.PUTFIELD, Protocol.FRAME, field, desc));
    return c;
  }

  /**
   * Stores {@code values} into the frame, and null into saved references {@code nullFrom} to
   * {@code nullTo - 1}: reference 0 into {@code ref0}, the others into {@code refs}, primitives
   * into {@code prims}, each array fetched once and kept on the stack from element to element.
   */
  private static InsnList saveAll(List<Saved> values, int frameVar, int nullFrom, int nullTo) {
    InsnList c = new InsnList();
    List<InsnList> refs = new ArrayList<>();
    List<InsnList> prims = new ArrayList<>();
    for (Saved v : values) {
      if (v.isRef() && v.index == 0) {
        c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
        c.add(new VarInsnNode(Opcodes.ALOAD, v.var));
        c.add(new FieldInsnNode(Opcodes.PUTFIELD, Protocol.FRAME, Protocol.REF0, "Ljava/lang/Object;"));
      } else if (v.isRef()) {
        refs.add(element(v.index - 1, new VarInsnNode(Opcodes.ALOAD, v.var), Opcodes.AASTORE));
      } else {
        prims.add(element(v.index, toLong(v), Opcodes.LASTORE));
      }
    }
    for (int r = nullFrom; r < nullTo; r++) {
      if (r == 0) {
        c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
        c.add(new InsnNode(Opcodes.ACONST_NULL));
        c.add(new FieldInsnNode(Opcodes.PUTFIELD, Protocol.FRAME, Protocol.REF0, "Ljava/lang/Object;"));
      } else {
        refs.add(element(r - 1, new InsnNode(Opcodes.ACONST_NULL), Opcodes.AASTORE));
      }
    }
    c.add(eachElement(frameVar, Protocol.REFS, "[Ljava/lang/Object;", refs));
    c.add(eachElement(frameVar, Protocol.PRIMS, "[J", prims));
    return c;
  }

  /** Loads {@code values} from the frame into their locals, each array fetched once. */
  private InsnList restoreAll(List<Saved> values, int frameVar) {
    InsnList c = new InsnList();
    List<InsnList> refs = new ArrayList<>();
    List<InsnList> prims = new ArrayList<>();
    for (Saved v : values) {
      if (v.isRef() && v.index == 0) {
        c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
        c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.REF0, "Ljava/lang/Object;"));
        c.add(fromObject(v));
      } else if (v.isRef()) {
        InsnList e = element(v.index - 1, new InsnNode(Opcodes.AALOAD));
        e.add(fromObject(v));
        refs.add(e);
      } else {
        InsnList e = element(v.index, new InsnNode(Opcodes.LALOAD));
        e.add(fromLong(v));
        prims.add(e);
      }
    }
    c.add(eachElement(frameVar, Protocol.REFS, "[Ljava/lang/Object;", refs));
    c.add(eachElement(frameVar, Protocol.PRIMS, "[J", prims));
    return c;
  }

  /** {@code push index; then...}: one element access, the array below it on the stack. */
  private static InsnList element(int index, AbstractInsnNode... then) {
    InsnList c = new InsnList();
    c.add(Insns.pushInt(index));
    for (AbstractInsnNode i : then) {
      c.add(i);
    }
    return c;
  }

  private static InsnList element(int index, InsnList value, int storeOpcode) {
    InsnList c = element(index);
    c.add(value);
    c.add(new InsnNode(storeOpcode));
    return c;
  }

  private static InsnList element(int index, AbstractInsnNode value, int storeOpcode) {
    return element(index, value, new InsnNode(storeOpcode));
  }

  /**
   * The frame's array {@code field} fetched once, then each element access with the array
   * duplicated for all but the last (which consumes it).
   */
  private static InsnList eachElement(
      int frameVar, String field, String desc, List<InsnList> elements) {
    InsnList c = new InsnList();
    if (elements.isEmpty()) {
      return c;
    }
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, field, desc)); // Stack: array
    for (int i = 0; i < elements.size(); i++) {
      if (i < elements.size() - 1) {
        c.add(new InsnNode(Opcodes.DUP));
      }
      c.add(elements.get(i));
    }
    return c;
  }

  /** Loads local {@code v.var} as the long it is saved as. */
  private static InsnList toLong(Saved v) {
    InsnList c = new InsnList();
    c.add(new VarInsnNode(v.type.getOpcode(Opcodes.ILOAD), v.var));
    switch (v.type.getSort()) {
      case Type.FLOAT:
        c.add(
            new MethodInsnNode(
                Opcodes.INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false));
        c.add(new InsnNode(Opcodes.I2L));
        break;
      case Type.DOUBLE:
        c.add(
            new MethodInsnNode(
                Opcodes.INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false));
        break;
      case Type.LONG:
        break;
      default:
        c.add(new InsnNode(Opcodes.I2L));
    }
    return c;
  }

  /** Stores the saved long on the stack into local {@code v.var} as its own type. */
  private static InsnList fromLong(Saved v) {
    InsnList c = new InsnList();
    switch (v.type.getSort()) {
      case Type.FLOAT:
        c.add(new InsnNode(Opcodes.L2I));
        c.add(
            new MethodInsnNode(
                Opcodes.INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false));
        break;
      case Type.DOUBLE:
        c.add(
            new MethodInsnNode(
                Opcodes.INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false));
        break;
      case Type.LONG:
        break;
      default:
        c.add(new InsnNode(Opcodes.L2I));
    }
    c.add(new VarInsnNode(normalize(v.type).getOpcode(Opcodes.ISTORE), v.var));
    return c;
  }

  /** Casts the saved reference on the stack and stores it into local {@code v.var}. */
  private InsnList fromObject(Saved v) {
    InsnList c = new InsnList();
    Type cast = accessibleType(v.type);
    if (!cast.equals(OBJECT)) {
      c.add(new TypeInsnNode(Opcodes.CHECKCAST, cast.getInternalName()));
    }
    c.add(new VarInsnNode(Opcodes.ASTORE, v.var));
    return c;
  }

  /**
   * The type to cast a restored value to: its own, or its nearest supertype this class may name
   * (a value can have a type the class cannot access, e.g. a package-private class of another
   * package returned by a public method).
   */
  private Type accessibleType(Type t) {
    if (t.getSort() == Type.OBJECT) {
      return Type.getObjectType(hierarchy.accessibleFrom(owner, t.getInternalName()));
    }
    if (t.getSort() == Type.ARRAY && t.getElementType().getSort() == Type.OBJECT) {
      Type element = accessibleType(t.getElementType());
      return Type.getType("[".repeat(t.getDimensions()) + element.getDescriptor());
    }
    return t;
  }

  // ---- the stub ----------------------------------------------------------------------------

  private void buildStub(
      MethodNode method,
      String bodyName,
      String bodyDesc,
      List<Saved> paramSlots,
      int refs,
      int prims,
      List<LocalVariableNode> originalLocals) {
    int frameVar = 0;
    for (Saved p : paramSlots) {
      frameVar = Math.max(frameVar, p.var + p.type.getSize());
    }
    InsnList c = new InsnList();
    LabelNode start = new LabelNode();
    LabelNode end = new LabelNode();
    // no line number: the stub runs none of the user's code, and a breakpoint on the method's
    // first line must stop when the body runs it, not when the coroutine is created
    c.add(start);
    Type bodyType = Type.getMethodType(Protocol.BODY_METHOD_DESC);
    c.add(
        new InvokeDynamicInsnNode(
            "resume",
            "()" + Protocol.BODY_DESC,
            new Handle(
                Opcodes.H_INVOKESTATIC,
                "java/lang/invoke/LambdaMetafactory",
                "metafactory",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
                    + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;"
                    + "Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;",
                false),
            bodyType,
            new Handle(
                Opcodes.H_INVOKESTATIC,
                owner,
                bodyName,
                bodyDesc,
                ownerIsInterface),
            bodyType));
    c.add(Insns.pushInt(Math.max(0, refs - 1))); // reference 0 is the field ref0
    c.add(Insns.pushInt(prims));
    c.add(
        new MethodInsnNode(
            Opcodes.INVOKESTATIC, Protocol.FRAME, Protocol.CREATE, Protocol.CREATE_DESC, false));
    c.add(new VarInsnNode(Opcodes.ASTORE, frameVar));
    c.add(saveAll(paramSlots, frameVar, 0, 0));
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new InsnNode(Opcodes.ARETURN));
    c.add(end);
    method.instructions = c;
    method.maxLocals = frameVar + 1;
    method.maxStack = 6;
    method.localVariables = parameterLocals(method, originalLocals, start, end);
  }

  /** The parameters' local-variable entries, stretched over the stub, for debuggers. */
  private static List<LocalVariableNode> parameterLocals(
      MethodNode method, List<LocalVariableNode> originalLocals, LabelNode start, LabelNode end) {
    List<LocalVariableNode> kept = new ArrayList<>();
    if (originalLocals != null) {
      int argSlots = Type.getArgumentsAndReturnSizes(method.desc) >> 2;
      if ((method.access & Opcodes.ACC_STATIC) != 0) {
        argSlots--;
      }
      for (LocalVariableNode l : originalLocals) {
        if (l.index < argSlots && kept.stream().noneMatch(k -> k.index == l.index)) {
          kept.add(new LocalVariableNode(l.name, l.desc, l.signature, start, end, l.index));
        }
      }
    }
    return kept.isEmpty() ? null : kept;
  }
}
