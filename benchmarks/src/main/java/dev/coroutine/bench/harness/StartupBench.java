package dev.coroutine.bench.harness;

import dev.coroutine.bench.ours.FirstRun;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ST, start-up: {@link FirstRun} in fresh child JVMs, alternating between the runtime as built and
 * the same with {@code -Dcoroutine.jfr=false} (what the flight-recorder gate still costs), and,
 * with {@code --runtime=<jar>}, a runtime jar of another version in place of this one (an earlier
 * build, to compare). Prints the median and range of the first {@code run()} and of the child's
 * whole life (wall time, start to exit) per configuration, and what the JDK alone charges for the
 * logging back end's start and the flight recorder's first event class ({@link JdkFirstUseCost}); a
 * measure, not a test.
 *
 * <pre>
 * java -cp "benchmarks/target/classes:$(cat cp.txt)" dev.coroutine.bench.harness.StartupBench \
 *      [--rounds=15] [--java=/path/to/bin/java] [--runtime=/path/to/coroutine-runtime.jar]
 * </pre>
 */
public final class StartupBench {
  private StartupBench() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = Options.parse(argv);
    int rounds = Integer.parseInt(args.getOrDefault("rounds", "15"));
    String java =
        args.getOrDefault(
            "java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String cp = System.getProperty("java.class.path");
    Map<String, List<String>> configs = new LinkedHashMap<>();
    configs.put("this runtime", List.of(java, "-cp", cp, FirstRun.class.getName()));
    configs.put(
        "this runtime, -Dcoroutine.jfr=false",
        List.of(java, "-Dcoroutine.jfr=false", "-cp", cp, FirstRun.class.getName()));
    String other = args.get("runtime");
    if (other != null) {
      configs.put(
          "runtime " + Path.of(other).getFileName(),
          List.of(java, "-cp", withRuntime(cp, other), FirstRun.class.getName()));
    }
    Map<String, List<Double>> first = new HashMap<>();
    Map<String, List<Double>> life = new HashMap<>();
    List<Double> logger = new ArrayList<>();
    List<Double> listener = new ArrayList<>();
    List<Double> event = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      String jdk = runChild(List.of(java, "-cp", cp, JdkFirstUseCost.class.getName()));
      logger.add(value(jdk, "logger-ms"));
      listener.add(value(jdk, "listener-ms"));
      event.add(value(jdk, "event-ms"));
      for (Map.Entry<String, List<String>> c : configs.entrySet()) { // alternating
        long t0 = System.nanoTime();
        String out = runChild(c.getValue());
        double lifeMs = (System.nanoTime() - t0) / 1e6;
        first.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(value(out, "first-run-ms"));
        life.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(lifeMs);
      }
    }
    System.out.printf(
        "ST start-up, %s, %d rounds, load average %s%n",
        version(java), rounds, Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    System.out.printf("%-45s %28s %28s%n", "configuration", "first run() ms", "child JVM life ms");
    Stats g0 = Stats.of(logger);
    Stats l0 = Stats.of(listener);
    Stats e0 = Stats.of(event);
    System.out.printf(
        "the JDK alone (JdkFirstUseCost): a first System.getLogger %.0f ms (%.0f-%.0f),"
            + " FlightRecorder.addListener %.0f ms (%.0f-%.0f), a first jdk.jfr.Event subclass"
            + " %.0f ms (%.0f-%.0f)%n",
        g0.median(),
        g0.min(),
        g0.max(),
        l0.median(),
        l0.min(),
        l0.max(),
        e0.median(),
        e0.min(),
        e0.max());
    for (String k : configs.keySet()) {
      Stats f = Stats.of(first.get(k));
      Stats l = Stats.of(life.get(k));
      System.out.printf(
          "%-45s %10.0f (%5.0f-%5.0f)      %10.0f (%5.0f-%5.0f)%n",
          k, f.median(), f.min(), f.max(), l.median(), l.min(), l.max());
    }
  }

  /**
   * {@code cp} with its coroutine-runtime entry (jar or classes folder) replaced by {@code jar}.
   */
  static String withRuntime(String cp, String jar) {
    List<String> kept = new ArrayList<>();
    kept.add(jar);
    for (String e : cp.split(File.pathSeparator)) {
      if (!e.contains("coroutine-runtime")) {
        kept.add(e);
      }
    }
    return String.join(File.pathSeparator, kept);
  }

  private static String runChild(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("child failed: " + cmd + "\n" + out);
    }
    return out;
  }

  private static double value(String out, String key) {
    for (String line : out.split("\n")) {
      if (line.startsWith(key + " ")) {
        return Double.parseDouble(line.substring(key.length() + 1).trim());
      }
    }
    throw new IllegalStateException("no " + key + " in: " + out);
  }

  private static String version(String java) throws IOException, InterruptedException {
    String out = runChild(List.of(java, "-version"));
    return out.split("\n")[0].trim();
  }
}
