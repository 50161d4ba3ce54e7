package dev.coroutine.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the process-level children (JVMs running {@link Child} or {@link
 * dev.coroutine.bench.io.EchoBench}, and Python scripts): each child's command line and stdout go
 * to {@code <work>/<name>.out}, its stderr to {@code <name>.err}, and its {@code RESULT key=value
 * ...} lines come back as maps, in order.
 */
final class Children implements EchoRuns.ChildRunner {
  /** Where the logs go (the run's work directory). */
  private final Path work;

  Children(Path work) {
    this.work = work;
  }

  @Override
  public List<Map<String, String>> run(String name, List<String> cmd)
      throws IOException, InterruptedException, ChildFailed {
    Path err = work.resolve(name + ".err");
    Path outLog = work.resolve(name + ".out");
    Files.writeString(outLog, String.join(" ", cmd) + "\n");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    List<Map<String, String>> results = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Files.writeString(outLog, line + "\n", StandardOpenOption.APPEND);
        if (line.startsWith("RESULT ")) {
          Map<String, String> m = new LinkedHashMap<>();
          for (String kv : line.substring(7).trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
          results.add(m);
        }
      }
    }
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new ChildFailed(name + " timed out");
    }
    if (p.exitValue() != 0) {
      List<String> tail = Files.readAllLines(err);
      throw new ChildFailed(
          name
              + " exited with "
              + p.exitValue()
              + ": "
              + String.join(" | ", tail.subList(Math.max(0, tail.size() - 3), tail.size())));
    }
    return results;
  }

  /** The first figure named {@code key} among a child's {@code RESULT} lines. */
  static double num(List<Map<String, String>> results, String key) throws ChildFailed {
    for (Map<String, String> m : results) {
      if (m.containsKey(key)) {
        return Double.parseDouble(m.get(key));
      }
    }
    throw new ChildFailed("no " + key + " in " + results);
  }
}
