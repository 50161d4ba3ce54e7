package dev.coroutine.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.internal.RuntimeCode;
import dev.coroutine.transform.Diagnostic;
import dev.coroutine.transform.TransformResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's filters, error handling and options, with a fake rewriter standing in for the
 * transformer (the real one is exercised by {@link AgentIT} in real JVMs).
 */
class CoroutineClassFileTransformerTest {

  /** Mentions {@code dev/coroutine/Coroutines}, so it passes the pre-filter. */
  static class UsesCoroutines {
    static Coroutine<Integer> one() {
      return Coroutines.done(1);
    }
  }

  /** Mentions no coroutine. */
  static class Plain {
    static int one() {
      return 1;
    }
  }

  private static final ClassLoader APP = CoroutineClassFileTransformerTest.class.getClassLoader();
  private static final byte[] USES = bytesOf(UsesCoroutines.class);
  private static final byte[] PLAIN = bytesOf(Plain.class);
  private static final byte[] REWRITTEN = {(byte) 0xCA, (byte) 0xFE, 1, 2, 3};

  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private final AgentLog log = new AgentLog(new PrintStream(logged, true, StandardCharsets.UTF_8));
  private final AtomicInteger rewrites = new AtomicInteger();
  private final List<Integer> halts = new ArrayList<>();

  private CoroutineClassFileTransformer agent(
      AgentOptions options, CoroutineClassFileTransformer.Rewriter rewriter) {
    return new CoroutineClassFileTransformer(
        options,
        (loader, bytes) -> {
          rewrites.incrementAndGet();
          return rewriter.rewrite(loader, bytes);
        },
        log,
        halts::add);
  }

  private static TransformResult rewritten(ClassLoader loader, byte[] bytes) {
    return new TransformResult("com.example.Foo", REWRITTEN.clone(), 2, List.of());
  }

  private static TransformResult refused(ClassLoader loader, byte[] bytes) {
    return new TransformResult(
        "com.example.Foo",
        null,
        0,
        List.of(
            new Diagnostic(
                "com.example.Foo", "bar", "Foo.java", 12, "await outside an @Async method")));
  }

  private String log() {
    return logged.toString(StandardCharsets.UTF_8);
  }

  @Test
  void classUsingCoroutines_isRewritten() throws Exception {
    var agent = agent(AgentOptions.defaults(), CoroutineClassFileTransformerTest::rewritten);

    assertThat(agent.transform(APP, "com/example/Foo", null, null, USES)).isEqualTo(REWRITTEN);
    assertThat(rewrites).hasValue(1);
    assertThat(log()).as("quiet by default").isEmpty();
  }

  @Test
  void aRewriteThatRunsOutOfStack_isDoneAgainOnAThreadWithAStackOfItsOwn() throws Exception {
    // a class first loaded on a thread with a small stack (or deep in a call chain) was loaded
    // unchanged ("internal error": StackOverflowError) and its first await failed (found from
    // outside at 144 KB)
    List<String> threads = new ArrayList<>();
    var agent =
        agent(
            AgentOptions.defaults(),
            (loader, bytes) -> {
              threads.add(Thread.currentThread().getName());
              if (threads.size() == 1) {
                throw new StackOverflowError();
              }
              return rewritten(loader, bytes);
            });

    assertThat(agent.transform(APP, "com/example/Foo", null, null, USES)).isEqualTo(REWRITTEN);
    assertThat(threads)
        .containsExactly(Thread.currentThread().getName(), "coroutine-agent-rewrite");
    assertThat(log()).isEmpty();
  }

  @Test
  void corruptClass_everyTruncation_returnsNull_withOneLineSayingWhy_evenWithFailFast() {
    var agent =
        agent(new AgentOptions(false, true, null), CoroutineClassFileTransformer.DEFAULT_REWRITER);
    byte[] real = bytesOf(UsesCoroutines.class);
    for (int n = 0; n < real.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(real, n);
      logged.reset();

      assertThat(agent.transform(APP, "com/example/Cut" + n, null, null, cut))
          .as("cut at " + n)
          .isNull();

      String log = log();
      if (!log.isEmpty()) {
        assertThat(log.lines()).as("cut at " + n).hasSize(1);
        assertThat(log)
            .startsWith("[coroutine-agent] ERROR cannot read com.example.Cut" + n + ": ")
            .endsWith("; it is passed to the JVM unchanged" + System.lineSeparator());
      }
    }
    assertThat(halts).as("the JVM rejects a corrupt class itself; no need to stop").isEmpty();
    logged.reset();
    byte[] cut = java.util.Arrays.copyOf(real, real.length - 1);
    agent.transform(APP, "com/example/LastByteCut", null, null, cut);
    assertThat(log()).contains("truncated class file");
  }

  @Test
  void corruptClass_loadedAgain_isReportedOncePerName() {
    var agent = agent(AgentOptions.defaults(), CoroutineClassFileTransformer.DEFAULT_REWRITER);
    byte[] real = bytesOf(UsesCoroutines.class);
    byte[] cut = java.util.Arrays.copyOf(real, real.length - 1);

    for (int i = 0; i < 3; i++) { // an application retrying a class the JVM rejected
      assertThat(agent.transform(APP, "com/example/Retried", null, null, cut)).isNull();
    }
    agent.transform(APP, "com/example/Other", null, null, cut);

    assertThat(log().lines())
        .hasSize(2)
        .satisfiesExactly(
            l ->
                assertThat(l).contains("cannot read com.example.Retried: ", "truncated class file"),
            l -> assertThat(l).contains("cannot read com.example.Other: ", "truncated class file"));
  }

  @Test
  void warnings_areLoggedWithFileAndLine_andTheClassIsStillRewritten() throws Exception {
    Diagnostic warning =
        new Diagnostic(
            "com.example.Foo", "bar", "Foo.java", 9, "catch (Exception) around an await");
    var agent =
        agent(
            AgentOptions.defaults(),
            (loader, bytes) ->
                new TransformResult(
                    "com.example.Foo", REWRITTEN.clone(), 1, List.of(), List.of(warning)));

    assertThat(agent.transform(APP, "com/example/Foo", null, null, USES)).isEqualTo(REWRITTEN);
    assertThat(log())
        .isEqualTo(
            AgentLog.PREFIX
                + "WARNING Foo.java:9: catch (Exception) around an await (in com.example.Foo.bar)"
                + System.lineSeparator());
  }

  @Test
  void preFilter_classMentioningNoCoroutine_returnsNull_withoutReachingTheTransformer()
      throws Exception {
    var agent = agent(AgentOptions.defaults(), CoroutineClassFileTransformerTest::rewritten);

    assertThat(agent.transform(APP, "com/example/Plain", null, null, PLAIN)).isNull();
    assertThat(rewrites).hasValue(0);
  }

  @Test
  void everyRuntimePackage_isTheAgentsOwn_andNotExamined() throws Exception {
    Path runtime =
        Path.of(Coroutine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> packages = new TreeSet<>();
    if (Files.isDirectory(runtime)) {
      try (var files = Files.walk(runtime)) {
        files
            .filter(f -> f.toString().endsWith(".class"))
            .map(f -> runtime.relativize(f.getParent()).toString().replace('\\', '/'))
            .forEach(packages::add);
      }
    } else {
      try (var jar = new java.util.jar.JarFile(runtime.toFile())) {
        jar.stream()
            .map(e -> e.getName())
            .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && n.contains("/"))
            .forEach(n -> packages.add(n.substring(0, n.lastIndexOf('/'))));
      }
    }
    assertThat(packages).as("runtime packages under " + runtime).contains("dev/coroutine");
    for (String p : packages) {
      assertThat(CoroutineClassFileTransformer.isOwnClass(p + "/AnyClass")).as(p).isTrue();
    }
  }

  @Test
  void skipped_nullNamesBootstrapPlatformOwnAndJdkClasses() throws Exception {
    var agent = agent(AgentOptions.defaults(), CoroutineClassFileTransformerTest::rewritten);
    ClassLoader platform = ClassLoader.getPlatformClassLoader();

    assertThat(agent.transform(APP, null, null, null, USES)).isNull();
    assertThat(agent.transform(null, "com/example/Foo", null, null, USES)).isNull();
    assertThat(agent.transform(platform, "com/example/Foo", null, null, USES)).isNull();
    for (String own :
        List.of(
            "dev/coroutine/Coroutines",
            "dev/coroutine/agent/CoroutineAgent",
            "dev/coroutine/agent/shaded/asm/ClassReader",
            "dev/coroutine/transform/CoroutineTransformer",
            "dev/coroutine/internal/Anything",
            "dev/coroutine/sync/Queue",
            "dev/coroutine/io/StreamReader",
            "java/lang/Foo",
            "javax/foo/Bar",
            "jdk/internal/Foo",
            "sun/misc/Foo",
            "com/sun/Foo")) {
      assertThat(agent.transform(APP, own, null, null, USES)).as(own).isNull();
    }
    assertThat(rewrites).hasValue(0);
  }

  @Test
  void ownClassesRule_isTheRuntimesRule_everyRuntimePackageAndNoOther() {
    assertThat(CoroutineClassFileTransformer.RUNTIME_PACKAGES)
        .containsExactlyElementsOf(
            RuntimeCode.PACKAGES.stream().map(p -> p.replace('.', '/')).toList());
    for (String p : RuntimeCode.PACKAGES) {
      String anyClass = p.replace('.', '/') + "/AnyClass";
      assertThat(CoroutineClassFileTransformer.isOwnClass(anyClass)).as(anyClass).isTrue();
    }
    assertThat(CoroutineClassFileTransformer.isOwnClass("dev/coroutine/sync/sub/UserClass"))
        .isFalse();
  }

  @Test
  void userCodeBelowDevCoroutine_likeTheExamples_isNotSkipped() throws Exception {
    var agent = agent(AgentOptions.defaults(), CoroutineClassFileTransformerTest::rewritten);

    assertThat(agent.transform(APP, "dev/coroutine/examples/Hello", null, null, USES))
        .isEqualTo(REWRITTEN);
  }

  @Test
  void refusedClass_isLoggedWithFileAndLine_andLoadedUnchanged() throws Exception {
    var agent = agent(AgentOptions.defaults(), CoroutineClassFileTransformerTest::refused);

    assertThat(agent.transform(APP, "com/example/Foo", null, null, USES)).isNull();
    assertThat(log())
        .contains("[coroutine-agent] ERROR cannot rewrite com.example.Foo:")
        .contains(
            "[coroutine-agent] ERROR Foo.java:12: await outside an @Async method"
                + " (in com.example.Foo.bar)")
        .contains("com.example.Foo is loaded unchanged");
    assertThat(halts).isEmpty();
  }

  @Test
  void failFast_refusedClass_haltsTheJvm() throws Exception {
    var agent =
        agent(new AgentOptions(false, true, null), CoroutineClassFileTransformerTest::refused);

    assertThat(agent.transform(APP, "com/example/Foo", null, null, USES)).isNull();
    assertThat(halts).containsExactly(CoroutineAgent.FAIL_FAST_EXIT_STATUS);
    assertThat(log()).contains("Foo.java:12:").contains("failFast: stopping the JVM");
  }

  @Test
  void transformerThatThrows_isLoggedWithTheReason_andTheClassLoadsUnchanged() throws Exception {
    var agent =
        agent(
            AgentOptions.defaults(),
            (l, b) -> {
              throw new IllegalStateException("boom");
            });

    assertThat(agent.transform(APP, "com/example/Foo", null, null, USES)).isNull();
    assertThat(log())
        .contains("[coroutine-agent] ERROR cannot rewrite com.example.Foo (internal error)")
        .contains("java.lang.IllegalStateException: boom");
    assertThat(halts).isEmpty();
  }

  @Test
  void failFast_transformerThatThrows_haltsTheJvm() throws Exception {
    var agent =
        agent(
            new AgentOptions(false, true, null),
            (l, b) -> {
              throw new StackOverflowError();
            });

    assertThat(agent.transform(APP, "com/example/Foo", null, null, USES)).isNull();
    assertThat(halts).containsExactly(CoroutineAgent.FAIL_FAST_EXIT_STATUS);
  }

  @Test
  void inputArray_isNeverModified() throws Exception {
    byte[] input = USES.clone();
    var agent =
        agent(
            AgentOptions.defaults(),
            (l, bytes) -> {
              bytes[bytes.length - 1] ^= 0x55;
              return rewritten(l, bytes);
            });

    agent.transform(APP, "com/example/Foo", null, null, input);

    assertThat(input).isEqualTo(USES);
  }

  @Test
  void reentry_onTheSameThread_returnsNullWithoutRewriting() throws Exception {
    List<byte[]> inner = new ArrayList<>();
    CoroutineClassFileTransformer[] self = new CoroutineClassFileTransformer[1];
    self[0] =
        agent(
            AgentOptions.defaults(),
            (l, bytes) -> {
              try {
                inner.add(self[0].transform(APP, "com/example/Other", null, null, USES));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
              return rewritten(l, bytes);
            });

    assertThat(self[0].transform(APP, "com/example/Foo", null, null, USES)).isEqualTo(REWRITTEN);
    assertThat(inner).hasSize(1).containsOnlyNulls();
    assertThat(rewrites).hasValue(1);
  }

  @Test
  void redefinition_ofAClassThisAgentDidNotRewrite_isLeftToTheJvm() throws Exception {
    // (loaded before the agent, or refused): rewriting its new bytes would add methods, which a
    // redefinition may not (found by a review: "attempted to add a method")
    var agent = agent(AgentOptions.defaults(), CoroutineClassFileTransformerTest::rewritten);

    assertThat(agent.transform(APP, "com/example/Foo", UsesCoroutines.class, null, USES)).isNull();
    assertThat(rewrites).hasValue(0);
  }

  @Test
  void redefinition_whoseRewriteFails_isRefusedAndSaid_withoutStoppingTheJvm() throws Exception {
    // failFast is for loading; a debugging session is not stopped for a HotSwap (found by review)
    byte[] located = bytesOf(dev.coroutine.transform.samples.Located.class);
    var agent =
        agent(
            new AgentOptions(false, true, null),
            (l, bytes) -> {
              if (rewrites.get() > 1) {
                throw new IllegalStateException("broken on the second call");
              }
              return CoroutineClassFileTransformer.DEFAULT_REWRITER.rewrite(l, bytes);
            });
    String name = "com/example/Located"; // (the samples' own package counts as the transformer's)
    assertThat(agent.transform(APP, name, null, null, located)).isNotNull(); // rewritten, known

    byte[] redefined = agent.transform(APP, name, Object.class, null, located);

    assertThat(redefined).as("bytes every JVM rejects").isNotNull();
    assertThat(redefined[0]).isZero();
    assertThat(halts).isEmpty();
    assertThat(log()).contains("redefinition of com.example.Located refused");
  }

  @Test
  void manyThreads_transformAtOnce() throws Exception {
    var agent = agent(AgentOptions.defaults(), CoroutineClassFileTransformerTest::rewritten);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> jobs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        jobs.add(
            () -> {
              for (int j = 0; j < 500; j++) {
                byte[] out = agent.transform(APP, "com/example/Foo" + j, null, null, USES);
                byte[] none = agent.transform(APP, "com/example/Plain" + j, null, null, PLAIN);
                if (!java.util.Arrays.equals(out, REWRITTEN) || none != null) {
                  return false;
                }
              }
              return true;
            });
      }
      for (Future<Boolean> f : pool.invokeAll(jobs)) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(rewrites).hasValue(8 * 500);
  }

  @Test
  void verboseAndDump_logAndWriteBeforeAndAfter(@TempDir Path dir) throws Exception {
    var agent =
        agent(new AgentOptions(true, false, dir), CoroutineClassFileTransformerTest::rewritten);

    agent.transform(APP, "com/example/Foo", null, null, USES);
    agent.transform(APP, "com/example/Plain", null, null, PLAIN);

    assertThat(log()).contains("[coroutine-agent] com.example.Foo: rewrote 2 method(s) in");
    assertThat(log()).doesNotContain("Plain");
    assertThat(Files.readAllBytes(dir.resolve("before/com/example/Foo.class"))).isEqualTo(USES);
    assertThat(Files.readAllBytes(dir.resolve("after/com/example/Foo.class"))).isEqualTo(REWRITTEN);
    assertThat(dir.resolve("before/com/example/Plain.class")).doesNotExist();
  }

  @Test
  void dump_twoClassesOfOneName_fromTwoLoaders_keepTheirOwnPairs(@TempDir Path dir)
      throws Exception {
    var agent =
        agent(new AgentOptions(false, false, dir), CoroutineClassFileTransformerTest::rewritten);
    ClassLoader other = new ClassLoader(APP) {};

    agent.transform(APP, "com/example/Foo", null, null, USES);
    byte[] second = USES.clone();
    second[second.length - 1] ^= 1; // another class of the same name
    agent.transform(other, "com/example/Foo", null, null, second);

    assertThat(Files.readAllBytes(dir.resolve("before/com/example/Foo.class"))).isEqualTo(USES);
    assertThat(Files.readAllBytes(dir.resolve("before/com/example/Foo@2.class"))).isEqualTo(second);
    assertThat(dir.resolve("after/com/example/Foo.class")).exists();
    assertThat(dir.resolve("after/com/example/Foo@2.class")).exists();
    try (var files = Files.list(dir.resolve("before/com/example"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("no partial file left")
          .containsExactlyInAnyOrder("Foo.class", "Foo@2.class");
    }
  }

  private static byte[] bytesOf(Class<?> c) {
    String name = c.getName();
    try (InputStream in =
        c.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
