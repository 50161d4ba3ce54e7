package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM of this JVM's java running a test's own program to its end. */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * Runs {@code main} with {@code options} before this JVM's class path and {@code args} after the
   * class, asserts that it ends within 60 s with status 0, and returns its output (stderr merged).
   */
  static String runOk(List<String> options, Class<?> main, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(options);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    return runOk(List.of(), cmd);
  }

  /**
   * Runs {@code main} on {@code classPath} in a shell under {@code ulimit -n fdLimit} (so the child
   * can run out of file descriptors for real), as {@link #runOk(List, Class, String...)} does.
   *
   * @param fdLimit the most file descriptors the child may have open
   * @param classPath the child's class path
   * @param main the child's main class
   * @return its output, stderr merged
   */
  public static String runOkWithFdLimit(int fdLimit, String classPath, Class<?> main)
      throws IOException, InterruptedException {
    return runOk(
        List.of("sh", "-c", "ulimit -n " + fdLimit + " || exit 97; exec \"$@\"", "sh"),
        List.of("-Xmx64m", "-cp", classPath, main.getName()));
  }

  private static String runOk(List<String> launcher, List<String> javaArgs)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(javaArgs);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended; " + out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
