package dev.coroutine.bench.harness;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The comparison: runs every workload on every system and writes {@code RESULTS.md}. {@link
 * JmhRuns} measures W1 (and W1'), W2, W5 and W6 (JMH forks on the JDK each row names); {@link
 * ChildRuns} W3 and W4 in child processes ({@link Child}, {@code bench_asyncio.py}); {@link
 * PythonRuns} asyncio's W1, W2, W5, W6; {@link TransformerRuns} T1 and T2; {@link EchoRuns} the
 * echoes (IO, MC, TLS); {@link CodeSize} S1. {@link Systems} says who runs each part where, {@link
 * RunSizes} how much, and {@link Report} writes the file.
 *
 * <pre>
 * java -cp ... dev.coroutine.bench.harness.Compare --mode=quick|full [--only=W1,W3,PY,IO,S1,...]
 *      [--out=RESULTS.md] [--work=target/bench-work]
 * system properties: bench.jdk17, bench.jdk25 (JDK homes), bench.python, bench.agentJar,
 *      bench.plainClasses (javac's output of our workloads, for the agent rows),
 *      bench.t2Jars (comma-separated), bench.pythonScript, bench.echoScript
 * </pre>
 */
public final class Compare {
  /** What to run and where. */
  private final RunSetup setup;

  /** What was measured (every part appends). */
  private final Results results = new Results();

  /** Who runs each part, on which JDK. */
  private final Systems systems;

  /** Runs the child processes, logging under the work directory. */
  private final Children children;

  private Compare(RunSetup setup) {
    this.setup = setup;
    this.systems =
        new Systems(
            setup.machine(),
            setup.sizes().processRowsOnJdk17(),
            setup.agentJar(),
            setup.plainClasses(),
            setup.classpath(),
            results.notes);
    this.children = new Children(setup.work());
  }

  /** The run the command line and this JVM's system properties describe. */
  private static RunSetup setup(Map<String, String> args) throws IOException {
    RunSizes sizes =
        "quick".equals(args.getOrDefault("mode", "full")) ? RunSizes.QUICK : RunSizes.FULL;
    String o = args.getOrDefault("only", "all");
    Set<String> only =
        "all".equals(o)
            ? Set.of()
            : Arrays.stream(o.split(",")).map(String::trim).collect(Collectors.toSet());
    Path work = Path.of(args.getOrDefault("work", "target/bench-work"));
    Files.createDirectories(work);
    List<String> t2Jars =
        Arrays.stream(System.getProperty("bench.t2Jars", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toList());
    return new RunSetup(
        sizes,
        only,
        Path.of(args.getOrDefault("out", "RESULTS.md")),
        work,
        Machine.fromSystemProperties(),
        System.getProperty("java.class.path"),
        System.getProperty("bench.pythonScript", "src/main/python/bench_asyncio.py"),
        System.getProperty("bench.echoScript", "io/echo_asyncio.py"),
        System.getProperty("bench.agentJar", ""),
        System.getProperty("bench.plainClasses", "target/plain-classes"),
        t2Jars);
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String a : argv) {
      if (a.startsWith("--") && a.contains("=")) {
        args.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      } else if ("--quick".equals(a)) {
        args.put("mode", "quick");
      } else {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    if (!"quick".equals(args.get("mode"))) {
      Machine.awaitQuiet(0.3, 300); // a full run starts on a quiet machine (issue 18)
    }
    Compare c = new Compare(setup(args));
    long t0 = System.nanoTime();
    c.runAll();
    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
    new Report(c.setup, c.results).write(seconds);
    System.out.println(
        "[bench] wrote " + c.setup.out().toAbsolutePath() + " after " + seconds + " s");
  }

  private void runAll() {
    RunSetup s = setup;
    ChildRuns childRuns = new ChildRuns(s, systems, children, results);
    TransformerRuns transformerRuns = new TransformerRuns(s, systems, children, results);
    step("JMH (W1, W1', W2, W5, W6)", new JmhRuns(s, systems, results)::run);
    if (s.wanted("W3")) {
      step("W3 sleepers", childRuns::sleepers);
    }
    if (s.wanted("W4")) {
      step("W4 gather", childRuns::gather);
    }
    if (Stream.of("PY", "W1", "W2", "W5", "W6").anyMatch(s::wanted)) {
      step("asyncio micro-benchmarks", new PythonRuns(s, systems, children, results)::run);
    }
    if (s.wanted("T1")) {
      step("T1 transform speed", transformerRuns::transformSpeed);
    }
    if (s.wanted("T2")) {
      step("T2 agent overhead", transformerRuns::agentOverhead);
    }
    if (s.wanted("IO")) {
      step("IO echo round trips", () -> results.rows.addAll(echoRuns().run(systems.echo())));
    }
    if (s.wanted("MC")) {
      step(
          "MC multi-core echo",
          () -> results.rows.addAll(echoRuns().runMultiCore(systems.multiCore())));
    }
    if (s.wanted("TLS")) {
      step(
          "TLS echo round trips",
          () ->
              results.rows.addAll(
                  EchoRuns.tls(plan(), s.classpath(), children, results.notes).run(systems.tls())));
    }
    if (s.wanted("S1")) {
      step(
          "S1 code size",
          () -> results.codeSizeSection = CodeSize.section(CodeSize.measure(s.work())));
    }
  }

  /** The echoes' timing: seconds per point, warm-up seconds, runs per system. */
  private EchoRuns.Plan plan() {
    RunSizes sizes = setup.sizes();
    return new EchoRuns.Plan(
        sizes.ioMillis() / 1000.0, sizes.ioWarmupMillis() / 1000.0, sizes.ioRuns());
  }

  /** The IO and MC echoes' runner (asyncio's script for its rows). */
  private EchoRuns echoRuns() {
    return new EchoRuns(
        plan(),
        setup.classpath(),
        setup.machine().python(),
        setup.echoScript(),
        children,
        results.notes);
  }

  /** A step that may fail without stopping the others. */
  private interface Step {
    void run() throws Exception;
  }

  private void step(String name, Step s) {
    System.out.println("[bench] " + name + " ...");
    long t0 = System.nanoTime();
    try {
      s.run();
    } catch (Exception | Error e) {
      StringWriter w = new StringWriter();
      e.printStackTrace(new PrintWriter(w));
      System.out.println("[bench] " + name + " FAILED: " + w);
      results.notes.add(name + " failed: " + e);
    }
    System.out.printf(
        Locale.ROOT, "[bench] %s done in %.0f s%n", name, (System.nanoTime() - t0) / 1e9);
  }
}
