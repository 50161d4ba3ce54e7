package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
import org.objectweb.asm.tree.LineNumberNode;
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
 * private static synthetic <em>body</em> method holds the original code as a state machine that
 * saves the live locals and operand stack at each await and restores them on resume (see
 * coroutine-runtime/PROTOCOL.md).
 *
 * <p>Invariant kept: the original instructions, try/catch ranges, line numbers and local-variable
 * table stay in the body in their order; the code this class adds around an await sits inside
 * the same try ranges as the await, and the restore blocks sit after all original code, outside
 * every range.
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

  /** One await: where it is and what it saves. */
  private static final class Site {
    /** The {@code Coroutines.await} call. */
    MethodInsnNode call;
    /** Resume number (label value), from 1. */
    int number;
    /** Values saved to the frame (live locals, then spilled stack). */
    final List<Saved> saved = new ArrayList<>();
    /** Live locals holding null: restored as null, not saved. */
    final List<Integer> nullLocals = new ArrayList<>();
    /** Spill slots of the operand stack below the awaitable, bottom first; type null = null. */
    final List<Saved> stack = new ArrayList<>();
    int refCount;
    int primCount;
  }

  /**
   * Rewrites {@code method} in place into the stub and returns the body, named {@code bodyName},
   * for the caller to add to the class.
   */
  MethodNode rewrite(MethodNode method, String bodyName, String bodyDesc)
      throws Refusal, AnalyzerException {
    int firstLine = Insns.firstLine(method);
    List<LocalVariableNode> originalLocals = method.localVariables;
    prepareReturns(method);
    MethodAnalysis analysis = MethodAnalysis.of(owner, method, hierarchy);
    if (ConstructionRewrite.apply(method, analysis)) {
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
        Site s = describeSite((MethodInsnNode) insn, f, analysis.liveIn[i], spillBase);
        s.number = sites.size() + 1;
        sites.add(s);
        refs = Math.max(refs, s.refCount);
        prims = Math.max(prims, s.primCount);
      }
    }

    MethodNode body =
        new MethodNode(
            Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
            bodyName,
            bodyDesc,
            null,
            new String[] {"java/lang/Throwable"});
    int siteRefs = sites.stream().mapToInt(x -> x.refCount).max().orElse(0);
    int sitePrims = sites.stream().mapToInt(x -> x.primCount).max().orElse(0);
    // reference 0 lives in the frame's field ref0, the others in the refs array; the array is
    // dropped after the start when no await needs it, so is ref0 when no await saves a reference
    int keptRefs = siteRefs <= 1 ? siteRefs : refs;
    buildBody(method, body, sites, paramSlots, frameVar, refs, keptRefs, sitePrims == 0);
    buildStub(method, bodyName, bodyDesc, paramSlots, refs, prims, firstLine, originalLocals);
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

  private Site describeSite(
      MethodInsnNode call, Frame<BasicValue> f, java.util.BitSet live, int spillBase)
      throws Refusal {
    Site s = new Site();
    s.call = call;
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
      if (t.equals(TypeInterpreter.NULL_TYPE)) {
        s.nullLocals.add(j);
      } else {
        add(s, j, t);
      }
    }
    int var = spillBase;
    for (int j = 0; j < f.getStackSize() - 1; j++) {
      BasicValue v = f.getStack(j);
      Type t = v.getType();
      if (v instanceof TypeInterpreter.Uninitialized || t == null) {
        throw new Refusal("await with an object under construction on the operand stack", call);
      }
      if (t.equals(TypeInterpreter.NULL_TYPE)) {
        s.stack.add(new Saved(var, null, -1));
        var += 1;
      } else {
        s.stack.add(add(s, var, t));
        var += t.getSize();
      }
    }
    return s;
  }

  private static Saved add(Site s, int var, Type t) {
    Type saveType = Insns.isReference(t) ? t : normalize(t);
    Saved v = new Saved(var, saveType, Insns.isReference(t) ? s.refCount++ : s.primCount++);
    s.saved.add(v);
    return v;
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
    LabelNode start = new LabelNode();
    LabelNode bad = new LabelNode();
    LabelNode[] restoreLabels = new LabelNode[sites.size()];
    LabelNode[] targets = new LabelNode[sites.size() + 1];
    targets[0] = start;
    for (int k = 0; k < sites.size(); k++) {
      restoreLabels[k] = new LabelNode();
      targets[k + 1] = restoreLabels[k];
    }

    InsnList prologue = new InsnList();
    prologue.add(new VarInsnNode(Opcodes.ALOAD, 0));
    if (!body.desc.equals(Protocol.BODY_METHOD_DESC)) {
      prologue.add(new TypeInsnNode(Opcodes.CHECKCAST, Protocol.FRAME)); // overload: a supertype
    }
    prologue.add(new VarInsnNode(Opcodes.ASTORE, frameVar));
    prologue.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    prologue.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.LABEL, "I"));
    prologue.add(new TableSwitchInsnNode(0, sites.size(), bad, targets));
    prologue.add(bad);
    prologue.add(describe(method, sites, frameVar));
    prologue.add(start);
    for (Saved p : paramSlots) {
      prologue.add(restore(p, frameVar));
    }
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

    InsnList restores = new InsnList();
    for (Site s : sites) {
      LabelNode resume = new LabelNode();
      LabelNode cont = new LabelNode();
      InsnList at = new InsnList();
      at.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
      boolean stage = s.call.desc.equals(Protocol.AWAIT_STAGE_DESC);
      at.add(
          new MethodInsnNode(
              Opcodes.INVOKESTATIC,
              Protocol.FRAME,
              stage ? Protocol.FRAME_AWAIT_STAGE : Protocol.FRAME_AWAIT,
              stage ? Protocol.FRAME_AWAIT_STAGE_DESC : Protocol.FRAME_AWAIT_DESC,
              false));
      at.add(new InsnNode(Opcodes.DUP));
      at.add(
          new FieldInsnNode(
              Opcodes.GETSTATIC, Protocol.FRAME, Protocol.SUSPEND, "Ljava/lang/Object;"));
      at.add(new JumpInsnNode(Opcodes.IF_ACMPNE, cont));
      at.add(new InsnNode(Opcodes.POP));
      for (int j = s.stack.size() - 1; j >= 0; j--) {
        Saved v = s.stack.get(j);
        at.add(
            new VarInsnNode(
                v.type == null ? Opcodes.ASTORE : v.type.getOpcode(Opcodes.ISTORE), v.var));
      }
      for (Saved v : s.saved) {
        at.add(save(v, frameVar));
      }
      for (int r = s.refCount; r < keptRefs; r++) {
        at.add(storeRef(frameVar, r, new InsnNode(Opcodes.ACONST_NULL)));
      }
      at.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
      at.add(Insns.pushInt(s.number));
      at.add(new FieldInsnNode(Opcodes.PUTFIELD, Protocol.FRAME, Protocol.LABEL, "I"));
      at.add(
          new FieldInsnNode(
              Opcodes.GETSTATIC, Protocol.FRAME, Protocol.SUSPEND, "Ljava/lang/Object;"));
      at.add(new InsnNode(Opcodes.ARETURN));
      at.add(resume);
      at.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
      at.add(
          new MethodInsnNode(
              Opcodes.INVOKEVIRTUAL, Protocol.FRAME, Protocol.RESUMED, Protocol.RESUMED_DESC, false));
      at.add(cont);

      LabelNode restoreLabel = restoreLabels[s.number - 1];
      restores.add(restoreLabel);
      int line = Insns.lineOf(s.call);
      if (line > 0) {
        restores.add(new LineNumberNode(line, restoreLabel));
      }
      for (Saved v : s.saved) {
        restores.add(restore(v, frameVar));
      }
      for (int var : s.nullLocals) {
        restores.add(new InsnNode(Opcodes.ACONST_NULL));
        restores.add(new VarInsnNode(Opcodes.ASTORE, var));
      }
      for (Saved v : s.stack) {
        if (v.type == null) {
          restores.add(new InsnNode(Opcodes.ACONST_NULL));
        } else {
          restores.add(new VarInsnNode(v.type.getOpcode(Opcodes.ILOAD), v.var));
        }
      }
      restores.add(new JumpInsnNode(Opcodes.GOTO, resume));

      code.insert(s.call, at);
      code.remove(s.call);
    }
    code.add(restores);

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
   * The prologue's default branch. With {@code label == DESCRIBE} the body answers where its
   * await number {@code prims[0]} is (0: the method's start) as a StackTraceElement, for task
   * dumps and async stack traces; any other label is a corrupt state.
   */
  private InsnList describe(MethodNode method, List<Site> sites, int frameVar) {
    InsnList c = new InsnList();
    LabelNode corrupt = new LabelNode();
    LabelNode make = new LabelNode();
    int lineVar = frameVar + 1;
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.LABEL, "I"));
    c.add(Insns.pushInt(Protocol.DESCRIBE_LABEL));
    c.add(new JumpInsnNode(Opcodes.IF_ICMPNE, corrupt));
    LabelNode[] cases = new LabelNode[sites.size() + 1];
    LabelNode unknown = new LabelNode();
    for (int k = 0; k < cases.length; k++) {
      cases[k] = new LabelNode();
    }
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.PRIMS, "[J"));
    c.add(new InsnNode(Opcodes.ICONST_0));
    c.add(new InsnNode(Opcodes.LALOAD));
    c.add(new InsnNode(Opcodes.L2I));
    c.add(new TableSwitchInsnNode(0, sites.size(), unknown, cases));
    for (int k = 0; k < cases.length; k++) {
      c.add(cases[k]);
      c.add(Insns.pushInt(k == 0 ? Insns.firstLine(method) : Insns.lineOf(sites.get(k - 1).call)));
      c.add(new VarInsnNode(Opcodes.ISTORE, lineVar));
      c.add(new JumpInsnNode(Opcodes.GOTO, make));
    }
    c.add(unknown);
    c.add(new InsnNode(Opcodes.ICONST_M1));
    c.add(new VarInsnNode(Opcodes.ISTORE, lineVar));
    c.add(make);
    c.add(new TypeInsnNode(Opcodes.NEW, "java/lang/StackTraceElement"));
    c.add(new InsnNode(Opcodes.DUP));
    c.add(new org.objectweb.asm.tree.LdcInsnNode(owner.replace('/', '.')));
    c.add(new org.objectweb.asm.tree.LdcInsnNode(method.name));
    if (sourceFile != null) {
      c.add(new org.objectweb.asm.tree.LdcInsnNode(sourceFile));
    } else {
      c.add(new InsnNode(Opcodes.ACONST_NULL));
    }
    c.add(new VarInsnNode(Opcodes.ILOAD, lineVar));
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
    c.add(new org.objectweb.asm.tree.LdcInsnNode("coroutine resumed in an invalid state"));
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

  private static InsnList clearArray(int frameVar, String field, String desc) {
    InsnList c = new InsnList();
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new InsnNode(Opcodes.ACONST_NULL));
    c.add(new FieldInsnNode(Opcodes.PUTFIELD, Protocol.FRAME, field, desc));
    return c;
  }

  /** Stores the value {@code value} pushes as saved reference number {@code index}. */
  private static InsnList storeRef(int frameVar, int index, AbstractInsnNode value) {
    InsnList c = new InsnList();
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    if (index == 0) {
      c.add(value);
      c.add(new FieldInsnNode(Opcodes.PUTFIELD, Protocol.FRAME, Protocol.REF0, "Ljava/lang/Object;"));
    } else {
      c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.REFS, "[Ljava/lang/Object;"));
      c.add(Insns.pushInt(index - 1));
      c.add(value);
      c.add(new InsnNode(Opcodes.AASTORE));
    }
    return c;
  }

  /** Stores local {@code v.var} into the frame. */
  private static InsnList save(Saved v, int frameVar) {
    if (v.isRef()) {
      return storeRef(frameVar, v.index, new VarInsnNode(Opcodes.ALOAD, v.var));
    }
    InsnList c = new InsnList();
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.PRIMS, "[J"));
    c.add(Insns.pushInt(v.index));
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
    c.add(new InsnNode(Opcodes.LASTORE));
    return c;
  }

  /** Loads {@code v} from the frame into local {@code v.var}. */
  private InsnList restore(Saved v, int frameVar) {
    InsnList c = new InsnList();
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    if (v.isRef()) {
      if (v.index == 0) {
        c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.REF0, "Ljava/lang/Object;"));
      } else {
        c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.REFS, "[Ljava/lang/Object;"));
        c.add(Insns.pushInt(v.index - 1));
        c.add(new InsnNode(Opcodes.AALOAD));
      }
      Type cast = accessibleType(v.type);
      if (!cast.equals(OBJECT)) {
        c.add(new TypeInsnNode(Opcodes.CHECKCAST, cast.getInternalName()));
      }
      c.add(new VarInsnNode(Opcodes.ASTORE, v.var));
      return c;
    }
    c.add(new FieldInsnNode(Opcodes.GETFIELD, Protocol.FRAME, Protocol.PRIMS, "[J"));
    c.add(Insns.pushInt(v.index));
    c.add(new InsnNode(Opcodes.LALOAD));
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
      int line,
      List<LocalVariableNode> originalLocals) {
    int frameVar = 0;
    for (Saved p : paramSlots) {
      frameVar = Math.max(frameVar, p.var + p.type.getSize());
    }
    InsnList c = new InsnList();
    LabelNode start = new LabelNode();
    LabelNode end = new LabelNode();
    c.add(start);
    if (line > 0) {
      c.add(new LineNumberNode(line, start));
    }
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
    for (Saved p : paramSlots) {
      c.add(save(p, frameVar));
    }
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
