package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;

/** The stub's call site ({@link AsyncFrame#frame}), linked as a generated stub's would be. */
class StubLinkerTest {
  /** A body that is never run here. */
  static Object body(AsyncFrame<?> f) {
    return null;
  }

  private static MethodHandle body() throws ReflectiveOperationException {
    return MethodHandles.lookup()
        .findStatic(
            StubLinkerTest.class, "body", MethodType.methodType(Object.class, AsyncFrame.class));
  }

  /**
   * Class {@code a.B}, method {@code m}, file {@code B.java} (its length plus one), lines 10
   * (start) and 20.
   */
  private static final String TABLE = "\u0000\u0003a.B\u0001m\u0007B.java\n\u0014";

  @Test
  void callSite_createsAFrameWithTheArrays_andKeepsTheTableForLocation() throws Throwable {
    CallSite site =
        AsyncFrame.frame(
            MethodHandles.lookup(),
            "frame",
            MethodType.methodType(AsyncFrame.class),
            body(),
            TABLE,
            3,
            2);
    AsyncFrame<?> f = (AsyncFrame<?>) site.dynamicInvoker().invoke();
    assertThat(f.refs).hasSize(3);
    assertThat(f.prims).hasSize(2);
    assertThat(f.label).isZero();
    StackTraceElement at = f.location(); // from the kept table: the body is never called
    assertThat(at.getClassName()).isEqualTo("a.B");
    assertThat(at.getMethodName()).isEqualTo("m");
    assertThat(at.getFileName()).isEqualTo("B.java");
    assertThat(at.getLineNumber()).isEqualTo(10);
    f.label = 1;
    assertThat(f.location().getLineNumber()).isEqualTo(20);
    AsyncFrame<?> g = (AsyncFrame<?>) site.dynamicInvoker().invoke();
    assertThat(g).isNotSameAs(f); // a new frame per call
  }

  @Test
  void callSiteTakingArguments_fromTheUnreleasedTransformer_isRefusedNamingTheClass() {
    assertThatThrownBy(
            () ->
                AsyncFrame.frame(
                    MethodHandles.lookup(),
                    "m",
                    MethodType.methodType(Coroutine.class, int.class),
                    body(),
                    TABLE,
                    0,
                    1))
        .isInstanceOf(BootstrapMethodError.class)
        .hasMessageContaining(StubLinkerTest.class.getName())
        .hasMessageContaining("rewrite it again");
  }
}
