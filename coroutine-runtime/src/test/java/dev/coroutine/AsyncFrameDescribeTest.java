package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@link AsyncFrame#describe} (what the describe branch of a body of marker version 1 or 2 calls,
 * and {@code location()} does with a table the stub's bootstrap kept) reads both table formats:
 * this transformer's (a 0 char first, one line per label) and marker version 1's (labels {@code
 * group << 16 | index}, lines found through per-group positions), so a class rewritten by the
 * earlier transformer keeps its lines in task dumps.
 */
class AsyncFrameDescribeTest {
  private static final String NAMES = "\u0003a.B\u0001m\u0007B.java";

  @Test
  void tableOfThisFormat_givesEachLabelsLine() {
    String table = "\u0000" + NAMES + "\n\u0014\u0015\u001e"; // lines 10, 20, 21, 30
    assertThat(line(table, 0)).isEqualTo(10);
    assertThat(line(table, 1)).isEqualTo(20);
    assertThat(line(table, 2)).isEqualTo(21);
    assertThat(line(table, 3)).isEqualTo(30);
    assertThat(line(table, 4)).as("past the last await").isEqualTo(-1);
    StackTraceElement e = describe(table, 3);
    assertThat(e.getClassName()).isEqualTo("a.B");
    assertThat(e.getMethodName()).isEqualTo("m");
    assertThat(e.getFileName()).isEqualTo("B.java");
  }

  @Test
  void tableOfMarkerVersion1_stillGivesEachLabelsLine() {
    // two groups; positions: start 0, group 1 from 1, group 2 from 3, end 4; lines 10, 20, 21, 30
    String table = NAMES + "\u0002" + "\u0000\u0001\u0003\u0004" + "\n\u0014\u0015\u001e";
    assertThat(line(table, 0)).isEqualTo(10);
    assertThat(line(table, 1 << 16)).isEqualTo(20);
    assertThat(line(table, 1 << 16 | 1)).isEqualTo(21);
    assertThat(line(table, 2 << 16)).isEqualTo(30);
    assertThat(line(table, 2 << 16 | 1)).as("past group 2's awaits").isEqualTo(-1);
    assertThat(describe(table, 1 << 16).getFileName()).isEqualTo("B.java");
  }

  @Test
  void aFrameThatIsNotAQuery_isACorruptState() {
    AsyncFrame<Object> f = AsyncFrame.create(g -> null, 0, 0);
    f.label = 7;
    assertThatThrownBy(() -> AsyncFrame.describe(f, "\u0000" + NAMES + "\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("label 7");
  }

  private static int line(String table, int label) {
    return describe(table, label).getLineNumber();
  }

  private static StackTraceElement describe(String table, int label) {
    AsyncFrame<Object> query = AsyncFrame.create(g -> null, 0, 0);
    query.label = AsyncFrame.DESCRIBE;
    query.prim0 = label;
    return AsyncFrame.describe(query, table);
  }
}
