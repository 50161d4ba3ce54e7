package dev.coroutine.transform;

import static dev.coroutine.transform.Samples.expect;
import static dev.coroutine.transform.Samples.log;
import static dev.coroutine.transform.Samples.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of method: instance, super, static, private, generic, varargs, interface, record,
 * enum, recursion, lambdas, tail returns.
 */
class MethodsTest {
  static Class<?> methods;

  @BeforeAll
  static void load() {
    methods = Samples.load("Methods");
  }

  static Object newMethods(List<String> log) throws Exception {
    return methods.getConstructor(List.class, String.class).newInstance(log, "m");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void instanceMethod_thisFieldsAndSuperCalls_surviveSuspension(boolean s) throws Throwable {
    List<String> log = log();
    Object m = newMethods(log);
    Object r = Coroutines.run(Samples.call(methods, "compute", m, s, 1));
    assertThat(r).isEqualTo("base12/Base/Methods/15/m/" + ((1L << 40) + 1));
    assertThat(log).isEqualTo(expect(s, "Methods.compute", "Base.compute", "~2", "~5"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void superclassAsyncMethod_aloneIsRewrittenToo(boolean s) throws Throwable {
    List<String> log = log();
    Class<?> base = methods.getSuperclass();
    Object b = base.getConstructor(List.class).newInstance(log);
    assertThat(Coroutines.run(Samples.call(base, "compute", b, s, 3))).isEqualTo("base13");
    assertThat(log).isEqualTo(expect(s, "Base.compute", "~3"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void privateMethod_calledFromAnotherAsyncMethod(boolean s) throws Throwable {
    List<String> log = log();
    Object m = newMethods(log);
    assertThat(Coroutines.run(Samples.call(methods, "callsPrivate", m, s))).isEqualTo(26);
    assertThat(log).isEqualTo(expect(s, "~1", "~2"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void staticMethod_resumes(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(methods, "staticMethod", log, s, "hi")).isEqualTo("hi!");
    assertThat(log).isEqualTo(expect(s, "~!"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void genericMethod_typeVariablesErasedToTheirBound(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(methods, "usesGeneric", log, s)).isEqualTo("pear9");
    assertThat(log).isEqualTo(expect(s, "~pear", "~apple", "~3", "~9"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void varargsMethod_emptyAndNonEmpty(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(methods, "callsVarargs", log, s)).isEqualTo(6);
    assertThat(log).isEqualTo(expect(s, "~1", "~2", "~3"));
    assertThat(run(methods, "varargs", log(), s, new int[] {4, 5})).isEqualTo(9);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void recursion_fibonacciThroughAwaits(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(methods, "fib", log, s, 10)).isEqualTo(55);
    assertThat(log).hasSize(s ? 89 : 0); // fib(10) reaches 89 leaves
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void returnOther_completesWithTheOtherCoroutinesResult(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(methods, "tailReturn", log, s)).isEqualTo(3);
    assertThat(log).isEqualTo(expect(s, "tail", "~1", "add", "~2"));
    log = log();
    assertThat(run(methods, "conditionalTailReturn", log, s, true)).isEqualTo(30);
    assertThat(log).isEqualTo(expect(s, "~0", "add", "~20"));
    log = log();
    assertThat(run(methods, "conditionalTailReturn", log, s, false)).isEqualTo(-1);
    assertThat(log).isEqualTo(expect(s, "~0"));
  }

  @Test
  void plainMethodReturningCoroutine_isLeftAlone_andItsResultRuns() throws Throwable {
    List<String> log = log();
    Coroutine<?> co = Samples.call(methods, "notAsync", log, true);
    assertThat(log).isEmpty();
    assertThat(Coroutines.run(co)).isEqualTo(9);
    assertThat(log).containsExactly("add", "~5");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void interfaceDefaultStaticAndPrivateAsyncMethods(boolean s) throws Throwable {
    Class<?> i = Samples.load("AsyncInterface");
    Object named = Samples.invoke(i, "named", "iface");
    List<String> log = log();
    assertThat(Coroutines.run(Samples.call(i, "greet", named, log, s))).isEqualTo("hello iface 42");
    assertThat(log).isEqualTo(expect(s, "~iface", "~21"));
    log = log();
    assertThat(Coroutines.run(Samples.call(i, "twice", log, s, 4))).isEqualTo(8);
    assertThat(Coroutines.run(Samples.call(i, "callsPrivate", named, log, s))).isEqualTo("piface");
    assertThat(log).isEqualTo(expect(s, "~4", "~p"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void record_instanceAndStaticAsyncMethods(boolean s) throws Throwable {
    Class<?> p = Samples.load("Point");
    List<String> log = log();
    Object point = Coroutines.run(Samples.call(p, "make", log, s));
    assertThat(point.toString()).isEqualTo("Point[x=3, y=4]");
    assertThat(Coroutines.run(Samples.call(p, "sum", point, log, s))).isEqualTo(8L);
    assertThat(log).isEqualTo(expect(s, "~3", "~4", "~3", "~1"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void enum_asyncMethodOverriddenInConstantBodies(boolean s) throws Throwable {
    Class<?> op = Samples.load("Op");
    List<String> log = log();
    assertThat(Coroutines.run(Samples.call(op, "all", log, s))).isEqualTo(7 + 12 - 3);
    assertThat(log).isEqualTo(expect(s, "~4", "~3", "NEG 2", "~3"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  @SuppressWarnings("unchecked")
  void asyncLambda_capturingLocals_isLazyAndSuspends(boolean s) throws Throwable {
    Class<?> l = Samples.load("Lambdas");
    List<String> log = log();
    Supplier<Coroutine<Integer>> sup =
        (Supplier<Coroutine<Integer>>) Samples.invoke(l, "supplier", log, s, 40);
    Coroutine<Integer> co = sup.get();
    assertThat(log).isEmpty();
    assertThat(Coroutines.run(co)).isEqualTo(42);
    assertThat(log).isEqualTo(expect(s, "lambda start", "~1", "lambda got 1"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void asyncLambdas_insideAsyncMethod_supplierFunctionAndPlainDone(boolean s) throws Throwable {
    Class<?> l = Samples.load("Lambdas");
    List<String> log = log();
    assertThat(run(l, "usesLambdas", log, s)).isEqualTo("1070.5:7");
    assertThat(log).isEqualTo(expect(s, "~1", "~3"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void asyncLambda_capturingThis_updatesTheField(boolean s) throws Throwable {
    Class<?> l = Samples.load("Lambdas");
    List<String> log = log();
    Object o = l.getConstructor(List.class).newInstance(log);
    assertThat(Coroutines.run(Samples.call(l, "capturesThis", o, s))).isEqualTo(1005 + 1010);
    assertThat(log).isEqualTo(expect(s, "~5", "~5"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  @SuppressWarnings("unchecked")
  void asyncLambda_returningAnotherCoroutine_completesWithItsResult(boolean s) throws Throwable {
    Class<?> l = Samples.load("Lambdas");
    List<String> log = log();
    Supplier<Coroutine<String>> sup =
        (Supplier<Coroutine<String>>) Samples.invoke(l, "tail", log, s);
    assertThat(Coroutines.run(sup.get())).isEqualTo("b!");
    assertThat(log).isEqualTo(expect(s, "~a", "~!"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void overloadedAsyncMethods_eachGetsItsOwnBody(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(methods, "callsOverloads", log, s)).isEqualTo("int 1/String x");
    assertThat(log).isEqualTo(expect(s, "~1", "~x"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void asyncMethodWithOnlyATailReturn_completesWithTheOthersResult(boolean s) throws Throwable {
    List<String> log = log();
    Coroutine<?> co = Samples.call(methods, "onlyTail", log, s);
    assertThat(log).isEmpty();
    assertThat(Coroutines.run(co)).isEqualTo(2);
    assertThat(log).isEqualTo(expect(s, "add", "~1"));
  }

  @Test
  void asyncLambdaInAStaticFieldInitializer() throws Throwable {
    Class<?> l = Samples.load("Lambdas");
    List<String> log = log();
    assertThat(run(l, "staticFieldLambda", log)).isEqualTo("field");
    assertThat(log).containsExactly("~field");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void asyncLambdaInsideAnAsyncLambda_capturesFromBoth(boolean s) throws Throwable {
    Class<?> l = Samples.load("Lambdas");
    List<String> log = log();
    assertThat(run(l, "nestedLambdas", log, s)).isEqualTo(222);
    assertThat(log).isEqualTo(expect(s, "~10", "~100"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anonymousClassAsyncMethod_withCapturedLocalsAndOuterThis_andInterfaceAsyncLambda(boolean s)
      throws Throwable {
    Class<?> n = Samples.load("Nested");
    List<String> log = log();
    Object outer = n.getConstructor().newInstance();
    Object r = Coroutines.run(Samples.call(n, "anonymous", outer, log, s));
    long base = 1L << 36;
    assertThat(r)
        .isEqualTo(
            "outer:" + (base + 5) + ":1|" + "outer:" + (base + 1) + ":2outer:" + (base + 1) + ":2");
    assertThat(log).isEqualTo(expect(s, "~5", "~1", "~1"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void localClassAsyncMethod_capturingLocals(boolean s) throws Throwable {
    Class<?> n = Samples.load("Nested");
    List<String> log = log();
    assertThat(run(n, "localClass", log, s)).isEqualTo("local1local2");
    assertThat(log).isEqualTo(expect(s, "~1", "~2"));
  }
}
