package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server out of file descriptors, for real: a child JVM under {@code ulimit -n 256} holds every
 * free descriptor, so accept() fails with EMFILE while clients wait in the backlog. The server must
 * back off (one report per second, not one per pass: before, 255,000 handler calls in 2 s at 90%
 * CPU) and serve the waiting clients once descriptors are freed.
 */
class FdExhaustionStressTest {
  static final int CLIENTS = 10;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"warm", "cold"})
  void emfile_serverBacksOff_reportsOncePerBackOff_andServesClientsOnceFdsAreFreed(String start)
      throws Exception {
    // cold: the server has read and written nothing before the descriptors ran out (found by an
    // outside tester: on JDK 17 the loop then closed itself for good)
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    String classes = null;
    String testClasses = null;
    for (String e : cp.split(File.pathSeparator)) {
      if (e.endsWith("test-classes")) {
        testClasses = e;
      } else if (e.endsWith("classes")) {
        classes = e;
      }
    }
    ProcessBuilder pb =
        new ProcessBuilder(
            "sh",
            "-c",
            "ulimit -n 256 || exit 97; exec \"$@\"",
            "sh",
            java,
            "-Xmx64m",
            "-cp",
            cp,
            FdExhaustionChild.class.getName(),
            String.valueOf(classes),
            String.valueOf(testClasses),
            start);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process child = pb.start();
    // the watchdog: a child that hangs is killed, which ends every read below with EOF
    Thread watchdog =
        new Thread(
            () -> {
              try {
                if (!child.waitFor(90L * dev.coroutine.Stress.SCALE, TimeUnit.SECONDS)) {
                  System.err.println("fd exhaustion: the child hung; killed by the watchdog");
                  child.destroyForcibly();
                }
              } catch (InterruptedException e) {
                // test over
              }
            },
            "fd-exhaustion-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    List<Socket> clients = new ArrayList<>();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      PrintWriter control =
          new PrintWriter(
              new java.io.OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8),
              true);
      String first = out.readLine();
      assertThat(first).as("child's first line (exit %s)", exitOf(child)).startsWith("PORT ");
      int port = Integer.parseInt(first.split(" ")[1]);
      for (int i = 0; i < CLIENTS; i++) {
        Socket s = new Socket(StreamsTest.HOST, port); // completes in the backlog: accept fails
        s.setSoTimeout(30_000);
        clients.add(s);
        OutputStream o = s.getOutputStream();
        o.write(("client " + i + "\n").getBytes(StandardCharsets.UTF_8));
        o.flush();
      }
      Thread.sleep(2_500); // exhausted: the server may only back off and retry each second
      control.println("free");
      String exhausted = out.readLine();
      Matcher m =
          Pattern.compile("EXHAUSTED errors=(\\d+) cpuMillis=(\\d+) seconds=([0-9.]+)")
              .matcher(String.valueOf(exhausted));
      assertThat(m.matches()).as("child said %s", exhausted).isTrue();
      int errors = Integer.parseInt(m.group(1));
      long cpuMillis = Long.parseLong(m.group(2));
      double seconds = Double.parseDouble(m.group(3));
      for (int i = 0; i < CLIENTS; i++) {
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(clients.get(i).getInputStream(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).isEqualTo("client " + i); // nobody lost: served once freed
      }
      control.println("stop");
      String done = out.readLine();
      System.out.printf(
          "fd exhaustion: %d accept failures reported in %.2f s out of descriptors (loop thread"
              + " CPU %d ms); all %d waiting clients served after the descriptors were freed; %s%n",
          errors, seconds, cpuMillis, CLIENTS, done);
      assertThat(errors).isBetween(1, (int) Math.ceil(seconds) + 2); // once per 1 s back-off
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();
    } finally {
      for (Socket s : clients) {
        s.close();
      }
      child.destroyForcibly();
      watchdog.interrupt();
    }
  }

  private static String exitOf(Process p) throws InterruptedException {
    return p.waitFor(100, TimeUnit.MILLISECONDS) ? String.valueOf(p.exitValue()) : "running";
  }
}
