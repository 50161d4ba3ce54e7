package dev.coroutine.transform;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;

/**
 * A {@link BasicInterpreter} that keeps the precise type of every reference (what a restored value
 * is cast back to) and marks objects created by {@code NEW} as uninitialized until their
 * constructor runs. It does not verify: the input was verified by the compiler. Reference types
 * merge to their common superclass through a {@link ClassHierarchy}, never by loading classes.
 */
final class TypeInterpreter extends BasicInterpreter {
  /** The type of {@code null}: assignable to every reference type. */
  static final Type NULL_TYPE = Type.getObjectType("null");

  static final BasicValue NULL_VALUE = new BasicValue(NULL_TYPE);

  private static final Type OBJECT_TYPE = Type.getObjectType("java/lang/Object");

  /** A value made by {@code NEW} whose constructor has not run yet. */
  static final class Uninitialized extends BasicValue {
    /** The NEW instruction that created it: identifies the object. */
    final TypeInsnNode newInsn;

    Uninitialized(TypeInsnNode newInsn) {
      super(Type.getObjectType(newInsn.desc));
      this.newInsn = newInsn;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Uninitialized && ((Uninitialized) o).newInsn == newInsn;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(newInsn);
    }

    @Override
    public String toString() {
      return "uninitialized " + newInsn.desc;
    }
  }

  /**
   * The reference types a value may have, kept apart where their common supertype is not known yet
   * (a class file that cannot be read): what {@link FrameFacts} compares with the class's own
   * frames.
   */
  static final class Union extends BasicValue {
    /** The possible types; at least two. */
    final Set<Type> members;

    Union(Set<Type> members) {
      super(OBJECT_TYPE);
      this.members = members;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Union && ((Union) o).members.equals(members);
    }

    @Override
    public int hashCode() {
      return members.hashCode();
    }

    @Override
    public String toString() {
      return "one of " + members;
    }
  }

  /**
   * A merge whose common supertype cannot be known (unreadable class files the class's frames say
   * nothing about): harmless while the value is dead, refused where an await must save it.
   */
  static final class Unresolved extends BasicValue {
    /** Why, naming the missing class. */
    final ClassHierarchy.MissingType missing;

    Unresolved(ClassHierarchy.MissingType missing) {
      super(OBJECT_TYPE);
      this.missing = missing;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Unresolved && ((Unresolved) o).missing.type.equals(missing.type);
    }

    @Override
    public int hashCode() {
      return missing.type.hashCode();
    }

    @Override
    public String toString() {
      return "unresolved " + missing.type;
    }
  }

  /** Supertypes for merging. */
  private final ClassHierarchy hierarchy;

  /** True: merges involving unknown classes give a {@link Union} instead of a supertype. */
  private final boolean unions;

  /** True: every merge of different reference types gives a {@link Union}. */
  private final boolean allUnions;

  TypeInterpreter(ClassHierarchy hierarchy) {
    this(hierarchy, false, false);
  }

  /**
   * An interpreter for {@link FrameFacts}: merges involving unknown classes ({@code unions}), or
   * all merges of reference types ({@code allUnions}), keep their members apart.
   */
  TypeInterpreter(ClassHierarchy hierarchy, boolean unions, boolean allUnions) {
    super(Protocol.ASM_API);
    this.hierarchy = hierarchy;
    this.unions = unions || allUnions;
    this.allUnions = allUnions;
  }

  static boolean isReference(BasicValue v) {
    Type t = v.getType();
    return t != null && (t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY);
  }

  @Override
  public BasicValue newValue(Type type) {
    if (type != null && (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY)) {
      return new BasicValue(type);
    }
    return super.newValue(type);
  }

  @Override
  public BasicValue newOperation(AbstractInsnNode insn) throws AnalyzerException {
    switch (insn.getOpcode()) {
      case Opcodes.ACONST_NULL:
        return NULL_VALUE;
      case Opcodes.NEW:
        return new Uninitialized((TypeInsnNode) insn);
      case Opcodes.GETSTATIC:
        return newValue(Type.getType(((FieldInsnNode) insn).desc));
      case Opcodes.LDC:
        Object c = ((LdcInsnNode) insn).cst;
        if (c instanceof String) {
          return newValue(Type.getObjectType("java/lang/String"));
        } else if (c instanceof Type) {
          int sort = ((Type) c).getSort();
          return newValue(
              Type.getObjectType(
                  sort == Type.METHOD ? "java/lang/invoke/MethodType" : "java/lang/Class"));
        } else if (c instanceof Handle) {
          return newValue(Type.getObjectType("java/lang/invoke/MethodHandle"));
        } else if (c instanceof org.objectweb.asm.ConstantDynamic) {
          return newValue(Type.getType(((org.objectweb.asm.ConstantDynamic) c).getDescriptor()));
        }
        return super.newOperation(insn);
      default:
        return super.newOperation(insn);
    }
  }

  @Override
  public BasicValue copyOperation(AbstractInsnNode insn, BasicValue value) {
    return value;
  }

  @Override
  public BasicValue unaryOperation(AbstractInsnNode insn, BasicValue value)
      throws AnalyzerException {
    switch (insn.getOpcode()) {
      case Opcodes.CHECKCAST:
        return newValue(Type.getObjectType(((TypeInsnNode) insn).desc));
      case Opcodes.GETFIELD:
        return newValue(Type.getType(((FieldInsnNode) insn).desc));
      case Opcodes.ANEWARRAY:
        return newValue(Type.getType("[" + Type.getObjectType(((TypeInsnNode) insn).desc)));
      case Opcodes.NEWARRAY:
        return newValue(Type.getType("[" + primitiveArrayElement(((IntInsnNode) insn).operand)));
      default:
        return super.unaryOperation(insn, value);
    }
  }

  private static String primitiveArrayElement(int operand) {
    switch (operand) {
      case Opcodes.T_BOOLEAN:
        return "Z";
      case Opcodes.T_CHAR:
        return "C";
      case Opcodes.T_BYTE:
        return "B";
      case Opcodes.T_SHORT:
        return "S";
      case Opcodes.T_INT:
        return "I";
      case Opcodes.T_FLOAT:
        return "F";
      case Opcodes.T_DOUBLE:
        return "D";
      default:
        return "J";
    }
  }

  @Override
  public BasicValue binaryOperation(AbstractInsnNode insn, BasicValue value1, BasicValue value2)
      throws AnalyzerException {
    if (insn.getOpcode() == Opcodes.AALOAD) {
      if (value1 instanceof Union) {
        return elementsOf((Union) value1); // FrameFacts: what the element may be, member by member
      }
      Type array = value1.getType();
      if (array != null && array.getSort() == Type.ARRAY) {
        return newValue(Type.getType(array.getDescriptor().substring(1)));
      }
      if (NULL_TYPE.equals(array)) {
        // as the verifier: the element of a null array is null. Not Object: the analysis may reach
        // the load first with only the null that initialised the array's local, and an Object
        // result would stay in every later merge there
        return NULL_VALUE;
      }
      return newValue(OBJECT_TYPE);
    }
    return super.binaryOperation(insn, value1, value2);
  }

  /** The element of an array that is one of {@code arrays}' members: their element types. */
  private BasicValue elementsOf(Union arrays) {
    Set<Type> elements = new LinkedHashSet<>();
    for (Type t : arrays.members) {
      Type element =
          t.getSort() == Type.ARRAY ? Type.getType(t.getDescriptor().substring(1)) : null;
      if (element == null
          || (element.getSort() != Type.OBJECT && element.getSort() != Type.ARRAY)) {
        return newValue(OBJECT_TYPE);
      }
      elements.add(element);
    }
    return elements.size() == 1 ? newValue(elements.iterator().next()) : new Union(elements);
  }

  @Override
  public BasicValue naryOperation(AbstractInsnNode insn, List<? extends BasicValue> values)
      throws AnalyzerException {
    switch (insn.getOpcode()) {
      case Opcodes.MULTIANEWARRAY:
        return newValue(Type.getType(((MultiANewArrayInsnNode) insn).desc));
      case Opcodes.INVOKEDYNAMIC:
        return newValue(Type.getReturnType(((InvokeDynamicInsnNode) insn).desc));
      default:
        return newValue(Type.getReturnType(((MethodInsnNode) insn).desc));
    }
  }

  @Override
  public BasicValue merge(BasicValue v, BasicValue w) {
    if (v.equals(w)) {
      return v;
    }
    if (v instanceof Uninitialized || w instanceof Uninitialized) {
      return BasicValue.UNINITIALIZED_VALUE;
    }
    if (!isReference(v) || !isReference(w)) {
      return BasicValue.UNINITIALIZED_VALUE;
    }
    if (v.getType().equals(NULL_TYPE)) {
      return w;
    }
    if (w.getType().equals(NULL_TYPE)) {
      return v;
    }
    if (unions
        && (allUnions || v instanceof Union || w instanceof Union || !isKnown(v) || !isKnown(w))) {
      Set<Type> members = new LinkedHashSet<>();
      addMembers(members, v);
      addMembers(members, w);
      return members.size() == 1 ? newValue(members.iterator().next()) : new Union(members);
    }
    if (v instanceof Unresolved) {
      return v;
    }
    if (w instanceof Unresolved) {
      return w;
    }
    try {
      return newValue(mergeReferenceTypes(v.getType(), w.getType()));
    } catch (ClassHierarchy.MissingType e) {
      // arrays of unknown elements teach FrameFacts nothing; elsewhere: fine unless saved
      return unions ? newValue(OBJECT_TYPE) : new Unresolved(e);
    }
  }

  private boolean isKnown(BasicValue v) {
    Type t = v.getType();
    return t.getSort() != Type.OBJECT || hierarchy.isKnown(t.getInternalName());
  }

  private static void addMembers(Set<Type> members, BasicValue v) {
    if (v instanceof Union) {
      members.addAll(((Union) v).members);
    } else {
      members.add(v.getType());
    }
  }

  private Type mergeReferenceTypes(Type a, Type b) {
    if (a.equals(b)) {
      return a;
    }
    if (a.getSort() == Type.OBJECT && b.getSort() == Type.OBJECT) {
      return Type.getObjectType(
          hierarchy.commonSuperClass(a.getInternalName(), b.getInternalName()));
    }
    if (a.getSort() == Type.ARRAY && b.getSort() == Type.ARRAY) {
      Type ca = Type.getType(a.getDescriptor().substring(1));
      Type cb = Type.getType(b.getDescriptor().substring(1));
      boolean refA = ca.getSort() == Type.OBJECT || ca.getSort() == Type.ARRAY;
      boolean refB = cb.getSort() == Type.OBJECT || cb.getSort() == Type.ARRAY;
      if (refA && refB) {
        return Type.getType("[" + mergeReferenceTypes(ca, cb).getDescriptor());
      }
    }
    return OBJECT_TYPE;
  }
}
