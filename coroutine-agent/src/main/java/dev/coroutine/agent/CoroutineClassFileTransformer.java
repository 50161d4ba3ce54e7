package dev.coroutine.agent;

import dev.coroutine.transform.ClassFileLocator;
import dev.coroutine.transform.CoroutineTransformer;
import dev.coroutine.transform.Diagnostic;
import dev.coroutine.transform.MalformedClassFileException;
import dev.coroutine.transform.TransformResult;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * The agent's {@link ClassFileTransformer}: hands each class that may use coroutines to the {@link
 * CoroutineTransformer} and returns the rewritten bytes.
 *
 * <p>A redefinition (a debugger's HotSwap) of a class this agent rewrote goes to {@link #redefine}.
 * For the others, cheap checks come first, in this order, and each returns {@code null} (class
 * untouched): classes without a name (hidden classes), classes of the bootstrap and platform
 * loaders, the project's own classes (runtime, transformer, agent, shaded ASM), JDK packages, and
 * finally the constant-pool pre-filter ({@link CoroutineTransformer#mightNeedTransform}), which
 * does not parse the class. Only the few classes that pass are parsed and rewritten.
 *
 * <p>Invariants: it never throws (the JVM would ignore the exception without a word, so every
 * failure is logged here with the class and the reason, and the class loads unchanged, unless
 * {@code failFast} is set, which halts the JVM); it never loads a class (supertypes for stack-map
 * frames are read as class-file resources of the defining loader); it never modifies the input
 * array; and its one mutable state shared between threads, the fingerprints of the classes it
 * rewrote (for redefinitions), is kept under a lock, so any number of threads may load classes at
 * once. A per-thread flag stops re-entry if rewriting a class makes the same thread load another.
 */
final class CoroutineClassFileTransformer implements ClassFileTransformer {

  /** Rewrites one class file: the seam between the agent and the transformer. */
  @FunctionalInterface
  interface Rewriter {
    /** Rewrites {@code classFile}, defined by {@code loader}; may throw on internal errors. */
    TransformResult rewrite(ClassLoader loader, byte[] classFile);
  }

  /** The real rewriter: the transformer, reading supertypes through the defining loader. */
  static final Rewriter DEFAULT_REWRITER =
      (loader, classFile) ->
          new CoroutineTransformer(ClassFileLocator.of(loader)).transform(classFile);

  /** The platform class loader, whose classes (like the bootstrap loader's) are never examined. */
  private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

  /** Package prefixes of JDK classes, which never use coroutines. */
  private static final String[] JDK_PACKAGES = {"java/", "javax/", "jdk/", "sun/", "com/sun/"};

  /**
   * The runtime's packages (internal names), exactly: the same list as the runtime's {@code
   * dev.coroutine.internal.RuntimeCode.PACKAGES}, which the agent cannot load (the runtime is not
   * in its jar); {@code CoroutineClassFileTransformerTest} checks that the two agree. A package
   * below one of them (a user's {@code dev/coroutine/examples}) is not the runtime's.
   */
  static final List<String> RUNTIME_PACKAGES =
      List.of("dev/coroutine", "dev/coroutine/internal", "dev/coroutine/io", "dev/coroutine/sync");

  /** Package prefixes of the agent's and the transformer's own code (ASM shaded below them). */
  private static final String[] TOOL_PACKAGES = {
    "dev/coroutine/agent/", "dev/coroutine/transform/"
  };

  /** The options given on the command line. */
  private final AgentOptions options;

  /** Does the rewriting; {@link #DEFAULT_REWRITER} except in tests. */
  private final Rewriter rewriter;

  /** Where messages go. */
  private final AgentLog log;

  /** Stops the JVM with a status ({@code Runtime::halt}) when {@code failFast} is set. */
  private final IntConsumer halt;

  /**
   * Names of the malformed classes already reported: an application may try to load a class the JVM
   * rejected again and again, and the reason is the same each time.
   */
  private final Set<String> reportedMalformed = ConcurrentHashMap.newKeySet();

  /**
   * Set while this thread is inside {@link #rewrite}: a nested call returns null at once. (The JVM
   * does not call agents again for a class defined on the same thread during a transformation, so
   * this only guards a transformer that a test calls directly.)
   */
  private final ThreadLocal<Boolean> active = new ThreadLocal<>();

  /**
   * Creates the transformer.
   *
   * @param options the agent options
   * @param rewriter what rewrites a class that passed the filters
   * @param log where messages go
   * @param halt stops the JVM with the given status (used by {@code failFast})
   */
  CoroutineClassFileTransformer(
      AgentOptions options, Rewriter rewriter, AgentLog log, IntConsumer halt) {
    this.options = options;
    this.rewriter = rewriter;
    this.log = log;
    this.halt = halt;
    // Load the pre-filter's classes now, not while the first application class is being loaded;
    // and the small-stack fallback's, which must not need stack to link when it is needed
    CoroutineTransformer.mightNeedTransform(new byte[0]);
    new BigStackRewrite(this, null, new byte[0]);
  }

  /**
   * Rewrites {@code className} if it uses coroutines.
   *
   * @return the rewritten class file, or {@code null} to leave the class as it is
   */
  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (classBeingRedefined != null && className != null && loader != null) {
      return redefineSafely(loader, className, classfileBuffer);
    }
    if (className == null
        || loader == null
        || loader == PLATFORM
        || isOwnClass(className)
        || isJdkClass(className)
        || !CoroutineTransformer.mightNeedTransform(classfileBuffer)
        || active.get() != null) {
      return null;
    }
    active.set(Boolean.TRUE);
    try {
      byte[] out = rewrite(loader, className, classfileBuffer);
      if (out != null) {
        remember(loader, className, out);
      }
      return out;
    } catch (MalformedClassFileException e) {
      malformed(className, e);
      return null;
    } catch (Throwable t) {
      failed(className, t);
      return null;
    } finally {
      active.remove();
    }
  }

  /**
   * Per loader and class name, the fingerprints of the bodies of each class this agent rewrote:
   * what a redefinition may not change ({@link BodyFingerprints}). Weak in the loader.
   */
  private final Map<ClassLoader, Map<String, Map<String, String>>> rewrittenBodies =
      new WeakHashMap<>();

  private void remember(ClassLoader loader, String className, byte[] rewritten) {
    Map<String, String> bodies;
    try {
      bodies = BodyFingerprints.of(rewritten);
    } catch (RuntimeException unreadable) {
      return; // (a test's stand-in bytes) its redefinitions are then left to the JVM
    }
    synchronized (rewrittenBodies) {
      rewrittenBodies.computeIfAbsent(loader, l -> new HashMap<>()).put(className, bodies);
    }
  }

  /**
   * {@link #redefine}, whose failures are said and refuse the redefinition: a debugging session is
   * not stopped for them, even with {@code failFast}.
   */
  private byte[] redefineSafely(ClassLoader loader, String className, byte[] classFile) {
    if (active.get() != null) {
      return null;
    }
    active.set(Boolean.TRUE);
    try {
      return redefine(loader, className, classFile);
    } catch (Throwable t) {
      try {
        log.error(
            "redefinition of " + className.replace('/', '.') + " refused (internal error)", t);
      } catch (Throwable ignored) {
        // nothing more can be done
      }
      return rejected(classFile);
    } finally {
      active.remove();
    }
  }

  /**
   * Bytes every JVM rejects ({@code ClassFormatError}): a refused redefinition must not go through
   * with the unrewritten bytes, which JVMs that allow deleting methods (DCEVM, JetBrains Runtime,
   * {@code -XX:+AllowRedefinitionToAddDeleteMethods}) would take, dropping the coroutine bodies.
   */
  private static byte[] rejected(byte[] classFile) {
    byte[] b = classFile.length > 0 ? classFile.clone() : new byte[1];
    b[0] = 0; // no longer 0xCAFEBABE
    return b;
  }

  /**
   * A redefinition (a debugger's HotSwap, {@code Instrumentation.redefineClasses}). A class this
   * agent did not rewrite is left to the JVM. One it rewrote gets its new bytes rewritten as the
   * first ones were (so it keeps its methods, the bodies included), as long as no coroutine body
   * changes: a coroutine suspended in it would resume in code laid out differently. Otherwise the
   * reason is said and the JVM gets {@link #rejected} bytes.
   */
  private byte[] redefine(ClassLoader loader, String className, byte[] classFile) {
    Map<String, String> before;
    synchronized (rewrittenBodies) {
      Map<String, Map<String, String>> classes = rewrittenBodies.get(loader);
      before = classes == null ? null : classes.get(className);
    }
    if (before == null) {
      return null; // not rewritten by this agent: the JVM redefines it as it is
    }
    String dotted = className.replace('/', '.');
    TransformResult result = rewriter.rewrite(loader, classFile.clone());
    if (result.failed()) {
      log.error(
          withDiagnostics("redefinition of " + dotted + " refused:", result)
              + System.lineSeparator()
              + AgentLog.PREFIX
              + dotted
              + " keeps its current code");
      return rejected(classFile);
    }
    byte[] out = result.changed() ? result.bytes() : classFile; // unchanged: rewritten already
    Map<String, String> after = BodyFingerprints.of(out);
    if (!after.equals(before)) {
      TreeSet<String> changed = new TreeSet<>(before.keySet());
      changed.addAll(after.keySet());
      changed.removeIf(b -> Objects.equals(before.get(b), after.get(b)));
      log.error(
          "redefinition of "
              + dotted
              + " refused: it changes the code of its coroutines "
              + changed
              + " (@Async methods or async lambdas); a coroutine suspended in one keeps its state"
              + " laid out for the code it runs, so it cannot resume in another. Restart to run the"
              + " change; the class's other methods can be redefined. "
              + dotted
              + " keeps its current code");
      return rejected(classFile);
    }
    if (options.verbose()) {
      log.info(dotted + ": redefinition rewritten (its coroutine bodies unchanged)");
    }
    return result.changed() ? out : null;
  }

  /** True for the runtime's classes (see {@link #RUNTIME_PACKAGES}) and the agent's own. */
  static boolean isOwnClass(String internalName) {
    if (!internalName.startsWith("dev/coroutine/")) {
      return false;
    }
    int slash = internalName.lastIndexOf('/');
    if (RUNTIME_PACKAGES.contains(internalName.substring(0, slash))) {
      return true;
    }
    for (String p : TOOL_PACKAGES) {
      if (internalName.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** True for classes in JDK packages. */
  static boolean isJdkClass(String internalName) {
    for (String p : JDK_PACKAGES) {
      if (internalName.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** A rewrite on the agent's own thread, for {@link #rewriteOnEnoughStack}. */
  private static final class BigStackRewrite implements Runnable {
    private final CoroutineClassFileTransformer agent;
    private final ClassLoader loader;
    private final byte[] input;
    TransformResult result;
    Throwable failure;

    BigStackRewrite(CoroutineClassFileTransformer agent, ClassLoader loader, byte[] input) {
      this.agent = agent;
      this.loader = loader;
      this.input = input;
    }

    @Override
    public void run() {
      agent.active.set(Boolean.TRUE); // as on the loading thread: no re-entry
      try {
        result = agent.rewriter.rewrite(loader, input);
      } catch (Throwable e) {
        failure = e;
      }
    }
  }

  /**
   * Runs {@code work} on a thread of {@link #REWRITE_STACK_BYTES} of stack and waits for it to end:
   * interruption cannot abandon the work halfway (a class load, the agent's start), so it is kept
   * for after.
   */
  static void runOnBigStack(Runnable work, String threadName) {
    Thread t = new Thread(null, work, threadName, REWRITE_STACK_BYTES);
    t.setDaemon(true);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The stack of the thread that takes over a rewrite the loading thread has no room for. */
  static final long REWRITE_STACK_BYTES = 16L << 20;

  /**
   * Rewrites on this thread; if its stack runs out (the class is loaded on a thread made with a
   * small stack, or deep in a call chain: the analyses recurse), once more on a thread of the
   * agent's with a stack of {@link #REWRITE_STACK_BYTES}, which this one waits for. The class was
   * loaded unchanged before, and its first await failed.
   */
  private TransformResult rewriteOnEnoughStack(ClassLoader loader, byte[] input) {
    try {
      return rewriter.rewrite(loader, input);
    } catch (StackOverflowError tooDeep) {
      // no lambda here: linking one on what is left of this stack overflowed again (found from
      // outside, threads of 64 and 128 KB); the class was loaded and linked in the constructor
      BigStackRewrite rewrite = new BigStackRewrite(this, loader, input.clone());
      runOnBigStack(rewrite, "coroutine-agent-rewrite");
      Throwable f = rewrite.failure;
      if (f != null) {
        f.addSuppressed(tooDeep);
        if (f instanceof RuntimeException) {
          throw (RuntimeException) f; // a malformed class file among them: reported as such
        }
        if (f instanceof Error) {
          throw (Error) f;
        }
        throw new IllegalStateException(f);
      }
      return rewrite.result;
    }
  }

  private byte[] rewrite(ClassLoader loader, String className, byte[] classFile) {
    String dumpName = options.dumpDir() == null ? null : dumpName(className);
    if (dumpName != null) {
      dump("before", dumpName, classFile);
    }
    long start = System.nanoTime();
    byte[] input = classFile.clone(); // the rewriter must not see (or alter) the JVM's array
    TransformResult result = rewriteOnEnoughStack(loader, input);
    String took =
        String.format(java.util.Locale.ROOT, "%.1f ms", (System.nanoTime() - start) / 1e6);
    if (dumpName != null && result.changed()) {
      dump("after", dumpName, result.bytes());
    }
    String dotted = className.replace('/', '.');
    for (Diagnostic w : result.warnings()) {
      log.warn(w.format());
    }
    if (result.failed()) {
      String refusal = withDiagnostics("cannot rewrite " + dotted + ":", result);
      if (options.failFast()) {
        log.error(
            refusal + System.lineSeparator() + AgentLog.PREFIX + "failFast: stopping the JVM");
        stop();
      } else {
        log.error(
            refusal
                + System.lineSeparator()
                + AgentLog.PREFIX
                + dotted
                + " is loaded unchanged: its await calls will throw IllegalStateException"
                + " (add the agent option failFast to stop instead)");
      }
      return null;
    }
    if (!result.changed()) {
      if (options.verbose()) {
        log.info(dotted + ": nothing to rewrite (" + took + ")");
      }
      return null;
    }
    if (options.verbose()) {
      log.info(dotted + ": rewrote " + result.methodsRewritten() + " method(s) in " + took);
    }
    return result.bytes();
  }

  /** {@code head}, then each of the result's diagnostics on a line of its own. */
  private static String withDiagnostics(String head, TransformResult result) {
    StringBuilder sb = new StringBuilder(head);
    for (Diagnostic d : result.diagnostics()) {
      sb.append(System.lineSeparator()).append(AgentLog.PREFIX).append("ERROR ").append(d.format());
    }
    return sb.toString();
  }

  /**
   * A class file the transformer cannot read: the JVM gets it as it was, to judge (and reject) for
   * itself, so even {@code failFast} does not stop the JVM here. Said once per class name.
   */
  private void malformed(String className, MalformedClassFileException e) {
    try {
      if (!reportedMalformed.add(className)) {
        return; // said once for this name
      }
      log.error(
          "cannot read "
              + className.replace('/', '.')
              + ": "
              + e.getMessage()
              + "; it is passed to the JVM unchanged");
    } catch (Throwable ignored) {
      // nothing more can be done without risking the class load itself
    }
  }

  private void failed(String className, Throwable t) {
    String dotted = className.replace('/', '.');
    try {
      if (options.failFast()) {
        log.error("cannot rewrite " + dotted + " (internal error); failFast: stopping the JVM", t);
        stop();
      } else {
        log.error("cannot rewrite " + dotted + " (internal error); it is loaded unchanged", t);
      }
    } catch (Throwable ignored) {
      // nothing more can be done without risking the class load itself
    }
  }

  private void stop() {
    System.err.flush();
    System.out.flush();
    halt.accept(CoroutineAgent.FAIL_FAST_EXIT_STATUS);
  }

  /** How many classes of each name were dumped: one per class loader that defined one. */
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> dumped =
      new ConcurrentHashMap<>();

  /**
   * The dump's file name for a class being defined: its name, and from the second class of that
   * name on (another class loader's) {@code Name@2}, {@code Name@3}, so that no definition's files
   * replace another's and {@code before/} and {@code after/} stay pairs (found from outside: two
   * loaders' {@code App} wrote over each other's, and at the same time tore them).
   */
  private String dumpName(String className) {
    int n =
        dumped
            .computeIfAbsent(className, k -> new java.util.concurrent.atomic.AtomicInteger())
            .incrementAndGet();
    return n == 1 ? className : className + "@" + n;
  }

  /** Writes a dump file whole or not at all: a temporary file, then moved into place. */
  private void dump(String kind, String name, byte[] bytes) {
    Path file = options.dumpDir().resolve(kind).resolve(name + ".class");
    try {
      Files.createDirectories(file.getParent());
      Path partial = Files.createTempFile(file.getParent(), ".dump", ".part");
      try {
        Files.write(partial, bytes);
        Files.move(
            partial,
            file,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException | RuntimeException e) {
      log.error("cannot dump " + name + " to " + file + ": " + e);
    }
  }
}
