package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The thread-safe entry points under load: {@code callSoonThreadsafe} from many threads, and {@code
 * runCoroutineThreadsafe}. Scaled by {@code -Dcoroutine.stress.scale} (default 1).
 */
class ThreadsafeStressTest extends TestBase {
  private static final int SCALE = Stress.SCALE;

  @Test
  void callSoonThreadsafe_8threadsX100000_nothingLostOrDuplicated() throws Exception {
    int threads = 8;
    int perThread = 100_000 * SCALE;
    int[][] seen = new int[threads][perThread]; // written by the loop thread only
    int[] lastSeq = new int[threads];
    boolean[] inOrder = {true};
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  int seq = i;
                  loop.callSoonThreadsafe(
                      () -> {
                        seen[id][seq]++;
                        if (seq != 0 && lastSeq[id] != seq - 1) {
                          inOrder[0] =
                              false; // one thread's calls must run in the order they were made
                        }
                        lastSeq[id] = seq;
                      });
                }
              });
      producers.add(th);
      th.start();
    }
    Thread waiter =
        new Thread(
            () -> {
              for (Thread th : producers) {
                try {
                  th.join();
                } catch (InterruptedException e) {
                  return;
                }
              }
              loop.callSoonThreadsafe(loop::stop); // after every producer's last call
            });
    waiter.start();
    start.countDown();
    loop.runForever();
    waiter.join();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        if (seen[t][i] != 1) {
          throw new AssertionError("thread " + t + " call " + i + " ran " + seen[t][i] + " times");
        }
      }
    }
    assertThat(inOrder[0]).isTrue();
  }

  @Test
  void callSoonThreadsafe_wakesLoopBlockedOnFarTimer() throws Exception {
    loop.callLater(3600, () -> {}); // the loop parks for an hour unless woken
    Thread other = new Thread(() -> loop.callSoonThreadsafe(loop::stop));
    loop.callSoon(other::start);
    loop.runForever(); // returns only if the wake-up works
    other.join();
  }

  @Test
  void runCoroutineThreadsafe_returnsResult_onLoopThread() throws Exception {
    Thread loopThread =
        new Thread(
            () -> {
              loop.callLater(3600, () -> {});
              loop.runForever();
            });
    loopThread.start();
    try {
      CompletableFuture<String> r =
          Coroutines.runCoroutineThreadsafe(
              Co.seq(
                  v -> Co.await(Coroutines.sleep(1)),
                  v -> Thread.currentThread() == loopThread ? "on loop" : "elsewhere"),
              loop);
      assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo("on loop");
      IllegalStateException boom = new IllegalStateException("boom");
      CompletableFuture<Object> f =
          Coroutines.runCoroutineThreadsafe(
              Co.seq(
                  v -> {
                    throw boom;
                  }),
              loop);
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseReference(boom);
    } finally {
      loop.callSoonThreadsafe(loop::stop);
      loopThread.join();
    }
  }

  @Test
  void runCoroutineThreadsafe_cancellingFuture_cancelsTaskAndRunsItsFinally() throws Exception {
    CountDownLatch finallyRan = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    Thread loopThread =
        new Thread(
            () -> {
              loop.callLater(3600, () -> {});
              loop.runForever();
            });
    loopThread.start();
    try {
      CompletableFuture<Object> r =
          Coroutines.runCoroutineThreadsafe(
              Co.steps(
                      v -> {
                        started.countDown();
                        return Co.await(Coroutines.sleep(3_600_000));
                      })
                  .onFinally(finallyRan::countDown)
                  .build(),
              loop);
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      r.cancel(false);
      assertThat(finallyRan.await(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(r::join).isInstanceOf(CancellationException.class);
    } finally {
      loop.callSoonThreadsafe(loop::stop);
      loopThread.join();
    }
  }
}
