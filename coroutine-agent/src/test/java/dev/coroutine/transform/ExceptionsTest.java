package dev.coroutine.transform;

import static dev.coroutine.transform.Samples.expect;
import static dev.coroutine.transform.Samples.log;
import static dev.coroutine.transform.Samples.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exceptions through awaits: the same instance, caught, rethrown, finally blocks run. */
class ExceptionsTest {
  static Class<?> c;

  @BeforeAll
  static void load() {
    c = Samples.load("Exceptions");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void tryCatch_exceptionOfAwaitedCoroutine_isCaughtAsTheSameInstance(boolean s) throws Throwable {
    List<String> log = log();
    IOException e = new FileNotFoundException("gone");
    assertThat(run(c, "catchSameInstance", log, s, e)).isSameAs(e);
    assertThat(log).isEqualTo(expect(s, "~pre", "throwing", "caught gone"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void tryCatch_failedFuture_runtimeExceptionAndError_areCaughtAsTheSameInstance(boolean s)
      throws Throwable {
    List<String> log = log();
    RuntimeException re = new UnsupportedOperationException("x");
    assertThat(run(c, "catchFailedFuture", log, s, re)).isSameAs(re);
    Error err = new AssertionError("y");
    assertThat(run(c, "catchFailedFuture", log, s, err)).isSameAs(err);
    assertThat(log).isEqualTo(expect(s, "~!", "caught", "~!", "caught"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void checkedException_declaredInThrows_isRethrownUnchangedByRun(boolean s) throws Throwable {
    List<String> log = log();
    Object e = newChecked("checked");
    Throwable thrown = catchThrowable(() -> run(c, "checkedFromFuture", log, s, e));
    assertThat(thrown).isSameAs(e);
    assertThat(log).isEqualTo(expect(s, "~!", "caught Checked"));
  }

  private static Object newChecked(String message) throws Exception {
    Class<?> k = c.getClassLoader().loadClass(TransformingClassLoader.SAMPLES + "Later$Checked");
    return k.getConstructor(String.class).newInstance(message);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void tryFinally_returnInsideTry_finallyRunsAfterResume(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "finallyAfterResume", log, s)).isEqualTo("r1");
    assertThat(log).isEqualTo(expect(s, "try", "~1", "after 1", "finally"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void awaitInsideFinally_runsAfterResume_andKeepsTheReturnValue(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "awaitInsideFinally", log, s, false)).isEqualTo("r1");
    assertThat(log).isEqualTo(expect(s, "try", "~1", "finally r1", "~2", "finally after 2"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void awaitInsideFinally_pendingExceptionPropagatesAfterTheFinallyResumes(boolean s) {
    List<String> log = log();
    Throwable t = catchThrowable(() -> run(c, "awaitInsideFinally", log, s, true));
    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessage("from try");
    assertThat(log).isEqualTo(expect(s, "try", "~1", "finally r1", "~2", "finally after 2"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void nestedTries_innerFinallyThenOuterCatchThenOuterFinally(boolean s) throws Throwable {
    List<String> log = log();
    IOException e = new IOException("e");
    assertThat(run(c, "nestedTries", log, s, e)).isEqualTo("ok");
    assertThat(log)
        .isEqualTo(
            expect(
                s,
                "inner try",
                "~pre",
                "throwing",
                "inner finally",
                "~1",
                "outer caught true",
                "~2",
                "outer after 2",
                "outer finally"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void catchAndRethrow_afterAnotherAwait_rethrowsTheSameInstance(boolean s) {
    List<String> log = log();
    IOException e = new IOException("e");
    assertThat(catchThrowable(() -> run(c, "catchAndRethrow", log, s, e))).isSameAs(e);
    assertThat(log).isEqualTo(expect(s, "~pre", "throwing", "rethrowing", "~r"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void catchAndWrap_causeIsTheSameInstance(boolean s) {
    IOException e = new IOException("e");
    Throwable t = catchThrowable(() -> run(c, "catchAndWrap", log(), s, e));
    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessage("wrapped");
    assertThat(t.getCause()).isSameAs(e);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void nestedTryInsideCatch_withItsOwnFinally_awaitsEverywhere(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "tryInsideCatchWithFinally", log, s, new IOException("io")))
        .isEqualTo("inner/io");
    assertThat(log)
        .isEqualTo(
            expect(
                s,
                "~!",
                "catch io",
                "~2",
                "inner 2",
                "inner catch inner/io",
                "~3",
                "inner finally",
                "~4",
                "inner finally end io"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void tryWithResources_closesInReverseOrderAfterTheAwait(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "tryWithResources", log, s, false)).isEqualTo("ok");
    assertThat(log)
        .isEqualTo(expect(s, "open a", "open b", "~1", "body 1", "close b", "close a", "after"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void tryWithResources_bodyThrowsAfterAwait_closesThenCatches(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "tryWithResources", log, s, true)).isEqualTo("ok");
    assertThat(log)
        .isEqualTo(
            expect(
                s,
                "open a",
                "open b",
                "~1",
                "body 1",
                "close b",
                "close a",
                "caught body",
                "after"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void exceptionsThroughSeveralLevels_arriveUnchanged_andFinallyRuns(boolean s) {
    for (Throwable e :
        new Throwable[] {
          new IOException("io"), new IllegalStateException("ise"), new StackOverflowError()
        }) {
      List<String> log = log();
      assertThat(catchThrowable(() -> run(c, "level1", log, s, e))).isSameAs(e);
      assertThat(log).isEqualTo(expect(s, "~3", "level2 finally"));
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void tryWithResources_resourceInitializerAwaits(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "resourceInitializerAwaits", log, s)).isEqualTo("ok");
    assertThat(log).isEqualTo(expect(s, "~late", "open late", "body", "~1", "close late"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void awaitFailingWithValuesOnTheStack_handlerSeesAClearStackAndTheLocals(boolean s)
      throws Throwable {
    List<String> log = log();
    IOException e = new IOException();
    assertThat(run(c, "awaitFailsWithValuesOnTheStack", log, s, e)).isEqualTo("r-1");
    assertThat(log).isEqualTo(expect(s, "~pre", "throwing", "caught true base " + (1L << 40)));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void catchInsideLoop_withContinue_resumesTheLoop(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "catchInLoopAndContinue", log, s)).isEqualTo("0;odd12;odd3");
    assertThat(log).isEqualTo(expect(s, "~0", "~!", "~2", "~!"));
  }
}
