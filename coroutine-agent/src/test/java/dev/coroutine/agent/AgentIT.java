package dev.coroutine.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jdi.Location;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.ClassPrepareRequest;
import dev.coroutine.Coroutines;
import dev.coroutine.transform.JdwpListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Launches real JVMs with {@code -javaagent:} on the packaged agent jar (so it runs after {@code
 * package}, under failsafe) and checks what the applications in {@code src/it/apps} print. Each
 * application is compiled here with {@code --release 17}; each launch runs on the build's JDK and,
 * when installed, on JDK 25.
 */
class AgentIT {
  /** A JDK to launch applications on. */
  record Jdk(String name, Path home) {
    Path java() {
      return home.resolve("bin/java");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** What a launched JVM did. */
  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** The packaged agent jar. */
  private static final Path AGENT = Path.of(System.getProperty("agent.jar", "target/agent.jar"));

  /** Scratch space for compiled applications and dumps. */
  private static final Path WORK = Path.of(System.getProperty("it.work", "target/it-work"));

  /** The application sources. */
  private static final Path APPS = Path.of(System.getProperty("it.apps", "src/it/apps"));

  /** The application's own ASM, a different version from the agent's. */
  private static final Path APP_ASM =
      Path.of(System.getProperty("it.asm.jar", "target/it-libs/app-asm.jar"));

  /** The runtime's jar (or classes folder), as applications have it on their class path. */
  private static Path runtime;

  static Stream<Jdk> jdks() {
    List<Jdk> jdks = new ArrayList<>();
    Path current = Path.of(System.getProperty("java.home"));
    jdks.add(new Jdk("JDK " + Runtime.version().feature(), current));
    Path jdk25 = Path.of(System.getProperty("jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    if (Files.isExecutable(jdk25.resolve("bin/java")) && !jdk25.equals(current)) {
      jdks.add(new Jdk("JDK 25", jdk25));
    }
    return jdks.stream();
  }

  @BeforeAll
  static void compileApps() throws Exception {
    assertThat(AGENT).as("the agent jar; run after package").isRegularFile();
    runtime = Path.of(Coroutines.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    compile("basic", List.of(runtime));
    compile("asmclash", List.of(runtime, APP_ASM));
    compile("refused", List.of(runtime));
    compile("unreadable", List.of(runtime));
    compile("unreadable-plug", List.of(runtime)); // given to the app as bytes, not a class path
    compile("hotswap", List.of(runtime));
    compile("hotswap-v2", List.of(runtime)); // javac's bytes of new versions, as an IDE has them
    compile("hotswap-v3", List.of(runtime));
    compile("smallstack", List.of(runtime));
    compile("stale", List.of(runtime));
    compile("stale-lib-old", List.of(runtime)); // what the class path's resources serve
    compile("stale-plug", List.of(runtime)); // what the child-first loader loads
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void asyncMain_isRewrittenAtLoad_andPrintsTheResult(Jdk jdk) throws Exception {
    Run run = launch(jdk, "", List.of(classes("basic"), runtime), "demo.Main");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).as(run.toString()).contains("hello from a plain class", "add(1, 2) = 3");
    assertThat(run.err()).as("quiet by default: " + run).doesNotContain("[coroutine-agent]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void classLoadedOnAThreadWithASmallStack_isRewrittenAllTheSame(Jdk jdk) throws Exception {
    Run run = launch(jdk, "", List.of(classes("smallstack"), runtime), "demo.SmallStack");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).as(run.toString()).contains("heavy ran").doesNotContain("FAILED");
    assertThat(run.err()).as(run.toString()).doesNotContain("internal error");
  }

  /**
   * Found from outside: on threads of 64 KB the agent's fallback to a thread of its own overflowed
   * too (it linked a lambda on what was left of the stack), and at the JVM's smallest main-thread
   * stack ({@code -Xss136k}) JDK 25 aborted in the agent's premain.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void smallerStacksStill_theThreadsAndTheMainThreads(Jdk jdk) throws Exception {
    Run thread64k =
        launch(
            jdk, "", List.of(classes("smallstack"), runtime), "demo.SmallStack", "65536", "hello");
    assertThat(thread64k.out()).as(thread64k.toString()).contains("hello: 25 <sq><circ>");
    assertThat(thread64k.err()).as(thread64k.toString()).doesNotContain("internal error");

    Run xss =
        launch(
            jdk,
            "",
            List.of("-Xss136k"),
            List.of(classes("smallstack"), runtime),
            "demo.SmallStack");
    assertThat(xss.exit()).as(xss.toString()).isZero();
    assertThat(xss.out()).as(xss.toString()).contains("heavy ran");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void appWithItsOwnAsm_doesNotClashWithTheAgentsShadedAsm(Jdk jdk) throws Exception {
    Run run = launch(jdk, "", List.of(classes("asmclash"), runtime, APP_ASM), "demo.AsmMain");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out())
        .as(run.toString())
        .contains("app ASM read demo/AsmMain", "app-asm.jar", "add(1, 2) = 3");
    assertThat(run.err()).as(run.toString()).doesNotContain("ERROR");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void classOfTheBootClassPath_isLeftAlone_andItsAwaitSaysWhy(Jdk jdk) throws Exception {
    String boot = classes("basic") + ":" + runtime;
    Run run = launch(jdk, "verbose", List.of("-Xbootclasspath/a:" + boot), List.of(), "demo.Main");

    // found from outside: it said "run with -javaagent", to a JVM that ran with it
    assertThat(run.exit()).as(run.toString()).isNotZero();
    assertThat(run.err())
        .as(run.toString())
        .contains("a class loaded by the boot class loader (-Xbootclasspath/a)")
        .contains("await() called in demo.Main.add (Main.java:")
        .doesNotContain("demo.Main: rewrote");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void refusedClass_isLoggedWithFileAndLine_andLoadedUnchanged(Jdk jdk) throws Exception {
    Run run = launch(jdk, "", List.of(classes("refused"), runtime), "demo.RefusedMain");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).as(run.toString()).contains("hello from Bad");
    assertThat(run.err())
        .as(run.toString())
        .contains("[coroutine-agent] ERROR Bad.java:" + misuseLine() + ": ")
        .contains("demo.Bad is loaded unchanged");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void classOfACustomLoader_whoseSupertypesCannotBeRead_isRewrittenFromWhatItsFramesDeclare(Jdk jdk)
      throws Exception {
    // the merged arrays of A and B reach a slot the frames declare Base[]: the verifier checked
    // that A and B are Bases, so the rewrite may rely on it without their class files
    Run run =
        launch(
            jdk,
            "verbose",
            List.of(classes("unreadable"), runtime),
            "demo.UnreadableMain",
            classes("unreadable-plug").toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err()).as(run.toString()).doesNotContain("ERROR");
    assertThat(run.out())
        .as("rewritten: a second pick method (the body), and the coroutine runs: " + run)
        .contains("pick methods: 2")
        .contains("result: A");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void childFirstLoader_whoseResourcesServeAnOlderSupertype_isRewrittenFromTheClassesFrames(Jdk jdk)
      throws Exception {
    // found from outside: the rewrite trusted the older lib.Cat's class file (not an Animal) over
    // the plugin's frames (Dog or Cat merge to Animal) and the class failed verification
    Run run =
        launch(
            jdk,
            "",
            List.of(classes("stale"), classes("stale-lib-old"), runtime),
            "demo.StaleMain",
            classes("stale-plug").toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err()).as(run.toString()).isEmpty();
    assertThat(run.out()).as(run.toString()).contains("result: moves dog", "result: moves cat");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void debuggersHotSwap_ofARewrittenClass_isRewrittenToo_andItsNewMethodRuns(Jdk jdk)
      throws Exception {
    // an IDE's HotSwap sends javac's new bytes through JDWP; the agent rewrites them as it did the
    // first definition, so the class keeps its methods (before: "attempted to delete a method",
    // found from outside with jdb and Instrumentation.redefineClasses)
    HotSwap swap = hotSwap(jdk, "hotswap-v2");

    assertThat(swap.redefined()).as(swap.toString()).isEqualTo("yes");
    assertThat(swap.out()).as(swap.toString()).contains("version 1 says 1", "version 2 says 2");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void debuggersHotSwap_changingACoroutinesCode_isRefusedSayingWhy_andTheOldCodeRuns(Jdk jdk)
      throws Exception {
    // a coroutine suspended at an await keeps its state laid out for the code it runs: resumed in
    // changed code it could restore the wrong values (found by a review: ClassCastException)
    HotSwap swap = hotSwap(jdk, "hotswap-v3");

    assertThat(swap.redefined())
        .as("refused with bytes every JVM rejects: " + swap)
        .startsWith("java.lang.ClassFormatError");
    assertThat(swap.err())
        .as(swap.toString())
        .contains(
            "redefinition of demo.Swap refused: it changes the code of its coroutines [greet]")
        .contains("demo.Swap keeps its current code");
    assertThat(swap.out()).as(swap.toString()).contains("version 1 says 1", "version 1 says 2");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void debuggersHotSwap_changingACoroutinesCode_isRefusedAlsoWhereTheJvmMayDeleteMethods(Jdk jdk)
      throws Exception {
    // there javac's bytes, missing the bodies, would be taken (found by a review): the agent hands
    // the JVM bytes it must reject instead
    HotSwap swap = hotSwap(jdk, "hotswap-v3", "-XX:+AllowRedefinitionToAddDeleteMethods");

    assertThat(swap.redefined()).as(swap.toString()).startsWith("java.lang.ClassFormatError");
    assertThat(swap.out()).as(swap.toString()).contains("version 1 says 1", "version 1 says 2");
  }

  /** What a HotSwap session did: the redefinition's outcome, the debuggee's output. */
  record HotSwap(String redefined, String out, String err) {}

  /**
   * Runs demo.Swap under JDI with the agent, redefines it with the class of {@code version} when it
   * stops in {@code pause()}, and lets it finish.
   */
  private static HotSwap hotSwap(Jdk jdk, String version, String... jvmOptions) throws Exception {
    JdwpListener listener = JdwpListener.start(60_000);
    Path logs = Files.createTempDirectory(Files.createDirectories(WORK), "hotswap");
    List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(
        List.of(
            "-javaagent:" + AGENT,
            listener.jdwpOption(),
            "-cp",
            classes("hotswap") + ":" + runtime,
            "demo.Swap"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(logs.resolve("out").toFile())
            .redirectError(logs.resolve("err").toFile())
            .start();
    String redefined = "not reached";
    try {
      VirtualMachine vm = listener.accept();
      assertThat(vm.canRedefineClasses()).isTrue();
      ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
      prepare.addClassFilter("demo.Swap");
      prepare.enable();
      vm.resume();
      byte[] newVersion = Files.readAllBytes(classes(version).resolve("demo/Swap.class"));
      boolean running = true;
      while (running) {
        EventSet set = vm.eventQueue().remove(60_000);
        assertThat(set).as("an event within a minute").isNotNull();
        for (Event e : set) {
          if (e instanceof ClassPrepareEvent) {
            ReferenceType swap = ((ClassPrepareEvent) e).referenceType();
            Location pause = swap.methodsByName("pause").get(0).location();
            vm.eventRequestManager().createBreakpointRequest(pause).enable();
          } else if (e instanceof BreakpointEvent) {
            ReferenceType swap = ((BreakpointEvent) e).location().declaringType();
            try {
              vm.redefineClasses(Map.of(swap, newVersion));
              redefined = "yes";
            } catch (RuntimeException | LinkageError refused) {
              redefined = refused.toString();
            }
          } else if (e instanceof VMDeathEvent || e instanceof VMDisconnectEvent) {
            running = false;
          }
        }
        if (running) {
          set.resume();
        }
      }
    } finally {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    return new HotSwap(
        redefined,
        Files.readString(logs.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(logs.resolve("err"), StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void failFast_refusedClass_stopsTheJvm(Jdk jdk) throws Exception {
    Run run = launch(jdk, "failFast", List.of(classes("refused"), runtime), "demo.RefusedMain");

    assertThat(run.exit()).as(run.toString()).isEqualTo(CoroutineAgent.FAIL_FAST_EXIT_STATUS);
    assertThat(run.out()).as(run.toString()).doesNotContain("hello from Bad");
    assertThat(run.err())
        .as(run.toString())
        .contains("[coroutine-agent] ERROR Bad.java:" + misuseLine() + ": ")
        .contains("failFast: stopping the JVM");
  }

  /**
   * Dumps show which classes the agent examined: the class that mentions coroutines, but neither
   * the plain class (rejected by the constant-pool pre-filter, so never parsed) nor any JDK class.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void preFilter_classesThatMentionNoCoroutine_areNotExamined(Jdk jdk) throws Exception {
    Path dump = fresh("dump-prefilter-" + jdk.home().getFileName());

    Run run = launch(jdk, "dump=" + dump, List.of(classes("basic"), runtime), "demo.Main");

    assertThat(run.out()).as(run.toString()).contains("hello from a plain class");
    assertThat(dump.resolve("before/demo/Main.class")).as(run.toString()).isRegularFile();
    assertThat(dump.resolve("before/demo/Plain.class")).doesNotExist();
    try (Stream<Path> files = Files.walk(dump.resolve("before"))) {
      assertThat(files.filter(Files::isRegularFile).map(p -> dump.relativize(p).toString()))
          .containsExactly("before/demo/Main.class");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void verboseAndDump_logEachRewrittenClass_andWriteBeforeAndAfter(Jdk jdk) throws Exception {
    Path dump = fresh("dump-verbose-" + jdk.home().getFileName());

    Run run = launch(jdk, "verbose,dump=" + dump, List.of(classes("basic"), runtime), "demo.Main");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err())
        .as(run.toString())
        .contains("[coroutine-agent] started (verbose=true, failFast=false, dump=" + dump + ")")
        .contains("[coroutine-agent] demo.Main: rewrote 1 method(s)")
        .doesNotContain("demo.Plain")
        .doesNotContain("java.");
    assertThat(dump.resolve("after/demo/Main.class")).isRegularFile();
    assertThat(Files.readAllBytes(dump.resolve("after/demo/Main.class")))
        .isNotEqualTo(Files.readAllBytes(dump.resolve("before/demo/Main.class")));
    assertThat(Files.readAllBytes(dump.resolve("before/demo/Main.class")))
        .isEqualTo(Files.readAllBytes(classes("basic").resolve("demo/Main.class")));
  }

  @Test
  void unknownOption_jvmRefusesToStart() throws Exception {
    Jdk jdk = jdks().findFirst().orElseThrow();

    Run run = launch(jdk, "verbose,bogus", List.of(classes("basic"), runtime), "demo.Main");

    assertThat(run.exit()).as(run.toString()).isEqualTo(CoroutineAgent.BAD_OPTION_EXIT_STATUS);
    assertThat(run.out()).doesNotContain("hello");
    assertThat(run.err())
        .contains("[coroutine-agent] ERROR unknown option 'bogus'")
        .doesNotContain("FATAL ERROR");
  }

  @Test
  void agentJar_hasPremainClass_shadedAsm_andNoRuntime() throws Exception {
    try (var jar = new java.util.jar.JarFile(AGENT.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Premain-Class"))
          .isEqualTo(CoroutineAgent.class.getName());
      List<String> names = jar.stream().map(e -> e.getName()).collect(Collectors.toList());
      assertThat(names)
          .contains(
              "dev/coroutine/agent/CoroutineAgent.class",
              "dev/coroutine/transform/CoroutineTransformer.class",
              "dev/coroutine/agent/shaded/asm/ClassReader.class",
              "dev/coroutine/agent/shaded/asm/tree/MethodNode.class",
              "dev/coroutine/agent/shaded/asm/tree/analysis/Analyzer.class")
          .noneMatch(n -> n.startsWith("org/objectweb/"))
          .noneMatch(n -> n.equals("dev/coroutine/Coroutines.class"))
          .noneMatch(n -> n.endsWith("module-info.class"))
          .noneMatch(n -> n.endsWith(".SF") || n.endsWith(".RSA") || n.endsWith(".DSA"));
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The line of the marked misuse in {@code Bad.java}, which the diagnostic must name. */
  private static int misuseLine() throws IOException {
    return lineOf("refused/demo/Bad.java", "// MISUSE");
  }

  /** The first line of app source {@code file} that contains {@code marker}. */
  private static int lineOf(String file, String marker) throws IOException {
    List<String> lines = Files.readAllLines(APPS.resolve(file));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(marker)) {
        return i + 1;
      }
    }
    throw new AssertionError("no " + marker + " in " + file);
  }

  private static Path classes(String app) {
    return WORK.resolve(app);
  }

  private static Path fresh(String name) throws IOException {
    Path dir = WORK.resolve(name);
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(AgentIT::delete);
      }
    }
    return dir;
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void compile(String app, List<Path> classpath) throws IOException {
    Path out = classes(app);
    Files.createDirectories(out);
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--release", "17", "-g", "-d", out.toString()));
    args.add("-cp");
    args.add(classpath.stream().map(Path::toString).collect(Collectors.joining(":")));
    try (Stream<Path> sources = Files.walk(APPS.resolve(app))) {
      sources.filter(p -> p.toString().endsWith(".java")).map(Path::toString).forEach(args::add);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, args.toArray(String[]::new));
    assertThat(status).as("javac " + args).isZero();
  }

  private static Run launch(
      Jdk jdk, String agentArgs, List<Path> classpath, String main, String... args)
      throws Exception {
    return launch(jdk, agentArgs, List.of(), classpath, main, args);
  }

  private static Run launch(
      Jdk jdk,
      String agentArgs,
      List<String> jvmOptions,
      List<Path> classpath,
      String main,
      String... args)
      throws Exception {
    Path logs = Files.createTempDirectory(Files.createDirectories(WORK), "run");
    List<String> cmd = new ArrayList<>();
    cmd.add(jdk.java().toString());
    cmd.add("-javaagent:" + AGENT + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classpath.stream().map(Path::toString).collect(Collectors.joining(":")));
    cmd.add(main);
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(logs.resolve("out").toFile())
            .redirectError(logs.resolve("err").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    return new Run(
        p.exitValue(),
        Files.readString(logs.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(logs.resolve("err"), StandardCharsets.UTF_8));
  }
}
