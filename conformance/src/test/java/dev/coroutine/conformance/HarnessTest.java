package dev.coroutine.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** The harness's own parts: parsing the runner's output, differences, diffs, names, format. */
class HarnessTest {

  @Test
  void parse_readsVersionTracesAndSkips() {
    PythonTraces p =
        PythonTraces.parse(
            "python3",
            "@@ python 3.11.7\n@@ scenario a/x\n> one\n> two\n@@ skip a/y 3.13\n@@ scenario a/z\n@@ end\n");
    assertThat(p.version()).isEqualTo("3.11.7");
    assertThat(p.traces())
        .containsExactly(Map.entry("a/x", List.of("one", "two")), Map.entry("a/z", List.of()));
    assertThat(p.skipped()).containsExactly(Map.entry("a/y", "3.13"));
  }

  @Test
  void parse_rejectsStrayOutput_namingTheLine() {
    assertThatThrownBy(
            () ->
                PythonTraces.parse(
                    "python3", "@@ python 3.11.7\n@@ scenario a/x\nprinted\n@@ end\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("printed");
  }

  @Test
  void withDifference_replacesTheBlock_andFailsWhenItIsGone() {
    List<String> asyncio = List.of("a", "b", "c", "d");
    assertThat(
            TraceDiff.withDifference(
                "x/y", "3.11", asyncio, new String[] {"b", "c"}, new String[] {"B"}))
        .containsExactly("a", "B", "d");
    assertThatThrownBy(
            () ->
                TraceDiff.withDifference(
                    "x/y", "3.11", asyncio, new String[] {"c", "b"}, new String[] {"B"}))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("x/y")
        .hasMessageContaining("no longer has the lines [c, b]");
  }

  @Test
  void render_marksOnlyTheDifferingLines_andMissingOnes() {
    String r =
        TraceDiff.render(
            "x/y", "3.11", false, List.of("same", "left"), List.of("same", "right", "extra"));
    assertThat(r).contains("from line 2");
    assertThat(r.lines()).anyMatch(l -> l.startsWith("   1 same") && l.endsWith("| same"));
    assertThat(r.lines()).anyMatch(l -> l.startsWith("!  2 left") && l.endsWith("| right"));
    assertThat(r.lines()).anyMatch(l -> l.startsWith("!  3 (none)") && l.endsWith("| extra"));
  }

  @Test
  void area_isTheClassNameInSnakeCase() {
    assertThat(JavaScenarios.area(WaitForScenarios.class)).isEqualTo("wait_for");
    assertThat(JavaScenarios.area(CallbacksScenarios.class)).isEqualTo("callbacks");
  }

  @Test
  void matches_supportsStarsAndCommaLists() {
    assertThat(ConformanceTest.matches(List.of(), "a/b")).isTrue();
    assertThat(ConformanceTest.matches(List.of("wait/*"), "wait/x")).isTrue();
    assertThat(ConformanceTest.matches(List.of("wait/*"), "wait_for/x")).isFalse();
    assertThat(ConformanceTest.matches(List.of("x/?"), "x/a")).isTrue();
  }

  @Test
  void format_mapsJavaExceptionsAndValues() {
    assertThat(Trace.fmt(new CancellationException())).isEqualTo("CancelledError");
    assertThat(Trace.fmt(new IllegalStateException())).isEqualTo("RuntimeError");
    assertThat(Trace.fmt(List.of(1, "a", true))).isEqualTo("[1, a, true]");
    assertThat(Trace.fmt(0.1 + 0.2)).isEqualTo("0.3");
    assertThat(Trace.fmt(-0.0)).isEqualTo("0");
  }
}
