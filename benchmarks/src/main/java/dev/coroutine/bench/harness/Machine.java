package dev.coroutine.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a run runs on: the two JDKs and the Python it forks (with the versions they report), and the
 * machine's CPU, memory and load, as the report's header shows them.
 *
 * @param java17 the JDK 17 {@code java} executable ({@code bench.jdk17} home)
 * @param java25 the JDK 25 {@code java} executable ({@code bench.jdk25} home)
 * @param jdk17Label "JDK " and the version {@code java17} reports, the rows' JDK column
 * @param jdk25Label the same for {@code java25}
 * @param python the Python executable ({@code bench.python})
 * @param pythonLabel the version it reports, e.g. "Python 3.11.7"
 * @param loadAtStart the load average when the run began ("1-min / 5-min / 15-min")
 */
record Machine(
    String java17,
    String java25,
    String jdk17Label,
    String jdk25Label,
    String python,
    String pythonLabel,
    String loadAtStart) {

  /** The machine of this JVM's system properties, load average taken now. */
  static Machine fromSystemProperties() {
    String home = System.getProperty("java.home");
    String java17 = javaOf(System.getProperty("bench.jdk17", home));
    String java25 = javaOf(System.getProperty("bench.jdk25", home));
    String python = System.getProperty("bench.python", "python3");
    return new Machine(
        java17,
        java25,
        "JDK " + javaVersion(java17),
        "JDK " + javaVersion(java25),
        python,
        pythonVersion(python),
        loadAverage());
  }

  static String javaOf(String home) {
    return Path.of(home, "bin", "java").toString();
  }

  static String javaVersion(String java) {
    String v = firstLine(List.of(java, "-version"), true);
    int q = v.indexOf('"');
    return q >= 0 ? v.substring(q + 1, v.indexOf('"', q + 1)) : v;
  }

  private static String pythonVersion(String python) {
    return firstLine(List.of(python, "--version"), false).trim();
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

  /**
   * Waits, at most {@code maxSeconds}, until the 1-minute load average is below {@code below}: a
   * full run measures a quiet machine, not the build that just compiled it (the header records the
   * load when measuring began, and marks the run provisional if it was still high).
   */
  static void awaitQuiet(double below, int maxSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
    double load = loadOneMinute(loadAverage());
    while (!(load < below) && System.nanoTime() < deadline) {
      System.out.printf(
          Locale.ROOT, "[bench] waiting for a quiet machine: load average %.2f%n", load);
      Thread.sleep(10_000);
      load = loadOneMinute(loadAverage());
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  static double loadOneMinute(String loadAverage) {
    try {
      return Double.parseDouble(loadAverage.split(" ")[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static String cpuModel() {
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

  static String memTotal() {
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
