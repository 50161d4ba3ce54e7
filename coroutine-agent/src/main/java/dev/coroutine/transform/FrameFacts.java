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
 * Learns what a method's own stack-map frames say about classes whose class files cannot be read:
 * where a value of such a class X reaches a slot the frame declares as T, X is assignable to T (the
 * JVM verified exactly that when it accepted the class). The rewrite then merges X with other types
 * through T, as the compiler did, instead of guessing.
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
    if (!handlesUnknownClass(owner, m, hierarchy)) {
      return;
    }
    Frame<BasicValue>[] frames;
    try {
      frames =
          new MethodAnalysis.TypeAnalyzer(new TypeInterpreter(hierarchy, true)).analyze(owner, m);
    } catch (AnalyzerException e) {
      return; // the rewrite's own analysis reports what is wrong
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
    if (!(declared instanceof String) || ((String) declared).startsWith("[")) {
      return;
    }
    String to = (String) declared;
    if (value instanceof TypeInterpreter.Union) {
      for (Type t : ((TypeInterpreter.Union) value).members) {
        learn(hierarchy, t, to);
      }
    } else if (value != null && value.getType() != null) {
      learn(hierarchy, value.getType(), to);
    }
  }

  private static void learn(ClassHierarchy hierarchy, Type type, String to) {
    if (type.getSort() == Type.OBJECT && !hierarchy.isKnown(type.getInternalName())) {
      hierarchy.declare(type.getInternalName(), to);
    }
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
