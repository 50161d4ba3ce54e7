package dev.coroutine.bench.harness;

import static dev.coroutine.bench.harness.Systems.CF;
import static dev.coroutine.bench.harness.Systems.FLOOR;
import static dev.coroutine.bench.harness.Systems.KOTLIN;
import static dev.coroutine.bench.harness.Systems.NETTY;
import static dev.coroutine.bench.harness.Systems.NETTY_TWO_LOOPS;
import static dev.coroutine.bench.harness.Systems.OURS;
import static dev.coroutine.bench.harness.Systems.OURS_ONE_LOOP;
import static dev.coroutine.bench.harness.Systems.PLAIN;
import static dev.coroutine.bench.harness.Systems.PY;
import static dev.coroutine.bench.harness.Systems.VT;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The report's goal lines (issue 8's targets, IO's of issue 7, TLS's of issue 15, the multi-core
 * and W4' rows of issue 18): each compares ours on JDK 25 with the best peer there (or asyncio),
 * and again on JDK 17 where ours and a peer ran on it, and says met or not.
 */
final class Goals {
  /** What was measured. */
  private final Results results;

  /** The table's rows. */
  private final List<Row> rows;

  /** The JDK and Python labels the rows carry. */
  private final Machine machine;

  Goals(Results results, Machine machine) {
    this.results = results;
    this.rows = results.rows;
    this.machine = machine;
  }

  /** Ours (plugin-built) on JDK 25 for {@code workload}, or null. */
  private Row ours25(String workload) {
    return results.ours(workload, machine.jdk25Label());
  }

  /** Appends every goal line to {@code md} (the table's rows only: no header). */
  void write(StringBuilder md) {
    goal(md, "W1: at most half of kotlinx's time per yield", "W1", List.of(KOTLIN), 0.5);
    goal(
        md,
        "W1' (W1's companion, two coroutines yielding in turn): at most half of kotlinx's time",
        JmhRuns.W1_PAIR,
        List.of(KOTLIN),
        0.5);
    floorLines(md, JmhRuns.W1_PAIR, KOTLIN, "ns per yield; a frame and a ring slot per switch");
    goal(md, "W2: at most a third of the best peer", "W2", List.of(KOTLIN, VT, CF, PY), 1.0 / 3);
    goal(md, "W3: at most half the best peer's wall time", "W3", List.of(KOTLIN, VT, CF, PY), 0.5);
    w3AboveTheFloor(md);
    Row w3 = ours25("W3");
    if (w3 != null && w3.metrics().containsKey("heap B/task")) {
      double h = w3.metrics().get("heap B/task");
      md.append("| W3: under 150 B retained per sleeping task | ")
          .append(Report.fmt(h))
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
            .append(Report.fmt(mine))
            .append(" MiB | ")
            .append(best.system())
            .append(' ')
            .append(Report.fmt(b))
            .append(" MiB | ")
            .append(mine <= b ? "yes" : "**no**")
            .append(" |\n");
      }
    }
    goal(md, "W4: at most half the best peer's wall time", "W4", List.of(KOTLIN, VT, CF, PY), 0.5);
    goal(
        md,
        "W4': at most half of CompletableFuture's wall time (children that finish without suspending)",
        ChildRuns.W4_FINISHED,
        List.of(CF),
        0.5);
    floorLines(md, ChildRuns.W4_FINISHED, CF, "ms; a task and a frame per child");
    Row w5 = ours25("W5");
    if (w5 != null && w5.metrics().containsKey("alloc B/op")) {
      double a = w5.metrics().get("alloc B/op");
      md.append("| W5: 0 B/op under -prof gc | ")
          .append(Report.fmt(a))
          .append(" B/op | 0 (one loop per ")
          .append("batch of 1,000,000 is amortized: < 0.01) | ")
          .append(a < 0.01 ? "yes" : "**no**")
          .append(" |\n");
    }
    goal(md, "W5: within 2x of a plain method call", "W5", List.of(PLAIN), 2.0);
    goal(md, "W6: at most half of kotlinx's nested suspend calls", "W6", List.of(KOTLIN), 0.5);
    floorLines(md, "W6", KOTLIN, "ns per level; a frame and a boxed result per level");
    EchoRuns.goals(md, this::ours25, rows, NETTY, VT, FLOOR);
    EchoRuns.multiCoreGoals(md, rows, OURS, OURS_ONE_LOOP, NETTY_TWO_LOOPS);
    EchoRuns.tlsGoals(md, this::ours25, rows, NETTY);
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
      if (results.prefilterUs != null) {
        double perClass = t2.get(0).stats().median() * 1000 / results.t2Loaded;
        md.append(
            String.format(
                Locale.ROOT,
                "| T2, the agent's own share: its pre-filter in-process, CPU per class | %.2f µs cold, %.2f µs warm "
                    + "(%.0f classes let through) | a class load without agent: %.0f µs (pre-filter = %.1f%% cold, "
                    + "%.1f%% warm) | (measured, no goal) |%n",
                results.prefilterUs[0],
                results.prefilterUs[1],
                results.prefilterUs[2],
                perClass,
                100 * results.prefilterUs[0] / perClass,
                100 * results.prefilterUs[1] / perClass));
      }
    }
  }

  /**
   * A floor line per JDK: the goal (half of {@code peer}'s median) beside the median of the
   * workload's floor row, what the work costs in plain Java with no runtime. A goal below the floor
   * cannot be met by any system that does the work the floor does.
   */
  private void floorLines(StringBuilder md, String workload, String peer, String what) {
    for (String jdk : List.of(machine.jdk25Label(), machine.jdk17Label())) {
      Row floor = results.row(workload, FLOOR, jdk);
      Row p = results.row(workload, peer, jdk);
      if (floor == null || p == null || floor.stats() == null || p.stats() == null) {
        continue;
      }
      double goal = p.stats().median() / 2;
      double f = floor.stats().median();
      md.append("| ")
          .append(workload)
          .append(", ")
          .append(jdk)
          .append(": the goal against the floor (")
          .append(what)
          .append(", no runtime) | goal ")
          .append(Report.fmt(goal))
          .append(" | floor ")
          .append(Report.fmt(f))
          .append(" | ")
          .append(goal < f ? "goal below the floor: out of reach" : "goal above the floor")
          .append(" |\n");
    }
  }

  /** A peer's row (not one of ours) on JDK 25 or asyncio: what ours on JDK 25 is compared with. */
  private boolean isPeerOnJdk25(Row r) {
    return !r.system().startsWith(OURS)
        && (r.jdk().equals(machine.jdk25Label()) || r.jdk().equals(machine.pythonLabel()));
  }

  /**
   * W3's time above the sleep every sleeper does: half of the best peer's time can be less than the
   * sleep itself, so the goal line above may be out of reach; this line compares what each system
   * adds to it.
   */
  private void w3AboveTheFloor(StringBuilder md) {
    Row mine = ours25("W3");
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
    double floor = ChildRuns.W3_SLEEP_MILLIS / 1000.0;
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
    goal(
        md,
        text,
        workload,
        peers,
        factor,
        machine.jdk25Label(),
        Set.of(machine.jdk25Label(), machine.pythonLabel()));
    goal(
        md,
        text + " (" + machine.jdk17Label() + ")",
        workload,
        peers,
        factor,
        machine.jdk17Label(),
        Set.of(machine.jdk17Label()));
  }

  private void goal(
      StringBuilder md,
      String text,
      String workload,
      List<String> peers,
      double factor,
      String jdk,
      Set<String> peerJdks) {
    Row mine = results.ours(workload, jdk);
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
      if (jdk.equals(machine.jdk25Label())) { // the JDK 17 line only where both ran there
        md.append("| ").append(text).append(" | not measured | | |\n");
      }
      return;
    }
    double limit = best.stats().median() * factor;
    md.append("| ")
        .append(text)
        .append(" | ")
        .append(Report.fmt(mine.stats().median()))
        .append(' ')
        .append(mine.unit())
        .append(" | ")
        .append(best.system())
        .append(' ')
        .append(Report.fmt(best.stats().median()))
        .append(" → limit ")
        .append(Report.fmt(limit))
        .append(" | ")
        .append(mine.stats().median() <= limit ? "yes" : "**no**")
        .append(" |\n");
  }
}
