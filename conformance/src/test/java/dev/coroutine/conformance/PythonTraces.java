package dev.coroutine.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The asyncio side of the suite: runs {@code src/test/python/_run.py} once, in one interpreter, and
 * parses the traces it prints (see that file for the format).
 *
 * @param version the interpreter's version, e.g. {@code 3.11.7}
 * @param interpreter the command that was run, e.g. {@code python3}
 * @param traces each scenario id ({@code area/name}) run, and its trace
 * @param skipped each scenario id skipped, and the Python version it follows
 */
record PythonTraces(
    String version,
    String interpreter,
    Map<String, List<String>> traces,
    Map<String, String> skipped) {

  /** The whole run may take this long before it is killed (each scenario has 20 s itself). */
  private static final long TIMEOUT_SECONDS = 300;

  /** Runs {@code interpreter} over the scenarios in {@code dir}, restricted by id filters. */
  static PythonTraces run(String interpreter, Path dir, List<String> filters) {
    Path runner = dir.resolve("_run.py");
    if (!Files.isRegularFile(runner)) {
      throw new IllegalStateException("no Python runner at " + runner);
    }
    List<String> cmd = new ArrayList<>(List.of(interpreter, "-B", "-u", runner.toString()));
    cmd.addAll(filters);
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
      pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
      pb.environment().put("PYTHONIOENCODING", "utf-8");
      pb.environment().remove("PYTHONASYNCIODEBUG"); // debug mode changes timings and warnings
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start the Python interpreter '"
              + interpreter
              + "' that runs the asyncio side of the conformance suite: "
              + e.getMessage()
              + ". Install python3 (3.11 or newer) on the PATH, or name another interpreter with"
              + " -Dconformance.python=/path/to/python3",
          e);
    }
    CompletableFuture<String> err = drain(p.getErrorStream());
    CompletableFuture<String> out = drain(p.getInputStream());
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "the asyncio side did not finish within "
                + TIMEOUT_SECONDS
                + " s; stderr:\n"
                + err.getNow(""));
      }
      int status = p.exitValue();
      String stdout = out.get(10, TimeUnit.SECONDS);
      String stderr = err.get(10, TimeUnit.SECONDS);
      if (status != 0 || !stdout.contains("@@ end")) {
        throw new IllegalStateException(
            String.join(" ", cmd)
                + " failed (exit status "
                + status
                + "); stderr:\n"
                + stderr
                + "\nstdout (last 2000 characters):\n"
                + tail(stdout, 2000));
      }
      return parse(interpreter, stdout);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd, e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read the output of " + cmd, e);
    }
  }

  /** Parses the runner's output (package-private for the harness's own test). */
  static PythonTraces parse(String interpreter, String stdout) {
    String version = null;
    Map<String, List<String>> traces = new LinkedHashMap<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    List<String> current = null;
    int n = 0;
    for (String line : stdout.split("\n", -1)) {
      n++;
      if (line.startsWith("> ") && current != null) {
        current.add(line.substring(2));
      } else if (line.startsWith("@@ python ")) {
        version = line.substring("@@ python ".length()).trim();
      } else if (line.startsWith("@@ scenario ")) {
        current = new ArrayList<>();
        traces.put(line.substring("@@ scenario ".length()).trim(), current);
      } else if (line.startsWith("@@ skip ")) {
        String[] parts = line.substring("@@ skip ".length()).trim().split(" ");
        skipped.put(parts[0], parts.length > 1 ? parts[1] : "?");
        current = null;
      } else if (line.equals("@@ end")) {
        break;
      } else if (!line.isEmpty()) {
        throw new IllegalStateException(
            "unexpected line "
                + n
                + " from the Python runner (a scenario printed instead of"
                + " calling log()?): "
                + line);
      }
    }
    if (version == null) {
      throw new IllegalStateException("the Python runner did not print its version");
    }
    return new PythonTraces(version, interpreter, traces, skipped);
  }

  /** Reads a stream to its end on a thread of its own (a shared pool may have just one thread). */
  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (in) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                result.complete(b.toString(StandardCharsets.UTF_8));
              } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
              }
            },
            "conformance-python-reader");
    t.setDaemon(true);
    t.start();
    return result;
  }

  private static String tail(String s, int n) {
    return s.length() <= n ? s : s.substring(s.length() - n);
  }
}
