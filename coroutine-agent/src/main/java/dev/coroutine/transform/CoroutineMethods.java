package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Decides which methods of a class are coroutines to rewrite, and finds every misuse that must be
 * refused: {@code @Async} where it cannot work, {@code await} outside a coroutine or inside a
 * {@code synchronized} block, and method references to {@code await}.
 */
final class CoroutineMethods {
  private CoroutineMethods() {}

  /** A misuse found: the message and the instruction it is at (null: the method's first line). */
  record Problem(MethodNode method, String message, AbstractInsnNode at) {}

  /**
   * True for a method the user annotated {@code @Async}. A bridge method is never one: javac and
   * ECJ copy the annotation onto the bridges they generate for a generic or covariant override, and
   * a bridge only forwards (with a cast) to the user's method, which is the coroutine.
   */
  static boolean isAnnotatedAsync(MethodNode m) {
    return (m.access & Opcodes.ACC_BRIDGE) == 0
        && (hasAnnotation(m.visibleAnnotations) || hasAnnotation(m.invisibleAnnotations));
  }

  private static boolean hasAnnotation(List<AnnotationNode> list) {
    return hasAnnotation(list, Protocol.ASYNC_DESC);
  }

  /** True if {@code list} (null: none) holds an annotation of type {@code desc}. */
  static boolean hasAnnotation(List<AnnotationNode> list, String desc) {
    if (list != null) {
      for (AnnotationNode a : list) {
        if (a.desc.equals(desc)) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean returnsCoroutine(MethodNode m) {
    return Type.getReturnType(m.desc).getDescriptor().equals(Protocol.COROUTINE_DESC);
  }

  /**
   * A lambda body (of whichever compiler) that returns Coroutine and awaits: rewritten like an
   * {@code @Async} method.
   */
  static boolean isAsyncLambda(MethodNode m, LambdaBodies lambdas) {
    return isAsyncLambda(m, lambdas, awaits(m));
  }

  /** As above, given the method's await calls. */
  private static boolean isAsyncLambda(
      MethodNode m, LambdaBodies lambdas, List<MethodInsnNode> awaits) {
    return returnsCoroutine(m)
        && !awaits.isEmpty()
        && (lambdas.contains(m) || lambdas.isLambdaBodyUsedOtherwise(m));
  }

  /**
   * kotlinc's copy of an {@code inline fun <reified T>}: synthetic, and each use of {@code T} is a
   * call to {@code Intrinsics.reifiedOperationMarker}, which throws if the copy is ever run (its
   * callers get the body inlined, with the await, in their own code).
   */
  static boolean isKotlinReifiedInlineCopy(MethodNode m) {
    if ((m.access & Opcodes.ACC_SYNTHETIC) == 0) {
      return false;
    }
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i instanceof MethodInsnNode
          && ((MethodInsnNode) i).owner.equals("kotlin/jvm/internal/Intrinsics")
          && ((MethodInsnNode) i).name.equals("reifiedOperationMarker")) {
        return true;
      }
    }
    return false;
  }

  static List<MethodInsnNode> awaits(MethodNode m) {
    List<MethodInsnNode> list = new ArrayList<>();
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i instanceof MethodInsnNode && AsyncMethodRewriter.isAwait((MethodInsnNode) i)) {
        list.add((MethodInsnNode) i);
      }
    }
    return list;
  }

  /** True if {@code m} is to be rewritten; adds what is wrong with it to {@code problems}. */
  static boolean check(
      MethodNode m,
      String className,
      String sourceFile,
      LambdaBodies lambdas,
      ValueOrigins.Memo origins,
      List<Problem> problems) {
    checkAwaitReferences(m, problems);
    List<MethodInsnNode> awaits = awaits(m); // one pass over the code, used by every check below
    boolean annotated = isAnnotatedAsync(m);
    boolean lambda = !annotated && isAsyncLambda(m, lambdas, awaits);
    if (!annotated && !lambda) {
      if (lambdas.isUnreachableCompilerMade(m)) {
        return false; // a dead lambda's body: never run, so neither rewritten nor refused
      }
      if (isKotlinReifiedInlineCopy(m)) {
        return false; // inlined wherever it is called; this copy cannot run
      }
      for (MethodInsnNode call : awaits) {
        problems.add(new Problem(m, notACoroutine(m, className, sourceFile, lambdas), call));
      }
      return false;
    }
    int before = problems.size();
    if (m.name.equals("<init>") || m.name.equals("<clinit>")) {
      problems.add(
          new Problem(
              m,
              "@Async on a constructor or initializer: constructors cannot suspend; move the"
                  + " asynchronous work into an @Async factory method",
              null));
      return false;
    }
    if (!returnsCoroutine(m)) {
      problems.add(
          new Problem(
              m,
              "@Async method must return dev.coroutine.Coroutine<T>, but returns "
                  + Type.getReturnType(m.desc).getClassName()
                  + "; declare it `Coroutine<T>` and end it with `return done(value);`",
              null));
    }
    if ((m.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
      problems.add(
          new Problem(
              m,
              "@Async method is synchronized: a monitor cannot be held across a suspension;"
                  + " use dev.coroutine.sync.Lock (await(lock.acquire())) instead",
              null));
    }
    if ((m.access & Opcodes.ACC_NATIVE) != 0) {
      problems.add(
          new Problem(
              m,
              "@Async on a native method: it has no body to rewrite; remove @Async, or write the"
                  + " coroutine in Java around the native call",
              null));
    }
    for (AbstractInsnNode r : nullReturns(m, origins)) {
      problems.add(
          new Problem(
              m,
              "`return null;` from a coroutine: awaiting it would fail with"
                  + " NullPointerException; write `return done(null);` to complete with null, or"
                  + " `return done();` in a Coroutine<Void>",
              r));
    }
    for (AbstractInsnNode i : groovyDynamicAwaits(m, className)) {
      {
        problems.add(
            new Problem(
                m,
                "await() called through Groovy's dynamic dispatch (an invokedynamic call site),"
                    + " which cannot suspend: only a direct call of Coroutines.await is rewritten;"
                    + " compile this method or its class with @groovy.transform.CompileStatic",
                i));
      }
    }
    int[] monitors = awaits.isEmpty() ? null : MonitorDepth.of(m);
    for (MethodInsnNode call : awaits) {
      if (monitors[m.instructions.indexOf(call)] > 0) {
        problems.add(
            new Problem(
                m,
                "await inside a synchronized block: a monitor cannot be held across a"
                    + " suspension; use dev.coroutine.sync.Lock (await(lock.acquire())) instead",
                call));
      }
    }
    return problems.size() == before && (m.access & Opcodes.ACC_ABSTRACT) == 0;
  }

  /**
   * The {@code areturn}s of {@code m} whose value is the constant null on every path, unless every
   * such null was written before the method's first line: that is code a tool put around the
   * compiler's (an advice's result variable, null until the body returns), returned as it is only
   * on a path that does not run when the body always throws; refusing it would leave the class
   * unusable.
   */
  private static List<AbstractInsnNode> nullReturns(MethodNode m, ValueOrigins.Memo analyses) {
    List<AbstractInsnNode> found = new ArrayList<>();
    if (!returnsCoroutine(m) || !Insns.contains(m, Opcodes.ACONST_NULL)) {
      return found;
    }
    ValueOrigins origins = analyses.of(m);
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i.getOpcode() == Opcodes.ARETURN
          && origins.isConstantNull(i)
          && !origins.isNullFromBeforeAnyLine(i)) {
        found.add(i);
      }
    }
    return found;
  }

  /**
   * The calls of {@code Coroutines.await(x)} that dynamic Groovy compiled: an {@code invokedynamic}
   * of Groovy's bootstrap naming {@code await}, with one argument and, as the class it is looked up
   * on, the constant {@code Coroutines} (a user's own static {@code await}, or Awaitility's, is
   * left alone).
   */
  private static List<AbstractInsnNode> groovyDynamicAwaits(MethodNode m, String className) {
    List<AbstractInsnNode> candidates = new ArrayList<>();
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i instanceof InvokeDynamicInsnNode) {
        InvokeDynamicInsnNode d = (InvokeDynamicInsnNode) i;
        Type[] args = Type.getArgumentTypes(d.desc);
        if (d.bsm.getOwner().startsWith("org/codehaus/groovy/")
            && d.bsmArgs.length > 0
            && "await".equals(d.bsmArgs[0])
            && args.length == 2
            && args[0].getDescriptor().equals("Ljava/lang/Class;")) {
          candidates.add(i);
        }
      }
    }
    if (candidates.isEmpty()) {
      return candidates;
    }
    Frame<SourceValue>[] frames;
    try {
      frames = new Analyzer<>(new SourceInterpreter()).analyze(className.replace('.', '/'), m);
    } catch (AnalyzerException e) {
      return List.of(); // not analysable here: the rewrite's own checks will say so
    }
    List<AbstractInsnNode> found = new ArrayList<>();
    for (AbstractInsnNode i : candidates) {
      Frame<SourceValue> f = frames[m.instructions.indexOf(i)];
      if (f != null && f.getStackSize() >= 2) {
        SourceValue receiver = f.getStack(f.getStackSize() - 2);
        boolean coroutines = !receiver.insns.isEmpty();
        for (AbstractInsnNode p : receiver.insns) {
          coroutines &=
              p instanceof LdcInsnNode
                  && ((LdcInsnNode) p).cst instanceof Type
                  && ((Type) ((LdcInsnNode) p).cst).getInternalName().equals(Protocol.COROUTINES);
        }
        if (coroutines) {
          found.add(i);
        }
      }
    }
    return found;
  }

  /**
   * What a method that awaits but cannot be a coroutine was made for, if a compiler made it for a
   * construct of the source (its name says so), or null.
   */
  private static String generatedFor(MethodNode m, String className, String sourceFile) {
    if (sourceFile != null && sourceFile.endsWith(".java")) {
      return null; // javac's and ECJ's own are lambdas and accessors, found otherwise
    }
    if (m.name.startsWith("liftedTree")) {
      return "a try expression inside another expression (Scala 2 lifts it into a method; Scala 3"
          + " does not)";
    }
    if (m.name.contains("$lzyINIT") || m.name.contains("$lzycompute")) {
      return "the initializer of a lazy val";
    }
    if (m.name.contains("$anonfun$")) {
      return "a Scala function literal that does not return Coroutine, or one reached through an"
          + " adapter (a lambda with primitive parameters: give them boxed types)";
    }
    if (m.name.equals("doCall") && className.contains("_closure")) {
      return "a Groovy closure (a switch expression's case is one too)";
    }
    if (m.name.equals("doCall") && className.contains("_lambda")) {
      return "a Groovy lambda (compiled as a closure, whose doCall returns Object)";
    }
    if (m.name.endsWith("$default") || m.name.contains("$default$")) {
      return "a parameter's default value (kotlinc and scalac compute it in a method of its own;"
          + " default the parameter to null, say, and await in the method when it is null)";
    }
    return null;
  }

  /**
   * True if {@code m} is the {@code invoke} of a Kotlin lambda or function reference compiled as a
   * class ({@code Outer$f$1}): kotlinc before 2.0 compiles every lambda so, later ones with {@code
   * -Xlambdas=class} or {@code @JvmSerializableLambda}.
   */
  private static boolean isKotlinClassLambda(MethodNode m, String className, String sourceFile) {
    return sourceFile != null
        && sourceFile.endsWith(".kt")
        && m.name.equals("invoke")
        && className.matches(".*\\$[0-9]+");
  }

  private static String notACoroutine(
      MethodNode m, String className, String sourceFile, LambdaBodies lambdas) {
    String simple = className.substring(className.lastIndexOf('.') + 1);
    if (lambdas.contains(m)) {
      return "await() in a lambda that does not return Coroutine: only a lambda returning"
          + " Coroutine<T> can suspend; make the lambda return Coroutine<T> (ending with `return"
          + " done(value);`) or await outside the lambda";
    }
    if (m.name.equals("<init>") || m.name.equals("<clinit>")) {
      // a field initializer's code is in these too; none of them can be annotated or suspend
      return "await() in "
          + (m.name.equals("<init>")
              ? "a constructor or instance initializer of " + simple
              : "a static initializer of " + simple)
          + " (field initializers included), which cannot suspend: await in an @Async method"
          + " (an @Async factory method, for a value the object needs) and pass the result in";
    }
    if (isKotlinClassLambda(m, className, sourceFile)) {
      return "await() in "
          + simple
          + ".invoke, a Kotlin lambda compiled as a class (kotlinc before 2.0, -Xlambdas=class or"
          + " @JvmSerializableLambda), which is not @Async: annotate the lambda itself, `@Async {"
          + " ... }` (kotlinc puts the annotation on its invoke), and make it return"
          + " Coroutine<T>; a function reference such as Coroutines::await cannot suspend";
    }
    String generated = generatedFor(m, className, sourceFile);
    if (generated != null) {
      return "await() in "
          + simple
          + "."
          + m.name
          + ", which the compiler made of "
          + generated
          + ": it cannot suspend there; move the await out of that construct, into the @Async"
          + " method's own code";
    }
    if (m.name.matches(".+_aroundBody[0-9]+")) {
      return "await() in "
          + simple
          + "."
          + m.name
          + ", the body of an @Async method that AspectJ moved out for an around advice (the"
          + " method cannot suspend there): weave after the coroutine rewrite (ajc or the"
          + " aspectjweaver agent after coroutine-maven-plugin or our agent), or keep around"
          + " advice off @Async methods";
    }
    String other = otherAsyncAnnotation(m);
    if (other != null) {
      return "await() in "
          + simple
          + "."
          + m.name
          + ", which is annotated @"
          + other
          + ", not @dev.coroutine.Async (an import of another @Async, as an IDE may pick):"
          + " import dev.coroutine.Async";
    }
    return "await() in "
        + simple
        + "."
        + m.name
        + ", which is not @Async: annotate the method @Async and make it return Coroutine<T>"
        + " (ending with `return done(value);`)";
  }

  /**
   * The name of an annotation of {@code m} called {@code Async} but not ours (Spring's), or null.
   */
  private static String otherAsyncAnnotation(MethodNode m) {
    for (List<AnnotationNode> list :
        List.of(nonNull(m.visibleAnnotations), nonNull(m.invisibleAnnotations))) {
      for (AnnotationNode a : list) {
        String name = Type.getType(a.desc).getClassName();
        if (name.equals("Async") || name.endsWith(".Async") || name.endsWith("$Async")) {
          return name;
        }
      }
    }
    return null;
  }

  private static List<AnnotationNode> nonNull(List<AnnotationNode> list) {
    return list == null ? List.of() : list;
  }

  private static void checkAwaitReferences(MethodNode m, List<Problem> problems) {
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if (isAwaitReference(i)) {
        problems.add(
            new Problem(
                m,
                "method reference Coroutines::await cannot suspend; call await(...)"
                    + " directly inside an @Async method",
                i));
      }
    }
  }

  /** True if {@code i} makes a method reference to {@code Coroutines.await}. */
  private static boolean isAwaitReference(AbstractInsnNode i) {
    if (i instanceof InvokeDynamicInsnNode) {
      for (Object arg : ((InvokeDynamicInsnNode) i).bsmArgs) {
        if (arg instanceof Handle
            && ((Handle) arg).getOwner().equals(Protocol.COROUTINES)
            && ((Handle) arg).getName().equals(Protocol.AWAIT)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True if {@code m} calls {@code await} or makes a method reference to it. */
  static boolean usesAwait(MethodNode m) {
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if ((i instanceof MethodInsnNode && AsyncMethodRewriter.isAwait((MethodInsnNode) i))
          || isAwaitReference(i)) {
        return true;
      }
    }
    return false;
  }
}
