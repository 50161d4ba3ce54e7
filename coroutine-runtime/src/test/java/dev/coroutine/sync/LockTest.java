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

/** Lock: mutual exclusion, FIFO, cancellation. */
class LockTest extends TestBase {

  /** Acquires, logs, holds the lock across a suspension, releases. */
  static Coroutine<Object> critical(Lock lock, List<String> log, String name) {
    return Co.seq(
        v -> Co.await(lock.acquire()),
        v -> {
          log.add(name + " in");
          return Co.await(sleep(1));
        },
        v -> {
          log.add(name + " out");
          lock.release();
          return null;
        });
  }

  @Test
  void acquire_takesTheLockWhenAwaited_notWhenCalled() {
    Lock lock = new Lock();
    Coroutine<Void> acquire = lock.acquire();
    assertThat(lock.isLocked()).isFalse();
    run(Co.awaiting(acquire));
    assertThat(lock.isLocked()).isTrue();
    assertThatThrownBy(() -> run(Co.awaiting(acquire)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("runs at most once");
    lock.release();
    assertThat(lock.isLocked()).isFalse();
    assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void contenders_getLockInFifoOrder_neverOverlapping() {
    Lock lock = new Lock();
    List<String> log = new ArrayList<>();
    runSteps(
        v ->
            Co.await(
                Coroutines.gather(
                    critical(lock, log, "a"), critical(lock, log, "b"), critical(lock, log, "c"))));
    assertThat(log).containsExactly("a in", "a out", "b in", "b out", "c in", "c out");
  }

  @Test
  void newcomer_doesNotBargeAheadOfWokenWaiter() {
    Lock lock = new Lock();
    List<String> log = new ArrayList<>();
    runSteps(
        v -> Co.await(lock.acquire()),
        v -> {
          Coroutines.createTask(critical(lock, log, "waiter"));
          return Co.await(sleep(0)); // the waiter queues
        },
        v -> {
          lock.release(); // wakes the waiter, which has not run yet
          assertThat(lock.acquire()).isNotSameAs(Coroutines.done()); // a newcomer must queue
          return Co.await(sleep(5));
        });
    assertThat(log).startsWith("waiter in");
  }

  @Test
  void cancelledWaiter_afterWakeup_passesLockToNext() {
    Lock lock = new Lock();
    List<String> log = new ArrayList<>();
    runSteps(
        v -> Co.await(lock.acquire()),
        v -> {
          Task<Object> first = Coroutines.createTask(critical(lock, log, "first"));
          Task<Object> second = Coroutines.createTask(critical(lock, log, "second"));
          return Co.await(Coroutines.done(List.of(first, second)));
        },
        v -> Co.await(Co.seq(x -> Co.await(sleep(0)), x -> v)),
        v -> {
          List<?> tasks = (List<?>) v;
          lock.release(); // first is woken...
          ((Task<?>) tasks.get(0)).cancel(); // ...and cancelled before it runs
          return Co.await((Task<?>) tasks.get(1)); // second gets the lock and finishes
        });
    assertThat(log).containsExactly("second in", "second out");
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  void withLock_releasesOnFailure() {
    Lock lock = new Lock();
    IllegalStateException boom = new IllegalStateException();
    assertThatThrownBy(
            () ->
                run(
                    lock.withLock(
                        Co.seq(
                            v -> Co.await(sleep(1)),
                            v -> {
                              throw boom;
                            }))))
        .isSameAs(boom);
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  void cancelledWhileWaiting_doesNotTakeLock() {
    Lock lock = new Lock();
    assertThatThrownBy(
            () ->
                runSteps(
                    v -> Co.await(lock.acquire()),
                    v -> {
                      Task<Object> waiter =
                          Coroutines.createTask(Co.seq(x -> Co.await(lock.acquire())));
                      return Co.await(
                          Co.seq(
                              x -> Co.await(sleep(0)),
                              x -> {
                                waiter.cancel();
                                return Co.await(waiter);
                              }));
                    }))
        .isInstanceOf(CancellationException.class);
    assertThat(lock.isLocked()).isTrue(); // still ours only
    lock.release();
    run(Co.awaiting(lock.acquire()));
    assertThat(lock.isLocked()).isTrue();
  }
}
