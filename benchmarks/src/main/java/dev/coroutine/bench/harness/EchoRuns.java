package dev.coroutine.bench.harness;

import dev.coroutine.bench.io.EchoBench;
import io.netty.util.Version;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The IO part of the comparison (issue 7): echo round trips per second on loopback at 1, 100 and
 * 1,000 connections ({@link EchoBench} in a JVM child, {@code io/echo_asyncio.py} for Python), with
 * 32-byte messages (the round-trip rate) and with 16 KiB messages (throughput). Each child runs
 * every connection count of one message size, each after an uncounted warm-up of the same point;
 * the runs alternate between the systems, so a slow spell of a shared machine hits them alike.
 *
 * <p>Rows are named {@code IO-<connections>} (32 B) and {@code IO-16K-<connections>}, one workload
 * per size and count, so that each compares with ours at the same point. Their unit is a rate:
 * higher is better. The TLS part ({@link #tls}) runs the 32 B line over TLS 1.3 (JDK provider
 * everywhere; systems keyed {@code ours-tls}, {@code vt-tls}, {@code netty-tls}) as rows {@code
 * IO-TLS-<connections>}, counted once every connection did its handshake.
 */
final class EchoRuns {
  /** The connection counts of the issue. */
  static final List<Integer> CONNECTIONS = List.of(1, 100, 1000);

  /** Message sizes (bytes each way per round trip, newline included): the line, and 16 KiB. */
  static final List<Integer> SIZES = List.of(32, 16 * 1024);

  /** Runs one child and returns its {@code RESULT} lines ({@link Children}). */
  interface ChildRunner {
    List<Map<String, String>> run(String name, List<String> cmd)
        throws IOException, InterruptedException, ChildFailed;
  }

  /** Seconds measured per point, warm-up seconds before it, runs (children) per system. */
  record Plan(double seconds, double warmup, int runs) {}

  private final Plan plan;
  private final String classpath;
  private final String python;
  private final String script;
  private final ChildRunner runner;
  private final List<String> notes;

  /** The TLS part: 32 B lines only, rows {@code IO-TLS-<n>}. */
  private final boolean tls;

  EchoRuns(
      Plan plan,
      String classpath,
      String python,
      String script,
      ChildRunner runner,
      List<String> notes) {
    this(plan, classpath, python, script, runner, notes, false);
  }

  /** The TLS part: {@link #tlsWorkloads()} for {@code systems} keyed {@code <mode>-tls}. */
  static EchoRuns tls(Plan plan, String classpath, ChildRunner runner, List<String> notes) {
    return new EchoRuns(plan, classpath, null, null, runner, notes, true);
  }

  private EchoRuns(
      Plan plan,
      String classpath,
      String python,
      String script,
      ChildRunner runner,
      List<String> notes,
      boolean tls) {
    this.tls = tls;
    this.plan = plan;
    this.classpath = classpath;
    this.python = python;
    this.script = script;
    this.runner = runner;
    this.notes = notes;
  }

  /** The Netty version on the class path, as Netty reports it. */
  static String nettyVersion() {
    Version v = Version.identify().get("netty-transport");
    return v == null ? "?" : v.artifactVersion();
  }

  static String workload(int size, int connections) {
    return (size == SIZES.get(0) ? "IO-" : "IO-" + size / 1024 + "K-") + connections;
  }

  /** Every IO workload, in table order. */
  static List<String> workloads() {
    List<String> all = new ArrayList<>();
    for (int size : SIZES) {
      CONNECTIONS.forEach(n -> all.add(workload(size, n)));
    }
    return all;
  }

  /** The TLS echo workloads, in table order. */
  static List<String> tlsWorkloads() {
    List<String> all = new ArrayList<>();
    CONNECTIONS.forEach(n -> all.add("IO-TLS-" + n));
    return all;
  }

  private List<Integer> sizes() {
    return tls ? List.of(SIZES.get(0)) : SIZES;
  }

  private String name(int size, int connections) {
    return tls ? "IO-TLS-" + connections : workload(size, connections);
  }

  private static String connections(int n) {
    return n + (n == 1 ? " connection" : " connections");
  }

  /** Runs every system {@code plan.runs()} times and returns a row per system and count. */
  List<Row> run(List<ProcSystem> systems) throws InterruptedException, IOException {
    Map<String, List<Double>> rates = new LinkedHashMap<>(); // system key + workload -> rates
    for (int r = 0; r < plan.runs(); r++) {
      for (int size : sizes()) {
        for (ProcSystem s : systems) {
          String name = "io-" + s.key() + "-" + size + "-" + r;
          try {
            for (Map<String, String> m : runner.run(name, command(s, size))) {
              int n = Integer.parseInt(m.get("connections"));
              rates
                  .computeIfAbsent(s.key() + " " + name(size, n), k -> new ArrayList<>())
                  .add(Double.parseDouble(m.get("round_trips_per_s")));
            }
          } catch (ChildFailed e) {
            notes.add(
                "IO " + s.label() + " " + size + " B run " + r + " failed: " + e.getMessage());
          }
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int size : sizes()) {
      for (int n : CONNECTIONS) {
        for (ProcSystem s : systems) {
          Stats stats = Stats.of(rates.getOrDefault(s.key() + " " + name(size, n), List.of()));
          Map<String, Double> metrics =
              stats == null ? Map.of() : Map.of("MB/s each way", stats.median() * size / 1e6);
          if (stats != null) {
            System.out.printf(
                Locale.ROOT,
                "[bench]     IO %5d B %4d conn. %-20s %-12s %,10.0f round trips/s%s%n",
                size,
                n,
                s.label(),
                s.jdk(),
                stats.median(),
                tls ? " (TLS)" : "");
          }
          String unit =
              "round trips/s ("
                  + size
                  + " B"
                  + (tls ? " over TLS 1.3" : "")
                  + ", "
                  + connections(n)
                  + ")";
          String flags = String.join(" ", s.flags());
          rows.add(new Row(name(size, n), s.label(), s.jdk(), unit, stats, metrics, flags, false));
        }
      }
    }
    return rows;
  }

  /** The multi-core row's workload: 32-byte echoes at 1,000 connections (issue 18). */
  static final String MULTI_CORE = "MC-1000";

  /**
   * The multi-core part: each system (ours on 2 loops, on 1 loop, Netty on 2 event loops, told by
   * {@code -Decho.loops} in its flags) echoes 32-byte lines at 1,000 connections, {@code
   * plan.runs()} times, alternating; one row per system, workload {@link #MULTI_CORE}.
   */
  List<Row> runMultiCore(List<ProcSystem> systems) throws InterruptedException, IOException {
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>(); // process CPU µs per round trip
    for (int r = 0; r < plan.runs(); r++) {
      for (ProcSystem s : systems) {
        String name = "mc-" + s.key() + "-" + s.label().replaceAll("[^A-Za-z0-9]+", "_") + "-" + r;
        try {
          for (Map<String, String> m : runner.run(name, command(s, SIZES.get(0), "1000"))) {
            rates
                .computeIfAbsent(s.label(), k -> new ArrayList<>())
                .add(Double.parseDouble(m.get("round_trips_per_s")));
            if (m.containsKey("cpu_us_per_round_trip")) {
              cpu.computeIfAbsent(s.label(), k -> new ArrayList<>())
                  .add(Double.parseDouble(m.get("cpu_us_per_round_trip")));
            }
          }
        } catch (ChildFailed e) {
          notes.add("MC " + s.label() + " run " + r + " failed: " + e.getMessage());
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (ProcSystem s : systems) {
      Stats stats = Stats.of(rates.getOrDefault(s.label(), List.of()));
      if (stats != null) {
        System.out.printf(
            Locale.ROOT,
            "[bench]     MC 1000 conn. %-28s %,10.0f round trips/s%n",
            s.label(),
            stats.median());
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      if (stats != null) {
        metrics.put("MB/s each way", stats.median() * SIZES.get(0) / 1e6);
      }
      Stats perTrip = Stats.of(cpu.getOrDefault(s.label(), List.of()));
      if (perTrip != null) {
        metrics.put(CPU_PER_TRIP, perTrip.median()); // flat from 1 to 2 loops: scales
        if (stats != null) {
          // client and server share the process: the cores it keeps busy bound its scaling
          metrics.put(CORES_BUSY, stats.median() * perTrip.median() / 1e6);
        }
      }
      rows.add(
          new Row(
              MULTI_CORE,
              s.label(),
              s.jdk(),
              "round trips/s (32 B, 1000 connections)",
              stats,
              metrics,
              String.join(" ", s.flags()),
              false));
    }
    return rows;
  }

  /**
   * What this machine allows: the rate at which the two-loop run would keep every core busy at its
   * measured CPU cost per round trip (the load generator runs in the same process, on the same
   * cores), over the one-loop rate; "" if the CPU time was not measured.
   */
  static String ceiling(Row twoLoops, Row oneLoop) {
    Double cpuPerTrip = twoLoops.metrics().get(CPU_PER_TRIP);
    Double busy = twoLoops.metrics().get(CORES_BUSY);
    if (cpuPerTrip == null || cpuPerTrip <= 0 || busy == null) {
      return "";
    }
    int cores = Runtime.getRuntime().availableProcessors();
    double full = cores * 1e6 / cpuPerTrip;
    return String.format(
        Locale.ROOT,
        "; this machine's ceiling %.2fx (all %d cores busy at %.1f CPU µs per round trip, clients"
            + " included: %s round trips/s; the 2-loop run kept %.2f busy)",
        full / oneLoop.stats().median(),
        cores,
        cpuPerTrip,
        Report.fmt(full),
        busy);
  }

  /** The MC rows' metric: process CPU per round trip, client and server together. */
  static final String CPU_PER_TRIP = "CPU µs per round trip";

  /** The MC rows' metric: process CPU per second of wall time (client and server together). */
  static final String CORES_BUSY = "cores busy";

  /**
   * The multi-core goals: ours on 2 loops at least 1.8x ours on 1 loop, and at least Netty on 2
   * event loops, in the same run.
   */
  static void multiCoreGoals(
      StringBuilder md, List<Row> rows, String twoLoops, String oneLoop, String nettyTwo) {
    Row two = find(rows, twoLoops);
    Row one = find(rows, oneLoop);
    Row netty = find(rows, nettyTwo);
    String a = "MC: 2 loops at least 1.8x one loop (echo, 32 B, 1,000 connections)";
    String b = "MC: 2 loops at least Netty with 2 event loops (same point)";
    if (two == null || one == null) {
      md.append("| ").append(a).append(" | not measured | | |\n");
    } else {
      double x = two.stats().median() / one.stats().median();
      md.append("| ")
          .append(a)
          .append(" | ")
          .append(Report.fmt(two.stats().median()))
          .append(String.format(Locale.ROOT, " round trips/s (%.2fx)", x))
          .append(" | 1 loop ")
          .append(Report.fmt(one.stats().median()))
          .append(" → limit ")
          .append(Report.fmt(one.stats().median() * 1.8))
          .append(ceiling(two, one))
          .append(" | ")
          .append(x >= 1.8 ? "yes" : "**no**")
          .append(" |\n");
    }
    if (two == null || netty == null) {
      md.append("| ").append(b).append(" | not measured | | |\n");
    } else {
      md.append("| ")
          .append(b)
          .append(" | ")
          .append(Report.fmt(two.stats().median()))
          .append(" round trips/s | ")
          .append(nettyTwo)
          .append(' ')
          .append(Report.fmt(netty.stats().median()))
          .append(" | ")
          .append(two.stats().median() >= netty.stats().median() ? "yes" : "**no**")
          .append(" |\n");
    }
  }

  private static Row find(List<Row> rows, String system) {
    for (Row r : rows) {
      if (r.workload().equals(MULTI_CORE) && r.system().equals(system) && r.stats() != null) {
        return r;
      }
    }
    return null;
  }

  private List<String> command(ProcSystem s, int size) {
    return command(
        s, size, CONNECTIONS.stream().map(String::valueOf).collect(Collectors.joining(",")));
  }

  private List<String> command(ProcSystem s, int size, String counts) {
    List<String> cmd = new ArrayList<>();
    String seconds = Double.toString(plan.seconds());
    String warmup = Double.toString(plan.warmup());
    if (s.java() == null) {
      cmd.addAll(List.of(python, script, seconds, counts, warmup, Integer.toString(size)));
    } else {
      cmd.add(s.java());
      cmd.addAll(s.flags());
      cmd.add("-Decho.size=" + size);
      cmd.addAll(
          List.of("-cp", classpath, EchoBench.class.getName(), seconds, counts, s.key(), warmup));
    }
    return cmd;
  }

  /** Issue 18's echo goal: ours at least this many times Netty's round-trip rate. */
  static final double NETTY_FACTOR = 1.2;

  /**
   * The goal lines per size and connection count: ours must reach {@link #NETTY_FACTOR} times
   * {@code netty}'s rate and at least {@code vt}'s; then the goal against {@code floor}'s runs (the
   * echo in plain NIO, {@code EchoFloor}): a goal above every run of the floor is out of reach on
   * this machine, one between its slowest and fastest run is inside its spread.
   */
  static void goals(
      StringBuilder md,
      Function<String, Row> ours,
      List<Row> rows,
      String netty,
      String vt,
      String floor) {
    for (int size : SIZES) {
      for (int n : CONNECTIONS) {
        goal(md, ours, rows, netty, vt, floor, size, n);
      }
    }
  }

  /** The TLS goal line per connection count: ours at least Netty's SslHandler (issue 15). */
  static void tlsGoals(StringBuilder md, Function<String, Row> ours, List<Row> rows, String netty) {
    for (int n : CONNECTIONS) {
      String w = "IO-TLS-" + n;
      String text = "TLS echo: at least Netty's SslHandler (32 B, " + connections(n) + ")";
      Row mine = ours.apply(w);
      Row peer =
          rows.stream()
              .filter(r -> r.workload().equals(w) && r.system().equals(netty) && r.stats() != null)
              .findFirst()
              .orElse(null);
      if (mine == null || mine.stats() == null || peer == null) {
        md.append("| ").append(text).append(" | not measured | | |\n");
        continue;
      }
      md.append("| ")
          .append(text)
          .append(" | ")
          .append(Report.fmt(mine.stats().median()))
          .append(" round trips/s | ")
          .append(netty)
          .append(' ')
          .append(Report.fmt(peer.stats().median()))
          .append(" | ")
          .append(mine.stats().median() >= peer.stats().median() ? "yes" : "**no**")
          .append(" |\n");
    }
  }

  private static void goal(
      StringBuilder md,
      Function<String, Row> ours,
      List<Row> rows,
      String netty,
      String vt,
      String floor,
      int size,
      int n) {
    String w = workload(size, n);
    String text =
        "IO: at least "
            + NETTY_FACTOR
            + "x Netty's rate, and virtual threads', on one loop thread ("
            + size
            + " B, "
            + connections(n)
            + ")";
    Row mine = ours.apply(w);
    Row nettyRow = row(rows, w, netty);
    Row vtRow = row(rows, w, vt);
    if (mine == null || mine.stats() == null || nettyRow == null) {
      md.append("| ").append(text).append(" | not measured | | |\n");
      return;
    }
    double goal = NETTY_FACTOR * nettyRow.stats().median();
    String limit = netty + " " + Report.fmt(nettyRow.stats().median()) + " → " + Report.fmt(goal);
    if (vtRow != null && vtRow.stats().median() > goal) {
      goal = vtRow.stats().median();
      limit = limit + ", " + vt + " " + Report.fmt(goal);
    }
    md.append("| ")
        .append(text)
        .append(" | ")
        .append(Report.fmt(mine.stats().median()))
        .append(" round trips/s | ")
        .append(limit)
        .append(" | ")
        .append(mine.stats().median() >= goal ? "yes" : "**no**")
        .append(" |\n");
    Row floorRow = row(rows, w, floor);
    if (floorRow != null) {
      Stats f = floorRow.stats();
      // the floor's runs spread like every echo's: only a goal above all of them is out of reach
      String verdict =
          goal > f.max()
              ? "goal above every floor run: out of reach"
              : goal >= f.min() ? "goal inside the floor's spread" : "goal under every floor run";
      md.append("| IO, ")
          .append(size)
          .append(" B, ")
          .append(connections(n))
          .append(": the goal against the floor (round trips/s; plain NIO, no framework) | goal ")
          .append(Report.fmt(goal))
          .append(" | floor ")
          .append(Report.fmt(f.median()))
          .append(" (")
          .append(Report.fmt(f.min()))
          .append("–")
          .append(Report.fmt(f.max()))
          .append(") | ")
          .append(verdict)
          .append(" |\n");
    }
  }

  /** The measured row of {@code system} for workload {@code w}, or null. */
  private static Row row(List<Row> rows, String w, String system) {
    return rows.stream()
        .filter(r -> r.workload().equals(w) && r.system().equals(system) && r.stats() != null)
        .findFirst()
        .orElse(null);
  }
}
