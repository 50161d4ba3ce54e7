package dev.coroutine.sync;

import static dev.coroutine.Coroutines.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Co;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.TestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import org.junit.jupiter.api.Test;

/** Barrier: release together, reuse, reset and abort. */
@SuppressWarnings("unchecked")
class BarrierTest extends TestBase {

  @Test
  void parties_releasedTogether_withDistinctIndexes_thenReusable() throws Exception {
    Barrier b = new Barrier(3);
    List<String> log = new ArrayList<>();
    List<Coroutine<Object>> parties = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      parties.add(
          Co.seq(
              v -> Co.await(sleep(n * 3)),
              v -> {
                log.add("arrive");
                return Co.await(b.await());
              },
              v -> {
                log.add("leave");
                return v;
              }));
    }
    Object r = runSteps(v -> Co.await(Coroutines.gather(parties)));
    assertThat(log).containsExactly("arrive", "arrive", "arrive", "leave", "leave", "leave");
    assertThat((List<Object>) r).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(b.waiting()).isZero();
    // a second round works the same
    Object r2 = runSteps(v -> Co.await(Coroutines.gather(b.await(), b.await(), b.await())));
    assertThat((List<Object>) r2).containsExactly(0, 1, 2);
  }

  @Test
  void abort_breaksCurrentAndFutureWaiters() throws Exception {
    Barrier b = new Barrier(2);
    Object r =
        runSteps(
            v ->
                Co.await(
                    Coroutines.gatherReturnExceptions(
                        b.await(),
                        Co.seq(
                            x -> Co.await(sleep(1)),
                            x -> {
                              b.abort();
                              return "aborted";
                            }))));
    assertThat(((List<?>) r).get(0)).isInstanceOf(BrokenBarrierException.class);
    assertThat(b.isBroken()).isTrue();
    Object later = run(Co.steps(v -> Co.await(b.await())).onError(e -> e).build());
    assertThat(later).isInstanceOf(BrokenBarrierException.class);
  }

  @Test
  void reset_breaksWaiters_thenBarrierIsUsableAgain() throws Exception {
    Barrier b = new Barrier(2);
    Object r =
        runSteps(
            v ->
                Co.await(
                    Coroutines.gatherReturnExceptions(
                        b.await(),
                        Co.seq(
                            x -> Co.await(sleep(1)),
                            x -> {
                              b.reset();
                              return null;
                            }))));
    assertThat(((List<?>) r).get(0)).isInstanceOf(BrokenBarrierException.class);
    assertThat(b.isBroken()).isFalse();
    Object again = runSteps(v -> Co.await(Coroutines.gather(b.await(), b.await())));
    assertThat((List<Object>) again).containsExactly(0, 1);
  }

  @Test
  void cancelledWaiter_leaves_othersStillNeedFullCount() throws Exception {
    Barrier b = new Barrier(2);
    Object r =
        runSteps(
            v -> {
              var first = Coroutines.createTask(b.await());
              return Co.await(
                  Co.seq(
                      x -> Co.await(sleep(1)),
                      x -> {
                        assertThat(b.waiting()).isEqualTo(1);
                        first.cancel();
                        return Co.await(sleep(1));
                      },
                      x -> {
                        assertThat(b.waiting()).isZero();
                        return Co.await(Coroutines.gather(b.await(), b.await()));
                      }));
            });
    assertThat((List<Object>) r).containsExactly(0, 1);
  }

  /**
   * A party cancelled while the barrier fills wakes the next waiter, which waits again behind the
   * others, so the release resumes them in that order: asyncio 3.13's Barrier, whose Condition.wait
   * passes a wake-up on when it ends by an exception (the conformance scenario
   * edge_barrier/cancelled_party_reorders_the_waiters, which runs only on Python 3.13).
   */
  @Test
  void aCancelledParty_wakesTheNext_whichWaitsAgainBehindTheOthers() {
    Barrier b = new Barrier(4);
    List<String> passed = new ArrayList<>();
    java.util.function.Function<String, Coroutine<Object>> party =
        name ->
            Co.seq(
                v -> Co.await(b.await()),
                v -> {
                  passed.add(name + " " + v);
                  return v;
                });
    dev.coroutine.Task<?>[] a = new dev.coroutine.Task<?>[1];
    List<dev.coroutine.Task<?>> all = new ArrayList<>();
    runSteps(
        v -> {
          a[0] = Coroutines.createTask(party.apply("a"));
          all.add(a[0]);
          all.add(Coroutines.createTask(party.apply("b")));
          all.add(Coroutines.createTask(party.apply("c")));
          return Co.await(sleep(0));
        },
        v -> {
          a[0].cancel();
          return Co.await(sleep(0));
        },
        v -> Co.await(sleep(0)),
        v -> {
          assertThat(b.waiting()).isEqualTo(2);
          all.add(Coroutines.createTask(party.apply("d")));
          return Co.await(sleep(0));
        },
        v -> {
          all.add(Coroutines.createTask(party.apply("e")));
          return Co.await(
              Coroutines.gatherReturnExceptions(all.toArray(new dev.coroutine.Awaitable<?>[0])));
        });
    assertThat(passed).containsExactly("e 3", "c 2", "b 1", "d 2");
  }
}
