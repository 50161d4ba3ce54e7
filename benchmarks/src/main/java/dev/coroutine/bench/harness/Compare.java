package dev.coroutine.bench.harness;

import dev.coroutine.transform.CoroutineTransformer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * The comparison: runs every workload on every system and writes {@code RESULTS.md}. JMH (in forked
 * JVMs of the JDK each row names) measures W1, W2, W5 and W6; child processes ({@link Child}, and
 * {@code bench_asyncio.py} for Python) measure W3, W4, T1, T2 and every Python row; {@link
 * EchoRuns} runs the IO part (echo round trips, issue 7); {@link CodeSize} measures S1, the bytes
 * the transformer adds per await (issue 12).
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
  /** What virtual threads run with: one carrier thread, as every other system has one thread. */
  static final List<String> VT_FLAGS =
      List.of(
          "-Djdk.virtualThreadScheduler.parallelism=1",
          "-Djdk.virtualThreadScheduler.maxPoolSize=1");

  /** Flags of every JMH fork. */
  static final List<String> JMH_FLAGS = List.of("-Xms1g", "-Xmx1g");

  /** Flags of every process-level JVM child. */
  static final List<String> PROC_FLAGS = List.of("-Xmx4g");

  /**
   * What virtual threads run with in the IO part: two carriers, as ours and Netty run one loop
   * thread for the server and one for the clients.
   */
  static final List<String> IO_VT_FLAGS =
      List.of(
          "-Djdk.virtualThreadScheduler.parallelism=2",
          "-Djdk.virtualThreadScheduler.maxPoolSize=2");

  /** How much of everything to run. */
  record Sizes(
      String name,
      int jmhForks,
      int jmhWarmups,
      int jmhWarmupMs,
      int jmhIterations,
      int jmhIterationMs,
      int w3N,
      int w3Reps,
      int w4N,
      int w4Warmups,
      int w4Reps,
      int w4Processes,
      int pyW1N,
      int pyW2RoundTrips,
      int pyW5N,
      int pyW6Chains,
      int pyReps,
      int pyW3Reps,
      int pyW4Warmups,
      int pyW4Reps,
      int t1Classes,
      int t1Processes,
      int t1Passes,
      int t2MaxClasses,
      int t2Reps,
      int ioMillis,
      int ioWarmupMillis,
      int ioRuns,
      boolean processRowsOnJdk17) {

    static final Sizes QUICK =
        new Sizes(
            "quick", 1, 2, 200, 3, 200, 100_000, 1, 100_000, 1, 2, 1, 100_000, 20_000, 1_000_000,
            10, 3, 1, 0, 1, 1_000, 1, 3, 4_000, 3, 1000, 500, 1, false);
    static final Sizes FULL =
        new Sizes(
            "full",
            3,
            5,
            1000,
            5,
            1000,
            1_000_000,
            3,
            100_000,
            5,
            10,
            3,
            1_000_000,
            200_000,
            10_000_000,
            100,
            5,
            3,
            2,
            5,
            10_000,
            3,
            5,
            20_000,
            9,
            5000,
            2000,
            3,
            true);
  }

  /**
   * A JVM system of the process-level workloads, or Python when {@code java} is null; {@code
   * classpath} replaces the harness's own class path when not null (the agent rows: our workloads
   * as javac wrote them, first).
   */
  record ProcSystem(
      String label, String key, String jdk, String java, List<String> flags, String classpath) {
    ProcSystem(String label, String key, String jdk, String java, List<String> flags) {
      this(label, key, jdk, java, flags, null);
    }

    /** A name for this system's log files, unique among the systems of one part. */
    String tag() {
      String major = jdk.replaceAll("^\\D*(\\d+).*$", "$1");
      return key + "-" + major + (classpath == null ? "" : "-agent");
    }
  }

  /**
   * A JMH system: the benchmark method name and the JVM its forks run on; {@code classpath} is the
   * forks' class path when not null (else the harness's).
   */
  record JmhSystem(
      String label, String method, String jdk, String java, List<String> flags, String classpath) {
    JmhSystem(String label, String method, String jdk, String java, List<String> flags) {
      this(label, method, jdk, java, flags, null);
    }
  }

  /** A JMH workload: id, benchmark class, unit per op. */
  record JmhWorkload(String id, String benchmarkClass, String unit) {}

  static final List<JmhWorkload> JMH_WORKLOADS =
      List.of(
          new JmhWorkload("W1", "W1Yield", "ns/yield"),
          new JmhWorkload("W2", "W2PingPong", "ns/hand-off"),
          new JmhWorkload("W5", "W5FastPath", "ns/await"),
          new JmhWorkload("W6", "W6CallDepth", "ns/level"));

  static final String OURS = "ours";

  /** Our workloads as javac wrote them, rewritten at load time by {@code -javaagent}. */
  static final String OURS_AGENT = "ours (agent)";

  static final String KOTLIN = "kotlinx.coroutines";
  static final String VT = "virtual threads";
  static final String CF = "CompletableFuture";
  static final String PY = "asyncio";
  static final String NETTY = "Netty";
  static final String PLAIN = "plain call (W5 yardstick)";

  private final Sizes sizes;

  /** T2's in-process pre-filter figures: cold and warm µs per class, classes let through. */
  private double[] prefilterUs;

  /** T2's number of classes each load run attempted (loaded and unloadable). */
  private int t2Loaded = 1;

  private final Set<String> only;
  private final Path out;
  private final Path work;
  private final String java17;
  private final String java25;
  private final String jdk17Label;
  private final String jdk25Label;
  private final String python;
  private final String pythonLabel;
  private final String pythonScript;
  private final String echoScript;
  private final String agentJar;

  /** Where javac's output of our workloads is, before the plugin rewrote it (the agent rows). */
  private final String plainClasses;

  /**
   * The agent rows' class path (the plain classes first), or null when they cannot run (then a note
   * says why).
   */
  private String agentClasspath;

  private final List<String> t2Jars;
  private final String classpath = System.getProperty("java.class.path");
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /** S1's section of the report, or null when S1 did not run (the last one is kept). */
  private String codeSizeSection;

  private final String loadAtStart = loadAverage();

  private Compare(Map<String, String> args) throws IOException {
    sizes = "quick".equals(args.getOrDefault("mode", "full")) ? Sizes.QUICK : Sizes.FULL;
    String o = args.getOrDefault("only", "all");
    only =
        "all".equals(o)
            ? Set.of()
            : Arrays.stream(o.split(",")).map(String::trim).collect(Collectors.toSet());
    out = Path.of(args.getOrDefault("out", "RESULTS.md"));
    work = Path.of(args.getOrDefault("work", "target/bench-work"));
    Files.createDirectories(work);
    String home = System.getProperty("java.home");
    java17 = javaOf(System.getProperty("bench.jdk17", home));
    java25 = javaOf(System.getProperty("bench.jdk25", home));
    jdk17Label = "JDK " + javaVersion(java17);
    jdk25Label = "JDK " + javaVersion(java25);
    python = System.getProperty("bench.python", "python3");
    pythonLabel = pythonVersion();
    pythonScript = System.getProperty("bench.pythonScript", "src/main/python/bench_asyncio.py");
    echoScript = System.getProperty("bench.echoScript", "io/echo_asyncio.py");
    agentJar = System.getProperty("bench.agentJar", "");
    plainClasses = System.getProperty("bench.plainClasses", "target/plain-classes");
    String jars = System.getProperty("bench.t2Jars", "");
    t2Jars =
        Arrays.stream(jars.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toList());
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
    Compare c = new Compare(args);
    long t0 = System.nanoTime();
    c.runAll();
    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
    c.write(seconds);
    System.out.println("[bench] wrote " + c.out.toAbsolutePath() + " after " + seconds + " s");
  }

  private boolean wanted(String id) {
    return only.isEmpty() || only.contains(id);
  }

  private void runAll() {
    agentClasspath = agentClasspath();
    step("JMH (W1, W2, W5, W6)", this::jmh);
    if (wanted("W3")) {
      step("W3 sleepers", this::sleepers);
    }
    if (wanted("W4")) {
      step("W4 gather", this::gather);
    }
    if (Stream.of("PY", "W1", "W2", "W5", "W6").anyMatch(this::wanted)) {
      step("asyncio micro-benchmarks", this::pythonMicro);
    }
    if (wanted("T1")) {
      step("T1 transform speed", this::transformSpeed);
    }
    if (wanted("T2")) {
      step("T2 agent overhead", this::agentOverhead);
    }
    if (wanted("IO")) {
      step("IO echo round trips", this::echo);
    }
    if (wanted("MC")) {
      step("MC multi-core echo", this::multiCore);
    }
    if (wanted("TLS")) {
      step("TLS echo round trips", this::tlsEcho);
    }
    if (wanted("S1")) {
      step("S1 code size", () -> codeSizeSection = CodeSize.section(CodeSize.measure(work)));
    }
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
      notes.add(name + " failed: " + e);
    }
    System.out.printf(
        Locale.ROOT, "[bench] %s done in %.0f s%n", name, (System.nanoTime() - t0) / 1e9);
  }

  // ---- the agent rows ----------------------------------------------------------------------

  /** The class that must be javac's output (no coroutine marker) in {@link #plainClasses}. */
  private static final String PLAIN_PROBE = "dev/coroutine/bench/ours/OursWorkloads.class";

  /**
   * The agent rows' class path: javac's output of our workloads ahead of the harness's class path
   * (whose copies the plugin rewrote), or null with a note when the agent jar or that output is
   * missing, or when the output was rewritten already (the rows would then measure the plugin).
   */
  private String agentClasspath() {
    if (!agentJar.endsWith(".jar") || !Files.isRegularFile(Path.of(agentJar))) {
      notes.add("ours (agent) rows skipped: no agent jar (bench.agentJar=" + agentJar + ")");
      return null;
    }
    Path probe = Path.of(plainClasses).resolve(PLAIN_PROBE);
    try {
      if (CoroutineTransformer.isTransformed(Files.readAllBytes(probe))) {
        notes.add("ours (agent) rows skipped: " + probe + " was already rewritten by the plugin");
        return null;
      }
    } catch (IOException e) {
      notes.add(
          "ours (agent) rows skipped: no javac output of our workloads at "
              + probe
              + " (bench.plainClasses; built by the plain-classes execution under -Pbench/-Pquick)");
      return null;
    }
    return Path.of(plainClasses).toAbsolutePath() + java.io.File.pathSeparator + classpath;
  }

  /** {@code flags} plus the agent, which stops the JVM if it cannot rewrite a class. */
  private List<String> agentFlags(List<String> flags) {
    return concat(flags, List.of("-javaagent:" + agentJar + "=failFast"));
  }

  /** Flags as the table shows them: the agent jar by its name, not its path in ~/.m2. */
  private String shown(List<String> flags) {
    String joined = String.join(" ", flags);
    return agentJar.isEmpty() ? joined : joined.replace(agentJar, "coroutine-agent.jar");
  }

  // ---- JMH ---------------------------------------------------------------------------------

  private void jmh() throws RunnerException {
    List<JmhSystem> systems =
        List.of(
            new JmhSystem(OURS, "ours", jdk25Label, java25, JMH_FLAGS),
            new JmhSystem(OURS, "ours", jdk17Label, java17, JMH_FLAGS),
            new JmhSystem(
                OURS_AGENT, "ours", jdk25Label, java25, agentFlags(JMH_FLAGS), agentClasspath),
            new JmhSystem(
                OURS_AGENT, "ours", jdk17Label, java17, agentFlags(JMH_FLAGS), agentClasspath),
            new JmhSystem(KOTLIN, "kotlinx", jdk25Label, java25, JMH_FLAGS),
            new JmhSystem(KOTLIN, "kotlinx", jdk17Label, java17, JMH_FLAGS),
            new JmhSystem(VT, "virtualThreads", jdk25Label, java25, concat(JMH_FLAGS, VT_FLAGS)),
            new JmhSystem(CF, "completableFuture", jdk25Label, java25, JMH_FLAGS),
            new JmhSystem(CF, "completableFuture", jdk17Label, java17, JMH_FLAGS),
            new JmhSystem(PLAIN, "plainCall", jdk25Label, java25, JMH_FLAGS));
    List<JmhWorkload> workloads =
        JMH_WORKLOADS.stream().filter(w -> wanted(w.id())).collect(Collectors.toList());
    if (workloads.isEmpty()) {
      return;
    }
    String classes =
        workloads.stream().map(JmhWorkload::benchmarkClass).collect(Collectors.joining("|"));
    for (JmhSystem s : systems) {
      if (s.label().equals(OURS_AGENT) && agentClasspath == null) {
        continue;
      }
      if (s.method().equals("plainCall")
          && workloads.stream().noneMatch(w -> w.id().equals("W5"))) {
        continue;
      }
      String regex = "^dev\\.coroutine\\.bench\\.jmh\\.(" + classes + ")\\." + s.method() + "$";
      Path log =
          work.resolve(
              "jmh-"
                  + s.method()
                  + (s.classpath() == null ? "" : "-agent")
                  + "-"
                  + s.jdk().replace(' ', '_')
                  + ".log");
      ChainedOptionsBuilder b =
          new OptionsBuilder()
              .include(regex)
              .forks(sizes.jmhForks())
              .warmupIterations(sizes.jmhWarmups())
              .warmupTime(TimeValue.milliseconds(sizes.jmhWarmupMs()))
              .measurementIterations(sizes.jmhIterations())
              .measurementTime(TimeValue.milliseconds(sizes.jmhIterationMs()))
              .jvm(s.java())
              .jvmArgs(s.flags().toArray(new String[0]))
              .addProfiler(GCProfiler.class)
              .shouldFailOnError(false)
              .output(log.toString());
      System.out.println("[bench]   JMH " + s.label() + " on " + s.jdk() + " (log: " + log + ")");
      Collection<RunResult> results;
      // JMH forks with the class path of this JVM (java.class.path): set it for the agent rows
      String ownClasspath = System.getProperty("java.class.path");
      if (s.classpath() != null) {
        System.setProperty("java.class.path", s.classpath());
      }
      try {
        results = new Runner(b.build()).run();
      } finally {
        System.setProperty("java.class.path", ownClasspath);
      }
      Map<String, RunResult> byClass = new HashMap<>();
      for (RunResult r : results) {
        String bench = r.getParams().getBenchmark();
        String cls = bench.substring(0, bench.lastIndexOf('.'));
        byClass.put(cls.substring(cls.lastIndexOf('.') + 1), r);
      }
      for (JmhWorkload w : workloads) {
        if (s.method().equals("plainCall") && !w.id().equals("W5")) {
          continue;
        }
        RunResult r = byClass.get(w.benchmarkClass());
        Stats stats = null;
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (r == null) {
          notes.add(w.id() + " " + s.label() + " on " + s.jdk() + " failed: see " + log);
        } else {
          Statistics st = r.getPrimaryResult().getStatistics();
          stats = new Stats(st.getPercentile(50), st.getMin(), st.getMax(), (int) st.getN());
          for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
              metrics.put("alloc B/op", e.getValue().getScore());
            }
          }
          System.out.printf(
              Locale.ROOT,
              "[bench]     %s %-20s %10.2f %s%n",
              w.id(),
              s.label(),
              stats.median(),
              w.unit());
        }
        rows.add(
            new Row(w.id(), s.label(), s.jdk(), w.unit(), stats, metrics, shown(s.flags()), true));
      }
    }
  }

  // ---- process-level -----------------------------------------------------------------------

  private List<ProcSystem> procSystems() {
    List<ProcSystem> l = new ArrayList<>();
    boolean on17 = sizes.processRowsOnJdk17();
    l.add(new ProcSystem(OURS, "ours", jdk25Label, java25, PROC_FLAGS));
    if (on17) {
      l.add(new ProcSystem(OURS, "ours", jdk17Label, java17, PROC_FLAGS));
    }
    if (agentClasspath != null) {
      List<String> flags = agentFlags(PROC_FLAGS);
      l.add(new ProcSystem(OURS_AGENT, "ours", jdk25Label, java25, flags, agentClasspath));
      if (on17) {
        l.add(new ProcSystem(OURS_AGENT, "ours", jdk17Label, java17, flags, agentClasspath));
      }
    }
    l.add(new ProcSystem(KOTLIN, "kotlinx", jdk25Label, java25, PROC_FLAGS));
    if (on17) {
      l.add(new ProcSystem(KOTLIN, "kotlinx", jdk17Label, java17, PROC_FLAGS));
    }
    l.add(new ProcSystem(VT, "vt", jdk25Label, java25, concat(PROC_FLAGS, VT_FLAGS)));
    l.add(new ProcSystem(CF, "cf", jdk25Label, java25, PROC_FLAGS));
    if (on17) {
      l.add(new ProcSystem(CF, "cf", jdk17Label, java17, PROC_FLAGS));
    }
    l.add(new ProcSystem(PY, "python", pythonLabel, null, List.of()));
    return l;
  }

  private List<String> childCommand(ProcSystem s, String... args) {
    List<String> cmd = new ArrayList<>();
    if (s.java() == null) {
      cmd.add(python);
      cmd.add(pythonScript);
    } else {
      cmd.add(s.java());
      cmd.addAll(s.flags());
      cmd.add("-cp");
      cmd.add(s.classpath() == null ? classpath : s.classpath());
      cmd.add(Child.class.getName());
    }
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /** How long each W3 sleeper sleeps: a floor under every system's W3 time. */
  static final long W3_SLEEP_MILLIS = 1000;

  private void sleepers() throws Exception {
    long millis = W3_SLEEP_MILLIS;
    for (ProcSystem s : procSystems()) {
      String n = Integer.toString(sizes.w3N());
      List<Double> wall = new ArrayList<>();
      List<Double> rss = new ArrayList<>();
      Map<String, Double> metrics = new LinkedHashMap<>();
      try {
        int reps = s.java() == null ? sizes.pyW3Reps() : sizes.w3Reps();
        for (int r = 0; r < reps; r++) {
          List<Map<String, String>> res =
              runChild(
                  "w3-" + s.tag() + "-" + r,
                  childCommand(s, "w3", s.key(), n, "" + millis, "time"));
          wall.add(num(res, "wall_ms") / 1000);
          rss.add(num(res, "peak_rss_kb") / 1024);
        }
        List<Map<String, String>> heap =
            runChild(
                "w3-" + s.tag() + "-heap", childCommand(s, "w3", s.key(), n, "" + millis, "heap"));
        metrics.put("peak RSS MiB", Stats.of(rss).median());
        double woken = num(heap, "woken_at_probe");
        if (woken > 0) {
          notes.add(
              "W3 "
                  + s.label()
                  + " "
                  + s.jdk()
                  + ": "
                  + (long) woken
                  + " sleepers had already woken when the heap was measured; figure omitted");
        } else if (s.java() == null) {
          metrics.put("RSS B/task", num(heap, "rss_per_task_b"));
        } else {
          metrics.put("heap B/task", num(heap, "heap_per_task_b"));
        }
        System.out.printf(
            Locale.ROOT,
            "[bench]     W3 %-20s %-12s %8.2f s %s%n",
            s.label(),
            s.jdk(),
            Stats.of(wall).median(),
            metrics);
      } catch (ChildFailed e) {
        notes.add("W3 " + s.label() + " " + s.jdk() + " failed: " + e.getMessage());
      }
      rows.add(
          new Row(
              "W3",
              s.label(),
              s.jdk(),
              "s (" + n + " tasks)",
              Stats.of(wall),
              metrics,
              shown(s.flags()),
              true));
    }
  }

  private void gather() throws Exception {
    gather("W4", "w4", procSystems());
    List<ProcSystem> finishedSystems = new ArrayList<>();
    for (ProcSystem s : procSystems()) {
      if (s.key().equals("ours") || s.key().equals("cf")) {
        finishedSystems.add(s);
      }
    }
    gather(W4_FINISHED, "w4done", finishedSystems);
  }

  /** W4' (issue 18): a gather of children that finish without suspending. */
  static final String W4_FINISHED = "W4'";

  private void gather(String workload, String child, List<ProcSystem> systems) throws Exception {
    for (ProcSystem s : systems) {
      String n = Integer.toString(sizes.w4N());
      boolean py = s.java() == null;
      int warm = py ? sizes.pyW4Warmups() : sizes.w4Warmups();
      int reps = py ? sizes.pyW4Reps() : sizes.w4Reps();
      int procs = py ? 1 : sizes.w4Processes();
      List<Double> ms = new ArrayList<>();
      Map<String, Double> metrics = new LinkedHashMap<>();
      List<Double> rss = new ArrayList<>();
      try {
        for (int p = 0; p < procs; p++) {
          List<Map<String, String>> res =
              runChild(
                  child + "-" + s.tag() + "-" + p,
                  childCommand(s, child, s.key(), n, "" + warm, "" + reps));
          for (Map<String, String> m : res) {
            if (m.containsKey("wall_ms")) {
              ms.add(Double.parseDouble(m.get("wall_ms")));
            }
          }
          rss.add(num(res, "peak_rss_kb") / 1024);
        }
        metrics.put("peak RSS MiB", Stats.of(rss).median());
        System.out.printf(
            Locale.ROOT,
            "[bench]     %-3s %-20s %-12s %8.1f ms%n",
            workload,
            s.label(),
            s.jdk(),
            Stats.of(ms).median());
      } catch (ChildFailed e) {
        notes.add(workload + " " + s.label() + " " + s.jdk() + " failed: " + e.getMessage());
      }
      rows.add(
          new Row(
              workload,
              s.label(),
              s.jdk(),
              "ms (" + n + " children)",
              Stats.of(ms),
              metrics,
              shown(s.flags()),
              true));
    }
  }

  private void pythonMicro() throws Exception {
    ProcSystem py = procSystems().get(procSystems().size() - 1);
    String reps = "" + sizes.pyReps();
    Object[][] runs = {
      {"W1", "ns/yield", new String[] {"w1", "" + sizes.pyW1N(), reps}},
      {"W2", "ns/hand-off", new String[] {"w2", "" + sizes.pyW2RoundTrips(), reps}},
      {"W5", "ns/await", new String[] {"w5", "" + sizes.pyW5N(), reps}},
      {"W6", "ns/level", new String[] {"w6", "" + sizes.pyW6Chains(), "1000", reps}},
    };
    for (Object[] run : runs) {
      String id = (String) run[0];
      if (!wanted(id) && !only.contains("PY")) {
        continue;
      }
      Stats stats = null;
      try {
        List<Map<String, String>> res = runChild("py-" + id, childCommand(py, (String[]) run[2]));
        List<Double> ns = new ArrayList<>();
        for (Map<String, String> m : res) {
          if (m.containsKey("ns_per_op")) {
            ns.add(Double.parseDouble(m.get("ns_per_op")));
          }
        }
        stats = Stats.of(ns);
        System.out.printf(
            Locale.ROOT, "[bench]     %s asyncio %10.1f %s%n", id, stats.median(), run[1]);
      } catch (ChildFailed e) {
        notes.add(id + " asyncio failed: " + e.getMessage());
      }
      rows.add(new Row(id, PY, pythonLabel, (String) run[1], stats, Map.of(), "", true));
    }
  }

  private void transformSpeed() throws Exception {
    Path corpus = Corpus.ensure(work, sizes.t1Classes());
    ProcSystem ours = procSystems().get(0);
    List<Double> cold = new ArrayList<>();
    List<Double> warm = new ArrayList<>();
    List<Double> coldWall = new ArrayList<>();
    List<Double> warmWall = new ArrayList<>();
    try {
      for (int p = 0; p < sizes.t1Processes(); p++) {
        Path scratch = work.resolve("t1-out");
        List<Map<String, String>> res =
            runChild(
                "t1-" + p,
                childCommand(
                    ours, "t1", corpus.toString(), scratch.toString(), "" + sizes.t1Passes()));
        for (Map<String, String> m : res) {
          if (m.containsKey("classes_per_cpu_s")) {
            boolean first = m.get("pass").equals("1");
            (first ? cold : warm).add(Double.parseDouble(m.get("classes_per_cpu_s")));
            (first ? coldWall : warmWall).add(Double.parseDouble(m.get("classes_per_s")));
            if (!m.get("rewritten").equals(Integer.toString(sizes.t1Classes() / 2))) {
              notes.add(
                  "T1: "
                      + m.get("rewritten")
                      + " classes rewritten, expected half of "
                      + m.get("classes"));
            }
          }
        }
      }
    } catch (ChildFailed e) {
      notes.add("T1 failed: " + e.getMessage());
    }
    String unit = "classes per CPU-second (" + sizes.t1Classes() + " classes)";
    String flags = String.join(" ", PROC_FLAGS);
    rows.add(
        new Row(
            "T1",
            OURS + ", first pass in a fresh JVM",
            jdk25Label,
            unit,
            Stats.of(cold),
            wallRate(coldWall),
            flags,
            false));
    rows.add(
        new Row(
            "T1",
            OURS + ", passes 2.." + sizes.t1Passes() + " (warm)",
            jdk25Label,
            unit,
            Stats.of(warm),
            wallRate(warmWall),
            flags,
            false));
  }

  private static Map<String, Double> wallRate(List<Double> samples) {
    Stats s = Stats.of(samples);
    return s == null ? Map.of() : Map.of("wall classes/s", s.median());
  }

  private void agentOverhead() throws Exception {
    if (!agentJar.endsWith(".jar") || !Files.isRegularFile(Path.of(agentJar))) {
      notes.add("T2 skipped: no agent jar (bench.agentJar=" + agentJar + ")");
      return;
    }
    List<String> jars =
        t2Jars.stream().filter(j -> Files.isRegularFile(Path.of(j))).collect(Collectors.toList());
    if (jars.isEmpty()) {
      notes.add("T2 skipped: none of the jars to load exists: " + t2Jars);
      return;
    }
    // only our harness on the class path: the jars under test are loaded by their own loader
    String harnessOnly =
        Path.of(Child.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    String noopJar = NoopAgent.writeJar(work.resolve("noop-agent.jar")).toString();
    String[] agents = {null, noopJar, agentJar};
    List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    String loaded = "?";
    try {
      for (int r = 0; r < sizes.t2Reps(); r++) {
        for (int a = 0; a < agents.length; a++) {
          List<String> cmd = new ArrayList<>();
          cmd.add(java25);
          cmd.addAll(PROC_FLAGS);
          if (agents[a] != null) {
            cmd.add("-javaagent:" + agents[a]);
          }
          cmd.addAll(
              List.of("-cp", harnessOnly, Child.class.getName(), "t2", "" + sizes.t2MaxClasses()));
          cmd.addAll(jars);
          List<Map<String, String>> res = runChild("t2-" + r + "-" + a, cmd);
          times.get(a).add(num(res, "cpu_ms"));
          loaded =
              res.get(0).get("loaded") + " loaded, " + res.get(0).get("failed") + " unloadable";
          t2Loaded =
              Integer.parseInt(res.get(0).get("loaded"))
                  + Integer.parseInt(res.get(0).get("failed"));
        }
      }
      List<String> cmd = new ArrayList<>();
      cmd.add(java25);
      cmd.addAll(PROC_FLAGS);
      cmd.addAll(
          List.of("-cp", classpath, Child.class.getName(), "t2scan", "" + sizes.t2MaxClasses()));
      cmd.addAll(jars);
      Map<String, String> scan = runChild("t2-scan", cmd).get(0);
      prefilterUs =
          new double[] {
            Double.parseDouble(scan.get("first_us_per_class")),
            Double.parseDouble(scan.get("warm_us_per_class")),
            Double.parseDouble(scan.get("passed"))
          };
    } catch (ChildFailed e) {
      notes.add("T2 failed: " + e.getMessage());
    }
    String unit = "ms CPU to load (" + loaded + ")";
    String what =
        jars.stream()
            .map(j -> Path.of(j).getFileName().toString())
            .collect(Collectors.joining(", "));
    String flags = String.join(" ", PROC_FLAGS);
    rows.add(
        new Row(
            "T2",
            "no agent: " + what,
            jdk25Label,
            unit,
            Stats.of(times.get(0)),
            Map.of(),
            flags,
            true));
    rows.add(
        new Row(
            "T2",
            "a no-op agent (the JVM's own cost)",
            jdk25Label,
            unit,
            Stats.of(times.get(1)),
            Map.of(),
            flags + " -javaagent:noop-agent.jar",
            true));
    rows.add(
        new Row(
            "T2",
            "ours: -javaagent:coroutine-agent.jar",
            jdk25Label,
            unit,
            Stats.of(times.get(2)),
            Map.of(),
            flags + " -javaagent:coroutine-agent.jar",
            true));
  }

  private void echo() throws Exception {
    List<ProcSystem> systems =
        List.of(
            new ProcSystem(OURS, "ours", jdk25Label, java25, PROC_FLAGS),
            new ProcSystem(VT, "vt", jdk25Label, java25, concat(PROC_FLAGS, IO_VT_FLAGS)),
            new ProcSystem(NETTY, "netty", jdk25Label, java25, PROC_FLAGS),
            new ProcSystem(PY, "asyncio", pythonLabel, null, List.of()));
    EchoRuns.Plan plan =
        new EchoRuns.Plan(
            sizes.ioMillis() / 1000.0, sizes.ioWarmupMillis() / 1000.0, sizes.ioRuns());
    rows.addAll(
        new EchoRuns(plan, classpath, python, echoScript, this::runChild, notes).run(systems));
  }

  /** The multi-core row's systems: ours on 2 loops (the row ratios compare to), 1 loop, Netty 2. */
  static final String OURS_ONE_LOOP = "ours, 1 loop";

  static final String NETTY_TWO_LOOPS = "Netty, 2 event loops";

  private void multiCore() throws Exception {
    List<ProcSystem> systems =
        List.of(
            new ProcSystem(
                OURS, "ours", jdk25Label, java25, concat(PROC_FLAGS, List.of("-Decho.loops=2"))),
            new ProcSystem(
                OURS_ONE_LOOP,
                "ours",
                jdk25Label,
                java25,
                concat(PROC_FLAGS, List.of("-Decho.loops=1"))),
            new ProcSystem(
                NETTY_TWO_LOOPS,
                "netty",
                jdk25Label,
                java25,
                concat(PROC_FLAGS, List.of("-Decho.loops=2"))));
    EchoRuns.Plan plan =
        new EchoRuns.Plan(
            sizes.ioMillis() / 1000.0, sizes.ioWarmupMillis() / 1000.0, sizes.ioRuns());
    rows.addAll(
        new EchoRuns(plan, classpath, python, echoScript, this::runChild, notes)
            .runMultiCore(systems));
  }

  /** The TLS echo (issue 15): ours, Netty's SslHandler and virtual threads with SSLSocket. */
  private void tlsEcho() throws Exception {
    List<ProcSystem> systems =
        List.of(
            new ProcSystem(OURS, "ours-tls", jdk25Label, java25, PROC_FLAGS),
            new ProcSystem(VT, "vt-tls", jdk25Label, java25, concat(PROC_FLAGS, IO_VT_FLAGS)),
            new ProcSystem(NETTY, "netty-tls", jdk25Label, java25, PROC_FLAGS));
    EchoRuns.Plan plan =
        new EchoRuns.Plan(
            sizes.ioMillis() / 1000.0, sizes.ioWarmupMillis() / 1000.0, sizes.ioRuns());
    rows.addAll(EchoRuns.tls(plan, classpath, this::runChild, notes).run(systems));
  }

  // ---- children ----------------------------------------------------------------------------

  /** A child process exited abnormally. */
  static final class ChildFailed extends Exception {
    private static final long serialVersionUID = 1L;

    ChildFailed(String message) {
      super(message);
    }
  }

  private List<Map<String, String>> runChild(String name, List<String> cmd)
      throws IOException, InterruptedException, ChildFailed {
    Path err = work.resolve(name + ".err");
    Path outLog = work.resolve(name + ".out");
    Files.writeString(outLog, String.join(" ", cmd) + "\n");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    List<Map<String, String>> results = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Files.writeString(outLog, line + "\n", java.nio.file.StandardOpenOption.APPEND);
        if (line.startsWith("RESULT ")) {
          Map<String, String> m = new LinkedHashMap<>();
          for (String kv : line.substring(7).trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
          results.add(m);
        }
      }
    }
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new ChildFailed(name + " timed out");
    }
    if (p.exitValue() != 0) {
      List<String> tail = Files.readAllLines(err);
      throw new ChildFailed(
          name
              + " exited with "
              + p.exitValue()
              + ": "
              + String.join(" | ", tail.subList(Math.max(0, tail.size() - 3), tail.size())));
    }
    return results;
  }

  private static double num(List<Map<String, String>> results, String key) throws ChildFailed {
    for (Map<String, String> m : results) {
      if (m.containsKey(key)) {
        return Double.parseDouble(m.get(key));
      }
    }
    throw new ChildFailed("no " + key + " in " + results);
  }

  // ---- the report --------------------------------------------------------------------------

  /** Ours (plugin-built) on JDK 25 for {@code workload}, or null. */
  private Row ours(String workload) {
    return ours(workload, jdk25Label);
  }

  /** Ours (plugin-built) on {@code jdk} for {@code workload}, or null. */
  private Row ours(String workload, String jdk) {
    for (Row r : rows) {
      if (r.workload().equals(workload) && r.system().equals(OURS) && r.jdk().equals(jdk)) {
        return r;
      }
    }
    return null;
  }

  private void write(long seconds) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    md.append("Written by `dev.coroutine.bench.harness.Compare` (see README.md for the command and")
        .append(" the workload definitions).\n\n");
    double load = loadOneMinute(loadAtStart);
    int cores = Runtime.getRuntime().availableProcessors();
    if (sizes == Sizes.QUICK || load > cores * 0.5) {
      md.append("> **Provisional.** ");
      if (sizes == Sizes.QUICK) {
        md.append("A quick run (short JMH runs, small sizes, few repetitions). ");
      }
      if (load > cores * 0.5) {
        md.append(
            String.format(
                Locale.ROOT,
                "The machine was busy (load average %.1f on %d cores when the run began): other work "
                    + "shared the cores, so absolute numbers and even rankings are noisy. ",
                load,
                cores));
      }
      md.append("Rerun the full comparison on a quiet machine before quoting these numbers.\n\n");
    }
    md.append("| | |\n|---|---|\n");
    md.append("| date | ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append(" |\n");
    md.append("| mode | `")
        .append(sizes.name())
        .append("`")
        .append(
            sizes == Sizes.QUICK
                ? " (smoke check: short runs, small sizes; numbers are rough)"
                : "")
        .append(" |\n");
    md.append("| machine | ")
        .append(cpuModel())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(memTotal())
        .append(" |\n");
    md.append("| load average (1/5/15 min) | at start ")
        .append(loadAtStart)
        .append("; at end ")
        .append(loadAverage())
        .append(" |\n");
    md.append("| JDKs | ")
        .append(jdk25Label)
        .append(" (`")
        .append(java25)
        .append("`), ")
        .append(jdk17Label)
        .append(" (`")
        .append(java17)
        .append("`) |\n");
    md.append("| Python | ").append(pythonLabel).append(" |\n");
    md.append("| JMH | 1.37, ")
        .append(sizes.jmhForks())
        .append(" fork(s), ")
        .append(sizes.jmhWarmups())
        .append(" x ")
        .append(sizes.jmhWarmupMs())
        .append(" ms warm-up, ")
        .append(sizes.jmhIterations())
        .append(" x ")
        .append(sizes.jmhIterationMs())
        .append(" ms measurement, -prof gc |\n");
    md.append("| IO (echo) | ")
        .append(sizes.ioMillis())
        .append(" ms per point after ")
        .append(sizes.ioWarmupMillis())
        .append(" ms of warm-up, ")
        .append(sizes.ioRuns())
        .append(" run(s) per system; Netty ")
        .append(EchoRuns.nettyVersion())
        .append(" (NIO) |\n");
    md.append("| took | ").append(seconds).append(" s |\n\n");

    md.append("Median over JMH iterations (all forks) or over runs; spread is min–max. ")
        .append("*Ratio* is the row's median divided by ours (built by the plugin) on the row's ")
        .append("own JDK for the same workload (asyncio's rows: ours on ")
        .append(jdk25Label)
        .append("); so the *ours (agent)* rows compare the agent with the plugin, and ours on ")
        .append(jdk17Label)
        .append(" is the 1 of its JDK. Above 1 the row is slower than ours, below 1 faster ")
        .append("(T1 is a rate: higher is better; T2 compares to the no-agent row; IO rows are ")
        .append("round trips per second, so there above 1 the row is faster than ours).\n\n");
    md.append(
        "| Workload | System | JDK | Median | Spread (min–max) | Ratio | Memory | JVM flags |\n");
    md.append("|---|---|---|---:|---|---:|---|---|\n");
    List<String> order =
        new ArrayList<>(List.of("W1", "W2", "W3", "W4", W4_FINISHED, "W5", "W6", "T1", "T2"));
    order.addAll(EchoRuns.workloads());
    order.add(EchoRuns.MULTI_CORE);
    order.addAll(EchoRuns.tlsWorkloads());
    for (String w : order) {
      for (Row r : rows) {
        if (!r.workload().equals(w)) {
          continue;
        }
        md.append("| ")
            .append(w)
            .append(" | ")
            .append(r.system())
            .append(" | ")
            .append(r.jdk())
            .append(" | ");
        if (r.stats() == null) {
          md.append("failed | | | | ").append(flags(r)).append(" |\n");
          continue;
        }
        md.append(fmt(r.stats().median()))
            .append(' ')
            .append(r.unit())
            .append(" | ")
            .append(fmt(r.stats().min()))
            .append("–")
            .append(fmt(r.stats().max()))
            .append(
                String.format(
                    Locale.ROOT, " (±%.0f%%, n=%d)", r.stats().spreadPercent(), r.stats().n()))
            .append(" | ")
            .append(ratio(r))
            .append(" | ")
            .append(memory(r))
            .append(" | ")
            .append(flags(r))
            .append(" |\n");
      }
    }
    md.append("\n## Goals (issue 8; IO: issue 7)\n\n");
    md.append("| Goal | Ours | Yardstick | Met? |\n|---|---|---|---|\n");
    goals(md);
    if (!notes.isEmpty()) {
      md.append("\n## Notes from this run\n\n");
      for (String n : notes) {
        md.append("- ").append(n.replace('\n', ' ')).append('\n');
      }
    }
    String sizes = codeSizeSection;
    if (sizes == null && Files.exists(out)) {
      sizes = CodeSize.existingSection(Files.readString(out));
    }
    if (sizes != null) {
      md.append('\n').append(sizes);
    }
    String subprocesses =
        Files.exists(out) ? SubprocessBench.existingSection(Files.readString(out)) : null;
    if (subprocesses != null) {
      md.append('\n').append(subprocesses); // P1 is measured on its own (-Psubprocess): kept
    }
    Path here = Path.of("").toAbsolutePath();
    Path logs = work.toAbsolutePath();
    md.append("\nLogs of every run (JMH output, child stdout/stderr) are under `")
        .append(logs.startsWith(here) ? here.relativize(logs) : logs)
        .append("`.\n");
    if (rows.stream().allMatch(r -> r.stats() == null)) {
      // nothing measured (a broken build, or target/ cleaned under us): keep the last results
      Path failed = out.resolveSibling(out.getFileName().toString().replace(".md", "-failed.md"));
      Files.writeString(failed, md.toString());
      throw new IllegalStateException("every measurement failed; see " + failed + " and " + work);
    }
    Files.writeString(out, md.toString());
  }

  private String ratio(Row r) {
    if (r.workload().equals("T1")) {
      return "";
    }
    Row base;
    if (r.workload().equals("T2")) {
      base = rows.stream().filter(x -> x.workload().equals("T2")).findFirst().orElse(null);
    } else {
      base = ours(r.workload(), r.jdk()); // the same JDK; asyncio (and JDK 25's peers): JDK 25
      if (base == null) {
        base = ours(r.workload());
      }
    }
    if (base == null || base.stats() == null || base == r && !r.workload().equals("T2")) {
      return base == r ? "1" : "";
    }
    return String.format(Locale.ROOT, "%.2f", r.stats().median() / base.stats().median());
  }

  private static String memory(Row r) {
    return r.metrics().entrySet().stream()
        .map(e -> e.getKey() + " " + fmt(e.getValue()))
        .collect(Collectors.joining("; "));
  }

  private static String flags(Row r) {
    return r.flags().isEmpty() ? "" : "`" + r.flags() + "`";
  }

  private void goals(StringBuilder md) {
    goal(md, "W1: at most half of kotlinx's time per yield", "W1", List.of(KOTLIN), 0.5);
    goal(md, "W2: at most a third of the best peer", "W2", List.of(KOTLIN, VT, CF, PY), 1.0 / 3);
    goal(md, "W3: at most half the best peer's wall time", "W3", List.of(KOTLIN, VT, CF, PY), 0.5);
    w3AboveTheFloor(md);
    Row w3 = ours("W3");
    if (w3 != null && w3.metrics().containsKey("heap B/task")) {
      double h = w3.metrics().get("heap B/task");
      md.append("| W3: under 150 B retained per sleeping task | ")
          .append(fmt(h))
          .append(" B | 150 B | ")
          .append(h < 150 ? "yes" : "**no**")
          .append(" |\n");
    }
    if (w3 != null && w3.metrics().containsKey("peak RSS MiB")) {
      double mine = w3.metrics().get("peak RSS MiB");
      Row best = null;
      for (Row r : rows) {
        if (r.workload().equals("W3")
            && isPeerOnJdk25(r)
            && r.metrics().containsKey("peak RSS MiB")
            && (best == null
                || r.metrics().get("peak RSS MiB") < best.metrics().get("peak RSS MiB"))) {
          best = r;
        }
      }
      if (best != null) {
        double b = best.metrics().get("peak RSS MiB");
        md.append("| W3: the lowest peak RSS | ")
            .append(fmt(mine))
            .append(" MiB | ")
            .append(best.system())
            .append(' ')
            .append(fmt(b))
            .append(" MiB | ")
            .append(mine <= b ? "yes" : "**no**")
            .append(" |\n");
      }
    }
    goal(md, "W4: at most half the best peer's wall time", "W4", List.of(KOTLIN, VT, CF, PY), 0.5);
    goal(
        md,
        "W4': at most half of CompletableFuture's wall time (children that finish without suspending)",
        W4_FINISHED,
        List.of(CF),
        0.5);
    Row w5 = ours("W5");
    if (w5 != null && w5.metrics().containsKey("alloc B/op")) {
      double a = w5.metrics().get("alloc B/op");
      md.append("| W5: 0 B/op under -prof gc | ")
          .append(fmt(a))
          .append(" B/op | 0 (one loop per ")
          .append("batch of 1,000,000 is amortized: < 0.01) | ")
          .append(a < 0.01 ? "yes" : "**no**")
          .append(" |\n");
    }
    goal(md, "W5: within 2x of a plain method call", "W5", List.of(PLAIN), 2.0);
    goal(md, "W6: at most half of kotlinx's nested suspend calls", "W6", List.of(KOTLIN), 0.5);
    EchoRuns.goals(md, this::ours, rows, List.of(NETTY, VT));
    EchoRuns.multiCoreGoals(md, rows, OURS, OURS_ONE_LOOP, NETTY_TWO_LOOPS);
    EchoRuns.tlsGoals(md, this::ours, rows, NETTY);
    List<Row> t2 =
        rows.stream().filter(r -> r.workload().equals("T2")).collect(Collectors.toList());
    if (t2.size() == 3 && t2.stream().allMatch(r -> r.stats() != null)) {
      double over = t2.get(2).stats().median() / t2.get(0).stats().median() - 1;
      double overNoop = t2.get(1).stats().median() / t2.get(0).stats().median() - 1;
      md.append(
          String.format(
              Locale.ROOT,
              "| T2: the agent adds under 5%% to loading | %+.1f%% | +5%% (a no-op agent: %+.1f%%) | %s |%n",
              over * 100,
              overNoop * 100,
              over < 0.05 ? "yes" : "**no**"));
      if (prefilterUs != null) {
        double perClass = t2.get(0).stats().median() * 1000 / t2Loaded;
        md.append(
            String.format(
                Locale.ROOT,
                "| T2, the agent's own share: its pre-filter in-process, CPU per class | %.2f µs cold, %.2f µs warm "
                    + "(%.0f classes let through) | a class load without agent: %.0f µs (pre-filter = %.1f%% cold, "
                    + "%.1f%% warm) | (measured, no goal) |%n",
                prefilterUs[0],
                prefilterUs[1],
                prefilterUs[2],
                perClass,
                100 * prefilterUs[0] / perClass,
                100 * prefilterUs[1] / perClass));
      }
    }
  }

  /** A peer's row (not one of ours) on JDK 25 or asyncio: what ours on JDK 25 is compared with. */
  private boolean isPeerOnJdk25(Row r) {
    return !r.system().startsWith(OURS)
        && (r.jdk().equals(jdk25Label) || r.jdk().equals(pythonLabel));
  }

  /**
   * W3's time above the sleep every sleeper does: half of the best peer's time can be less than the
   * sleep itself, so the goal line above may be out of reach; this line compares what each system
   * adds to it.
   */
  private void w3AboveTheFloor(StringBuilder md) {
    Row mine = ours("W3");
    Row best = null;
    for (Row r : rows) {
      if (r.workload().equals("W3")
          && isPeerOnJdk25(r)
          && r.stats() != null
          && (best == null || r.stats().median() < best.stats().median())) {
        best = r;
      }
    }
    if (mine == null || mine.stats() == null || best == null) {
      return;
    }
    double floor = W3_SLEEP_MILLIS / 1000.0;
    double ours = mine.stats().median() - floor;
    double theirs = best.stats().median() - floor;
    md.append(
        String.format(
            Locale.ROOT,
            "| W3: time above the %.0f s sleep (a floor under every system; half of the best peer's "
                + "total is %s) | %.2f s | %s %.2f s | (measured, no goal; ours %.2fx theirs) |%n",
            floor,
            best.stats().median() * 0.5 < floor ? "below it" : "above it",
            ours,
            best.system(),
            theirs,
            ours / theirs));
  }

  /**
   * Ours must take at most {@code factor} times the best (lowest) of {@code peers}: on JDK 25
   * against the peers there and asyncio, and, where ours and a peer ran on JDK 17, a second line
   * against the peers on JDK 17.
   */
  private void goal(
      StringBuilder md, String text, String workload, List<String> peers, double factor) {
    goal(md, text, workload, peers, factor, jdk25Label, Set.of(jdk25Label, pythonLabel));
    goal(
        md,
        text + " (" + jdk17Label + ")",
        workload,
        peers,
        factor,
        jdk17Label,
        Set.of(jdk17Label));
  }

  private void goal(
      StringBuilder md,
      String text,
      String workload,
      List<String> peers,
      double factor,
      String jdk,
      Set<String> peerJdks) {
    Row mine = ours(workload, jdk);
    Row best = null;
    for (Row r : rows) {
      if (r.workload().equals(workload)
          && peers.contains(r.system())
          && peerJdks.contains(r.jdk())
          && r.stats() != null
          && (best == null || r.stats().median() < best.stats().median())) {
        best = r;
      }
    }
    if (mine == null || mine.stats() == null || best == null) {
      if (jdk.equals(jdk25Label)) { // the JDK 17 line only where both ran there
        md.append("| ").append(text).append(" | not measured | | |\n");
      }
      return;
    }
    double limit = best.stats().median() * factor;
    md.append("| ")
        .append(text)
        .append(" | ")
        .append(fmt(mine.stats().median()))
        .append(' ')
        .append(mine.unit())
        .append(" | ")
        .append(best.system())
        .append(' ')
        .append(fmt(best.stats().median()))
        .append(" → limit ")
        .append(fmt(limit))
        .append(" | ")
        .append(mine.stats().median() <= limit ? "yes" : "**no**")
        .append(" |\n");
  }

  // ---- environment -------------------------------------------------------------------------

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> l = new ArrayList<>(a);
    l.addAll(b);
    return l;
  }

  private static String javaOf(String home) {
    return Path.of(home, "bin", "java").toString();
  }

  private static String javaVersion(String java) {
    String v = firstLine(List.of(java, "-version"), true);
    int q = v.indexOf('"');
    return q >= 0 ? v.substring(q + 1, v.indexOf('"', q + 1)) : v;
  }

  private String pythonVersion() {
    return firstLine(List.of(python, "--version"), false).replace("Python", "Python").trim();
  }

  private static String firstLine(List<String> cmd, boolean stderr) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return text.lines().findFirst().orElse("?");
    } catch (IOException e) {
      return "unavailable (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static double loadOneMinute(String loadAverage) {
    try {
      return Double.parseDouble(loadAverage.split(" ")[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String cpuModel() {
    try {
      Set<String> models = new LinkedHashSet<>();
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          models.add(l.substring(l.indexOf(':') + 1).trim());
        }
      }
      return String.join(", ", models);
    } catch (IOException e) {
      return System.getProperty("os.arch");
    }
  }

  private static String memTotal() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.0f GiB RAM", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through
    }
    return "? RAM";
  }
}
