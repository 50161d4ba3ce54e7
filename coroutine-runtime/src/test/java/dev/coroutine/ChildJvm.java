package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM of this JVM's java and class path running a test's own program to its end. */
final class ChildJvm {
  private ChildJvm() {}

  /**
   * Runs {@code main} with {@code options} before the class path and {@code args} after the class,
   * asserts that it ends within 60 s with status 0, and returns its output (stderr merged).
   */
  static String runOk(List<String> options, Class<?> main, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(options);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended; " + out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
