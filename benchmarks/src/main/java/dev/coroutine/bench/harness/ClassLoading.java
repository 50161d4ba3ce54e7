package dev.coroutine.bench.harness;

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
    List<String> names = new ArrayList<>();
    URL[] urls = new URL[jars.length];
    for (int i = 0; i < jars.length; i++) {
      urls[i] = Path.of(jars[i]).toUri().toURL();
      try (JarFile jar = new JarFile(jars[i])) {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          String n = entries.nextElement().getName();
          if (n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class")) {
            names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
          }
        }
      }
    }
    if (max > 0 && names.size() > max) {
      names = names.subList(0, max);
    }
    int loaded = 0;
    int failed = 0;
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
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
        "RESULT cpu_ms=" + (c1 - c0) / 1e6 + " load_ms=" + (t1 - t0) / 1e6 + " loaded=" + loaded
            + " failed=" + failed);
  }
}
