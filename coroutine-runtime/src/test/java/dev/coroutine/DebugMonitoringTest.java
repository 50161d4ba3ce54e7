package dev.coroutine;

import static dev.coroutine.Coroutines.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The production hooks, {@code -Dcoroutine.jmx=true} and {@code -Dcoroutine.dumpOnExit=true}, in a
 * child JVM (the properties are read once per JVM): the MXBean's dumpTasks operation answers from
 * another thread, and the exit hook prints the dump of a loop still running at exit.
 */
class DebugMonitoringTest {

  @Test
  void jmxOperationAndExitHook_dumpTheRunningLoop() throws Exception {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Dcoroutine.jmx=true",
                    "-Dcoroutine.dumpOnExit=true",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName()))
            .start();
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    String stdout = out.get(10, TimeUnit.SECONDS);
    String stderr = err.get(10, TimeUnit.SECONDS);
    assertThat(p.exitValue()).as("exit status; stderr:\n" + stderr).isEqualTo(3);
    // the JMX operation, called from the main thread while the loop ran on its own
    assertThat(stdout)
        .contains("registered: true")
        .contains("pending: 1")
        .contains("Tasks of event loop loop-1 (thread \"monitored-loop\")")
        .contains("\"sleepy\" sleeping until")
        .contains("closed loop unregistered: true");
    // the shutdown hook's dump of the loop still running at System.exit
    assertThat(stderr)
        .contains("Tasks of event loop loop-2 (thread \"monitored-loop\")")
        .contains("\"stuck\" sleeping until")
        .doesNotContain("unsynchronized");
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            return e.toString();
          }
        });
  }

  /** The child JVM's program. */
  static final class Main {
    public static void main(String[] args) throws Exception {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName first = new ObjectName("dev.coroutine:type=EventLoop,name=loop-1");

      EventLoop loop = startLoop("sleepy");
      System.out.println("registered: " + server.isRegistered(first));
      System.out.println("pending: " + server.getAttribute(first, "PendingTaskCount"));
      System.out.println(server.invoke(first, "dumpTasks", new Object[0], new String[0]));
      loop.callSoonThreadsafe(loop::stop);
      while (loop.isRunning()) {
        Thread.sleep(5);
      }
      loop.close();
      System.out.println("closed loop unregistered: " + !server.isRegistered(first));

      startLoop("stuck"); // still running when the JVM exits: the exit hook dumps it
      System.out.flush();
      System.exit(3);
    }

    private static EventLoop startLoop(String taskName) throws InterruptedException {
      EventLoop loop = new EventLoop();
      CountDownLatch sleeping = new CountDownLatch(1);
      Thread t =
          new Thread(
              () -> {
                loop.createTask(Co.awaiting(sleep(Duration.ofHours(1))), taskName);
                loop.callLater(0.001, sleeping::countDown);
                loop.runForever();
              },
              "monitored-loop");
      t.setDaemon(true);
      t.start();
      sleeping.await();
      return loop;
    }
  }
}
