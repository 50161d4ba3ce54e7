package dev.coroutine.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

/**
 * The differential conformance suite: each scenario's trace under CPython's asyncio (all of them
 * from one interpreter run) against its Java twin's trace, line by line; one dynamic test per
 * scenario. See conformance/README.md.
 */
class ConformanceTest {
  /** A Java scenario that runs longer than this fails (instead of hanging the build). */
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(20);

  /** Outcome counts, printed once all scenarios ran. */
  private static final AtomicInteger passed = new AtomicInteger();

  private static final AtomicInteger failed = new AtomicInteger();
  private static final AtomicInteger skipped = new AtomicInteger();

  /** The Python run, for the summary; null until the factory ran. */
  private static PythonTraces python;

  @TestFactory
  Stream<DynamicTest> scenarios() {
    String interpreter = System.getProperty("conformance.python", "python3");
    Path dir = Path.of(System.getProperty("conformance.pythonDir", "src/test/python"));
    List<String> filters = filters();
    Map<String, Method> java = JavaScenarios.find();
    python = PythonTraces.run(interpreter, dir, filters);
    Set<String> ids = new LinkedHashSet<>();
    ids.addAll(python.traces().keySet());
    ids.addAll(python.skipped().keySet());
    java.keySet().stream().filter(id -> matches(filters, id)).forEach(ids::add);
    System.out.printf(
        "conformance: asyncio side on Python %s (%s): %d scenarios, %d to compare, %d skipped"
            + " (they follow a newer Python: %s)%n",
        python.version(),
        interpreter,
        ids.size(),
        python.traces().size(),
        python.skipped().size(),
        python.skipped().isEmpty() ? "none" : String.join(", ", python.skipped().keySet()));
    assertThat(ids).as("scenarios found (filter: %s)", filters).isNotEmpty();
    return ids.stream().map(id -> DynamicTest.dynamicTest(id, () -> check(id, java.get(id))));
  }

  private void check(String id, Method javaTwin) {
    boolean ok = false;
    try {
      // before the skip: a scenario for a newer Python needs its twin on every interpreter
      if (javaTwin == null) {
        throw new AssertionError(
            id
                + " has a Python scenario but no Java twin: add a @Scenario(\""
                + id.substring(id.indexOf('/') + 1)
                + "\") method to the area's *Scenarios class");
      }
      String since = python.skipped().get(id);
      if (since != null) {
        skipped.incrementAndGet();
        ok = true;
        throw new TestAbortedException(
            id + " follows Python " + since + "; the interpreter is Python " + python.version());
      }
      List<String> expected = python.traces().get(id);
      if (expected == null) {
        throw new AssertionError(
            id
                + " has a Java twin ("
                + javaTwin
                + ") but no Python scenario: add `async def scenario_"
                + id.substring(id.indexOf('/') + 1)
                + "()` to src/test/python/"
                + id.substring(0, id.indexOf('/'))
                + ".py");
      }
      List<String> actual = runJava(javaTwin);
      Differs differs = javaTwin.getAnnotation(Differs.class);
      if (differs != null) {
        expected =
            TraceDiff.withDifference(
                id, python.version(), expected, differs.asyncio(), differs.ours());
      }
      if (!expected.equals(actual)) {
        throw new AssertionError(
            TraceDiff.render(id, python.version(), differs != null, expected, actual));
      }
      passed.incrementAndGet();
      ok = true;
    } finally {
      if (!ok) {
        failed.incrementAndGet();
      }
    }
  }

  private static List<String> runJava(Method m) {
    return assertTimeoutPreemptively(
        SCENARIO_TIMEOUT,
        () -> {
          Trace.begin();
          try {
            Object result = Coroutines.run((Coroutine<?>) m.invoke(null));
            if (result != null) {
              Trace.log("returned", result);
            }
          } catch (InvocationTargetException e) {
            Trace.log("raised", e.getCause());
          } catch (Throwable t) {
            Trace.log("raised", t);
          }
          return List.copyOf(Trace.lines());
        },
        () -> m + " did not finish within " + SCENARIO_TIMEOUT.toSeconds() + " s");
  }

  @Test
  void everyDocumentedDifference_isListedInTheReadme() throws IOException {
    Path readme = Path.of(System.getProperty("conformance.readme", "../README.md"));
    String text = Files.readString(readme);
    int section = text.indexOf("## Differences from asyncio");
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Method> e : JavaScenarios.find().entrySet()) {
      if (e.getValue().isAnnotationPresent(Differs.class)
          && (section < 0 || !text.substring(section).contains("`" + e.getKey() + "`"))) {
        missing.add(e.getKey());
      }
    }
    assertThat(missing)
        .as(
            "scenarios with @Differs that README.md's section \"Differences from asyncio\" does"
                + " not name (as `area/name`)")
        .isEmpty();
  }

  @AfterAll
  static void summary() {
    if (python != null) {
      System.out.printf(
          "conformance: Python %s: %d passed, %d failed, %d skipped (follow a newer Python)%n",
          python.version(), passed.get(), failed.get(), skipped.get());
    }
  }

  private static List<String> filters() {
    String only = System.getProperty("conformance.only", "").trim();
    List<String> out = new ArrayList<>();
    for (String f : only.split(",")) {
      if (!f.isBlank()) {
        out.add(f.trim());
      }
    }
    return out;
  }

  /** The same matching as Python's fnmatchcase for the patterns we use: {@code *} and {@code ?}. */
  static boolean matches(List<String> filters, String id) {
    if (filters.isEmpty()) {
      return true;
    }
    for (String f : filters) {
      StringBuilder re = new StringBuilder();
      for (char c : f.toCharArray()) {
        re.append(
            c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
      }
      if (id.matches(re.toString())) {
        return true;
      }
    }
    return false;
  }
}
