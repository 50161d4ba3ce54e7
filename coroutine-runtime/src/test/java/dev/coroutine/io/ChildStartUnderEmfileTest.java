package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.EventLoop;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Starting a child with few file descriptors left: refused at the await with an error that says so,
 * and every descriptor the program holds stays open (found from outside: the JDK's process start,
 * running out midway, closed descriptor 0 or a live socket that had reused it, and leaked a pipe).
 * A child JVM under {@code ulimit -n 96} holds all but a few descriptors, tries, then frees them
 * and starts the child.
 */
class ChildStartUnderEmfileTest {
  @Test
  void fewDescriptorsFree_startIsRefusedSayingSo_nothingHeldIsClosed_thenItStarts()
      throws Exception {
    File fdDir = new File("/proc/self/fd");
    org.junit.jupiter.api.Assumptions.assumeTrue(fdDir.isDirectory(), "no /proc/self/fd here");
    String text =
        dev.coroutine.ChildJvm.runOkWithFdLimit(
            96, System.getProperty("java.class.path"), Child.class);
    for (int free = 0; free <= 12; free += 4) {
      assertThat(text)
          .contains("free " + free + ": refused: cannot start true: too many open files")
          .contains("free " + free + ": every held descriptor open");
    }
    assertThat(text).contains("all free: exit 0");
  }

  /** Loads every class of the runtime's class folder now, while descriptors are free. */
  static void loadTheRuntime() throws Exception {
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path dir = Path.of(e);
      if (!e.endsWith("test-classes") && java.nio.file.Files.isDirectory(dir)) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            String name = dir.relativize(f).toString();
            if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
              Class.forName(
                  name.substring(0, name.length() - 6).replace(File.separatorChar, '.'),
                  false,
                  Child.class.getClassLoader());
            }
          }
        }
      }
    }
  }

  /** Holds all but N descriptors (N = 0, 4, 8, 12), starts a child each time, then with all. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      loadTheRuntime(); // from a folder, each class read takes a descriptor (from a jar, none)
      File x = File.createTempFile("held", ".txt");
      x.deleteOnExit();
      java.nio.file.Files.writeString(x.toPath(), "x");
      try (EventLoop loop = new EventLoop()) {
        // first a start with every descriptor free: the classes it needs load now (each class
        // file read takes a descriptor)
        Subprocess first = loop.runUntilComplete(loop.createTask(Subprocesses.exec("true")));
        System.out.println(
            "first: exit " + loop.runUntilComplete(loop.createTask(first.waitFor())));
        for (int free = 0; free <= 12; free += 4) {
          List<FileInputStream> held = new ArrayList<>();
          try {
            while (true) {
              held.add(new FileInputStream(x));
            }
          } catch (IOException full) {
            // every descriptor taken
          }
          for (int i = 0; i < free; i++) {
            held.remove(held.size() - 1).close();
          }
          try {
            Subprocess p = loop.runUntilComplete(loop.createTask(Subprocesses.exec("true")));
            loop.runUntilComplete(loop.createTask(p.waitFor()));
            System.out.println("free " + free + ": started");
          } catch (IOException e) {
            System.out.println("free " + free + ": refused: " + e.getMessage());
          }
          boolean allOpen = true;
          for (FileInputStream f : held) {
            allOpen &= f.read() == 'x'; // a descriptor closed under it fails, reused reads else
          }
          System.out.println(
              "free " + free + ": every held descriptor " + (allOpen ? "open" : "NOT open"));
          for (FileInputStream f : held) {
            f.close();
          }
        }
        Subprocess p = loop.runUntilComplete(loop.createTask(Subprocesses.exec("true")));
        System.out.println("all free: exit " + loop.runUntilComplete(loop.createTask(p.waitFor())));
      }
    }
  }
}
