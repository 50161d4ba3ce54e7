package dev.coroutine.transform;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * Checks a body that restores a value as a supertype of its own type. A value may have a type the
 * rewritten class cannot name (a package-private class of another package, returned by a public
 * method); a restore can only cast it to the nearest supertype the class may name. If the code
 * after the await then uses the value as its own type (passes it where that class is expected), the
 * JVM would reject the class with a {@code VerifyError}; the method is refused instead, naming the
 * type and the use. Run only for such bodies: the verifier reads the class hierarchy through the
 * same class files as the rest of the transformer and never loads a class.
 */
final class NarrowedRestoreCheck {
  private NarrowedRestoreCheck() {}

  /**
   * Verifies {@code body}, whose restores cast the types {@code narrowed} to supertypes.
   *
   * @throws Refusal if a restored value is used as a type its cast lost, at the use
   */
  static void verify(String owner, MethodNode body, ClassHierarchy h, Set<Type> narrowed)
      throws Refusal {
    int maxLocals = Type.getArgumentsAndReturnSizes(body.desc) >> 2;
    for (AbstractInsnNode insn : body.instructions) {
      if (insn instanceof VarInsnNode v) {
        maxLocals = Math.max(maxLocals, v.var + 2); // room for a long or double
      } else if (insn instanceof IincInsnNode v) {
        maxLocals = Math.max(maxLocals, v.var + 1);
      }
    }
    int savedLocals = body.maxLocals;
    int savedStack = body.maxStack;
    body.maxLocals = maxLocals;
    body.maxStack = savedStack + 32; // the save calls' arguments, on an emptied stack
    try {
      new Analyzer<>(new HierarchyVerifier(owner, h)).analyze(owner, body);
    } catch (AnalyzerException e) {
      String types =
          narrowed.stream().map(t -> t.getClassName()).sorted().collect(Collectors.joining(", "));
      String namedByTheUse = memberOwner(e.node);
      if (namedByTheUse != null && narrowed.contains(Type.getObjectType(namedByTheUse))) {
        // the use itself names the class (javac's call on a conditional of two classes whose
        // common superclass is not public): the original code fails at run time too
        throw new Refusal(
            "a value of type "
                + namedByTheUse.replace('/', '.')
                + " is used through that class, which "
                + owner.replace('/', '.')
                + " cannot access: the JVM refuses this "
                + (e.node instanceof FieldInsnNode ? "field access" : "call")
                + " with IllegalAccessError even"
                + " without an await (javac compiles it for a conditional or var whose types'"
                + " common superclass is not public; the Eclipse compiler refuses it); give the"
                + " value a public type, a declared local or a cast ("
                + e.getMessage()
                + ")",
            e.node);
      }
      throw new Refusal(
          "a value of type "
              + types
              + " (which "
              + owner.replace('/', '.')
              + " cannot name) is live across an await and used as that type after it, but a"
              + " resumed coroutine can only restore it as a supertype this class can name: keep"
              + " it in a local of a public supertype or interface, or make the class accessible;"
              + " where it waits on the operand stack under the await (an argument computed"
              + " before an awaited one, as in `use(make(), await(x))`), await first into a local"
              + " (`var v = await(x); use(make(), v);`) ("
              + e.getMessage()
              + ")",
          e.node);
    } finally {
      body.maxLocals = savedLocals;
      body.maxStack = savedStack;
    }
  }

  /** The class a field or method instruction names as its member's owner, else null. */
  private static String memberOwner(AbstractInsnNode insn) {
    if (insn instanceof MethodInsnNode m) {
      return m.owner;
    }
    return insn instanceof FieldInsnNode f ? f.owner : null;
  }

  /** ASM's verifier with assignability from the transformer's class hierarchy. */
  private static final class HierarchyVerifier extends SimpleVerifier {
    private final ClassHierarchy h;

    HierarchyVerifier(String owner, ClassHierarchy h) {
      super(
          Protocol.ASM_API,
          Type.getObjectType(owner),
          superOf(owner, h),
          List.of(),
          h.isInterface(owner));
      this.h = h;
    }

    private static Type superOf(String owner, ClassHierarchy h) {
      String s = h.superName(owner);
      return s == null ? null : Type.getObjectType(s);
    }

    @Override
    protected boolean isInterface(Type type) {
      return type.getSort() == Type.OBJECT && h.isInterface(type.getInternalName());
    }

    @Override
    protected Type getSuperClass(Type type) {
      if (type.getSort() == Type.ARRAY) {
        return Type.getObjectType("java/lang/Object");
      }
      return superOf(type.getInternalName(), h);
    }

    /** The JVM verifier's rule (JVMS 4.10.1.2): any reference goes where an interface does. */
    @Override
    protected boolean isAssignableFrom(Type to, Type from) {
      if (to.equals(from)) {
        return true;
      }
      if (to.getSort() == Type.OBJECT) {
        String t = to.getInternalName();
        if (t.equals("java/lang/Object") || isInterface(to)) {
          return true;
        }
        if (from.getSort() != Type.OBJECT) {
          return false; // an array to a class other than Object
        }
        String f = from.getInternalName();
        // a class neither class files nor frames tell about: the JVM would load it; not ours
        return !h.isKnown(f) || !h.isKnown(t) || h.isAssignable(t, f);
      }
      if (to.getSort() == Type.ARRAY && from.getSort() == Type.ARRAY) {
        Type te = to.getElementType();
        Type fe = from.getElementType();
        int td = to.getDimensions();
        int fd = from.getDimensions();
        if (td == fd) {
          return te.getSort() == Type.OBJECT && fe.getSort() == Type.OBJECT
              ? isAssignableFrom(te, fe)
              : te.equals(fe);
        }
        if (td < fd && te.getSort() == Type.OBJECT) {
          String t = te.getInternalName(); // an array of arrays to an array of Object-likes
          return t.equals("java/lang/Object")
              || t.equals("java/lang/Cloneable")
              || t.equals("java/io/Serializable");
        }
        return false;
      }
      return false;
    }

    /** Without ASM's fallback to loading the expected class when assignability says no. */
    @Override
    protected boolean isSubTypeOf(BasicValue value, BasicValue expected) {
      Type to = expected.getType();
      Type from = value.getType();
      if (to.getSort() != Type.OBJECT && to.getSort() != Type.ARRAY) {
        return super.isSubTypeOf(value, expected);
      }
      if (from == null || from.getSort() != Type.OBJECT && from.getSort() != Type.ARRAY) {
        return false;
      }
      return from.equals(NULL_TYPE) || isAssignableFrom(to, from);
    }

    @Override
    protected Class<?> getClass(Type type) {
      throw new IllegalStateException("the check never loads a class: " + type);
    }
  }
}
