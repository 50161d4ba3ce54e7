package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The lambda bodies of one class: the implementation methods of the class's own {@code
 * LambdaMetafactory} call sites, each with the method holding the call site. Found by what they
 * are, never by name or flags, which differ by compiler: javac's {@code lambda$outer$0} is
 * synthetic, ECJ's is {@code lambda$0}, Kotlin's {@code outer$lambda$0} is not synthetic. A method
 * reference to a method of the same class makes that method a lambda body too: it is the code the
 * functional object runs. Only the names diagnostics show depend on the compiler's naming.
 */
final class LambdaBodies {
  private static final String METAFACTORY = "java/lang/invoke/LambdaMetafactory";

  /** Name + descriptor of each lambda body to the method holding its (first) call site. */
  private final Map<String, MethodNode> enclosing;

  /** The class, read again only for {@link #referenced}. */
  private final ClassNode cn;

  /**
   * Name + descriptor of each method of the class its own code calls or takes a handle of; made on
   * first use, which only a method that awaits without being a coroutine needs (rare: the agent
   * transforms every class that mentions await).
   */
  private Set<String> referenced;

  private LambdaBodies(ClassNode cn, Map<String, MethodNode> enclosing) {
    this.cn = cn;
    this.enclosing = enclosing;
  }

  static LambdaBodies of(ClassNode cn) {
    Map<String, MethodNode> enclosing = new HashMap<>();
    for (MethodNode m : cn.methods) {
      for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
        if (i instanceof InvokeDynamicInsnNode) {
          InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) i;
          // metafactory and altMetafactory both take (samType, implementation, instantiatedType)
          if (indy.bsm.getOwner().equals(METAFACTORY)
              && indy.bsmArgs.length >= 2
              && indy.bsmArgs[1] instanceof Handle) {
            Handle impl = (Handle) indy.bsmArgs[1];
            if (impl.getOwner().equals(cn.name)) {
              enclosing.putIfAbsent(impl.getName() + impl.getDesc(), m);
            }
          }
        }
      }
    }
    return new LambdaBodies(cn, enclosing);
  }

  private static Set<String> referencedIn(ClassNode cn) {
    Set<String> referenced = new HashSet<>();
    for (MethodNode m : cn.methods) {
      for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
        if (i instanceof MethodInsnNode && ((MethodInsnNode) i).owner.equals(cn.name)) {
          referenced.add(((MethodInsnNode) i).name + ((MethodInsnNode) i).desc);
        } else if (i instanceof LdcInsnNode && ((LdcInsnNode) i).cst instanceof Handle) {
          Handle h = (Handle) ((LdcInsnNode) i).cst;
          referenced.add(h.getName() + h.getDesc());
        } else if (i instanceof InvokeDynamicInsnNode) {
          for (Object arg : ((InvokeDynamicInsnNode) i).bsmArgs) {
            if (arg instanceof Handle) {
              referenced.add(((Handle) arg).getName() + ((Handle) arg).getDesc());
            }
          }
        }
      }
    }
    return referenced;
  }

  /**
   * True if {@code m} is a private method the compiler made that nothing in its class calls or
   * takes a handle of: the body of a lambda whose call site the compiler dropped as dead code
   * (javac keeps {@code lambda$m$0} of an {@code if (DEBUG)} block whose constant is false, and of
   * code after {@code if (true) return}; kotlinc its {@code m$lambda$0}, which is not synthetic;
   * scalac its {@code $anonfun$m$1} after {@code ???}, which is public). No one can run it, so it
   * is left as it is. Compiler-made: synthetic, or named as javac, ECJ, kotlinc or scalac name
   * lambda bodies (a private method the user wrote and never calls that awaits is still refused).
   */
  boolean isUnreachableCompilerMade(MethodNode m) {
    boolean compilerMade = (m.access & Opcodes.ACC_SYNTHETIC) != 0 || namedAsALambdaBody(m.name);
    // scalac's bodies are public static, for lambda deserialization: no caller outside needs them
    boolean classOnly = (m.access & Opcodes.ACC_PRIVATE) != 0 || m.name.startsWith("$anonfun$");
    if (!compilerMade || !classOnly) {
      return false;
    }
    return !isReferenced(m);
  }

  /**
   * javac's {@code lambda$m$0}, ECJ's {@code lambda$0}, kotlinc's {@code m$lambda$0} (before 1.8
   * {@code m$lambda-0}), scalac's {@code $anonfun$m$1}.
   */
  private static boolean namedAsALambdaBody(String name) {
    return name.startsWith("lambda$")
        || name.contains("$lambda$")
        || name.contains("$lambda-")
        || name.startsWith("$anonfun$");
  }

  /**
   * True if {@code m} is named as a compiler names the body of a lambda and its class calls it or
   * names it otherwise than at a {@code LambdaMetafactory} call site: scalac's {@code -opt:local}
   * turns a local function value's calls into calls of its body; Scala 3's {@code
   * $deserializeLambda$} names the body of a lambda whose call site was dead code. Such a body that
   * returns Coroutine and awaits is an async lambda all the same.
   */
  boolean isLambdaBodyUsedOtherwise(MethodNode m) {
    if (!namedAsALambdaBody(m.name)) {
      return false;
    }
    return isReferenced(m);
  }

  /** True if the class's own code calls {@code m} or takes a handle of it. */
  private boolean isReferenced(MethodNode m) {
    if (referenced == null) {
      referenced = referencedIn(cn);
    }
    return referenced.contains(m.name + m.desc);
  }

  /** True if {@code m} is the implementation method of a lambda of its own class. */
  boolean contains(MethodNode m) {
    return enclosing.containsKey(m.name + m.desc);
  }

  /** {@code m}, then the method holding its call site if it is a lambda body, and so on out. */
  List<MethodNode> enclosingChain(MethodNode m) {
    List<MethodNode> chain = new ArrayList<>();
    // bounded: a lambda cannot (transitively) enclose itself, but a crafted class file could
    for (MethodNode at = m; at != null && chain.size() < 16 && !chain.contains(at); ) {
      chain.add(at);
      at = enclosing.get(at.name + at.desc);
    }
    return chain;
  }

  /**
   * How diagnostics name {@code m}: {@code "lambda in outer"} for a compiler-made lambda body
   * (through nested lambdas to the method the user wrote), else the method's own name (a method the
   * user wrote and used as a method reference keeps it).
   */
  String displayName(MethodNode m) {
    MethodNode at = m;
    // bounded: a lambda cannot (transitively) enclose itself, but a crafted class file could
    for (int depth = 0; depth < 16 && isCompilerMade(at); depth++) {
      at = enclosing.get(at.name + at.desc);
    }
    return at == m ? m.name : "lambda in " + at.name;
  }

  /** A lambda body the compiler made (synthetic, or named so by Kotlin), not a user's method. */
  private boolean isCompilerMade(MethodNode m) {
    return contains(m) && ((m.access & Opcodes.ACC_SYNTHETIC) != 0 || m.name.contains("lambda$"));
  }
}
