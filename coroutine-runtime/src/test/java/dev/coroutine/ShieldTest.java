package dev.coroutine;

import static dev.coroutine.GatherTest.after;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** shield: the outer await is cancelled, the inner work is not. */
class ShieldTest extends TestBase {

  /**
   * A shield given up lets go of its inner future, as asyncio's (found from outside: each timed-out
   * waitFor(shield(longLived)) kept 52 B until longLived ended).
   */
  @Test
  void cancelledShields_doNotStayOnTheInnerFuture() {
    Future<Object> longLived = loop.createFuture();
    loop.runUntilComplete(
        loop.createTask(
            Co.seq(
                v -> {
                  for (int i = 0; i < 1000; i++) {
                    Coroutines.shield(longLived).cancel();
                  }
                  return Co.await(Coroutines.sleep(0));
                })));
    Object cbs = longLived.callbacks; // null, one callback, or a list of them
    assertThat(
            cbs == null ? 0 : cbs instanceof java.util.List ? ((java.util.List<?>) cbs).size() : 1)
        .isZero();
    Object[] kept = new Object[1];
    loop.runUntilComplete(
        loop.createTask(
            Co.seq(
                v -> {
                  Future<Object> shield = Coroutines.shield(longLived);
                  longLived.setResult("v");
                  return Co.await(shield);
                },
                v -> kept[0] = v)));
    assertThat(kept[0]).isEqualTo("v");
  }

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
