package dev.coroutine;

import static dev.coroutine.Coroutines.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runtime on a JDK image without {@code jdk.jfr} and {@code java.management} (a child JVM with
 * {@code --limit-modules java.base}): tasks, timers, dumps and async stack traces still work, the
 * JFR gate stays closed, and the monitoring switches degrade to a logged warning.
 */
class DebugWithoutJfrTest {

  @Test
  void runtimeWorks_withOnlyJavaBase() throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "--limit-modules",
                    "java.base",
                    "-Dcoroutine.jmx=true",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName()))
            .redirectErrorStream(true)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text)
        .contains("jfr module: false")
        .contains("jfr available: false false")
        .contains("result: done")
        .contains("\"napper\" sleeping until");
  }

  /** The child JVM's program. */
  static final class Main {
    public static void main(String[] args) {
      System.out.println("jfr module: " + ModuleLayer.boot().findModule("jdk.jfr").isPresent());
      try (EventLoop loop = EventLoop.withVirtualTime()) {
        loop.setDebug(true);
        loop.createTask(Co.awaiting(sleep(60_000)), "napper");
        Object r =
            loop.runUntilComplete(
                Co.seq(v -> Co.await(sleep(1000)), v -> loop.dumpTasks(), v -> "done"));
        System.out.println(loop.dumpTasks());
        System.out.println("jfr available: " + Jfr.PRESENT + " " + Jfr.on());
        System.out.println("result: " + r);
      }
    }
  }
}
