package dev.coroutine;

import static dev.coroutine.GatherTest.after;
import static dev.coroutine.GatherTest.failAfter;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** asCompleted: results in finishing order. */
class AsCompletedTest extends TestBase {

  /** Awaits each coroutine of the list in turn, collecting results or failures. */
  private List<Object> drain(List<Coroutine<Object>> cs) {
    List<Object> out = new ArrayList<>();
    Coroutine<Object> c = Co.seq(v -> null);
    for (Coroutine<Object> next : cs) {
      Coroutine<Object> before = c;
      c =
          Co.seq(
              v -> Co.await(before),
              v -> Co.await(Co.steps(x -> Co.await(next)).onError(e -> e).build()),
              v -> {
                out.add(v);
                return null;
              });
    }
    Coroutine<Object> all = c;
    run(all);
    return out;
  }

  @Test
  void asCompleted_yieldsInFinishingOrder_withFailures() {
    IllegalStateException boom = new IllegalStateException();
    List<Object> holder = new ArrayList<>();
    run(
        Co.seq(
            v -> {
              holder.addAll(
                  Coroutines.asCompleted(
                      List.of(after(30, "slow"), failAfter(10, boom), after(1, "fast"))));
              return null;
            }));
    @SuppressWarnings("unchecked")
    List<Coroutine<Object>> cs = (List<Coroutine<Object>>) (List<?>) holder;
    assertThat(drain(cs)).containsExactly("fast", boom, "slow");
  }

  @Test
  void asCompleted_timeout_remainingThrowTimeout() {
    List<Object> holder = new ArrayList<>();
    run(
        Co.seq(
            v -> {
              // a generous timeout: "fast" must win even when a loaded machine stalls the loop
              holder.addAll(
                  Coroutines.asCompleted(
                      List.of(after(1, "fast"), after(3_600_000, "never")),
                      Duration.ofMillis(1_000)));
              return null;
            }));
    @SuppressWarnings("unchecked")
    List<Coroutine<Object>> cs = (List<Coroutine<Object>>) (List<?>) holder;
    List<Object> out = drain(cs);
    assertThat(out.get(0)).isEqualTo("fast");
    assertThat(out.get(1)).isInstanceOf(TimeoutException.class);
    for (Task<?> t : loop.pendingTasks()) {
      t.cancel();
    }
  }
}
