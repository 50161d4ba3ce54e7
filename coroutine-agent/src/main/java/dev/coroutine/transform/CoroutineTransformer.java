package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Attribute;
import org.objectweb.asm.ByteVector;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.LimitExceededException;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * The one transformer: a class file in, the class file with every {@code @Async} method (and every
 * async lambda) rewritten into a state machine out, plus diagnostics. Pure and stateless apart from
 * its {@link ClassFileLocator} and a cache of supertypes read through it: the Maven plugin and the
 * agent call the same method and get byte-identical output for the same input. Safe to call from
 * many threads.
 *
 * <p>Methods it does not rewrite keep their bytecode and stack-map frames as they were; the
 * rewritten ones get frames computed with supertypes read from class files (never loaded), and, for
 * classes whose class files cannot be read, with the supertypes the class's own frames declare for
 * them ({@link FrameFacts}); where neither tells, the class is refused, naming the missing class,
 * rather than given frames that may not verify.
 */
public final class CoroutineTransformer {
  /** Bytes the frame computation may allocate for the rewritten methods: ASM's Analyzer default. */
  static final int FRAME_MEMORY_LIMIT = 400 << 20;

  /** Steps the frame computation may take: ASM's Analyzer default. */
  static final long FRAME_OPERATIONS_LIMIT = 50_000_000_000L;

  /** Supertypes read through the locator, cached for the life of this transformer. */
  private final ClassHierarchy hierarchy;

  /**
   * A transformer that reads supertypes (for the stack-map frames of rewritten methods) through
   * {@code locator}.
   *
   * @param locator finds the class files of the classes a rewritten method's frames mention; a
   *     class it cannot find is treated as a direct subclass of {@code Object}
   */
  public CoroutineTransformer(ClassFileLocator locator) {
    this.hierarchy = new ClassHierarchy(locator);
  }

  /**
   * The cheap pre-filter: false if the class file's constant pool mentions neither {@code @Async}
   * nor {@code Coroutines}, so it certainly needs no rewriting. Does not parse the class.
   *
   * @param classFile a class file's bytes (not modified)
   * @return false if the class certainly needs no rewriting; true if {@link #transform} must look
   */
  public static boolean mightNeedTransform(byte[] classFile) {
    return ConstantPoolScan.mentionsCoroutines(classFile);
  }

  /**
   * Tells whether a class file was already rewritten (it carries the marker).
   *
   * @param classFile a class file's bytes (not modified)
   * @return true if this transformer rewrote it before
   * @throws MalformedClassFileException if the bytes cannot be read as a class file
   */
  public static boolean isTransformed(byte[] classFile) {
    return hasMarker(
        read(classFile, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES));
  }

  /**
   * Rewrites {@code classFile}. Never throws for problems in user code: those come back as
   * diagnostics with the class left unchanged. The input array is not modified.
   *
   * <p>Everything but the rewritten methods is written back as it was read: the constant pool,
   * fields, attributes and every other method byte for byte.
   *
   * @param classFile a class file's bytes, of any Java version from 8 to 25
   * @return the rewritten bytes (if anything changed), the class's name, the number of methods
   *     rewritten, and the diagnostics (non-empty when the class was refused and left as is)
   * @throws MalformedClassFileException if the bytes are not a class file that can be read (the JVM
   *     would reject them too): they are never rewritten
   */
  public TransformResult transform(byte[] classFile) {
    if (!mightNeedTransform(classFile)) {
      return TransformResult.unchanged(null);
    }
    String damage = ClassFileLayout.problem(classFile);
    if (damage != null) {
      throw new MalformedClassFileException(damage);
    }
    ClassNode cn = read(classFile, ClassReader.EXPAND_FRAMES); // full frames for FrameFacts
    String className = cn.name.replace('/', '.');
    try {
      return transform(classFile, cn, className);
    } catch (MalformedClassFileException e) {
      throw e;
    } catch (RuntimeException e) {
      return new TransformResult(
          className,
          null,
          0,
          List.of(
              new Diagnostic(
                  className,
                  null,
                  cn.sourceFile,
                  -1,
                  "internal error while examining the class (please report it): " + e)));
    }
  }

  private TransformResult transform(byte[] classFile, ClassNode cn, String className) {
    if (hasMarker(cn) || GeneratedProxies.onlyDispatches(cn)) {
      return TransformResult.unchanged(className);
    }
    List<CoroutineMethods.Problem> problems = new ArrayList<>();
    List<MethodNode> coroutines = new ArrayList<>();
    LambdaBodies lambdas = LambdaBodies.of(cn);
    ValueOrigins.Memo origins = new ValueOrigins.Memo(cn.name); // one analysis per method
    for (MethodNode m : cn.methods) {
      if (CoroutineMethods.check(m, className, cn.sourceFile, lambdas, origins, problems)) {
        coroutines.add(m);
      }
    }
    List<Diagnostic> warnings = cancellationWarnings(cn, coroutines, lambdas, origins);
    warnings.addAll(tailReturnWarnings(cn, coroutines, lambdas));
    warnings.addAll(lockWarnings(cn, coroutines, lambdas));
    if (!problems.isEmpty()) {
      List<Diagnostic> diagnostics = new ArrayList<>();
      for (CoroutineMethods.Problem p : problems) {
        Diagnostic d = diagnostic(cn, lambdas, p.method(), p.message(), p.at());
        if (!diagnostics.contains(d)) { // a finally block's copies: one line, one message
          diagnostics.add(d);
        }
      }
      return new TransformResult(className, null, 0, diagnostics, warnings);
    }
    if (coroutines.isEmpty()) {
      return TransformResult.unchanged(className);
    }
    MethodNode withUnknown = unknownCodeAttributes(classFile, coroutines);
    if (withUnknown != null) {
      return refused(
          className,
          cn,
          lambdas,
          withUnknown,
          "its Code attribute carries attributes this transformer does not know ("
              + withUnknown.attrs.stream()
                  .map(a -> a.type)
                  .distinct()
                  .sorted()
                  .reduce((a, b) -> a + ", " + b)
                  .orElse("")
              + "); they describe the method's bytecode, which a rewrite replaces, so they cannot"
              + " be kept: build the class without them to make it a coroutine",
          null);
    }
    for (MethodNode m : coroutines) {
      String damage = InputMethodCheck.problem(m, cn.version & 0xFFFF);
      if (damage != null) {
        throw new MalformedClassFileException("method " + m.name + m.desc + ": " + damage);
      }
    }
    if ((cn.version & 0xFFFF) < Opcodes.V1_8) {
      return refused(
          className,
          cn,
          lambdas,
          coroutines.get(0),
          "class file version "
              + (cn.version & 0xFFFF)
              + " is older than Java 8; compile with --release 8 or newer",
          null);
    }

    ClassHierarchy h =
        hierarchy.with(
            cn.name,
            new ClassHierarchy.Info(
                cn.superName,
                (cn.access & Opcodes.ACC_INTERFACE) != 0,
                (cn.access & Opcodes.ACC_PUBLIC) != 0,
                cn.interfaces));
    boolean isInterface = (cn.access & Opcodes.ACC_INTERFACE) != 0;
    AsyncMethodRewriter rewriter = new AsyncMethodRewriter(cn.name, cn.sourceFile, isInterface, h);
    Set<String> rewritten = new HashSet<>();
    Set<String> taken = new HashSet<>();
    for (MethodNode m : cn.methods) {
      taken.add(m.name + m.desc);
    }
    ClassKinds.learn(cn, h);
    for (MethodNode m : coroutines) {
      FrameFacts.learn(cn.name, m, h); // before the frames are removed
    }
    List<MethodNode> bodies = new ArrayList<>();
    Map<String, MethodNode> userMethodOf = new HashMap<>(); // body or stub -> the user's method
    Map<MethodNode, MethodNode> bodyOf = new HashMap<>(); // the user's method -> its body
    for (MethodNode m : coroutines) {
      String[] body = bodyNameAndDescriptor(m.name, taken);
      String bodyName = body[0];
      String bodyDesc = body[1];
      taken.add(bodyName + bodyDesc);
      removeFrames(m);
      try {
        MethodNode bodyMethod = rewriter.rewrite(m, bodyName, bodyDesc);
        bodies.add(bodyMethod);
        bodyOf.put(m, bodyMethod);
      } catch (Refusal r) {
        return refused(className, cn, lambdas, m, r.getMessage(), r.at);
      } catch (AnalyzerException e) {
        if (e.getCause() instanceof ClassHierarchy.AmbiguousType) {
          return refused(className, cn, lambdas, m, e.getCause().getMessage(), null);
        }
        String message =
            "its bytecode is inconsistent ("
                + e.getMessage()
                + "), so the class would fail verification; if it loads without the"
                + " transformer, please report this";
        return refused(className, cn, lambdas, m, message, null);
      } catch (LimitExceededException e) {
        // ASM's analyses stop at their limits (found from outside: a method of 4,000 locals, and
        // one of 1,076 awaits and 572 locals, were refused as an "internal error")
        String message =
            "too large to rewrite: analysing its "
                + m.instructions.size()
                + " instructions and "
                + m.maxLocals
                + " local variable slots exceeds the transformer's limits ("
                + (FRAME_MEMORY_LIMIT >> 20)
                + " MB, "
                + FRAME_OPERATIONS_LIMIT
                + " steps: "
                + e.getMessage()
                + "): split the method into smaller @Async methods, or keep fewer variables in it";
        return refused(className, cn, lambdas, m, message, Insns.firstLineNode(m));
      } catch (RuntimeException e) {
        String message = "internal error while rewriting this method (please report it): " + e;
        return refused(className, cn, lambdas, m, message, null);
      }
      rewritten.add(m.name + m.desc);
      rewritten.add(bodyName + bodyDesc);
      userMethodOf.put(m.name + m.desc, m);
      userMethodOf.put(bodyName + bodyDesc, m);
    }
    cn.methods.addAll(bodies);

    byte[] out;
    try {
      out = write(classFile, cn, rewritten, bodies, h);
    } catch (MethodTooLargeException e) {
      MethodNode m =
          userMethodOf.getOrDefault(e.getMethodName() + e.getDescriptor(), coroutines.get(0));
      String message =
          "method too large once rewritten: its state machine needs "
              + e.getCodeSize()
              + " bytes of code, over the JVM's limit of 65535. Awaits that keep the same local"
              + " variables alive share the code that saves and restores them, so code grows"
              + " with (live locals x different sets of live locals at awaits): split the"
              + " method into smaller @Async methods, or keep fewer variables alive across its"
              + " awaits. Where one expression holds many awaits (a string concatenation of"
              + " awaited values, a call with many awaited arguments), the values computed"
              + " before each await wait on the operand stack and are saved with it, so the"
              + " code grows with the square of their number: await into locals first"
              + " (`String a = await(x);`), then build the expression";
      // the stub has no line numbers: the method's first line is the body's
      return refused(className, cn, lambdas, m, message, Insns.firstLineNode(bodyOf.get(m)));
    } catch (LimitExceededException e) {
      String message =
          "too large to rewrite: computing the stack-map frames of its rewritten methods exceeds"
              + " the transformer's limits ("
              + (FRAME_MEMORY_LIMIT >> 20)
              + " MB, "
              + FRAME_OPERATIONS_LIMIT
              + " steps): split the largest @Async methods, this one first, into smaller ones";
      MethodNode m = largest(coroutines, bodyOf);
      return refused(className, cn, lambdas, m, message, Insns.firstLineNode(bodyOf.get(m)));
    } catch (ClassHierarchy.AmbiguousType e) {
      MethodNode m = userMethodOf.getOrDefault(e.method, coroutines.get(0));
      return refused(className, cn, lambdas, m, e.getMessage(), null);
    } catch (ClassTooLargeException e) {
      String message =
          "too large once rewritten: the class needs "
              + e.getConstantPoolCount()
              + " constant pool entries, over the JVM's limit of 65535: move some of its methods"
              + " or constants to another class";
      MethodNode m = largest(coroutines, bodyOf);
      return refused(className, cn, lambdas, m, message, Insns.firstLineNode(bodyOf.get(m)));
    } catch (RuntimeException e) {
      // ASM writes the class as a whole: what failed names no method. Its largest is the likeliest
      // (found from outside: the first one, small, was named for a 38 KB body's failure)
      MethodNode m = largest(coroutines, bodyOf);
      String message =
          "internal error while writing the class (please report it): "
              + e
              + "; its largest rewritten method is the one named here";
      return refused(className, cn, lambdas, m, message, Insns.firstLineNode(bodyOf.get(m)));
    }
    return new TransformResult(className, out, coroutines.size(), List.of(), warnings);
  }

  /**
   * A warning for each handler of the coroutines that swallows cancellation, unless the method, a
   * method enclosing the lambda, or the class is marked {@code @CatchesCancellation}.
   */
  /**
   * A warning for each {@code return other();} whose coroutine is made inside a try block that ends
   * before the return (see {@link TailReturnInTry}).
   */
  private static List<Diagnostic> tailReturnWarnings(
      ClassNode cn, List<MethodNode> coroutines, LambdaBodies lambdas) {
    List<Diagnostic> warnings = new ArrayList<>();
    for (MethodNode m : coroutines) {
      for (TailReturnInTry.Found f : TailReturnInTry.find(cn.name, m)) {
        String message =
            "the coroutine returned here is made inside a try block (with "
                + SwallowedCancellation.describe(f.handler())
                + ") that ends before the return: a returned coroutine runs at the return, so it runs"
                + " after the try's finally block (a try-with-resources has closed its"
                + " resources) and outside its catch blocks. To run it inside the try, write"
                + " `return done(await(...));` there";
        Diagnostic d = diagnostic(cn, lambdas, m, message, f.madeAt());
        if (!warnings.contains(d)) {
          warnings.add(d);
        }
      }
    }
    return warnings;
  }

  /**
   * Awaits reached while a {@code java.util.concurrent} lock may be held (taken with {@code lock()}
   * and not yet released on some path): the lock belongs to the loop's thread, not to the task, so
   * it does not do what it is there for. Not refused as {@code synchronized} is (the JVM does not
   * forbid it, and a lock released by another task on the same thread is legal), but said.
   */
  private static List<Diagnostic> lockWarnings(
      ClassNode cn, List<MethodNode> coroutines, LambdaBodies lambdas) {
    List<Diagnostic> warnings = new ArrayList<>();
    for (MethodNode m : coroutines) {
      if (!MonitorDepth.takesThreadLocks(m)) {
        continue;
      }
      int[] held = MonitorDepth.ofThreadLocks(m);
      for (MethodInsnNode call : CoroutineMethods.awaits(m)) {
        if (held[m.instructions.indexOf(call)] > 0) {
          Diagnostic d =
              diagnostic(
                  cn,
                  lambdas,
                  m,
                  "await while a java.util.concurrent lock is held (taken with lock() and not yet"
                      + " unlocked; Lombok's @Locked does this): the lock belongs to the loop's"
                      + " thread, which runs every task of the loop, so a ReentrantLock lets the"
                      + " other tasks in while this one is suspended, and a lock that other threads"
                      + " wait for stays taken until it resumes; to keep other tasks out, use"
                      + " dev.coroutine.sync.Lock (await(lock.acquire()) ... lock.release()), or"
                      + " unlock before the await",
                  call);
          if (!warnings.contains(d)) {
            warnings.add(d);
          }
        }
      }
    }
    return warnings;
  }

  private static List<Diagnostic> cancellationWarnings(
      ClassNode cn, List<MethodNode> coroutines, LambdaBodies lambdas, ValueOrigins.Memo origins) {
    List<Diagnostic> warnings = new ArrayList<>();
    if (CoroutineMethods.hasAnnotation(cn.invisibleAnnotations, Protocol.CATCHES_CANCELLATION_DESC)
        || CoroutineMethods.hasAnnotation(
            cn.visibleAnnotations, Protocol.CATCHES_CANCELLATION_DESC)) {
      return warnings;
    }
    for (MethodNode m : coroutines) {
      if (lambdas.enclosingChain(m).stream().anyMatch(CoroutineTransformer::catchesCancellation)) {
        continue;
      }
      for (TryCatchBlockNode h :
          SwallowedCancellation.find(m, CoroutineMethods.awaits(m), origins)) {
        String message =
            SwallowedCancellation.describe(h)
                + " around an await swallows cancellation: a cancelled task gets"
                + " CancellationException at the await, and this handler does not throw it again,"
                + " so the task goes on (and waitFor cannot time out). Rethrow it (`catch"
                + " (CancellationException e) { throw e; }` before this catch, or `if (e instanceof"
                + " CancellationException) throw e;`), or, if this is meant, annotate the method or"
                + " the class @CatchesCancellation";
        warnings.add(diagnostic(cn, lambdas, m, message, Insns.nextReal(h.handler)));
      }
    }
    return warnings;
  }

  private static boolean catchesCancellation(MethodNode m) {
    return CoroutineMethods.hasAnnotation(
            m.invisibleAnnotations, Protocol.CATCHES_CANCELLATION_DESC)
        || CoroutineMethods.hasAnnotation(m.visibleAnnotations, Protocol.CATCHES_CANCELLATION_DESC);
  }

  /**
   * Writes the class: rewritten methods with frames computed from scratch, everything else copied
   * from {@code original} as it was (ASM copies a method's bytes when its writer shares the
   * reader's constant pool and the method passes through unchanged), so nothing the rewrite does
   * not touch can be lost, moved or repaired.
   */
  private static byte[] write(
      byte[] original,
      ClassNode cn,
      Set<String> rewritten,
      List<MethodNode> bodies,
      ClassHierarchy h) {
    // frames for the rewritten methods only: write them alone with COMPUTE_FRAMES, read back
    ClassNode part = new ClassNode();
    part.version = cn.version;
    part.access = cn.access;
    part.name = cn.name;
    part.superName = cn.superName;
    part.interfaces = cn.interfaces;
    for (MethodNode m : cn.methods) {
      if (rewritten.contains(m.name + m.desc)) {
        LongJumps.widen(m); // ASM's own way with long jumps can fail (see LongJumps)
        part.methods.add(m);
      }
    }
    ClassWriter computing = new HierarchyClassWriter(null, ClassWriter.COMPUTE_FRAMES, h);
    // the limits of the analyses that accepted the method (ASM's Analyzer defaults), not the
    // writer's lower ones: a large method with many locals (R8's output) exceeded those
    computing.setComputeLimits(FRAME_MEMORY_LIMIT, FRAME_OPERATIONS_LIMIT);
    String[] writing = new String[1]; // the method whose frames are being computed
    try {
      part.accept(
          new ClassVisitor(Protocol.ASM_API, computing) {
            @Override
            public MethodVisitor visitMethod(
                int access, String name, String desc, String signature, String[] exceptions) {
              writing[0] = name + desc;
              return super.visitMethod(access, name, desc, signature, exceptions);
            }
          });
    } catch (ClassHierarchy.AmbiguousType e) {
      throw e.in(writing[0]);
    }
    ClassNode withFrames = new ClassNode();
    new ClassReader(computing.toByteArray()).accept(withFrames, 0);
    Map<String, MethodNode> computed = new HashMap<>();
    for (MethodNode m : withFrames.methods) {
      LongJumps.widenAgain(m); // its goto_w read back as goto
      computed.put(m.name + m.desc, m);
    }
    ClassReader reader = new ClassReader(original);
    ClassWriter out = new HierarchyClassWriter(reader, 0, h);
    out.setComputeLimits(FRAME_MEMORY_LIMIT, FRAME_OPERATIONS_LIMIT); // long jumps: frames again
    reader.accept(
        new ClassVisitor(Protocol.ASM_API, out) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            MethodNode replacement = computed.get(name + desc);
            if (replacement != null) {
              replacement.accept(out);
              return null;
            }
            return super.visitMethod(access, name, desc, signature, exceptions);
          }

          @Override
          public void visitEnd() {
            for (MethodNode body : bodies) {
              computed.get(body.name + body.desc).accept(out);
            }
            out.visitAttribute(new Marker());
            super.visitEnd();
          }
        },
        0);
    return out.toByteArray();
  }

  /**
   * Reads {@code classFile} into a tree.
   *
   * @throws MalformedClassFileException if ASM cannot read it
   */
  private static ClassNode read(byte[] classFile, int flags) {
    ClassNode cn = new ClassNode();
    try {
      new ClassReader(classFile).accept(cn, flags);
    } catch (RuntimeException e) {
      throw new MalformedClassFileException("cannot be read as a class file: " + e, e);
    }
    return cn;
  }

  /**
   * The first of {@code coroutines} whose Code attribute holds attributes ASM does not know, or
   * null. ASM hands those to the method like the method's own attributes and would write them
   * outside the Code attribute (where a stray one named like a method attribute makes the class
   * invalid); a rewrite cannot keep them anyway, as they describe the old bytecode.
   */
  private static MethodNode unknownCodeAttributes(byte[] classFile, List<MethodNode> coroutines) {
    if (coroutines.stream().allMatch(m -> m.attrs == null || m.attrs.isEmpty())) {
      return null;
    }
    ClassNode outer = read(classFile, ClassReader.SKIP_CODE); // method-level attributes only
    Map<String, Integer> methodLevel = new HashMap<>();
    for (MethodNode m : outer.methods) {
      methodLevel.put(m.name + m.desc, m.attrs == null ? 0 : m.attrs.size());
    }
    for (MethodNode m : coroutines) {
      int all = m.attrs == null ? 0 : m.attrs.size();
      if (all > methodLevel.getOrDefault(m.name + m.desc, 0)) {
        return m;
      }
    }
    return null;
  }

  /**
   * The body keeps the user's method name, so stack traces show it. Overloads all need a body: they
   * differ in the parameter type (any supertype of AsyncFrame works for the lambda), and only past
   * those in a {@code $n} suffix.
   */
  private static String[] bodyNameAndDescriptor(String name, Set<String> taken) {
    for (String param : Protocol.BODY_PARAMETER_TYPES) {
      String desc = "(" + param + ")Ljava/lang/Object;";
      if (!taken.contains(name + desc)) {
        return new String[] {name, desc};
      }
    }
    String bodyName = name;
    for (int n = 1; taken.contains(bodyName + Protocol.BODY_METHOD_DESC); n++) {
      bodyName = name + "$" + n;
    }
    return new String[] {bodyName, Protocol.BODY_METHOD_DESC};
  }

  private static void removeFrames(MethodNode m) {
    for (AbstractInsnNode i : m.instructions.toArray()) {
      if (i instanceof FrameNode) {
        m.instructions.remove(i);
      }
    }
  }

  private static boolean hasMarker(ClassNode cn) {
    if (cn.attrs != null) {
      for (Attribute a : cn.attrs) {
        if (a.type.equals(Protocol.MARKER_ATTRIBUTE)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The coroutine method whose rewritten body has the most instructions. */
  private static MethodNode largest(
      List<MethodNode> coroutines, Map<MethodNode, MethodNode> bodyOf) {
    MethodNode best = coroutines.get(0);
    for (MethodNode m : coroutines) {
      if (bodyOf.get(m).instructions.size() > bodyOf.get(best).instructions.size()) {
        best = m;
      }
    }
    return best;
  }

  /** The result of a class refused with one diagnostic: no bytes, the class left as it was. */
  private static TransformResult refused(
      String className,
      ClassNode cn,
      LambdaBodies lambdas,
      MethodNode m,
      String message,
      AbstractInsnNode at) {
    return new TransformResult(
        className, null, 0, List.of(diagnostic(cn, lambdas, m, message, at)));
  }

  /**
   * A diagnostic at {@code at}'s line (null: the method's first line), the method named as written.
   */
  private static Diagnostic diagnostic(
      ClassNode cn, LambdaBodies lambdas, MethodNode m, String message, AbstractInsnNode at) {
    int line = at != null ? Insns.lineOf(at) : Insns.firstLine(m);
    InlinedLines.Origin inlined = InlinedLines.of(cn.sourceDebug, cn.sourceFile, line);
    if (inlined != null) {
      line = inlined.callLine();
      message +=
          " (at code kotlinc inlined here from " + inlined.file() + ":" + inlined.line() + ")";
    }
    String name = lambdas.displayName(m);
    if (line <= 0 && cn.methods.stream().filter(o -> o.name.equals(m.name)).count() > 1) {
      // no line to tell overloads apart (stripped, or a tool's method): their parameters do
      name +=
          java.util.Arrays.stream(Type.getArgumentTypes(m.desc))
              .map(Type::getClassName)
              .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }
    return new Diagnostic(cn.name.replace('/', '.'), name, cn.sourceFile, line, message);
  }

  /** The class attribute marking a rewritten class (one byte: the format version). */
  private static final class Marker extends Attribute {
    Marker() {
      super(Protocol.MARKER_ATTRIBUTE);
    }

    @Override
    protected Attribute read(
        ClassReader reader,
        int offset,
        int length,
        char[] buf,
        int codeOff,
        org.objectweb.asm.Label[] labels) {
      return new Marker();
    }

    @Override
    protected ByteVector write(
        ClassWriter writer, byte[] code, int len, int maxStack, int maxLocals) {
      return new ByteVector(1).putByte(Protocol.MARKER_VERSION);
    }
  }

  /** A ClassWriter that merges types through the class-file hierarchy instead of loading them. */
  private static final class HierarchyClassWriter extends ClassWriter {
    private final ClassHierarchy hierarchy;

    HierarchyClassWriter(ClassReader source, int flags, ClassHierarchy hierarchy) {
      super(source, flags);
      this.hierarchy = hierarchy;
    }

    /**
     * The merge of {@code a} and {@code b} for the rewritten methods' frames. Where an unreadable
     * class that the class's frames say nothing about takes part, Object: such merges join dead
     * values only (slots the rewrite reuses), since every merge of live values is one of the
     * original code's, whose declared types {@link FrameFacts} learned. A merge whose answer
     * depends on whether an unreadable type is an interface refuses the class: either guess can
     * fail verification (see {@link ClassHierarchy.AmbiguousType}).
     */
    @Override
    protected String getCommonSuperClass(String a, String b) {
      try {
        return hierarchy.commonSuperClass(a, b);
      } catch (ClassHierarchy.MissingType e) {
        return "java/lang/Object";
      }
    }
  }
}
