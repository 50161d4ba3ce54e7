package dev.coroutine.bench.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The process-level workloads of the runtime, W3 (a million sleepers) and W4/W4' (gather): a child
 * process per run ({@link Child} in a JVM of the row's JDK, or {@code bench_asyncio.py}), the
 * systems one after the other.
 */
final class ChildRuns {
  /** What the run was asked to do. */
  private final RunSetup setup;

  /** How much of it. */
  private final RunSizes sizes;

  /** The table's rows, appended to. */
  private final List<Row> rows;

  /** The run's notes, appended to. */
  private final List<String> notes;

  /** Who runs, where. */
  private final Systems systems;

  /** Runs the children. */
  private final Children children;

  ChildRuns(RunSetup setup, Systems systems, Children children, Results results) {
    this.setup = setup;
    this.sizes = setup.sizes();
    this.systems = systems;
    this.children = children;
    this.rows = results.rows;
    this.notes = results.notes;
  }

  /**
   * The command line of a W3/W4 child of {@code s}: {@link Child} in a JVM, or the Python script.
   */
  private List<String> childCommand(ProcSystem s, String... args) {
    return childCommand(s, List.of(), args);
  }

  /** The command of one child; {@code extraFlags} follow the system's own JVM flags. */
  private List<String> childCommand(ProcSystem s, List<String> extraFlags, String... args) {
    List<String> cmd = new ArrayList<>();
    if (s.java() == null) {
      cmd.add(setup.machine().python());
      cmd.add(setup.pythonScript());
    } else {
      cmd.add(s.java());
      cmd.addAll(s.flags());
      cmd.addAll(extraFlags);
      cmd.add("-cp");
      cmd.add(s.classpath() == null ? setup.classpath() : s.classpath());
      cmd.add(Child.class.getName());
    }
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /** How long each W3 sleeper sleeps: a floor under every system's W3 time. */
  static final long W3_SLEEP_MILLIS = 1000;

  /** W3: a million sleepers (timed runs, then a heap run), a row per system. */
  void sleepers() throws Exception {
    long millis = W3_SLEEP_MILLIS;
    for (ProcSystem s : systems.processLevel()) {
      String n = Integer.toString(sizes.w3N());
      List<Double> wall = new ArrayList<>();
      List<Double> rss = new ArrayList<>();
      Map<String, Double> metrics = new LinkedHashMap<>();
      try {
        int reps = s.java() == null ? sizes.pyW3Reps() : sizes.w3Reps();
        for (int r = 0; r < reps; r++) {
          List<Map<String, String>> res =
              children.run(
                  "w3-" + s.tag() + "-" + r,
                  childCommand(s, "w3", s.key(), n, "" + millis, "time"));
          wall.add(Children.num(res, "wall_ms") / 1000);
          rss.add(Children.num(res, "peak_rss_kb") / 1024);
        }
        List<Map<String, String>> heap =
            children.run(
                "w3-" + s.tag() + "-heap", childCommand(s, "w3", s.key(), n, "" + millis, "heap"));
        metrics.put("peak RSS MiB", Stats.of(rss).median());
        double woken = Children.num(heap, "woken_at_probe");
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
          metrics.put("RSS B/task", Children.num(heap, "rss_per_task_b"));
        } else {
          metrics.put("heap B/task", Children.num(heap, "heap_per_task_b"));
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
              this.systems.shown(s.flags()),
              true));
    }
  }

  /** W4 and W4': one gather of 100,000 children, a row per system. */
  void gather() throws Exception {
    gather("W4", "w4", systems.processLevel());
    List<ProcSystem> finishedSystems = new ArrayList<>();
    for (ProcSystem s : systems.processLevel()) {
      if (s.key().equals("ours") || s.key().equals("cf")) {
        finishedSystems.add(s);
      }
    }
    finishedSystems.addAll(systems.gatherFloor());
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
      // no peak RSS here: with the heap pre-touched it is the heap's size for every system
      Map<String, Double> metrics = new LinkedHashMap<>();
      List<String> flags = py ? List.of() : Systems.ROUND_FLAGS;
      try {
        for (int p = 0; p < procs; p++) {
          List<Map<String, String>> res =
              children.run(
                  child + "-" + s.tag() + "-" + p,
                  childCommand(s, flags, child, s.key(), n, "" + warm, "" + reps));
          for (Map<String, String> m : res) {
            if (m.containsKey("wall_ms")) {
              ms.add(Double.parseDouble(m.get("wall_ms")));
            }
          }
        }
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
              this.systems.shown(Systems.concat(s.flags(), flags)),
              true));
    }
  }
}
