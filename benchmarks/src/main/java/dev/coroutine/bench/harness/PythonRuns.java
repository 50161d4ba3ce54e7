package dev.coroutine.bench.harness;

import static dev.coroutine.bench.harness.Systems.PY;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * asyncio's rows of the JMH workloads: {@code bench_asyncio.py} times W1, W2, W5 and W6 itself (JMH
 * cannot), a run per repetition inside one Python process; ns per operation as JMH reports.
 */
final class PythonRuns {
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

  PythonRuns(RunSetup setup, Systems systems, Children children, Results results) {
    this.setup = setup;
    this.sizes = setup.sizes();
    this.systems = systems;
    this.children = children;
    this.rows = results.rows;
    this.notes = results.notes;
  }

  /** The Python command of {@code py} with {@code args}. */
  private List<String> childCommand(ProcSystem py, String... args) {
    List<String> cmd = new ArrayList<>(List.of(setup.machine().python(), setup.pythonScript()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** asyncio's W1, W2, W5 and W6 (those wanted, or all four with PY), a row each. */
  void run() throws Exception {
    ProcSystem py = systems.python("python");
    String reps = "" + sizes.pyReps();
    Object[][] runs = {
      {"W1", "ns/yield", new String[] {"w1", "" + sizes.pyW1N(), reps}},
      {"W2", "ns/hand-off", new String[] {"w2", "" + sizes.pyW2RoundTrips(), reps}},
      {"W5", "ns/await", new String[] {"w5", "" + sizes.pyW5N(), reps}},
      {"W6", "ns/level", new String[] {"w6", "" + sizes.pyW6Chains(), "1000", reps}},
    };
    for (Object[] run : runs) {
      String id = (String) run[0];
      if (!setup.wanted(id) && !setup.only().contains("PY")) {
        continue;
      }
      Stats stats = null;
      try {
        List<Map<String, String>> res =
            children.run("py-" + id, childCommand(py, (String[]) run[2]));
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
      rows.add(
          new Row(
              id, PY, setup.machine().pythonLabel(), (String) run[1], stats, Map.of(), "", true));
    }
  }
}
