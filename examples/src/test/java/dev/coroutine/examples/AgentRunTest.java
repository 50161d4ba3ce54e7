package dev.coroutine.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples under the agent instead of the plugin: their sources are compiled here with plain
 * {@code javac} (so nothing is rewritten at build time) and run in a child JVM with {@code
 * -javaagent:coroutine-agent.jar}; the output must be the one the plugin-built classes print. The
 * same programs from the plugin's {@code target/classes} also run on JDK 25 when it is installed.
 * The command line equivalent: {@code mvn -q -pl examples -am verify -DskipTests -Pagent
 * -Dexample=GatherFactorial}.
 */
class AgentRunTest {
  /** The agent jar (set by the build; see the POM). */
  private static Path agent;

  /** The runtime on the test class path: a jar or a classes folder. */
  private static Path runtime;

  /** The examples compiled by javac alone, not instrumented. */
  private static Path plainClasses;

  @BeforeAll
  static void compilePlainClasses() throws IOException {
    String agentProperty = System.getProperty("agent.jar", "");
    agent = agentProperty.isEmpty() ? null : Path.of(agentProperty);
    assumeTrue(
        agent != null && Files.isRegularFile(agent),
        "the agent jar is packaged (run at least `package` on coroutine-agent): " + agentProperty);
    runtime =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(Path::of)
            .filter(p -> p.toString().contains("coroutine-runtime"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("coroutine-runtime not on the class path"));

    Path sourceRoot = Path.of(System.getProperty("examples.sources", "src/main/java"));
    Path sources = sourceRoot.resolve("dev/coroutine/examples");
    Path work = Path.of(System.getProperty("examples.work", "target/agent-run"));
    plainClasses = work.resolve("classes");
    Files.createDirectories(plainClasses);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--release",
                "17",
                "-nowarn",
                "-d",
                plainClasses.toString(),
                "-classpath",
                runtime.toString(),
                // the classes they use from sub-packages (the crawler's streams fetcher)
                "-sourcepath",
                sourceRoot.toString()));
    try (Stream<Path> files = Files.list(sources)) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, args.toArray(new String[0]));
    assertThat(status).as("javac of the examples").isZero();
  }

  /** Exit status and standard output of a child JVM. */
  record Run(int exit, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  static Run java(Path javaHome, List<String> options, Path classes, String example)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaHome.resolve("bin/java").toString());
    cmd.addAll(options);
    cmd.add("-classpath");
    cmd.add(classes + File.pathSeparator + runtime);
    cmd.add("dev.coroutine.examples." + example);
    Path out = Files.createTempFile(plainClasses.getParent(), example, ".out");
    Path err = Files.createTempFile(plainClasses.getParent(), example, ".err");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(example + " did not finish within 60 s: " + cmd);
    }
    Run r =
        new Run(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    return r;
  }

  static Path currentJdk() {
    return Path.of(System.getProperty("java.home"));
  }

  static Stream<Object[]> examples() {
    return Stream.of(
        new Object[] {"GatherFactorial", Expected.GATHER_FACTORIAL},
        new Object[] {"TaskCallback", Expected.TASK_CALLBACK},
        new Object[] {"CreateTask", Expected.CREATE_TASK},
        new Object[] {"SimpleWait", Expected.SIMPLE_WAIT},
        new Object[] {"AsyncGenerators", Expected.ASYNC_GENERATORS});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void underTheAgent_printsWhatThePluginBuiltClassesPrint(String example, List<String> expected)
      throws Exception {
    Run r = java(currentJdk(), List.of("-javaagent:" + agent), plainClasses, example);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.lines()).containsExactlyElementsOf(expected);
    assertThat(r.err()).isEmpty();
  }

  @Test
  void withoutAgentOrPlugin_awaitFailsNamingTheMethodAndTheFix() throws Exception {
    Run r = java(currentJdk(), List.of(), plainClasses, "RunMain");

    assertThat(r.exit()).isNotZero();
    assertThat(r.err())
        .contains("await() called in dev.coroutine.examples.RunMain.main (RunMain.java:")
        .contains("which was not instrumented")
        .contains("coroutine-maven-plugin")
        .contains("-javaagent");
  }

  @Test
  void onJdk25_pluginBuiltAndAgentRunExamplesBehaveTheSame() throws Exception {
    Path jdk25 = Path.of(System.getProperty("jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")), "JDK 25 not installed at " + jdk25);
    Path pluginClasses =
        Path.of(GatherFactorial.class.getProtectionDomain().getCodeSource().getLocation().toURI());

    // under -Pagent the build's own classes are not rewritten either: they need the agent too
    List<String> options =
        Boolean.getBoolean("examples.underAgent") ? List.of("-javaagent:" + agent) : List.of();
    Run plugin = java(jdk25, options, pluginClasses, "GatherFactorial");
    Run agentRun = java(jdk25, List.of("-javaagent:" + agent), plainClasses, "GatherFactorial");

    assertThat(plugin.lines())
        .as(plugin.err())
        .containsExactlyElementsOf(Expected.GATHER_FACTORIAL);
    assertThat(agentRun.lines())
        .as(agentRun.err())
        .containsExactlyElementsOf(Expected.GATHER_FACTORIAL);
  }
}
