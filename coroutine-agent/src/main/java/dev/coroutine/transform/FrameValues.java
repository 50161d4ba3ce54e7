package dev.coroutine.transform;

import dev.coroutine.transform.FrameLayout.Saved;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Instructions that move values between locals and an {@code AsyncFrame}: reference 0 in the field
 * {@code ref0}, the other references in {@code refs}; primitive 0, when int-sized, in the int field
 * {@code prim0} (float as raw bits), the other primitives widened to {@code long} (float and double
 * as raw bits) in {@code prims}. Each array is fetched once per block and kept on the operand stack
 * from element to element, so an element costs its index, the value and the array store.
 */
final class FrameValues {
  private static final String OBJECT_DESC = "Ljava/lang/Object;";
  private static final String REFS_DESC = "[Ljava/lang/Object;";

  /** The frame's local. */
  private final int frameVar;

  /** The type a restored reference is cast to (its own, or a supertype the class may name). */
  private final UnaryOperator<Type> castType;

  FrameValues(int frameVar, UnaryOperator<Type> castType) {
    this.frameVar = frameVar;
    this.castType = castType;
  }

  /**
   * Stores {@code values} into the frame, and null into saved references {@code nullFrom} to {@code
   * nullTo - 1} (what a longer save left there, which must not stay reachable).
   */
  InsnList save(List<Saved> values, int nullFrom, int nullTo) {
    InsnList c = new InsnList();
    List<InsnList> refs = new ArrayList<>();
    List<InsnList> prims = new ArrayList<>();
    for (Saved v : values) {
      if (v.isRef() && v.index() == 0) {
        c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
        c.add(new VarInsnNode(Opcodes.ALOAD, v.var()));
        c.add(field(Opcodes.PUTFIELD, Protocol.REF0, OBJECT_DESC));
      } else if (v.isRef()) {
        refs.add(element(v.index() - 1, new VarInsnNode(Opcodes.ALOAD, v.var()), Opcodes.AASTORE));
      } else if (v.inPrim0()) {
        c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
        c.add(toInt(v));
        c.add(field(Opcodes.PUTFIELD, Protocol.PRIM0, "I"));
      } else {
        prims.add(element(v.index(), toLong(v), Opcodes.LASTORE));
      }
    }
    for (int r = nullFrom; r < nullTo; r++) {
      if (r == 0) {
        c.add(clear(Protocol.REF0, OBJECT_DESC));
      } else {
        refs.add(element(r - 1, new InsnNode(Opcodes.ACONST_NULL), Opcodes.AASTORE));
      }
    }
    c.add(eachElement(Protocol.REFS, REFS_DESC, refs));
    c.add(eachElement(Protocol.PRIMS, "[J", prims));
    return c;
  }

  /**
   * A save block's code after its parts: stores {@code values} into the frame, and null into saved
   * references {@code nullFrom} to {@code nullTo - 1}, then returns {@code SUSPEND}. The first
   * references and primitives go through one {@code AsyncFrame.Save} call per kind (a load per
   * value instead of an array store), the primitives' call first (it hands the frame on); the
   * values past the calls' limits are stored element by element before them.
   */
  InsnList saveAndSuspend(List<Saved> values, int nullFrom, int nullTo) {
    Split s = split(values);
    int refArgs = Math.min(Protocol.SAVE_MAX_REFS, Math.max(s.refs.size(), nullTo));
    InsnList c = save(s.rest, Math.max(nullFrom, Protocol.SAVE_MAX_REFS), nullTo);
    if (refArgs == 0 && s.prims.isEmpty()) {
      c.add(suspendMarker());
      c.add(new InsnNode(Opcodes.ARETURN));
      return c;
    }
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    if (!s.prims.isEmpty()) {
      c.add(primsCall(s.prims)); // Stack: frame
    }
    c.add(refsCall(s.refs, nullFrom, refArgs)); // Stack: SUSPEND
    c.add(new InsnNode(Opcodes.ARETURN));
    return c;
  }

  /**
   * The stub's stores of the arguments {@code params} into the new frame on the operand stack,
   * which stays there; null if they do not fit the {@code AsyncFrame.Save} calls (the stub then
   * stores them through a local with {@link #save}).
   */
  static InsnList saveArguments(List<Saved> params) {
    Split s = split(params);
    if (!s.rest.isEmpty()) {
      return null;
    }
    InsnList c = new InsnList();
    if (!s.refs.isEmpty()) {
      c.add(new InsnNode(Opcodes.DUP)); // Stack: frame, frame
      c.add(refsCall(s.refs, s.refs.size(), s.refs.size()));
      c.add(new InsnNode(Opcodes.POP)); // Stack: frame
    }
    if (!s.prims.isEmpty()) {
      c.add(primsCall(s.prims)); // Stack: frame
    }
    return c;
  }

  /** Values saved through the calls (by kind, numbered from 0) and the rest, past their limits. */
  private record Split(List<Saved> refs, List<Saved> prims, List<Saved> rest) {}

  private static Split split(List<Saved> values) {
    Split s = new Split(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (Saved v : values) {
      if (v.isRef() ? v.index() < Protocol.SAVE_MAX_REFS : v.index() < Protocol.SAVE_MAX_PRIMS) {
        (v.isRef() ? s.refs : s.prims).add(v);
      } else {
        s.rest.add(v);
      }
    }
    return s;
  }

  /** {@code getstatic AsyncFrame.SUSPEND}: what a suspending body returns. */
  static AbstractInsnNode suspendMarker() {
    return new FieldInsnNode(Opcodes.GETSTATIC, Protocol.FRAME, Protocol.SUSPEND, OBJECT_DESC);
  }

  /** Primitives 0 to n-1 (the frame below them on the stack) through {@code Save.prims}. */
  private static InsnList primsCall(List<Saved> prims) {
    InsnList c = new InsnList();
    StringBuilder desc = new StringBuilder("(").append(Protocol.FRAME_DESC);
    for (int i = 0; i < prims.size(); i++) {
      Saved v = prims.get(i);
      if (v.index() != i) {
        throw new IllegalStateException("primitives not numbered from 0: " + prims);
      }
      c.add(v.inPrim0() ? toInt(v) : toLong(v));
      desc.append(v.inPrim0() ? 'I' : 'J');
    }
    desc.append(')').append(Protocol.FRAME_DESC);
    c.add(saveCall(Protocol.SAVE_PRIMS, desc.toString()));
    return c;
  }

  /**
   * References 0 to {@code args - 1} (the frame below them on the stack) through {@code Save.refs}:
   * {@code refs}, then null from {@code nullFrom}.
   */
  private static InsnList refsCall(List<Saved> refs, int nullFrom, int args) {
    InsnList c = new InsnList();
    StringBuilder desc = new StringBuilder("(").append(Protocol.FRAME_DESC);
    for (int i = 0; i < args; i++) {
      if (i < refs.size()) {
        if (refs.get(i).index() != i) {
          throw new IllegalStateException("references not numbered from 0: " + refs);
        }
        c.add(new VarInsnNode(Opcodes.ALOAD, refs.get(i).var()));
      } else if (i >= nullFrom) {
        c.add(new InsnNode(Opcodes.ACONST_NULL));
      } else {
        throw new IllegalStateException("reference " + i + " neither saved nor cleared");
      }
      desc.append(OBJECT_DESC);
    }
    c.add(saveCall(Protocol.SAVE_REFS, desc.append(")Ljava/lang/Object;").toString()));
    return c;
  }

  private static MethodInsnNode saveCall(String name, String desc) {
    return new MethodInsnNode(Opcodes.INVOKESTATIC, Protocol.SAVE, name, desc, false);
  }

  /** Loads {@code values} from the frame into their locals. */
  InsnList restore(List<Saved> values) {
    InsnList c = new InsnList();
    List<InsnList> refs = new ArrayList<>();
    List<InsnList> prims = new ArrayList<>();
    for (Saved v : values) {
      if (v.isRef() && v.index() == 0) {
        c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
        c.add(field(Opcodes.GETFIELD, Protocol.REF0, OBJECT_DESC));
        c.add(fromObject(v));
      } else if (v.isRef()) {
        InsnList e = element(v.index() - 1, new InsnNode(Opcodes.AALOAD));
        e.add(fromObject(v));
        refs.add(e);
      } else if (v.inPrim0()) {
        c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
        c.add(field(Opcodes.GETFIELD, Protocol.PRIM0, "I"));
        c.add(fromInt(v));
      } else {
        InsnList e = element(v.index(), new InsnNode(Opcodes.LALOAD));
        e.add(fromLong(v));
        prims.add(e);
      }
    }
    c.add(eachElement(Protocol.REFS, REFS_DESC, refs));
    c.add(eachElement(Protocol.PRIMS, "[J", prims));
    return c;
  }

  /**
   * Pushes the saved value {@code v} from the frame onto the operand stack, as its own type; a
   * reference's place in the frame is set to null (the frame must not keep it once taken).
   */
  InsnList take(Saved v) {
    InsnList c = new InsnList();
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    if (v.isRef() && v.index() == 0) {
      c.add(new InsnNode(Opcodes.DUP));
      c.add(field(Opcodes.GETFIELD, Protocol.REF0, OBJECT_DESC)); // Stack: f, value
      c.add(new InsnNode(Opcodes.SWAP));
      c.add(new InsnNode(Opcodes.ACONST_NULL));
      c.add(field(Opcodes.PUTFIELD, Protocol.REF0, OBJECT_DESC)); // Stack: value
    } else if (v.isRef()) {
      c.add(field(Opcodes.GETFIELD, Protocol.REFS, REFS_DESC));
      c.add(new InsnNode(Opcodes.DUP));
      c.add(Insns.pushInt(v.index() - 1));
      c.add(new InsnNode(Opcodes.AALOAD)); // Stack: refs, value
      c.add(new InsnNode(Opcodes.SWAP));
      c.add(Insns.pushInt(v.index() - 1));
      c.add(new InsnNode(Opcodes.ACONST_NULL));
      c.add(new InsnNode(Opcodes.AASTORE)); // Stack: value
    } else if (v.inPrim0()) {
      c.add(field(Opcodes.GETFIELD, Protocol.PRIM0, "I"));
    } else {
      c.add(field(Opcodes.GETFIELD, Protocol.PRIMS, "[J"));
      c.add(Insns.pushInt(v.index()));
      c.add(new InsnNode(Opcodes.LALOAD));
    }
    InsnList store = v.isRef() ? fromObject(v) : v.inPrim0() ? fromInt(v) : fromLong(v);
    store.remove(store.getLast()); // the conversion or cast without the store
    c.add(store);
    return c;
  }

  /** Sets the frame's {@code field} to null. */
  InsnList clear(String field, String desc) {
    InsnList c = new InsnList();
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(new InsnNode(Opcodes.ACONST_NULL));
    c.add(field(Opcodes.PUTFIELD, field, desc));
    return c;
  }

  /** Sets local {@code v.var} to null or zero of its type (a slot the await does not keep). */
  static InsnList fill(Saved v) {
    InsnList c = new InsnList();
    switch (v.type().getSort()) {
      case Type.LONG:
        c.add(new InsnNode(Opcodes.LCONST_0));
        break;
      case Type.DOUBLE:
        c.add(new InsnNode(Opcodes.DCONST_0));
        break;
      case Type.FLOAT:
        c.add(new InsnNode(Opcodes.FCONST_0));
        break;
      case Type.OBJECT:
      case Type.ARRAY:
        c.add(new InsnNode(Opcodes.ACONST_NULL));
        break;
      default:
        c.add(new InsnNode(Opcodes.ICONST_0));
    }
    c.add(new VarInsnNode(v.type().getOpcode(Opcodes.ISTORE), v.var()));
    return c;
  }

  private static FieldInsnNode field(int opcode, String name, String desc) {
    return new FieldInsnNode(opcode, Protocol.FRAME, name, desc);
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
  private InsnList eachElement(String field, String desc, List<InsnList> elements) {
    InsnList c = new InsnList();
    if (elements.isEmpty()) {
      return c;
    }
    c.add(new VarInsnNode(Opcodes.ALOAD, frameVar));
    c.add(field(Opcodes.GETFIELD, field, desc)); // Stack: array
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
    c.add(new VarInsnNode(v.type().getOpcode(Opcodes.ILOAD), v.var()));
    switch (v.type().getSort()) {
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

  /** Loads local {@code v.var} (int-sized) as the int it is saved as in {@code prim0}. */
  private static InsnList toInt(Saved v) {
    InsnList c = new InsnList();
    c.add(new VarInsnNode(v.type().getOpcode(Opcodes.ILOAD), v.var()));
    if (v.type().getSort() == Type.FLOAT) {
      c.add(
          new MethodInsnNode(
              Opcodes.INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false));
    }
    return c;
  }

  /** Stores the int from {@code prim0} on the stack into local {@code v.var} as its own type. */
  private static InsnList fromInt(Saved v) {
    InsnList c = new InsnList();
    if (v.type().getSort() == Type.FLOAT) {
      c.add(
          new MethodInsnNode(
              Opcodes.INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false));
    }
    c.add(new VarInsnNode(v.type().getOpcode(Opcodes.ISTORE), v.var()));
    return c;
  }

  /** Stores the saved long on the stack into local {@code v.var} as its own type. */
  private static InsnList fromLong(Saved v) {
    InsnList c = new InsnList();
    switch (v.type().getSort()) {
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
    c.add(new VarInsnNode(v.type().getOpcode(Opcodes.ISTORE), v.var()));
    return c;
  }

  /** Casts the saved reference on the stack and stores it into local {@code v.var}. */
  private InsnList fromObject(Saved v) {
    InsnList c = new InsnList();
    Type cast = castType.apply(v.type());
    if (!cast.getDescriptor().equals(OBJECT_DESC)) {
      c.add(new TypeInsnNode(Opcodes.CHECKCAST, cast.getInternalName()));
    }
    c.add(new VarInsnNode(Opcodes.ASTORE, v.var()));
    return c;
  }
}
