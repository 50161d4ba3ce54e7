package dev.coroutine.transform;

import static dev.coroutine.transform.Samples.expect;
import static dev.coroutine.transform.Samples.log;
import static dev.coroutine.transform.Samples.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Await in straight code, if, switch of every kind and every loop form; fast and suspended. */
class ControlFlowTest {
  static Class<?> c;

  @BeforeAll
  static void load() {
    c = Samples.load("ControlFlow");
  }

  static Object color(String name) {
    Class<?> e = c.getDeclaredClasses()[0];
    for (Object k : e.getEnumConstants()) {
      if (k.toString().equals(name)) {
        return k;
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void straightCode_isLazy_thenRunsInOrder_suspended() throws Throwable {
    List<String> log = log();
    Coroutine<?> co = Samples.call(c, "straight", log, true);
    assertThat(log).isEmpty();
    assertThat(Coroutines.run(co)).isEqualTo("1two");
    assertThat(log).containsExactly("start", "~1", "a=1", "~two", "b=two");
  }

  @Test
  void straightCode_fastPath_neverSuspends() throws Throwable {
    List<String> log = log();
    assertThat(run(c, "straight", log, false)).isEqualTo("1two");
    assertThat(log).containsExactly("start", "a=1", "b=two");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void ifElse_awaitInEveryBranch_takesTheRightBranch(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "ifElse", log, s, 3)).isEqualTo("p6");
    assertThat(log).isEqualTo(expect(s, "pos", "~6", "~false", "end p6"));
    log = log();
    assertThat(run(c, "ifElse", log, s, -4)).isEqualTo("n4");
    assertThat(log).isEqualTo(expect(s, "neg", "~4", "~false", "end n4"));
    log = log();
    assertThat(run(c, "ifElse", log, s, 0)).isEqualTo("zero");
    assertThat(log).isEqualTo(expect(s, "~true", "was zero", "end zero"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void switchOnInt_tableSwitchWithFallThrough_resumesInTheRightCase(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "switchInt", log, s, 1)).isEqualTo("one1");
    assertThat(log).isEqualTo(expect(s, "~1", "one1"));
    log = log();
    assertThat(run(c, "switchInt", log, s, 2)).isEqualTo("two2three3");
    assertThat(log).isEqualTo(expect(s, "c2", "~2", "c3", "~3", "two2three3"));
    log = log();
    assertThat(run(c, "switchInt", log, s, 1000)).isEqualTo("sparse1000");
    assertThat(log).isEqualTo(expect(s, "~1000", "sparse1000"));
    log = log();
    assertThat(run(c, "switchInt", log, s, 7)).isEqualTo("other7");
    assertThat(log).isEqualTo(expect(s, "default", "~7", "other7"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void switchOnInt_lookupSwitch_resumesInTheRightCase(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "switchLookup", log, s, -500)).isEqualTo("a1");
    assertThat(run(c, "switchLookup", log, s, 70000)).isEqualTo("b2");
    assertThat(run(c, "switchLookup", log, s, 3)).isEqualTo("c");
    assertThat(log).isEqualTo(expect(s, "~1", "~2"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void switchOnString_awaitInCases_keepsTheKey(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "switchString", log, s, "alpha")).isEqualTo("alpha1");
    assertThat(run(c, "switchString", log, s, "gamma")).isEqualTo("gamma7");
    assertThat(run(c, "switchString", log, s, "zeta")).isEqualTo("zeta-1");
    assertThat(log).isEqualTo(expect(s, "~1", "alpha=1", "~2", "gamma=7", "zeta=-1"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void switchOnEnum_awaitInCases_resumesInTheRightCase(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "switchEnum", log, s, color("RED"))).isEqualTo("r1");
    assertThat(run(c, "switchEnum", log, s, color("GREEN"))).isEqualTo("g2");
    assertThat(run(c, "switchEnum", log, s, color("BLUE"))).isEqualTo("b3");
    assertThat(log).isEqualTo(expect(s, "~1", "r1", "~2", "g2", "~3", "b3"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void switchExpressions_awaitInArmsAndYield_produceTheValue(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "switchExpression", log, s, color("RED"), "x")).isEqualTo(111);
    assertThat(log).isEqualTo(expect(s, "~10", "~100", "colour=10 key=101"));
    log = log();
    assertThat(run(c, "switchExpression", log, s, color("GREEN"), "y")).isEqualTo(421);
    assertThat(log).isEqualTo(expect(s, "green", "~20", "~200", "colour=21 key=400"));
    log = log();
    assertThat(run(c, "switchExpression", log, s, color("BLUE"), "x")).isEqualTo(131);
    assertThat(log).isEqualTo(expect(s, "~100", "colour=30 key=101"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void forLoop_awaitInBody_keepsCounterAndSum(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "forLoop", log, s)).isEqualTo(6);
    assertThat(log).isEqualTo(expect(s, "~1", "i0", "~2", "i1", "~3", "i2"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void whileLoop_awaitInBody_terminates(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "whileLoop", log, s)).isEqualTo(3);
    assertThat(log).isEqualTo(expect(s, "~1", "w1", "~1", "w2", "~1", "w3"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void doWhileLoop_runsBodyAtLeastOnce(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "doWhile", log, s, 0)).isEqualTo(1);
    assertThat(log).isEqualTo(expect(s, "~1", "d1"));
    log = log();
    assertThat(run(c, "doWhile", log, s, 2)).isEqualTo(2);
    assertThat(log).isEqualTo(expect(s, "~1", "d1", "~1", "d2"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void forEachOverList_keepsIteratorAcrossAwaits(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "forEachList", log, s, List.of("a", "b", "c"))).isEqualTo("ABC");
    assertThat(log).isEqualTo(expect(s, "~A", "item a", "~B", "item b", "~C", "item c"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void forEachOverLongArray_keepsArrayIndexAndTwoSlotValues(boolean s) throws Throwable {
    List<String> log = log();
    long big = 5_000_000_000L;
    assertThat(run(c, "forEachArray", log, s, new long[] {big, -1, 7})).isEqualTo(big + 6);
    assertThat(log)
        .isEqualTo(expect(s, "~" + big, "item " + big, "~-1", "item -1", "~7", "item 7"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void labeledBreakAndContinue_awaitInNestedLoops_leaveTheRightLoop(boolean s) throws Throwable {
    List<String> log = log();
    // i=0: j=0 (0), j=1 (1), j=2 continue outer; i=1: j=0 skip, j=1 (11), j=2 continue outer;
    // i=2: break outer
    assertThat(run(c, "labeledBreakContinue", log, s)).isEqualTo(12);
    assertThat(log).isEqualTo(expect(s, "~0", "~1", "~skip", "~11", "sum 12"));
  }
}
