package dev.coroutine;

import static dev.coroutine.Coroutines.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runtime on a JDK image without {@code jdk.jfr} and {@code java.management} (a child JVM with
 * {@code --limit-modules java.base}): tasks, timers, dumps and async stack traces still work, the
 * JFR gate stays closed, and the monitoring switches degrade to a logged warning.
 */
class DebugWithoutJfrTest {

  @Test
  void runtimeWorks_withOnlyJavaBase() throws Exception {
    String text =
        ChildJvm.runOk(List.of("--limit-modules", "java.base", "-Dcoroutine.jmx=true"), Main.class);
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
