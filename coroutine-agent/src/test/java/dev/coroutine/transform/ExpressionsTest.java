package dev.coroutine.transform;

import static dev.coroutine.transform.Samples.expect;
import static dev.coroutine.transform.Samples.log;
import static dev.coroutine.transform.Samples.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutines;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Awaits inside expressions: values already on the operand stack are saved and restored. */
class ExpressionsTest {
  static Class<?> c;

  @BeforeAll
  static void load() {
    c = Samples.load("Expressions");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void severalAwaitsInOneExpression_evaluateLeftToRight(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "severalAwaits", log, s)).isEqualTo(1 + 2 * 3 - 4);
    assertThat(log).isEqualTo(expect(s, "~1", "~2", "~3", "t4"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void awaitAsArgument_withIntLongAndDoubleAlreadyOnTheStack(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "awaitAsArgument", log, s))
        .isEqualTo("7|" + ((1L << 40) + 1) + "|mid|2.25|9|1.5");
    assertThat(log).isEqualTo(expect(s, "t7", "~mid", "~9"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void awaitAsArgument_betweenLongAndDoubleNeighbours(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "longDoubleNeighbours", log, s)).isEqualTo(30_000_000_001L + 12L);
    assertThat(log).isEqualTo(expect(s, "~20000000000", "~0.5", "~4.0", "~7"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void newWithAwaitArgument_uninitializedObjectOnTheStack_argumentsInOrder(boolean s)
      throws Throwable {
    List<String> log = log();
    assertThat(run(c, "newWithAwaitArgument", log, s)).isEqualTo("a2c");
    assertThat(log).isEqualTo(expect(s, "a", "~2", "c", "Box(a2c)"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void nestedNewWithAwait_innermostFirst(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "nestedNewWithAwait", log, s)).isEqualTo("[[x1y]]sbp5q");
    assertThat(log)
        .isEqualTo(
            expect(
                s, "x", "~1", "Box(x1y)", "Box([x1y])", "Box([[x1y]])", "~sb", "~5", "Box(p5q)"));
  }

  /**
   * JLS 12.4.1 / JVMS 5.5: {@code new Lazy(args)} initializes {@code Lazy} at {@code NEW}, before
   * the arguments; the rewrite moves the allocation after the await, not the initialization.
   * Differential: the same shape in plain Java, each in a fresh loader (a fresh {@code Lazy}).
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void newWithAwaitArgument_initializesTheClassBeforeEvaluatingArguments_asPlainJava(boolean s)
      throws Throwable {
    List<String> plain = log();
    assertThat(Samples.invoke(Samples.load("Expressions"), "newInitializesClassFirstPlain", plain))
        .isEqualTo("Lazy");
    assertThat(plain).containsExactly("before", "Lazy.<clinit>", "~1", "Lazy(1)");
    List<String> log = log();
    assertThat(run(Samples.load("Expressions"), "newInitializesClassFirst", log, s))
        .isEqualTo("Lazy");
    assertThat(log).isEqualTo(expect(s, plain.toArray(String[]::new)));
  }

  /**
   * A class whose initializer fails: plain Java's {@code new} throws ExceptionInInitializerError
   * before the arguments are evaluated (so before the await), and NoClassDefFoundError the next
   * time; rewritten code does the same, at the same points.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void newWithAwaitArgument_classInitializerFails_throwsAtNewBeforeTheAwait_asPlainJava(boolean s)
      throws Throwable {
    List<String> plain = log();
    assertThat(Samples.invoke(Samples.load("Expressions"), "newOfFailingClassPlain", plain))
        .isEqualTo("ok");
    assertThat(plain)
        .containsExactly("Failing.<clinit>", "ExceptionInInitializerError", "NoClassDefFoundError");
    List<String> log = log();
    assertThat(run(Samples.load("Expressions"), "newOfFailingClass", log, s)).isEqualTo("ok");
    assertThat(log).isEqualTo(expect(s, plain.toArray(String[]::new)));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void innerClassConstructor_implicitOuterThisAndAwaitArgument(boolean s) throws Throwable {
    List<String> log = log();
    Object outer = c.getConstructor(List.class, String.class).newInstance(log, "outer");
    Object r = Coroutines.run(Samples.call(c, "innerClassConstructor", outer, s));
    assertThat(r).isEqualTo("outer:3!,other:4?");
    assertThat(log).isEqualTo(expect(s, "~3", "!", "Inner(outer:3!)", "~?", "Inner(other:4?)"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void stringConcatenation_invokedynamicWithOperandsOnTheStack(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "stringConcatenation", log, s)).isEqualTo("a12B3.5cnull9z");
    assertThat(log).isEqualTo(expect(s, "~B", "~9", "z"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void nullConstantsOnTheStack_belowAndAboveTheAwait(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "nullOnTheStack", log, s)).isEqualTo("null,b,null");
    assertThat(log).isEqualTo(expect(s, "~b"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void ternaryWithAwaitInEachArm_longBelowOnTheStack(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "ternaryWithValuesBelow", log, s, true))
        .isEqualTo((int) (((1L << 33) + 1) >> 1));
    assertThat(run(c, "ternaryWithValuesBelow", log, s, false))
        .isEqualTo((int) (((1L << 33) + 20) >> 1));
    assertThat(log).isEqualTo(expect(s, "~1", "~2"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void shortCircuitOperators_awaitOnlyWhenEvaluated(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "shortCircuit", log, s, true)).isEqualTo("true true");
    assertThat(log).isEqualTo(expect(s, "~true"));
    log = log();
    assertThat(run(c, "shortCircuit", log, s, false)).isEqualTo("false false");
    assertThat(log).isEqualTo(expect(s, "~false"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void awaitInLoopCondition_reevaluatedEachIteration(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "awaitInLoopCondition", log, s)).isEqualTo(3);
    assertThat(log).isEqualTo(expect(s, "~0", "~1", "~2", "~3"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void chainedAssignmentAndIncrements_aroundAnAwait(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "chainedAssignmentAndIncrement", log, s)).isEqualTo("7 7 112 7");
    assertThat(log).isEqualTo(expect(s, "~7", "~100"));
  }
}
