package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Bridging blocking work: runInExecutor and toThread. */
class ExecutorTest extends TestBase {

  @Test
  void runInExecutor_result_completesOnLoopThread() {
    Thread loopThread = Thread.currentThread();
    Thread[] worker = new Thread[1];
    Future<String> f =
        loop.runInExecutor(
            () -> {
              worker[0] = Thread.currentThread();
              return "done";
            });
    boolean[] callbackOnLoop = new boolean[1];
    f.addDoneCallback(x -> callbackOnLoop[0] = Thread.currentThread() == loopThread);
    assertThat(loop.runUntilComplete(f)).isEqualTo("done");
    assertThat(worker[0]).isNotSameAs(loopThread);
    loop.stop();
    loop.runForever(); // let the done-callback run
    assertThat(callbackOnLoop[0]).isTrue();
  }

  @Test
  void runInExecutor_failure_isSameInstance() {
    IOException io = new IOException("blocking failed");
    Future<String> f =
        loop.runInExecutor(
            () -> {
              throw io;
            });
    assertThatThrownBy(() -> loop.runUntilComplete(f)).isSameAs(io);
  }

  @Test
  void runInExecutor_givenExecutor_isUsed() throws Exception {
    ExecutorService ex = Executors.newSingleThreadExecutor(r -> new Thread(r, "mine"));
    try {
      Future<String> f = loop.runInExecutor(ex, () -> Thread.currentThread().getName());
      assertThat(loop.runUntilComplete(f)).isEqualTo("mine");
    } finally {
      ex.shutdown();
    }
  }

  @Test
  void toThread_awaitedInCoroutine_returnsResultAndRethrows() {
    Object r = runSteps(v -> Co.await(Coroutines.toThread(() -> 6 * 7)));
    assertThat(r).isEqualTo(42);
    IllegalArgumentException bad = new IllegalArgumentException();
    assertThatThrownBy(
            () ->
                run(
                    Coroutines.toThread(
                        () -> {
                          throw bad;
                        })))
        .isSameAs(bad);
  }

  @Test
  void close_shutsDownDefaultExecutor() {
    loop.runUntilComplete(loop.runInExecutor(() -> 1));
    loop.close();
    assertThatThrownBy(() -> loop.runInExecutor(() -> 1)).isInstanceOf(IllegalStateException.class);
  }
}
