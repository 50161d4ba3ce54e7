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
import org.junit.jupiter.api.Test;

/** Semaphore and BoundedSemaphore. */
class SemaphoreTest extends TestBase {

  @Test
  void permits_limitConcurrency() {
    Semaphore s = new Semaphore(2);
    int[] inside = {0};
    int[] most = {0};
    List<Coroutine<Object>> workers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      workers.add(
          s.withPermit(
              Co.seq(
                  v -> {
                    most[0] = Math.max(most[0], ++inside[0]);
                    return Co.await(sleep(2));
                  },
                  v -> {
                    inside[0]--;
                    return null;
                  })));
    }
    runSteps(v -> Co.await(Coroutines.gather(workers)));
    assertThat(most[0]).isEqualTo(2);
    assertThat(s.availablePermits()).isEqualTo(2);
  }

  @Test
  void waiters_servedFifo_newcomerQueuesBehind() {
    Semaphore s = new Semaphore(0);
    List<String> log = new ArrayList<>();
    runSteps(
        v -> {
          for (String n : List.of("a", "b")) {
            Coroutines.createTask(Co.seq(x -> Co.await(s.acquire()), x -> log.add(n)));
          }
          return Co.await(sleep(1));
        },
        v -> {
          s.release();
          assertThat(s.isLocked()).isTrue(); // b still waits: a newcomer would queue
          s.release();
          return Co.await(sleep(1));
        });
    assertThat(log).containsExactly("a", "b");
  }

  @Test
  void wokenWaiterCancelled_givesPermitToNext() {
    Semaphore s = new Semaphore(0);
    List<String> log = new ArrayList<>();
    runSteps(
        v -> {
          Task<Object> a =
              Coroutines.createTask(Co.seq(x -> Co.await(s.acquire()), x -> log.add("a")));
          Coroutines.createTask(Co.seq(x -> Co.await(s.acquire()), x -> log.add("b")));
          return Co.await(
              Co.seq(
                  x -> Co.await(sleep(1)),
                  x -> {
                    s.release(); // reserved for a
                    a.cancel(); // a gives it back and wakes b
                    return Co.await(sleep(1));
                  }));
        });
    assertThat(log).containsExactly("b");
    assertThat(s.availablePermits()).isZero();
  }

  @Test
  void boundedSemaphore_refusesExtraRelease() {
    BoundedSemaphore b = new BoundedSemaphore(1);
    assertThatThrownBy(b::release).isInstanceOf(IllegalStateException.class);
    Coroutine<Void> acquire = b.acquire();
    assertThat(b.availablePermits()).isEqualTo(1); // nothing taken until awaited
    run(Co.awaiting(acquire));
    assertThat(b.availablePermits()).isZero();
    b.release();
    assertThat(b.availablePermits()).isEqualTo(1);
    assertThatThrownBy(() -> new Semaphore(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
