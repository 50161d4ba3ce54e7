package dev.coroutine.transform;

import dev.coroutine.transform.FrameLayout.Await;
import dev.coroutine.transform.FrameLayout.Saved;
import dev.coroutine.transform.FrameLayout.Shape;
import dev.coroutine.transform.FrameLayout.StackValue;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Rewrites one coroutine method (an {@code @Async} method or an async lambda) into two: the method
 * itself becomes a stub that only builds the {@code AsyncFrame} of the call, and a new private
 * static <em>body</em> method (synthetic only if the user's method was) holds the original code as
 * a state machine that saves the live locals and operand stack at each await and restores them on
 * resume (see coroutine-runtime/PROTOCOL.md). What each await keeps, and which awaits share save
 * and restore code, is the body's {@link FrameLayout}; {@link BodyCode} emits the code from it.
 *
 * <p>Invariant kept: the original instructions, try/catch ranges and line numbers stay in the body
 * in their order; the code this class adds at an await (the await call, the fast-path test, the
 * jump to its save block; a resume lands on the same call) sits inside the same try ranges as the
 * await, and the save and restore blocks, shared by the awaits of a group, sit before all original
 * code, outside every range and before the first line entry: they belong to no source line, so each
 * line has one location for a debugger's breakpoint and coverage tools count no line for them. The
 * local-variable table describes a variable only where its slot holds it ({@link
 * LocalVariableRanges}).
 */
final class AsyncMethodRewriter {

  /** The class being rewritten. */
  private final String owner;

  /** The owner's source file name, or null. */
  private final String sourceFile;

  /** True if the owner is an interface (for the body's method handle). */
  private final boolean ownerIsInterface;

  /** Supertypes for the type analysis. */
  private final ClassHierarchy hierarchy;

  /** Types the current body's restores cast to a supertype ({@link #accessibleType}). */
  private final Set<Type> narrowed = new HashSet<>();

  AsyncMethodRewriter(
      String owner, String sourceFile, boolean ownerIsInterface, ClassHierarchy hierarchy) {
    this.owner = owner;
    this.sourceFile = sourceFile;
    this.ownerIsInterface = ownerIsInterface;
    this.hierarchy = hierarchy;
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
    List<Saved> params =
        FrameLayout.parameterSlots(
            Type.getObjectType(owner),
            Type.getArgumentTypes(method.desc),
            (method.access & Opcodes.ACC_STATIC) != 0);
    List<Await> awaits = new ArrayList<>();
    Rematerialization[] remat = {null}; // made on the first await with a stack under it
    for (int i = 0; i < method.instructions.size(); i++) {
      AbstractInsnNode insn = method.instructions.get(i);
      if (insn instanceof MethodInsnNode && isAwait((MethodInsnNode) insn)) {
        Frame<BasicValue> f = analysis.frames[i];
        if (f == null) {
          continue; // unreachable: left as is, it can never run
        }
        MethodInsnNode call = (MethodInsnNode) insn;
        if (f.getStackSize() > 1 && remat[0] == null) {
          remat[0] = Rematerialization.of(owner, method, analysis);
        }
        awaits.add(
            new Await(call, Insns.lineOf(call), shape(call, i, f, analysis.liveIn[i], remat[0])));
      }
    }
    MethodAnalysis typed = analysis;
    FrameLayout layout =
        FrameLayout.of(
            params,
            method.maxLocals,
            awaits,
            (slot, type) -> singleTyped(method, typed, slot, type));
    trimLocalVariables(method, analysis, awaits);

    MethodNode body =
        new MethodNode(
            // not synthetic unless the user's method was (a javac lambda): coverage tools drop
            // synthetic methods (JaCoCo keeps only lambda$ ones) and debuggers skip them
            Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | (method.access & Opcodes.ACC_SYNTHETIC),
            bodyName,
            bodyDesc,
            null,
            new String[] {"java/lang/Throwable"});
    String table = describeTable(method, layout); // before buildBody takes the instructions
    narrowed.clear();
    buildBody(method, body, layout);
    if (!narrowed.isEmpty()) {
      NarrowedRestoreCheck.verify(owner, body, hierarchy, narrowed);
    }
    buildStub(
        method,
        bodyName,
        bodyDesc,
        params,
        layout.refs,
        layout.primArrayLength(),
        originalLocals,
        table);
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

  static boolean isDone(MethodInsnNode m) {
    return m.getOpcode() == Opcodes.INVOKESTATIC
        && m.owner.equals(Protocol.COROUTINES)
        && m.name.equals(Protocol.DONE)
        && (m.desc.equals(Protocol.DONE_VALUE_DESC) || m.desc.equals(Protocol.DONE_VOID_DESC));
  }

  static boolean isAwait(MethodInsnNode m) {
    return Protocol.isAwait(m.getOpcode(), m.owner, m.name, m.desc);
  }

  // ---- what each await keeps ---------------------------------------------------------------

  /**
   * What the await {@code call} (instruction {@code index}) keeps, given its frame and the locals
   * live there. A stack value that is a constant, or a copy of a local, is pushed again on resume
   * instead of saved ({@code remat} says which; null when the stack is empty): the local is then
   * kept too, if it was not already.
   */
  private static Shape shape(
      MethodInsnNode call, int index, Frame<BasicValue> f, BitSet live, Rematerialization remat)
      throws Refusal {
    SortedMap<Integer, Type> locals = new TreeMap<>();
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
      locals.put(j, normalize(t));
    }
    List<StackValue> stack = new ArrayList<>();
    for (int j = 0; j < f.getStackSize() - 1; j++) {
      BasicValue v = f.getStack(j);
      Type t = v.getType();
      if (v instanceof TypeInterpreter.Uninitialized || t == null) {
        throw new Refusal("await with an object under construction on the operand stack", call);
      }
      if (v instanceof TypeInterpreter.Unresolved) {
        throw new Refusal(((TypeInterpreter.Unresolved) v).missing.getMessage(), call);
      }
      Type type = normalize(t);
      Rematerialization.Source from = null;
      if (!type.equals(TypeInterpreter.NULL_TYPE)) {
        from = remat.source(index, j);
        if (from != null && from.isLocal() && !keepLocal(locals, f, from.local(), type)) {
          from = null; // the local's type is not the value's: saved as usual
        }
      }
      stack.add(new StackValue(type, from));
    }
    return new Shape(locals, stack);
  }

  /**
   * Adds local {@code var} to the await's kept {@code locals} if its type there is {@code type} (it
   * holds the same value as a stack entry of that type); false if it cannot be kept.
   */
  private static boolean keepLocal(
      SortedMap<Integer, Type> locals, Frame<BasicValue> f, int var, Type type) {
    Type kept = locals.get(var);
    if (kept != null) {
      return kept.equals(type);
    }
    BasicValue v = f.getLocal(var);
    if (v == BasicValue.UNINITIALIZED_VALUE
        || v.getType() == null
        || v instanceof TypeInterpreter.Uninitialized
        || v instanceof TypeInterpreter.Unresolved
        || !normalize(v.getType()).equals(type)) {
      return false;
    }
    locals.put(var, type);
    return true;
  }

  /**
   * True if local {@code slot} holds nothing but {@code type} (a primitive) wherever the method
   * reaches: no other type, no half of a long or double from {@code slot - 1}, and for a long or
   * double nothing in its second half. A zero of that type set there at the body's top is then what
   * every path may have in the slot (see {@link FrameLayout#zeroedAtTop}).
   */
  private static boolean singleTyped(
      MethodNode method, MethodAnalysis analysis, int slot, Type type) {
    // every store: a frame alone may not show a type stored right before a merge that drops it
    for (AbstractInsnNode insn = method.instructions.getFirst();
        insn != null;
        insn = insn.getNext()) {
      int op = insn.getOpcode();
      if (insn instanceof VarInsnNode && op >= Opcodes.ISTORE) {
        int var = ((VarInsnNode) insn).var;
        boolean wide = op == Opcodes.LSTORE || op == Opcodes.DSTORE;
        if ((var == slot && op != type.getOpcode(Opcodes.ISTORE))
            || (var == slot - 1 && wide)
            || (var == slot + 1 && type.getSize() == 2)) {
          return false;
        }
      }
    }
    for (Frame<BasicValue> f : analysis.frames) { // the parameters, and anything else in a frame
      if (f == null) {
        continue; // unreachable
      }
      if (!unsetOr(f.getLocal(slot), type)
          || (type.getSize() == 2 && !unsetOr(f.getLocal(slot + 1), null))
          || (slot > 0 && isWide(f.getLocal(slot - 1)))) {
        return false;
      }
    }
    return true;
  }

  /**
   * True if {@code v} is no value (unset, or the second half of a wide one) or one of {@code t}.
   */
  private static boolean unsetOr(BasicValue v, Type t) {
    if (v == BasicValue.UNINITIALIZED_VALUE || v.getType() == null) {
      return true;
    }
    return t != null && normalize(v.getType()).equals(t);
  }

  private static boolean isWide(BasicValue v) {
    return v.getType() != null && v.getSize() == 2;
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
   * Cuts the local-variable table so that after a resume a debugger is not shown the variables the
   * await did not keep (see {@link LocalVariableRanges}); a resume may set them to null or zero
   * (its group's restore block sets every slot of the group).
   */
  private static void trimLocalVariables(
      MethodNode method, MethodAnalysis analysis, List<Await> awaits) {
    Map<AbstractInsnNode, BitSet> unrestored = new HashMap<>();
    Map<AbstractInsnNode, LabelNode> resumeLabel = new HashMap<>();
    for (Await a : awaits) {
      BitSet slots = new BitSet();
      slots.set(0, method.maxLocals);
      for (Map.Entry<Integer, Type> e : a.shape.locals().entrySet()) {
        slots.clear(e.getKey(), e.getKey() + e.getValue().getSize());
      }
      unrestored.put(a.call, slots);
      resumeLabel.put(a.call, a.resume);
    }
    LocalVariableRanges.trim(method, analysis, unrestored, resumeLabel);
  }

  // ---- the body ----------------------------------------------------------------------------

  /** Moves the user's code into {@code body}, with the state machine of {@code layout} added. */
  private void buildBody(MethodNode method, MethodNode body, FrameLayout layout) {
    InsnList code = method.instructions;
    // a method with finally blocks (catch-any handlers: finally, try-with-resources) pushes every
    // label in one width, so the copies of a block stay alike for coverage tools (Insns.pushLabel);
    // the others in the shortest form, a byte or two less per await
    boolean finallyBlocks = method.tryCatchBlocks.stream().anyMatch(t -> t.type == null);
    BodyCode emit =
        new BodyCode(layout, new FrameValues(layout.frameVar, this::accessibleType), finallyBlocks);
    for (Await a : layout.awaits) {
      code.insert(a.call, emit.suspensionSite(a));
      code.remove(a.call);
      if (a.unboxing != null) { // done by the typed await
        code.remove(a.unboxing.cast());
        code.remove(a.unboxing.unbox());
      }
    }
    LabelNode start = new LabelNode();
    boolean castFrame = !body.desc.equals(Protocol.BODY_METHOD_DESC); // an overload: a supertype
    InsnList prologue = emit.prologue(castFrame, start);
    VarInsnNode take = (VarInsnNode) prologue.getFirst(); // aload 0: the frame, as passed
    code.insert(prologue);

    body.instructions = code;
    body.tryCatchBlocks = method.tryCatchBlocks;
    body.localVariables = renameThis(method.localVariables);
    if (body.localVariables != null && !body.localVariables.isEmpty()) {
      // the parameter, in the slot OneByteSlots keeps it in: a JVM with a local-variable table
      // refuses a debugger's read of a slot no entry covers (JDI's getArgumentValues)
      LabelNode first = new LabelNode();
      LabelNode last = new LabelNode();
      code.insert(first);
      code.add(last);
      String param = Type.getArgumentTypes(body.desc)[0].getDescriptor();
      body.localVariables.add(
          new LocalVariableNode("$frame", param, null, first, last, layout.frameVar));
    }
    body.visibleLocalVariableAnnotations = method.visibleLocalVariableAnnotations;
    body.invisibleLocalVariableAnnotations = method.invisibleLocalVariableAnnotations;
    body.maxLocals = layout.frameVar + 1;
    body.maxStack = method.maxStack + 4;
    OneByteSlots.choose(body, layout.frameVar, take);
    method.instructions = new InsnList();
    method.tryCatchBlocks = new ArrayList<>();
    method.localVariables = null;
    method.visibleLocalVariableAnnotations = null;
    method.invisibleLocalVariableAnnotations = null;
  }

  /**
   * The body's local-variable table with {@code this} named {@code $this}: the body is static, and
   * a debugger (JDI) shows no local named {@code this} in a static method, not even its fields. New
   * nodes: the stub's table is made from the same ones.
   */
  private static List<LocalVariableNode> renameThis(List<LocalVariableNode> locals) {
    if (locals == null) {
      return null;
    }
    List<LocalVariableNode> renamed = new ArrayList<>(locals.size());
    for (LocalVariableNode v : locals) {
      renamed.add(
          v.name.equals("this")
              ? new LocalVariableNode("$this", v.desc, v.signature, v.start, v.end, v.index)
              : v);
    }
    return renamed;
  }

  /**
   * The body's describe table; without the lines if they do not fit a string constant (65,535 bytes
   * of modified UTF-8): a describe query then answers line -1.
   */
  private String describeTable(MethodNode method, FrameLayout layout) {
    String className = owner.replace('/', '.');
    int first = Insns.firstLine(method);
    String t = BodyCode.describeTable(className, method.name, sourceFile, first, layout.groups);
    if (modifiedUtf8Length(t) > 65_535) {
      t = BodyCode.describeTable(className, method.name, sourceFile, first, List.of());
    }
    return t;
  }

  private static int modifiedUtf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
    }
    return n;
  }

  /**
   * The type to cast a restored value to: its own, or its nearest supertype this class may name (a
   * value can have a type the class cannot access, e.g. a package-private class of another package
   * returned by a public method).
   */
  private Type accessibleType(Type t) {
    if (t.getSort() == Type.OBJECT) {
      Type a = Type.getObjectType(hierarchy.accessibleFrom(owner, t.getInternalName()));
      if (!a.equals(t)) {
        narrowed.add(t);
        // the resume path now has the value as that superclass, the first run as its own class:
        // their merge must give the superclass the cast relies on, not Object
        hierarchy.rely(t.getInternalName(), a.getInternalName());
      }
      return a;
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
      List<LocalVariableNode> originalLocals,
      String table) {
    int frameVar = 0;
    for (Saved p : paramSlots) {
      frameVar = Math.max(frameVar, p.var() + p.type().getSize());
    }
    InsnList c = new InsnList();
    LabelNode start = new LabelNode();
    LabelNode end = new LabelNode();
    // no line number: the stub runs none of the user's code, and a breakpoint on the method's
    // first line must stop when the body runs it, not when the coroutine is created
    c.add(start);
    // a call site the runtime links once (AsyncFrame.frame): it binds the body, keeps its
    // describe table and creates the frame with its arrays' lengths
    c.add(
        new InvokeDynamicInsnNode(
            Protocol.BOOTSTRAP,
            "()" + Protocol.FRAME_DESC,
            new Handle(
                Opcodes.H_INVOKESTATIC,
                Protocol.FRAME,
                Protocol.BOOTSTRAP,
                Protocol.BOOTSTRAP_DESC,
                false),
            new Handle(Opcodes.H_INVOKESTATIC, owner, bodyName, bodyDesc, ownerIsInterface),
            table,
            Math.max(0, refs - 1), // reference 0 is the field ref0
            prims));
    InsnList arguments = FrameValues.saveArguments(paramSlots); // Stack: frame
    if (arguments == null) { // more than the calls take: through a local
      c.add(new VarInsnNode(Opcodes.ASTORE, frameVar));
      arguments = new FrameValues(frameVar, this::accessibleType).save(paramSlots, 0, 0);
      arguments.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    }
    c.add(arguments);
    c.add(new InsnNode(Opcodes.ARETURN));
    c.add(end);
    method.instructions = c;
    method.maxLocals = frameVar + 1;
    method.maxStack = 16; // at most the frame twice and 8 references, or the frame and 6 longs
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
