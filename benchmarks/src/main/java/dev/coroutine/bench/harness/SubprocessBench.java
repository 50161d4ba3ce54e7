package dev.coroutine.bench.harness;

import dev.coroutine.bench.io.SubprocessEcho;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * P1, subprocesses (issue 15): 100 concurrent {@code cat} processes each echoing 1 MiB through
 * {@code communicate}, for ours with the pipes on the selector ({@code /proc/self/fd}), ours with
 * the portable pump threads ({@code -Dcoroutine.subprocess.pipes=threads}) and asyncio. Each runs
 * in a child process of its own ({@link SubprocessEcho}, {@code io/subprocess_asyncio.py}) that
 * prints, per round, the wall time and the peak of its OS threads; this writes the medians into its
 * own section of {@code RESULTS.md} (between {@link #BEGIN} and {@link #END}), keeping the rest.
 *
 * <pre>
 * java -cp ... dev.coroutine.bench.harness.SubprocessBench [--out=RESULTS.md] [--python=python3]
 *      [--processes=100] [--bytes=1048576] [--rounds=5]
 * </pre>
 */
public final class SubprocessBench {
  /** First line of the section in RESULTS.md. */
  static final String BEGIN = "<!-- P1 subprocesses: begin (written by SubprocessBench) -->";

  /** Last line of the section. */
  static final String END = "<!-- P1 subprocesses: end -->";

  private SubprocessBench() {}

  /** One system's rounds: the median wall time and peak threads, the threads before. */
  record Measured(
      String system,
      String how,
      double seconds,
      double spread,
      int peak,
      int before,
      double spawnsPerSecond) {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = Options.parse(argv);
    Path out = Path.of(args.getOrDefault("out", "RESULTS.md"));
    String python = args.getOrDefault("python", "python3");
    String processes = args.getOrDefault("processes", "100");
    String bytes = args.getOrDefault("bytes", "1048576");
    String rounds = args.getOrDefault("rounds", "5");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    String loadBefore = loadAverage();
    List<Measured> rows = new ArrayList<>();
    rows.add(
        measure(
            "ours",
            "pipes on the selector (`/proc/self/fd`), JDK " + Runtime.version().feature(),
            List.of(java, "-cp", cp, SubprocessEcho.class.getName(), processes, bytes, rounds)));
    rows.add(
        measure(
            "ours, pump threads",
            "`-Dcoroutine.subprocess.pipes=threads` (the portable way), JDK "
                + Runtime.version().feature(),
            List.of(
                java,
                "-Dcoroutine.subprocess.pipes=threads",
                "-cp",
                cp,
                SubprocessEcho.class.getName(),
                processes,
                bytes,
                rounds)));
    rows.add(
        measure(
            "asyncio",
            pythonVersion(python) + ", default child watcher",
            List.of(
                python,
                "io" + File.separator + "subprocess_asyncio.py",
                processes,
                bytes,
                rounds)));
    String section = section(rows, processes, bytes, rounds, loadBefore, loadAverage());
    String old = Files.exists(out) ? Files.readString(out) : "";
    Files.writeString(out, withSection(old, section));
    System.out.print(section);
    System.out.println("[bench] wrote the subprocess section of " + out.toAbsolutePath());
  }

  private static Measured measure(String system, String how, List<String> cmd) throws Exception {
    System.out.println("[bench] P1 " + system + ": " + String.join(" ", cmd));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<Double> secs = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    int peak = 0;
    int before = Integer.MAX_VALUE;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        System.out.println("  " + line);
        if (!line.startsWith("RESULT ")) {
          continue;
        }
        Map<String, String> kv = new HashMap<>();
        for (String part : line.substring(7).split(" ")) {
          int eq = part.indexOf('=');
          kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        if ("spawn".equals(kv.get("kind"))) {
          rates.add(Double.parseDouble(kv.get("per_second")));
          continue;
        }
        secs.add(Double.parseDouble(kv.get("seconds")));
        peak = Math.max(peak, Integer.parseInt(kv.get("peak_threads")));
        before = Math.min(before, Integer.parseInt(kv.get("threads_before")));
      }
    }
    int code = p.waitFor();
    if (code != 0 || secs.isEmpty() || rates.isEmpty()) {
      throw new IllegalStateException(system + " failed (exit " + code + "): " + cmd);
    }
    Collections.sort(secs);
    double median = secs.get(secs.size() / 2);
    double spread = secs.get(secs.size() - 1) - secs.get(0);
    Collections.sort(rates);
    return new Measured(system, how, median, spread, peak, before, rates.get(rates.size() / 2));
  }

  private static String pythonVersion(String python) {
    try {
      Process p = new ProcessBuilder(python, "--version").redirectErrorStream(true).start();
      String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return v;
    } catch (IOException | InterruptedException e) {
      return python;
    }
  }

  /** The 1-minute load average, from /proc/loadavg ("?" elsewhere). */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  static String section(
      List<Measured> rows,
      String processes,
      String bytes,
      String rounds,
      String loadBefore,
      String loadAfter) {
    StringBuilder md = new StringBuilder();
    md.append(BEGIN).append('\n');
    md.append("## P1: subprocesses (issue 15)\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%s concurrent `cat` processes, each sent %s bytes with `communicate` and checked to"
                + " echo them, on one loop; the median of %s rounds after a warm-up round, and the"
                + " peak of the process's OS threads (`/proc/self/status`, sampled every"
                + " millisecond by one extra thread) against the count before the round."
                + " Spawn+communicate/s: 200 short `cat`s, ten at a time, each sent 16 bytes"
                + " (median of the rounds)."
                + " `benchmarks/io/subprocess_asyncio.py` is asyncio's twin. Written by"
                + " `SubprocessBench` (`mvn -pl benchmarks verify -Psubprocess`) on %s, %d cores,"
                + " 1-minute load average %s before and %s after (other builds were running:"
                + " compare the rows with each other, not with other runs).\n\n",
            processes,
            bytes,
            rounds,
            java.time.LocalDate.now(),
            Runtime.getRuntime().availableProcessors(),
            loadBefore,
            loadAfter));
    md.append(
        "| system | how | echo wall time (s) | spread (s) | OS threads before | peak | added"
            + " | spawn+communicate /s |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (Measured m : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.3f | %.3f | %d | %d | %d | %.0f |%n",
              m.system(),
              m.how(),
              m.seconds(),
              m.spread(),
              m.before(),
              m.peak(),
              m.peak() - m.before(),
              m.spawnsPerSecond()));
    }
    md.append(
        "\nWhat the threads are: the JDK watches each live child with a \"process reaper\" thread"
            + " blocked in `waitpid` (one per child, whatever we do); asyncio 3.11's default"
            + " `ThreadedChildWatcher` does the same. Our pipes on the selector add no thread; the"
            + " pump threads add one per piped stream (three per child here). The rest of a JVM's"
            + " rise is its own (JIT compiler and GC threads it starts under load); the reapers"
            + " of the JDK are pooled and stay idle for a minute, so a later round can start"
            + " with them. Where ours loses time: JFR's native samples of the loop thread put"
            + " most of a round in the JDK's fork and exec (`ProcessImpl.forkAndExec`: a"
            + " posix_spawn of `jspawnhelper`, which then execs the program, while the loop"
            + " waits), not in the pipes: one `cat` echoing 100 MB took ours 0.4-0.7 s and"
            + " asyncio 1.3-1.7 s when measured by hand (`SubprocessEcho 1 104857600`,"
            + " `subprocess_asyncio.py 1 104857600`).\n");
    md.append(END).append('\n');
    return md.toString();
  }

  /** {@code md} with its P1 section replaced by {@code section}, or {@code section} appended. */
  static String withSection(String md, String section) {
    int b = md.indexOf(BEGIN);
    int e = md.indexOf(END);
    if (b >= 0 && e > b) {
      int end = e + END.length();
      if (end < md.length() && md.charAt(end) == '\n') {
        end++;
      }
      return md.substring(0, b) + section + md.substring(end);
    }
    return md + (md.endsWith("\n\n") ? "" : md.endsWith("\n") ? "\n" : "\n\n") + section;
  }

  /** The P1 section already in {@code md}, or null. */
  static String existingSection(String md) {
    int b = md.indexOf(BEGIN);
    int e = md.indexOf(END);
    return b >= 0 && e > b ? md.substring(b, e + END.length()) + "\n" : null;
  }
}
