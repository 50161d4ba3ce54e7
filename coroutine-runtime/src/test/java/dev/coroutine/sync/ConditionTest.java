package dev.coroutine.sync;

import static dev.coroutine.Coroutines.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.Co;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Task;
import dev.coroutine.TestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Condition: wait releases and re-acquires; signal wakes in order; cancellation keeps the lock. */
class ConditionTest extends TestBase {

  static Coroutine<Object> waiter(Condition c, List<String> log, String name) {
    return Co.seq(
        v -> Co.await(c.acquire()),
        v -> Co.await(c.await()),
        v -> {
          assertThat(c.isLocked()).isTrue();
          log.add(name);
          c.release();
          return null;
        });
  }

  @Test
  void signal_wakesOneAtATime_inOrder_signalAllTheRest() {
    Condition c = new Condition();
    List<String> log = new ArrayList<>();
    runSteps(
        v -> {
          for (String n : List.of("a", "b", "c")) {
            Coroutines.createTask(waiter(c, log, n));
          }
          return Co.await(sleep(1));
        },
        v -> Co.await(c.acquire()),
        v -> {
          c.signal();
          c.release();
          return Co.await(sleep(1));
        },
        v -> {
          assertThat(log).containsExactly("a");
          return Co.await(c.acquire());
        },
        v -> {
          c.signalAll();
          c.release();
          return Co.await(sleep(1));
        });
    assertThat(log).containsExactly("a", "b", "c");
  }

  @Test
  void awaitUntil_checksPredicateAfterEachSignal() {
    Condition c = new Condition();
    int[] value = {0};
    Task<?>[] t = new Task<?>[1];
    runSteps(
        v -> {
          t[0] = Coroutines.createTask(c.withLock(c.awaitUntil(() -> value[0] >= 2)));
          return Co.await(sleep(1));
        },
        v ->
            Co.await(
                c.withLock(
                    Co.seq(
                        x -> {
                          value[0] = 1;
                          c.signalAll();
                          return null;
                        }))),
        v -> Co.await(sleep(1)),
        v -> {
          assertThat(t[0].isDone()).isFalse();
          return Co.await(
              c.withLock(
                  Co.seq(
                      x -> {
                        value[0] = 2;
                        c.signalAll();
                        return null;
                      })));
        },
        v -> Co.await(t[0]));
    assertThat(t[0].isDone()).isTrue();
  }

  @Test
  void cancelledWait_reacquiresLockBeforeThrowing() {
    Condition c = new Condition();
    boolean[] heldWhenCancelled = {false};
    Task<Object>[] t = new Task[1];
    runSteps(
        v -> {
          t[0] =
              Coroutines.createTask(
                  Co.steps(x -> Co.await(c.acquire()), x -> Co.await(c.await()))
                      .onError(
                          e -> {
                            heldWhenCancelled[0] =
                                e instanceof CancellationException && c.isLocked();
                            c.release();
                            throw e;
                          })
                      .build());
          return Co.await(sleep(1));
        },
        v -> Co.await(c.acquire()),
        v -> {
          t[0].cancel(); // while we hold the lock: the waiter must wait for it before throwing
          return Co.await(sleep(1));
        },
        v -> {
          assertThat(t[0].isDone()).isFalse();
          c.release();
          return Co.await(sleep(1));
        });
    assertThat(t[0].isCancelled()).isTrue();
    assertThat(heldWhenCancelled[0]).isTrue();
    assertThat(c.isLocked()).isFalse();
  }

  @Test
  void waitOrSignal_withoutLock_isRefused() {
    Condition c = new Condition();
    assertThatThrownBy(c::signal).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> run(c.await())).isInstanceOf(IllegalStateException.class);
  }
}
