package dev.coroutine;

import static dev.coroutine.GatherTest.after;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** shield: the outer await is cancelled, the inner work is not. */
class ShieldTest extends TestBase {

  @Test
  void shield_cancellingAwaiter_leavesInnerRunning() {
    Task<Object> inner = loop.createTask(after(10, "inner result"));
    Task<Object> awaiter = loop.createTask(Co.seq(v -> Co.await(Coroutines.shield(inner))));
    runSteps(
        v -> Co.await(Coroutines.sleep(0)),
        v -> {
          awaiter.cancel();
          return Co.await(Coroutines.sleep(0));
        });
    assertThat(awaiter.isCancelled()).isTrue();
    assertThat(inner.isCancelled()).isFalse();
    assertThat(loop.runUntilComplete(inner)).isEqualTo("inner result");
  }

  @Test
  void shield_passesResultAndFailureThrough() {
    Object r = runSteps(v -> Co.await(Coroutines.shield(after(1, "r"))));
    assertThat(r).isEqualTo("r");
    IllegalStateException boom = new IllegalStateException();
    Object caught =
        run(
            Co.steps(
                    v ->
                        Co.await(
                            Coroutines.shield(
                                Co.seq(
                                    x -> Co.await(Coroutines.sleep(1)),
                                    x -> {
                                      throw boom;
                                    }))))
                .onError(e -> e)
                .build());
    assertThat(caught).isSameAs(boom);
  }

  @Test
  void shield_innerCancelled_cancelsOuter() {
    Task<Object> inner = loop.createTask(after(3_600_000, "x"));
    Object caught =
        run(
            Co.steps(
                    v -> {
                      Future<Object> s = Coroutines.shield(inner);
                      inner.cancel();
                      return Co.await(s);
                    })
                .onError(e -> e)
                .build());
    assertThat(caught).isInstanceOf(CancellationException.class);
  }
}
