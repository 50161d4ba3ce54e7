package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * An object under construction cannot be saved across a suspension: {@code new T(await(x))} has the
 * uninitialized {@code T} on the operand stack at the await. For every such object this pass turns
 * {@code NEW T} into a {@code null} placeholder (which can be saved), and at its constructor call
 * builds the real object ({@code NEW T; DUP; args; <init>}) and puts it wherever a copy of the
 * placeholder is — on the operand stack, however deep, and in local variables. It therefore handles
 * javac's {@code NEW; DUP} as well as shapes other tools emit (the object duplicated more than
 * once, or kept in a local).
 *
 * <p>Class initialization stays where plain Java has it: {@code NEW T} initializes {@code T} (JVMS
 * 5.5) before the arguments are evaluated, so the placeholder is preceded by {@code
 * MethodHandles.lookup().ensureInitialized(T.class)}, which initializes {@code T} there without
 * allocating, and throws what {@code NEW} would ({@code ExceptionInInitializerError}, then {@code
 * NoClassDefFoundError}). Classes of {@code java.*} and the method's own class are left out: the
 * first have no initialization a program can observe the order of, the second is initialized before
 * its code runs.
 */
final class ConstructionRewrite {
  private ConstructionRewrite() {}

  /** Rewrites {@code m}; returns false if no object under construction crosses an await. */
  static boolean apply(String owner, MethodNode m, MethodAnalysis a) {
    Set<TypeInsnNode> news = new LinkedHashSet<>();
    for (int i = 0; i < m.instructions.size(); i++) {
      AbstractInsnNode insn = m.instructions.get(i);
      Frame<BasicValue> f = a.frames[i];
      if (f == null
          || !(insn instanceof MethodInsnNode)
          || !AsyncMethodRewriter.isAwait((MethodInsnNode) insn)) {
        continue;
      }
      for (int j = 0; j < f.getLocals(); j++) {
        if (f.getLocal(j) instanceof TypeInterpreter.Uninitialized && a.liveIn[i].get(j)) {
          news.add(((TypeInterpreter.Uninitialized) f.getLocal(j)).newInsn);
        }
      }
      for (int j = 0; j < f.getStackSize(); j++) {
        if (f.getStack(j) instanceof TypeInterpreter.Uninitialized) {
          news.add(((TypeInterpreter.Uninitialized) f.getStack(j)).newInsn);
        }
      }
    }
    if (news.isEmpty()) {
      return false;
    }
    List<Runnable> edits = new ArrayList<>();
    for (int i = 0; i < m.instructions.size(); i++) {
      AbstractInsnNode insn = m.instructions.get(i);
      Frame<BasicValue> f = a.frames[i];
      if (f == null
          || insn.getOpcode() != Opcodes.INVOKESPECIAL
          || !((MethodInsnNode) insn).name.equals("<init>")) {
        continue;
      }
      MethodInsnNode init = (MethodInsnNode) insn;
      int receiver = f.getStackSize() - 1 - Type.getArgumentTypes(init.desc).length;
      BasicValue r = f.getStack(receiver);
      if (r instanceof TypeInterpreter.Uninitialized
          && news.contains(((TypeInterpreter.Uninitialized) r).newInsn)) {
        InsnList code = construct(m, f, init, receiver, news);
        edits.add(
            () -> {
              m.instructions.insertBefore(init, code);
              m.instructions.remove(init);
            });
      }
    }
    for (TypeInsnNode n : news) {
      edits.add(
          () -> {
            m.instructions.insertBefore(n, initialize(owner, n.desc));
            m.instructions.set(n, new InsnNode(Opcodes.ACONST_NULL));
          });
    }
    edits.forEach(Runnable::run);
    // two more words at most: NEW; DUP at a constructor call where the object had one copy on the
    // stack (the others in locals), and the class pushed to initialize it where NEW pushed one
    m.maxStack += 2;
    return true;
  }

  /** Initializes class {@code type} as {@code NEW type} would, without allocating. */
  private static InsnList initialize(String owner, String type) {
    InsnList c = new InsnList();
    if (type.equals(owner) || type.startsWith("java/")) {
      return c;
    }
    c.add(
        new MethodInsnNode(
            Opcodes.INVOKESTATIC,
            "java/lang/invoke/MethodHandles",
            "lookup",
            "()Ljava/lang/invoke/MethodHandles$Lookup;",
            false));
    c.add(new LdcInsnNode(Type.getObjectType(type)));
    c.add(
        new MethodInsnNode(
            Opcodes.INVOKEVIRTUAL,
            "java/lang/invoke/MethodHandles$Lookup",
            "ensureInitialized",
            "(Ljava/lang/Class;)Ljava/lang/Class;",
            false));
    c.add(new InsnNode(Opcodes.POP));
    return c;
  }

  /**
   * The code replacing one constructor call: spill the stack down to the deepest copy of the
   * placeholder, construct, store the object into locals holding copies, rebuild the stack.
   */
  private static InsnList construct(
      MethodNode m,
      Frame<BasicValue> f,
      MethodInsnNode init,
      int receiver,
      Set<TypeInsnNode> news) {
    BasicValue r = f.getStack(receiver);
    int deepest = receiver;
    for (int j = 0; j < receiver; j++) {
      if (r.equals(f.getStack(j))) {
        deepest = j;
        break;
      }
    }
    int top = f.getStackSize() - 1;
    int[] temps = new int[top + 1];
    InsnList c = new InsnList();
    for (int j = top; j >= deepest; j--) {
      BasicValue v = f.getStack(j);
      if (isPlaceholder(v, news)) {
        c.add(new InsnNode(Opcodes.POP));
        continue;
      }
      temps[j] = m.maxLocals;
      m.maxLocals += v.getSize();
      c.add(new VarInsnNode(v.getType().getOpcode(Opcodes.ISTORE), temps[j]));
    }
    c.add(new TypeInsnNode(Opcodes.NEW, Type.getObjectType(init.owner).getInternalName()));
    c.add(new InsnNode(Opcodes.DUP));
    for (int j = receiver + 1; j <= top; j++) {
      c.add(load(f.getStack(j), temps[j], news));
    }
    c.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, init.owner, init.name, init.desc, init.itf));
    int object = m.maxLocals++;
    c.add(new VarInsnNode(Opcodes.ASTORE, object));
    for (int j = 0; j < f.getLocals(); j++) {
      if (r.equals(f.getLocal(j))) {
        c.add(new VarInsnNode(Opcodes.ALOAD, object));
        c.add(new VarInsnNode(Opcodes.ASTORE, j));
      }
    }
    for (int j = deepest; j < receiver; j++) {
      if (r.equals(f.getStack(j))) {
        c.add(new VarInsnNode(Opcodes.ALOAD, object));
      } else {
        c.add(load(f.getStack(j), temps[j], news));
      }
    }
    return c;
  }

  private static AbstractInsnNode load(BasicValue v, int temp, Set<TypeInsnNode> news) {
    if (isPlaceholder(v, news)) {
      return new InsnNode(Opcodes.ACONST_NULL);
    }
    return new VarInsnNode(v.getType().getOpcode(Opcodes.ILOAD), temp);
  }

  private static boolean isPlaceholder(BasicValue v, Set<TypeInsnNode> news) {
    return v instanceof TypeInterpreter.Uninitialized
        && news.contains(((TypeInterpreter.Uninitialized) v).newInsn);
  }
}
