package dev.coroutine.bench.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH part: W1, W1', W2, W5 and W6, each system in forks of its own on the JDK its row names
 * ({@code dev.coroutine.bench.jmh}: one benchmark method per system), with {@code -prof gc}; a row
 * per system and workload, median and range over every iteration of every fork.
 */
final class JmhRuns {
  /** A JMH workload: id, benchmark class, unit per op. */
  record JmhWorkload(String id, String benchmarkClass, String unit) {}

  /** The JMH workloads, in table order. */
  static final List<JmhWorkload> JMH_WORKLOADS =
      List.of(
          new JmhWorkload("W1", "W1Yield", "ns/yield"),
          new JmhWorkload(JmhRuns.W1_PAIR, "W1YieldPair", "ns/yield"),
          new JmhWorkload("W2", "W2PingPong", "ns/hand-off"),
          new JmhWorkload("W5", "W5FastPath", "ns/await"),
          new JmhWorkload("W6", "W6CallDepth", "ns/level"));

  /**
   * W1': two coroutines yielding in turn, so every yield is a switch (W1's lone coroutine may go on
   * without suspending, as ours does when the loop has nothing else to run).
   */
  static final String W1_PAIR = "W1'";

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

  JmhRuns(RunSetup setup, Systems systems, Results results) {
    this.setup = setup;
    this.sizes = setup.sizes();
    this.work = setup.work();
    this.systems = systems;
    this.rows = results.rows;
    this.notes = results.notes;
  }

  /** Benchmark methods that only some workloads' classes have: W5's yardstick, the floors. */
  private static final Map<String, Set<String>> ONLY_IN =
      Map.of("plainCall", Set.of("W5"), "floor", Set.of(W1_PAIR, "W6"));

  /** Whether system {@code s} has a benchmark method in workload {@code w}'s class. */
  private static boolean runs(JmhSystem s, JmhWorkload w) {
    Set<String> only = ONLY_IN.get(s.method());
    return only == null || only.contains(w.id());
  }

  /**
   * Runs every JMH system on the wanted JMH workloads, a row per system and workload. The forks are
   * taken in rounds, one fork of every system per round, rather than all forks of one system and
   * then the next: on a shared host a slow spell lasts minutes (the same code measured 18 or 29 ns
   * per W1' yield depending on when it ran), and in rounds it falls on every system alike instead
   * of on whichever ran then, so the ratios of a run compare like with like.
   */
  void run() throws RunnerException {
    List<JmhWorkload> workloads =
        JMH_WORKLOADS.stream()
            .filter(w -> setup.wanted(w.id().replace("'", ""))) // W1' comes with W1
            .collect(Collectors.toList());
    if (workloads.isEmpty()) {
      return;
    }
    List<JmhSystem> systems =
        this.systems.jmh().stream()
            .filter(s -> workloads.stream().anyMatch(w -> runs(s, w)))
            .collect(Collectors.toList());
    String classes =
        workloads.stream().map(JmhWorkload::benchmarkClass).collect(Collectors.joining("|"));
    Map<JmhSystem, Samples> samples = new LinkedHashMap<>();
    for (JmhSystem s : systems) {
      samples.put(s, new Samples());
    }
    int rounds = sizes.jmhForks();
    for (int round = 1; round <= rounds; round++) {
      for (JmhSystem s : systems) {
        Path log = work.resolve(logName(s, round, rounds));
        System.out.println(
            "[bench]   JMH "
                + s.label()
                + " on "
                + s.jdk()
                + ", fork "
                + round
                + " of "
                + rounds
                + " (log: "
                + log
                + ")");
        samples.get(s).add(runFork(s, classes, log), log);
      }
    }
    for (JmhSystem s : systems) {
      Samples got = samples.get(s);
      for (JmhWorkload w : workloads) {
        if (!runs(s, w)) {
          continue;
        }
        Stats stats = Stats.of(got.scores.getOrDefault(w.benchmarkClass(), List.of()));
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Double> alloc = got.allocs.get(w.benchmarkClass());
        if (alloc != null) {
          metrics.put("alloc B/op", alloc.stream().mapToDouble(d -> d).average().orElse(0));
        }
        String row = w.id() + " " + s.label() + " on " + s.jdk();
        if (stats == null) {
          notes.add(row + " failed: see " + got.logs);
        } else {
          if (stats.n() < rounds * sizes.jmhIterations()) {
            notes.add(row + ": a fork failed, the row has the others: see " + got.logs);
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
            new Row(
                w.id(),
                s.label(),
                s.jdk(),
                w.unit(),
                stats,
                metrics,
                this.systems.shown(s.flags()),
                true));
      }
    }
  }

  private static String logName(JmhSystem s, int round, int rounds) {
    return "jmh-"
        + s.method()
        + (s.classpath() == null ? "" : "-agent")
        + "-"
        + s.jdk().replace(' ', '_')
        + (rounds > 1 ? "-fork" + round : "")
        + ".log";
  }

  /** One fork of system {@code s} on the benchmark classes matched by {@code classes}. */
  private Collection<RunResult> runFork(JmhSystem s, String classes, Path log)
      throws RunnerException {
    String regex = "^dev\\.coroutine\\.bench\\.jmh\\.(" + classes + ")\\." + s.method() + "$";
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .include(regex)
            .forks(1)
            .warmupIterations(sizes.jmhWarmups())
            .warmupTime(TimeValue.milliseconds(sizes.jmhWarmupMs()))
            .measurementIterations(sizes.jmhIterations())
            .measurementTime(TimeValue.milliseconds(sizes.jmhIterationMs()))
            .jvm(s.java())
            .jvmArgs(s.flags().toArray(new String[0]))
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(false)
            .output(log.toString());
    // JMH forks with the class path of this JVM (java.class.path): set it for the agent rows
    String ownClasspath = System.getProperty("java.class.path");
    if (s.classpath() != null) {
      System.setProperty("java.class.path", s.classpath());
    }
    try {
      return new Runner(b.build()).run();
    } finally {
      System.setProperty("java.class.path", ownClasspath);
    }
  }

  /** A system's measurements gathered over the rounds, by benchmark class. */
  private static final class Samples {
    /** Every measurement iteration's score, of every fork. */
    final Map<String, List<Double>> scores = new HashMap<>();

    /** Each fork's allocation per operation ({@code -prof gc}). */
    final Map<String, List<Double>> allocs = new HashMap<>();

    /** The logs of the system's forks. */
    final List<Path> logs = new ArrayList<>();

    void add(Collection<RunResult> results, Path log) {
      logs.add(log);
      for (RunResult r : results) {
        String bench = r.getParams().getBenchmark();
        String cls = bench.substring(0, bench.lastIndexOf('.'));
        cls = cls.substring(cls.lastIndexOf('.') + 1);
        for (BenchmarkResult br : r.getBenchmarkResults()) {
          for (IterationResult ir : br.getIterationResults()) {
            scores
                .computeIfAbsent(cls, k -> new ArrayList<>())
                .add(ir.getPrimaryResult().getScore());
          }
        }
        for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
          if (e.getKey().endsWith("gc.alloc.rate.norm")) {
            allocs.computeIfAbsent(cls, k -> new ArrayList<>()).add(e.getValue().getScore());
          }
        }
      }
    }
  }
}
