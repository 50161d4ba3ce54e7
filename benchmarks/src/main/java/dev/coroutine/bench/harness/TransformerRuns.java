package dev.coroutine.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The transformer's own costs, in child processes on JDK 25: T1 (classes rewritten per CPU-second
 * through the plugin's per-class path, {@link Corpus}) and T2 (what {@code -javaagent} adds to
 * loading a jar without {@code @Async} code, {@link ClassLoading}, beside a no-op agent).
 */
final class TransformerRuns {
  /** What the run was asked to do. */
  private final RunSetup setup;

  /** How much of it. */
  private final RunSizes sizes;

  /** Where logs go. */
  private final Path work;

  /** The table's rows, appended to. */
  private final List<Row> rows;

  /** The run's notes, appended to. */
  private final List<String> notes;

  /** Who runs, where. */
  private final Systems systems;

  /** Runs the children. */
  private final Children children;

  /** T2's extra figures go here. */
  private final Results results;

  TransformerRuns(RunSetup setup, Systems systems, Children children, Results results) {
    this.setup = setup;
    this.sizes = setup.sizes();
    this.work = setup.work();
    this.systems = systems;
    this.children = children;
    this.results = results;
    this.rows = results.rows;
    this.notes = results.notes;
  }

  /** The command line of a T1 child: {@link Child} in the JVM of {@code s}. */
  private List<String> childCommand(ProcSystem s, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(s.java());
    cmd.addAll(s.flags());
    cmd.add("-cp");
    cmd.add(setup.classpath());
    cmd.add(Child.class.getName());
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /** T1: the plugin's per-class path over a generated corpus, first pass and warm passes. */
  void transformSpeed() throws Exception {
    Path corpus = Corpus.ensure(work, sizes.t1Classes());
    ProcSystem ours = systems.processLevel().get(0);
    List<Double> cold = new ArrayList<>();
    List<Double> warm = new ArrayList<>();
    List<Double> coldWall = new ArrayList<>();
    List<Double> warmWall = new ArrayList<>();
    try {
      for (int p = 0; p < sizes.t1Processes(); p++) {
        Path scratch = work.resolve("t1-out");
        List<Map<String, String>> res =
            children.run(
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
    String flags = String.join(" ", Systems.PROC_FLAGS);
    rows.add(
        new Row(
            "T1",
            Systems.OURS + ", first pass in a fresh JVM",
            setup.machine().jdk25Label(),
            unit,
            Stats.of(cold),
            wallRate(coldWall),
            flags,
            false));
    rows.add(
        new Row(
            "T1",
            Systems.OURS + ", passes 2.." + sizes.t1Passes() + " (warm)",
            setup.machine().jdk25Label(),
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

  /**
   * T2: loading a big jar without agent, with a no-op agent and with ours, alternating; then the
   * agent's pre-filter alone, in-process.
   */
  void agentOverhead() throws Exception {
    if (!setup.agentJar().endsWith(".jar") || !Files.isRegularFile(Path.of(setup.agentJar()))) {
      notes.add("T2 skipped: no agent jar (bench.setup.agentJar()=" + setup.agentJar() + ")");
      return;
    }
    List<String> jars =
        setup.t2Jars().stream()
            .filter(j -> Files.isRegularFile(Path.of(j)))
            .collect(Collectors.toList());
    if (jars.isEmpty()) {
      notes.add("T2 skipped: none of the jars to load exists: " + setup.t2Jars());
      return;
    }
    // only our harness on the class path: the jars under test are loaded by their own loader
    String harnessOnly =
        Path.of(Child.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    String noopJar = NoopAgent.writeJar(work.resolve("noop-agent.jar")).toString();
    String[] agents = {null, noopJar, setup.agentJar()};
    List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    String loaded = "?";
    try {
      for (int r = 0; r < sizes.t2Reps(); r++) {
        for (int a = 0; a < agents.length; a++) {
          List<String> cmd = new ArrayList<>();
          cmd.add(setup.machine().java25());
          cmd.addAll(Systems.PROC_FLAGS);
          if (agents[a] != null) {
            cmd.add("-javaagent:" + agents[a]);
          }
          cmd.addAll(
              List.of("-cp", harnessOnly, Child.class.getName(), "t2", "" + sizes.t2MaxClasses()));
          cmd.addAll(jars);
          List<Map<String, String>> res = children.run("t2-" + r + "-" + a, cmd);
          times.get(a).add(Children.num(res, "cpu_ms"));
          loaded =
              res.get(0).get("loaded") + " loaded, " + res.get(0).get("failed") + " unloadable";
          results.t2Loaded =
              Integer.parseInt(res.get(0).get("loaded"))
                  + Integer.parseInt(res.get(0).get("failed"));
        }
      }
      List<String> cmd = new ArrayList<>();
      cmd.add(setup.machine().java25());
      cmd.addAll(Systems.PROC_FLAGS);
      cmd.addAll(
          List.of(
              "-cp",
              setup.classpath(),
              Child.class.getName(),
              "t2scan",
              "" + sizes.t2MaxClasses()));
      cmd.addAll(jars);
      Map<String, String> scan = children.run("t2-scan", cmd).get(0);
      results.prefilterUs =
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
    String flags = String.join(" ", Systems.PROC_FLAGS);
    rows.add(
        new Row(
            "T2",
            "no agent: " + what,
            setup.machine().jdk25Label(),
            unit,
            Stats.of(times.get(0)),
            Map.of(),
            flags,
            true));
    rows.add(
        new Row(
            "T2",
            "a no-op agent (the JVM's own cost)",
            setup.machine().jdk25Label(),
            unit,
            Stats.of(times.get(1)),
            Map.of(),
            flags + " -javaagent:noop-agent.jar",
            true));
    rows.add(
        new Row(
            "T2",
            "ours: -javaagent:coroutine-agent.jar",
            setup.machine().jdk25Label(),
            unit,
            Stats.of(times.get(2)),
            Map.of(),
            flags + " -javaagent:coroutine-agent.jar",
            true));
  }
}
