package dev.coroutine.transform;

import static dev.coroutine.transform.Samples.expect;
import static dev.coroutine.transform.Samples.log;
import static dev.coroutine.transform.Samples.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.AsyncFrame;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every primitive type, arrays, and the slot shapes javac produces, across suspensions. */
class ValuesTest {
  static Class<?> c;

  @BeforeAll
  static void load() {
    c = Samples.load("Values");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void everyPrimitiveType_inParametersLocalsAndAwaitedValues_survivesSuspension(boolean s)
      throws Throwable {
    List<String> log = log();
    Object r =
        run(
            c,
            "everyPrimitive",
            log,
            s,
            true,
            (byte) 127,
            'a',
            (short) -32768,
            Integer.MIN_VALUE,
            Long.MAX_VALUE,
            Float.MAX_VALUE,
            Double.MIN_VALUE);
    assertThat(r)
        .isEqualTo(
            "true 127 a -32768 -2147483648 9223372036854775807 3.4028235E38 4.9E-324 / false 126 b"
                + " 32767 -2147483647 -9223372036854775808 Infinity "
                + Double.toString(Math.scalb(Double.MIN_VALUE, 1)) // JDK 19+ prints it shorter
                + " / 1 -128 65535 -32768"
                + " -9223372036854775808 NaN -0.0 true");
    assertThat(log)
        .isEqualTo(
            expect(
                s,
                "~1",
                "~-128",
                "~\uffff",
                "~-32768",
                "~-9223372036854775808",
                "~NaN",
                "~-0.0",
                "~true"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void moreValuesThanOneSaveCallTakes_surviveSuspension(boolean s) throws Throwable {
    List<String> log = log();
    Object r =
        run(c, "manyValues", log, s, "a", "bb", "ccc", "dddd", "e", "ff", "ggg", "hhhh", "i", "jj");
    assertThat(r)
        .isEqualTo(
            "abbcccddddeffggghhhhijj1 jjihhhhgggffeddddcccbba3 1.5 "
                + "bb".hashCode() * 3L
                + " 3 1.0 e "
                + (Long.MIN_VALUE + 2)
                + " -3 4");
    assertThat(log).isEqualTo(expect(s, "~1", "~2"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void intArgument_isKeptInPrim0_withoutAPrimitiveArray(boolean s) throws Throwable {
    AsyncFrame<?> f = (AsyncFrame<?>) Samples.call(c, "oneInt", 41, log(), s);
    assertThat(f.prim0).isEqualTo(41);
    assertThat(f.prims).isNull();
    assertThat(run(c, "oneInt", 41, log(), s)).isEqualTo(41);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void floatAsPrimitiveZero_isKeptInPrim0AsRawBits_besideALongInTheArray(boolean s)
      throws Throwable {
    AsyncFrame<?> f = (AsyncFrame<?>) Samples.call(c, "floatFirst", -0.0f, 1L << 40, 7, log(), s);
    assertThat(f.prim0).isEqualTo(Float.floatToRawIntBits(-0.0f));
    assertThat(f.prims).contains(1L << 40, 7L);
    List<String> log = log();
    assertThat(run(c, "floatFirst", Float.NaN, Long.MAX_VALUE - 1, -3, log, s))
        .isEqualTo("NaN 9223372036854775807 -3 NaN");
    assertThat(log).isEqualTo(expect(s, "~0.5", "~1"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void longAsPrimitiveZero_goesToTheArray_andAnIntLocalSharesIndexZeroInPrim0(boolean s)
      throws Throwable {
    AsyncFrame<?> f = (AsyncFrame<?>) Samples.call(c, "longFirst", 5L << 40, log(), s);
    assertThat(f.prims[0]).isEqualTo(5L << 40);
    List<String> log = log();
    assertThat(run(c, "longFirst", (3L << 40) + 1, log, s)).isEqualTo(((3L << 40) + 3) + " 3.25 3");
    assertThat(log).isEqualTo(expect(s, "~2", "~0.25"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void primitivesOnTheOperandStack_twoSlotLongAndDouble_survive(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "primitivesOnTheStack", log, s))
        .isEqualTo(((1L << 50) + 3) + " 2.0 4.0 16 true c");
    assertThat(log).hasSize(s ? 6 : 0);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void arrays_ofEveryKind_withArrayAndIndexOnTheStack(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "arrays", log, s))
        .isEqualTo(
            "[1, 20, 3][9223372036854775807, 15][[0.0, 0.0], [9.5, 0.0]][x, y][false, true]Hi");
    assertThat(log).isEqualTo(expect(s, "~1", "~20", "~10", "~0", "~y", "~true", "~H"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void localsTypedDifferentlyPerBranch_mergeAfterTheBranches(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "localsTypedPerBranch", log, s, 5)).isEqualTo("t5" + (1L << 33) + "/5");
    assertThat(run(c, "localsTypedPerBranch", log, s, -3)).isEqualTo("-1.5:-3/-3.0");
    assertThat(log).isEqualTo(expect(s, "~then", "~merged", "~else", "~merged"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void slotsReusedWithAnotherType_eachScopeRestoresItsOwnType(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "slotsReusedWithAnotherType", log, s)).isEqualTo("7str2.59[e]");
    assertThat(log).isEqualTo(expect(s, "~1", "~2", "~3", "~4"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void reassignedParameters_keepTheirNewValues(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "reassignedParameters", log, s, 1, "a", 3L, 1.5))
        .isEqualTo("2 a+ 6 -1.5 true");
    assertThat(log).isEqualTo(expect(s, "~1", "~+", "~2", "~end"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void nullLocal_laterGivenAValue(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "nullLocalLaterAssigned", log, s)).isEqualTo("value1");
    assertThat(log).isEqualTo(expect(s, "~1", "x is null true true", "~value", "~2"));
  }
}
