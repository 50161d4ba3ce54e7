package dev.coroutine.bench.harness;

import dev.coroutine.transform.CoroutineTransformer;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * T2: loads (without initializing) every class of some jars that contain no {@code @Async} code,
 * through a fresh class loader, and reports how long that took. {@link Compare} runs it with and
 * without {@code -javaagent}: the difference is what the agent's pre-filter costs. Reports the
 * loading thread's CPU time (the agent's transformer runs on it), which a busy machine disturbs
 * less than the wall time, also reported.
 */
final class ClassLoading {
  private ClassLoading() {}

  static void loadAll(int max, String[] jars) throws IOException {
    List<String> names = classNames(max, jars);
    URL[] urls = new URL[jars.length];
    for (int i = 0; i < jars.length; i++) {
      urls[i] = Path.of(jars[i]).toUri().toURL();
    }
    int loaded = 0;
    int failed = 0;
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long c0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      for (String n : names) {
        try {
          Class.forName(n, false, loader);
          loaded++;
        } catch (Throwable e) { // missing dependencies of the jar: the same with and without agent
          failed++;
        }
      }
    }
    long t1 = System.nanoTime();
    long c1 = threads.getCurrentThreadCpuTime();
    System.out.println(
        "RESULT cpu_ms="
            + (c1 - c0) / 1e6
            + " load_ms="
            + (t1 - t0) / 1e6
            + " loaded="
            + loaded
            + " failed="
            + failed);
  }

  /**
   * The agent's own work per class, without the JVM's: reads the same classes' bytes, then runs the
   * agent's pre-filter ({@link CoroutineTransformer#mightNeedTransform}, all the agent does with a
   * class without coroutines besides a few name checks) over all of them, once cold and then warm.
   * Reports CPU microseconds per class, and how many classes the pre-filter let through (should be
   * 0).
   */
  static void scanAll(int max, String[] jars) throws IOException {
    List<String> names = classNames(max, jars);
    List<byte[]> files = new ArrayList<>();
    for (String jarPath : jars) {
      try (JarFile jar = new JarFile(jarPath)) {
        for (String n : names) {
          JarEntry e = jar.getJarEntry(n.replace('.', '/') + ".class");
          if (e != null) {
            try (java.io.InputStream in = jar.getInputStream(e)) {
              files.add(in.readAllBytes());
            }
          }
        }
      }
    }
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    double first = 0;
    double warm = Double.MAX_VALUE;
    int passed = 0;
    for (int pass = 0; pass < 11; pass++) {
      passed = 0;
      long c0 = threads.getCurrentThreadCpuTime();
      for (byte[] b : files) {
        if (CoroutineTransformer.mightNeedTransform(b)) {
          passed++;
        }
      }
      double us = (threads.getCurrentThreadCpuTime() - c0) / 1e3 / files.size();
      if (pass == 0) {
        first = us;
      } else {
        warm = Math.min(warm, us);
      }
    }
    System.out.println(
        "RESULT first_us_per_class="
            + first
            + " warm_us_per_class="
            + warm
            + " classes="
            + files.size()
            + " passed="
            + passed);
  }

  private static List<String> classNames(int max, String[] jars) throws IOException {
    List<String> names = new ArrayList<>();
    for (String jarPath : jars) {
      try (JarFile jar = new JarFile(jarPath)) {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          String n = entries.nextElement().getName();
          if (n.endsWith(".class")
              && !n.startsWith("META-INF/")
              && !n.endsWith("module-info.class")) {
            names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
          }
        }
      }
    }
    return max > 0 && names.size() > max ? names.subList(0, max) : names;
  }
}
