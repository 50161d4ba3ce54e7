package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** gather and gatherReturnExceptions. */
@SuppressWarnings("unchecked")
class GatherTest extends TestBase {

  static Coroutine<Object> after(int millis, Object value) {
    return Co.seq(v -> Co.await(Coroutines.sleep(millis)), v -> value);
  }

  static Coroutine<Object> failAfter(int millis, Throwable t) {
    return Co.seq(v -> Co.await(Coroutines.sleep(millis)), v -> {
      throw t;
    });
  }

  @Test
  void gather_resultsInArgumentOrder_notFinishingOrder() {
    Object r = runSteps(v -> Co.await(Coroutines.gather(after(30, "slow"), after(1, "fast"),
        Coroutines.done("now"))));
    assertThat((List<Object>) r).containsExactly("slow", "fast", "now");
  }

  @Test
  void gather_empty_isDoneWithEmptyList() {
    Object r = runSteps(v -> Co.await(Coroutines.gather()));
    assertThat((List<Object>) r).isEmpty();
  }

  @Test
  void gather_firstFailure_failsGather_othersKeepRunning() {
    IllegalStateException boom = new IllegalStateException("boom");
    Task<?>[] slow = new Task<?>[1];
    Future<Object> gate = loop.createFuture(); // not a timer: no race with the failure's passes
    Object caught = run(Co.steps(v -> {
          slow[0] = Coroutines.createTask(Co.seq(x -> Co.await(gate), x -> "slow"));
          return Co.await(Coroutines.gather(failAfter(1, boom), slow[0]));
        })
        .onError(e -> e)
        .build());
    assertThat(caught).isSameAs(boom);
    assertThat(slow[0].isDone()).isFalse();
    gate.setResult(null);
    assertThat(loop.runUntilComplete(slow[0])).isEqualTo("slow");
  }

  @Test
  void gatherReturnExceptions_collectsFailuresInPlace() {
    IllegalStateException boom = new IllegalStateException("boom");
    Task<Object> cancelled = loop.createTask(after(3_600_000, "never"));
    cancelled.cancel();
    Object r = runSteps(v -> Co.await(Coroutines.gatherReturnExceptions(after(1, "ok"),
        failAfter(1, boom), cancelled)));
    List<?> list = (List<?>) r;
    assertThat(list.get(0)).isEqualTo("ok");
    assertThat(list.get(1)).isSameAs(boom);
    assertThat(list.get(2)).isInstanceOf(CancellationException.class);
  }

  @Test
  void cancelGather_cancelsChildren_andFinishesAfterTheirCleanup() {
    Task<Object> gatherer = loop.createTask(Co.seq(v -> Co.await(Coroutines.gather(
        Co.steps(x -> Co.await(Coroutines.sleep(3_600_000))).onFinally(() -> expect(2)).build(),
        Co.steps(x -> Co.await(Coroutines.sleep(3_600_000))).onFinally(() -> expect(3)).build()))));
    Object r = run(Co.steps(v -> Co.await(Coroutines.sleep(1)), v -> {
          expect(1);
          gatherer.cancel();
          return Co.await(gatherer);
        })
        .onError(e -> {
          expect(4); // after both children ran their finally
          return e;
        })
        .build());
    assertThat(r).isInstanceOf(CancellationException.class);
    assertThat(gatherer.isCancelled()).isTrue();
    finish(5);
  }

  @Test
  void childCancelled_failsGatherWithTheCancellation_asAsyncio() {
    Task<Object> child = loop.createTask(after(3_600_000, "never"));
    Future<List<Object>>[] g = new Future[1];
    assertThatThrownBy(() -> runSteps(v -> {
      g[0] = Coroutines.gather(child, after(3_600_000, "other"));
      child.cancel();
      return Co.await(g[0]);
    })).isInstanceOf(CancellationException.class);
    // asyncio sets the CancelledError as the gather's exception: done, failed, not cancelled
    assertThat(g[0].isCancelled()).isFalse();
    assertThat(g[0].exception()).isInstanceOf(CancellationException.class);
  }

  @Test
  void gather_ofCollection_works() {
    Object r = runSteps(v -> Co.await(Coroutines.gather(List.of(after(2, 1), after(1, 2)))));
    assertThat((List<Object>) r).containsExactly(1, 2);
  }
}
