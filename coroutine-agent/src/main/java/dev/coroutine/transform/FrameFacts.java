package dev.coroutine.transform;

import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Learns what a method's own stack-map frames say: where a value of class X reaches a slot the
 * frame declares as T, X is assignable to T (the JVM verified exactly that when it accepted the
 * class). For a class whose class file cannot be read, that is all the rewrite knows of its
 * supertypes ({@link ClassHierarchy#declare}); for every class, it is what the rewrite may rely on
 * when it merges types ({@link ClassHierarchy#rely}), so the rewritten code names no superclass the
 * compiler's did not.
 *
 * <p>Needs the method's frames expanded ({@code ClassReader.EXPAND_FRAMES}) and still in place.
 */
final class FrameFacts {
  private FrameFacts() {}

  /**
   * Records in {@code hierarchy} every supertype the frames of {@code m} declare for unknown
   * classes; does nothing when every class {@code m} handles can be read.
   */
  static void learn(String owner, MethodNode m, ClassHierarchy hierarchy) {
    if (!hasFrames(m)) {
      return;
    }
    boolean unknown = handlesUnknownClass(owner, m, hierarchy);
    Frame<BasicValue>[] frames;
    try {
      frames =
          new MethodAnalysis.TypeAnalyzer(new TypeInterpreter(hierarchy, unknown, true))
              .analyze(owner, m);
    } catch (AnalyzerException | org.objectweb.asm.LimitExceededException e) {
      return; // the rewrite's own analysis reports what is wrong, for this method
    }
    for (int i = 0; i < frames.length; i++) {
      AbstractInsnNode insn = m.instructions.get(i);
      if (frames[i] == null || !(insn instanceof FrameNode)) {
        continue;
      }
      FrameNode declared = (FrameNode) insn;
      if (declared.type != Opcodes.F_NEW) {
        continue;
      }
      Frame<BasicValue> f = frames[i];
      int slot = 0;
      for (Object d : declared.local == null ? List.of() : declared.local) {
        if (slot < f.getLocals()) {
          learn(hierarchy, f.getLocal(slot), d);
        }
        slot += d == Opcodes.LONG || d == Opcodes.DOUBLE ? 2 : 1;
      }
      int depth = 0;
      for (Object d : declared.stack == null ? List.of() : declared.stack) {
        if (depth < f.getStackSize()) {
          learn(hierarchy, f.getStack(depth), d);
        }
        depth++;
      }
    }
  }

  private static void learn(ClassHierarchy hierarchy, BasicValue value, Object declared) {
    if (!(declared instanceof String)) {
      return;
    }
    Type to = Type.getObjectType((String) declared);
    if (value instanceof TypeInterpreter.Union) {
      for (Type t : ((TypeInterpreter.Union) value).members) {
        learn(hierarchy, t, to);
      }
    } else if (value != null && value.getType() != null) {
      learn(hierarchy, value.getType(), to);
    }
  }

  private static void learn(ClassHierarchy hierarchy, Type type, Type to) {
    if (to.getSort() == Type.ARRAY) {
      // arrays are covariant: an X[] in a slot declared T[] relies on X being a T
      if (type.getSort() == Type.ARRAY && type.getDimensions() == to.getDimensions()) {
        learn(hierarchy, type.getElementType(), to.getElementType());
      }
      return;
    }
    if (type.getSort() != Type.OBJECT || to.getSort() != Type.OBJECT) {
      return;
    }
    String name = type.getInternalName();
    if (!hierarchy.isKnown(name)) {
      hierarchy.declare(name, to.getInternalName());
    }
    hierarchy.rely(name, to.getInternalName());
  }

  /** True if the method has stack-map frames (a method without branches may have none). */
  private static boolean hasFrames(MethodNode m) {
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i instanceof FrameNode) {
        return true;
      }
    }
    return false;
  }

  /** True if some class whose values {@code m} may hold has an unreadable class file. */
  private static boolean handlesUnknownClass(String owner, MethodNode m, ClassHierarchy h) {
    if (!h.isKnown(owner) || !known(Type.getMethodType(m.desc), h)) {
      return true;
    }
    for (TryCatchBlockNode t : m.tryCatchBlocks) {
      if (t.type != null && !h.isKnown(t.type)) {
        return true;
      }
    }
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      boolean known = true;
      if (i instanceof MethodInsnNode) {
        known = known(Type.getReturnType(((MethodInsnNode) i).desc), h);
      } else if (i instanceof InvokeDynamicInsnNode) {
        known = known(Type.getReturnType(((InvokeDynamicInsnNode) i).desc), h);
      } else if (i instanceof FieldInsnNode) {
        known = known(Type.getType(((FieldInsnNode) i).desc), h);
      } else if (i instanceof TypeInsnNode) {
        known = known(Type.getObjectType(((TypeInsnNode) i).desc), h);
      } else if (i instanceof FrameNode) {
        FrameNode f = (FrameNode) i;
        known = knownEntries(f.local, h) && knownEntries(f.stack, h);
      }
      if (!known) {
        return true;
      }
    }
    return false;
  }

  private static boolean knownEntries(List<Object> entries, ClassHierarchy h) {
    if (entries != null) {
      for (Object e : entries) {
        if (e instanceof String && !known(Type.getObjectType((String) e), h)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean known(Type t, ClassHierarchy h) {
    switch (t.getSort()) {
      case Type.OBJECT:
        return h.isKnown(t.getInternalName());
      case Type.ARRAY:
        return known(t.getElementType(), h);
      case Type.METHOD:
        for (Type a : t.getArgumentTypes()) {
          if (!known(a, h)) {
            return false;
          }
        }
        return known(t.getReturnType(), h);
      default:
        return true;
    }
  }
}
