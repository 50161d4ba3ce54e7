package dev.coroutine.transform;

import static dev.coroutine.transform.Samples.expect;
import static dev.coroutine.transform.Samples.log;
import static dev.coroutine.transform.Samples.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames over user class hierarchies, bridges, and failures raised by await itself. */
class HierarchyTest {
  static Class<?> c;

  @BeforeAll
  static void load() {
    c = Samples.load("Hierarchy");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void localsMergedFromSiblingUserClasses_keepTheirCommonSuperclassAcrossAnAwait(boolean s)
      throws Throwable {
    List<String> log = log();
    assertThat(run(c, "mergedUserTypes", log, s, 2)).isEqualTo("Dog woof Cat meow");
    assertThat(run(c, "mergedUserTypes", log, s, 0)).isEqualTo("Cat meow Dog woof");
    assertThat(log).isEqualTo(expect(s, "~merge", "~merge"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void multiCatchOfSiblingExceptions_awaitInTheHandler_keepsTheException(boolean s)
      throws Throwable {
    List<String> log = log();
    assertThat(run(c, "multiCatch", log, s, true)).isEqualTo("detail:a OopsA");
    assertThat(run(c, "multiCatch", log, s, false)).isEqualTo("detail:b OopsB");
    assertThat(log).isEqualTo(expect(s, "~!", "~in catch", "~!", "~in catch"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void asyncMethodCalledThroughAGenericBridge_isLazyAndCompletes(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "throughBridge", log, s)).isEqualTo("X");
    assertThat(log).isEqualTo(expect(s, "created", "Upper.apply", "~x"));
  }

  @Test
  void awaitOfNull_throwsNullPointerExceptionCatchableAtTheAwait() throws Throwable {
    List<String> log = log();
    assertThat(run(c, "awaitNull", log)).isEqualTo("caught npe");
    assertThat(log).containsExactly("npe");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void awaitOfAFutureCancelledBeforeOrWhileAwaited_throwsCancellationExceptionAtTheAwait(boolean s)
      throws Throwable {
    List<String> log = log();
    assertThat(run(c, "awaitCancelledFuture", log, s)).isEqualTo("caught");
    assertThat(log).isEqualTo(expect(s, "~cancel true", "cancelled"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void breakOutOfLoopThroughAFinallyThatAwaits(boolean s) throws Throwable {
    List<String> log = log();
    assertThat(run(c, "breakThroughFinallyWithAwait", log, s)).isEqualTo("0f1ff");
    assertThat(log)
        .isEqualTo(expect(s, "~0", "~f", "finally 0", "~1", "~f", "finally 1", "~f", "finally 2"));
  }
}
