package dev.coroutine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.EventLoop;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's first report made while no file descriptor is free (a server out of descriptors
 * reports its failed accepts): it reaches {@code System.err}, and so do the later ones once
 * descriptors are back (found from outside: java.util.logging, started out of descriptors, kept no
 * handler, and every report of the process was lost). A child JVM under {@code ulimit -n 64}.
 */
class LoggingUnderEmfileTest {
  @TempDir Path childClasses;

  @Test
  void firstReportOutOfDescriptors_reachesStderr_andLaterOnesToo() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new File("/proc/self/status").isFile(), "Linux's /proc and a shell with ulimit");
    // the runtime's classes and the child alone: the test classes bring a logger finder that
    // captures what the tests log, and the child must log as a program does
    String classes = null;
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.endsWith("classes") && !e.endsWith("test-classes")) {
        classes = e;
      }
    }
    assertThat(classes)
        .as("the runtime's classes on " + System.getProperty("java.class.path"))
        .isNotNull();
    String name = Child.class.getName().replace('.', '/') + ".class";
    Path copy = childClasses.resolve(name);
    Files.createDirectories(copy.getParent());
    try (InputStream in = Child.class.getClassLoader().getResourceAsStream(name)) {
      Files.copy(in, copy);
    }
    String text =
        dev.coroutine.ChildJvm.runOkWithFdLimit(
            64, classes + File.pathSeparator + childClasses, Child.class);
    assertThat(text).contains("FILLED").contains("report 1, no descriptor free");
    assertThat(text).contains("report 2, descriptors back").contains("END");
  }

  /** Fills every descriptor, reports, frees them, reports again. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      // what a program has done before it runs out: java.security (TLS, UUIDs), files, a socket
      new java.security.SecureRandom().nextInt();
      java.nio.file.Files.readAllBytes(Path.of("/proc/self/status"));
      java.nio.channels.ServerSocketChannel.open().close();
      try (EventLoop loop = new EventLoop()) {
        List<FileInputStream> fill = new ArrayList<>();
        try {
          while (true) {
            fill.add(new FileInputStream("/dev/null"));
          }
        } catch (IOException full) {
          System.out.println("FILLED " + fill.size());
          System.out.flush();
        }
        loop.callExceptionHandler(
            new EventLoop.ErrorContext("report 1, no descriptor free", null, null));
        for (FileInputStream f : fill) {
          f.close();
        }
        loop.callExceptionHandler(
            new EventLoop.ErrorContext("report 2, descriptors back", null, null));
      }
      System.out.println("END");
    }
  }
}
