package dev.coroutine.io;

import dev.coroutine.EventLoop;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The child process of {@link FdExhaustionStressTest}, started under a low {@code ulimit -n}: an
 * echo server whose process then holds every free file descriptor, so accept() fails with EMFILE.
 * Protocol on stdout: {@code PORT <port>}, then, after {@code free} on stdin (the held descriptors
 * are closed on the loop), {@code EXHAUSTED errors=<n> cpuMillis=<ms> seconds=<s>}; after {@code
 * stop}, {@code DONE errors=<n>}. Arguments: the class folders to preload, then {@code warm} (one
 * round trip before the descriptors are taken) or {@code cold}.
 */
public final class FdExhaustionChild {
  private FdExhaustionChild() {}

  public static void main(String[] args) throws Exception {
    preloadClasses(Paths.get(args[0]), Paths.get(args[1])); // class files cannot be opened later
    EventLoop loop = new EventLoop();
    AtomicInteger errors = new AtomicInteger();
    loop.setExceptionHandler(
        (l, c) -> {
          if (errors.incrementAndGet() <= 3) {
            System.err.println("handler: " + c.message() + ": " + c.exception());
          }
        });
    Server server =
        loop.runUntilComplete(
            loop.createTask(Streams.startServer(StreamsTest::echoLines, StreamsTest.HOST, 0)));
    if (!(args.length > 2 && args[2].equals("cold"))) {
      // one round trip first; "cold": none, so the JDK's socket classes are first used with no
      // descriptor left (on JDK 17 that broke every later read and write: JdkIoClasses)
      int echoed =
          loop.runUntilComplete(loop.createTask(SoakStressTest.client(server.port(), 0, 3)));
      if (echoed != 3) {
        throw new AssertionError("warm-up echoed " + echoed);
      }
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long loopThread = Thread.currentThread().getId();
    List<FileInputStream> hoard = new ArrayList<>();
    long[] exhaustedAt = new long[2];
    Thread control =
        new Thread(
            () -> {
              try {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.equals("free")) {
                    loop.callSoonThreadsafe(
                        () -> {
                          long cpu = mx.getThreadCpuTime(loopThread) - exhaustedAt[0];
                          double secs = (System.nanoTime() - exhaustedAt[1]) / 1e9;
                          System.out.printf(
                              "EXHAUSTED errors=%d cpuMillis=%d seconds=%.2f%n",
                              errors.get(), cpu / 1_000_000, secs);
                          System.out.flush();
                          for (FileInputStream f : hoard) {
                            try {
                              f.close();
                            } catch (IOException e) {
                              // closing: nothing to do
                            }
                          }
                          hoard.clear();
                        });
                  } else if (line.equals("stop")) {
                    loop.callSoonThreadsafe(loop::stop);
                    return;
                  }
                }
              } catch (IOException e) {
                loop.callSoonThreadsafe(loop::stop);
              }
            });
    control.setDaemon(true);
    control.start();
    while (true) {
      try {
        hoard.add(new FileInputStream("/dev/null"));
      } catch (IOException full) {
        break;
      }
    }
    for (int i = 0; i < 2 && !hoard.isEmpty(); i++) {
      hoard.remove(hoard.size() - 1).close(); // two left: the first two clients get in
    }
    exhaustedAt[0] = mx.getThreadCpuTime(loopThread);
    exhaustedAt[1] = System.nanoTime();
    System.out.println("PORT " + server.port() + " held " + hoard.size());
    System.out.flush();
    loop.runForever();
    System.out.println("DONE errors=" + errors.get());
    System.out.flush();
    server.close();
    loop.close();
  }

  /** Loads every class under the class directories: once the descriptors are gone, none could. */
  private static void preloadClasses(Path... roots) throws IOException {
    ClassLoader cl = FdExhaustionChild.class.getClassLoader();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      List<String> names = new ArrayList<>();
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(p -> p.toString().endsWith(".class"))
            .forEach(
                p -> {
                  String rel = root.relativize(p).toString();
                  names.add(rel.substring(0, rel.length() - 6).replace('/', '.'));
                });
      }
      for (String n : names) {
        if (!n.startsWith("dev.coroutine.")) {
          continue;
        }
        try {
          Class.forName(n, false, cl);
        } catch (Throwable e) {
          // a class that cannot load here (test-only dependency missing): not needed
        }
      }
    }
  }
}
