package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test: thousands of generated method bodies, each run once rewritten (awaits that
 * finish now, after a yield or after a loop trip) and once as plain Java with the awaits replaced
 * by their values. Results, exceptions and logged side effects must be identical. Seeded and
 * reproducible: {@code -Dcoroutine.fuzz.seed=<n> -Dcoroutine.fuzz.cases=<n>}.
 *
 * <p>The same bodies are compiled by every compiler of {@link InMemoryCompiler#all()} (javac at
 * several releases, ECJ): all {@code coroutine.fuzz.cases} with javac {@code --release 17}, the
 * first {@code coroutine.fuzz.compilerCases} (the same methods) with each other compiler.
 */
class GeneratedMethodsTest {
  private static final String PKG = "gen";
  private static final int PER_CLASS = 40;

  static List<InMemoryCompiler> compilers() {
    return InMemoryCompiler.all();
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void generatedBodies_behaveAsPlainJava(InMemoryCompiler compiler) throws Exception {
    long seed = Long.getLong("coroutine.fuzz.seed", 20261125L);
    int all = Integer.getInteger("coroutine.fuzz.cases", 2000);
    boolean primary = compiler.name().equals(InMemoryCompiler.javac(17).name());
    int cases =
        primary ? all : Math.min(all, Integer.getInteger("coroutine.fuzz.compilerCases", 200));
    MethodGenerator gen = new MethodGenerator(seed);
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put(PKG + ".V", MethodGenerator.helperSource(PKG));
    List<String[]> pairs = new ArrayList<>();
    for (int c = 0; c * PER_CLASS < cases; c++) {
      StringBuilder sb = new StringBuilder();
      sb.append("package ")
          .append(PKG)
          .append(";\n")
          .append("import static dev.coroutine.Coroutines.*;\n")
          .append("import dev.coroutine.*;\n")
          .append("public class Gen")
          .append(c)
          .append(" {\n");
      for (int i = 0; i < PER_CLASS && c * PER_CLASS + i < cases; i++) {
        String[] pair = gen.methodPair(i);
        pairs.add(pair);
        sb.append(pair[0]).append(pair[1]);
      }
      sb.append("}\n");
      sources.put(PKG + ".Gen" + c, sb.toString());
    }
    long t0 = System.nanoTime();
    Map<String, byte[]> classes = compiler.compile(sources);
    long t1 = System.nanoTime();
    MapClassLoader loader = new MapClassLoader(classes);
    Random args = new Random(seed);
    int suspendedRuns = 0;
    for (int n = 0; n < pairs.size(); n++) {
      Class<?> c = loader.loadClass(PKG + ".Gen" + (n / PER_CLASS));
      assertThat(loader.diagnostics).isEmpty();
      int i = n % PER_CLASS;
      Method plain = c.getMethod("plain_" + i, int.class, long.class, String.class, List.class);
      Method async = c.getMethod("async_" + i, int.class, long.class, String.class, List.class);
      int p0 = args.nextInt(100) - 50;
      long p1 = args.nextLong() % 1000;
      String p2 = "p" + args.nextInt(10);

      List<String> plainLog = new ArrayList<>();
      Object plainResult;
      try {
        plainResult = plain.invoke(null, p0, p1, p2, plainLog);
      } catch (InvocationTargetException e) {
        plainResult = describe(e.getCause());
      }
      List<String> asyncLog = new ArrayList<>();
      Object asyncResult;
      try {
        Coroutine<?> co = (Coroutine<?>) async.invoke(null, p0, p1, p2, asyncLog);
        assertThat(asyncLog).as("lazy: nothing runs before the coroutine is run").isEmpty();
        asyncResult = Coroutines.run(co);
      } catch (InvocationTargetException e) {
        asyncResult = describe(e.getCause());
      } catch (IllegalStateException e) {
        asyncResult = describe(e);
      }
      String repro =
          compiler
              + ", case "
              + n
              + " (seed "
              + seed
              + ")\n"
              + pairs.get(n)[0]
              + "\n"
              + pairs.get(n)[1];
      assertThat(asyncResult).as(repro).isEqualTo(plainResult);
      assertThat(asyncLog).as(repro).isEqualTo(plainLog);
      if (pairs.get(n)[0].contains("await(")) {
        suspendedRuns++;
      }
    }
    System.err.printf(
        "%s, generated %d cases: compile %d ms, transform+run %d ms%n",
        compiler, pairs.size(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
    assertThat(suspendedRuns).as("cases that await at all").isGreaterThan(pairs.size() / 2);
  }

  private static String describe(Throwable t) {
    return t.getClass().getName() + ": " + t.getMessage();
  }
}
