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

  /**
   * An asker whose task is cancelled in the pass it was handed a finished future loses nothing: the
   * next asker gets it, as asyncio's as_completed keeps it (found from outside: it was lost), for
   * the list of coroutines and for the async iteration alike; a cancelled asker leaves the line.
   */
  @Test
  void askerCancelledInThePassItWasHandedAResult_losesNothing() throws Exception {
    for (boolean iterate : new boolean[] {false, true}) {
      Future<String> f1 = loop.createFuture();
      Future<String> f2 = loop.createFuture();
      List<List<Coroutine<String>>> lists = new ArrayList<>();
      List<AsyncIterator<Future<String>>> its = new ArrayList<>();
      loop.runUntilComplete(
          Co.seq(
              v -> {
                lists.add(Coroutines.asCompleted(List.of(f1, f2), null)); // on the running loop
                its.add(Coroutines.<String>asCompletedFutures(List.of(f1, f2), null).iterator());
                return null;
              }));
      List<Coroutine<String>> list = lists.get(0);
      AsyncIterator<Future<String>> it = its.get(0);
      Task<Object> t =
          loop.createTask(iterate ? Co.awaiting(it.hasNext()) : Co.awaiting(list.get(0)));
      loop.runUntilComplete(Coroutines.sleep(1));
      loop.callSoon(
          () -> {
            f1.setResult("one");
            loop.callSoon(t::cancel); // the pass the result is handed over in, after it
          });
      loop.runUntilComplete(Coroutines.sleep(5));
      assertThat(t.isCancelled()).isTrue();
      f2.setResult("two");
      Object next =
          iterate
              ? loop.runUntilComplete(Co.seq(v -> Co.await(it.hasNext()), v -> it.next().result()))
              : loop.runUntilComplete(list.get(1));
      assertThat(next).as("iterate: %s", iterate).isEqualTo("one");
    }
  }
}
