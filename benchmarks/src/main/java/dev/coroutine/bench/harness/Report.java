package dev.coroutine.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes {@code RESULTS.md}: the run's header (machine, load, JDKs, modes), the table (workload x
 * system, ratio against ours on the row's JDK), the goal lines ({@link Goals}), the notes, and the
 * sections measured on their own (S1, P1), kept from the previous file when not rerun.
 */
final class Report {
  /** How much was run (the header says so, and marks a quick run provisional). */
  private final RunSizes sizes;

  /** The machine and JDKs of the run. */
  private final Machine machine;

  /** What was measured. */
  private final Results results;

  /** The table's rows. */
  private final List<Row> rows;

  /** The notes. */
  private final List<String> notes;

  /** Where the report goes. */
  private final Path out;

  /** Where the logs are. */
  private final Path work;

  Report(RunSetup setup, Results results) {
    this.sizes = setup.sizes();
    this.machine = setup.machine();
    this.results = results;
    this.rows = results.rows;
    this.notes = results.notes;
    this.out = setup.out();
    this.work = setup.work();
  }

  /**
   * Writes the report to {@code out}; when every measurement failed, writes it beside {@code out}
   * (RESULTS-failed.md) instead, keeping the last results, and throws.
   */
  void write(long seconds) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    md.append("Written by `dev.coroutine.bench.harness.Compare` (see README.md for the command and")
        .append(" the workload definitions).\n\n");
    double load = Machine.loadOneMinute(machine.loadAtStart());
    int cores = Runtime.getRuntime().availableProcessors();
    if (sizes == RunSizes.QUICK || load > cores * 0.5) {
      md.append("> **Provisional.** ");
      if (sizes == RunSizes.QUICK) {
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
            sizes == RunSizes.QUICK
                ? " (smoke check: short runs, small sizes; numbers are rough)"
                : "")
        .append(" |\n");
    md.append("| machine | ")
        .append(Machine.cpuModel())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(Machine.memTotal())
        .append(" |\n");
    md.append("| load average (1/5/15 min) | at start ")
        .append(machine.loadAtStart())
        .append("; at end ")
        .append(Machine.loadAverage())
        .append(" |\n");
    md.append("| JDKs | ")
        .append(machine.jdk25Label())
        .append(" (`")
        .append(machine.java25())
        .append("`), ")
        .append(machine.jdk17Label())
        .append(" (`")
        .append(machine.java17())
        .append("`) |\n");
    md.append("| Python | ").append(machine.pythonLabel()).append(" |\n");
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
        .append(machine.jdk25Label())
        .append("); so the *ours (agent)* rows compare the agent with the plugin, and ours on ")
        .append(machine.jdk17Label())
        .append(" is the 1 of its JDK. Above 1 the row is slower than ours, below 1 faster ")
        .append("(T1 is a rate: higher is better; T2 compares to the no-agent row; IO rows are ")
        .append("round trips per second, so there above 1 the row is faster than ours).\n\n");
    md.append(
        "| Workload | System | JDK | Median | Spread (min–max) | Ratio | Memory | JVM flags |\n");
    md.append("|---|---|---|---:|---|---:|---|---|\n");
    List<String> order =
        new ArrayList<>(
            List.of(
                "W1",
                JmhRuns.W1_PAIR,
                "W2",
                "W3",
                "W4",
                ChildRuns.W4_FINISHED,
                "W5",
                "W6",
                "T1",
                "T2"));
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
    new Goals(results, machine).write(md);
    if (!notes.isEmpty()) {
      md.append("\n## Notes from this run\n\n");
      for (String n : notes) {
        md.append("- ").append(n.replace('\n', ' ')).append('\n');
      }
    }
    String codeSizes = results.codeSizeSection;
    if (codeSizes == null && Files.exists(out)) {
      codeSizes = CodeSize.existingSection(Files.readString(out));
    }
    if (codeSizes != null) {
      md.append('\n').append(codeSizes);
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
      base =
          results.ours(r.workload(), r.jdk()); // the same JDK; asyncio (and JDK 25's peers): JDK 25
      if (base == null) {
        base = results.ours(r.workload(), machine.jdk25Label());
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
}
