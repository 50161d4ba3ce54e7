package dev.coroutine.bench.harness;

import dev.coroutine.Coroutine;
import dev.coroutine.transform.ClassFileLocator;
import dev.coroutine.transform.CoroutineTransformer;
import dev.coroutine.transform.TransformResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * T1: a generated corpus of classes, half of them with {@code @Async} methods (loops, try/catch/
 * finally, switch, string concatenation, wide primitives and arrays around awaits), the other half
 * the same code without coroutines; and the plugin's per-class path over it: read the class file,
 * the constant-pool pre-filter, the transformer, write the rewritten class.
 */
final class Corpus {
  /** Bump when the generated code changes, so an old cached corpus is not reused. */
  private static final String VERSION = "1";

  private Corpus() {}

  /** The compiled corpus of {@code count} classes under {@code work}, generated on first use. */
  static Path ensure(Path work, int count) throws IOException {
    Path dir = work.resolve("t1-corpus-" + count + "-v" + VERSION);
    Path classes = dir.resolve("classes");
    Path marker = dir.resolve("complete");
    if (Files.exists(marker)) {
      return dir;
    }
    Path src = dir.resolve("src/gen");
    Files.createDirectories(src);
    Files.createDirectories(classes);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path f = src.resolve("C" + i + ".java");
      Files.writeString(f, i % 2 == 0 ? asyncSource(i) : plainSource(i));
      files.add(f);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("T1 needs a JDK (javax.tools) to compile its corpus");
    }
    String runtime = Path.of(location(Coroutine.class)).toString();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
      for (int from = 0; from < files.size(); from += 1000) {
        List<Path> batch = files.subList(from, Math.min(files.size(), from + 1000));
        Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(batch);
        List<String> options =
            List.of(
                "--release", "17", "-g", "-proc:none", "-cp", runtime, "-d", classes.toString());
        if (!javac.getTask(null, fm, null, options, null, units).call()) {
          throw new IllegalStateException("T1 corpus does not compile: " + batch.get(0));
        }
      }
    }
    Files.writeString(marker, "ok\n");
    return dir;
  }

  private static java.net.URI location(Class<?> c) {
    try {
      return c.getProtectionDomain().getCodeSource().getLocation().toURI();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String asyncSource(int i) {
    return """
        package gen;

        import static dev.coroutine.Coroutines.await;
        import static dev.coroutine.Coroutines.done;
        import static dev.coroutine.Coroutines.sleep;

        import dev.coroutine.Async;
        import dev.coroutine.Coroutine;
        import java.util.ArrayList;
        import java.util.List;

        public class C%1$d {
          private int total;

          @Async
          static Coroutine<Integer> step(int k) {
            await(sleep(0));
            return done(k * %2$d);
          }

          @Async
          Coroutine<Long> loop(int n, String tag) {
            long sum = 0;
            List<String> seen = new ArrayList<>();
            for (int k = 0; k < n; k++) {
              try {
                sum += await(step(k));
                seen.add(tag + k);
              } catch (IllegalStateException e) {
                sum -= 1;
              } finally {
                total++;
              }
            }
            return done(sum + seen.size());
          }

          @Async
          static Coroutine<String> mix(long a, double b, String c, int[] d) {
            int x = await(step(d.length));
            String s = c + ":" + await(step(x)) + "/" + a + "/" + b;
            switch (x %% 3) {
              case 0:
                s += await(step(1));
                break;
              case 1:
                s += "one";
                break;
              default:
                s += await(step(2));
            }
            return done(s);
          }

          int plain(int v) {
            int r = 0;
            for (int k = 0; k < v; k++) {
              r += k * %2$d;
            }
            return r + total;
          }
        }
        """
        .formatted(i, i % 7 + 1);
  }

  static String plainSource(int i) {
    return """
        package gen;

        import java.util.ArrayList;
        import java.util.List;

        public class C%1$d {
          private int total;

          static int step(int k) {
            return k * %2$d;
          }

          long loop(int n, String tag) {
            long sum = 0;
            List<String> seen = new ArrayList<>();
            for (int k = 0; k < n; k++) {
              try {
                sum += step(k);
                seen.add(tag + k);
              } catch (IllegalStateException e) {
                sum -= 1;
              } finally {
                total++;
              }
            }
            return sum + seen.size();
          }

          static String mix(long a, double b, String c, int[] d) {
            int x = step(d.length);
            String s = c + ":" + step(x) + "/" + a + "/" + b;
            switch (x %% 3) {
              case 0:
                s += step(1);
                break;
              case 1:
                s += "one";
                break;
              default:
                s += step(2);
            }
            return s;
          }

          int plain(int v) {
            int r = 0;
            for (int k = 0; k < v; k++) {
              r += k * %2$d;
            }
            return r + total;
          }
        }
        """
        .formatted(i, i % 7 + 1);
  }

  /**
   * Runs the plugin's per-class path over the corpus {@code passes} times in this JVM, each pass
   * with a fresh transformer (as one plugin execution), writing rewritten classes under {@code
   * out}. The first pass is what a build pays in a fresh JVM; later ones show the warm speed.
   * Reports classes per second of wall time and per second of the working thread's CPU time (what a
   * busy machine disturbs less; it leaves out the JIT and GC threads).
   */
  static void transformPasses(Path corpus, Path out, int passes) throws IOException {
    Path classes = corpus.resolve("classes");
    List<Path> files;
    try (Stream<Path> s = Files.walk(classes)) {
      files = s.filter(p -> p.toString().endsWith(".class")).sorted().collect(Collectors.toList());
    }
    ClassFileLocator corpusLocator =
        name -> {
          Path p = classes.resolve(name + ".class");
          try {
            return Files.exists(p) ? Files.readAllBytes(p) : null;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    ClassFileLocator locator =
        corpusLocator.orElse(ClassFileLocator.of(Corpus.class.getClassLoader()));
    for (int pass = 1; pass <= passes; pass++) {
      CoroutineTransformer transformer = new CoroutineTransformer(locator);
      int rewritten = 0;
      int methods = 0;
      java.lang.management.ThreadMXBean threads =
          java.lang.management.ManagementFactory.getThreadMXBean();
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (Path f : files) {
        byte[] bytes = Files.readAllBytes(f);
        if (!CoroutineTransformer.mightNeedTransform(bytes)) {
          continue;
        }
        TransformResult r = transformer.transform(bytes);
        if (r.failed()) {
          throw new IllegalStateException(
              "T1: the transformer refused " + f + ": " + r.diagnostics());
        }
        if (r.changed()) {
          Path target = out.resolve(classes.relativize(f).toString());
          Files.createDirectories(target.getParent());
          Files.write(target, r.bytes());
          rewritten++;
          methods += r.methodsRewritten();
        }
      }
      long t1 = System.nanoTime();
      long c1 = threads.getCurrentThreadCpuTime();
      double seconds = (t1 - t0) / 1e9;
      double cpuSeconds = (c1 - c0) / 1e9;
      System.out.println(
          "RESULT pass="
              + pass
              + " classes="
              + files.size()
              + " rewritten="
              + rewritten
              + " methods="
              + methods
              + " classes_per_s="
              + files.size() / seconds
              + " classes_per_cpu_s="
              + files.size() / cpuSeconds);
    }
  }
}
