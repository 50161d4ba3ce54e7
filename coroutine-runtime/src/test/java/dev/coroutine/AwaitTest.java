package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** await: fast path, suspension, exceptions, inline coroutines, deep chains, stages. */
class AwaitTest extends TestBase {

  /** A chain of {@code n} coroutines each awaiting the next inline; the innermost suspends. */
  static Coroutine<Integer> deep(int n) {
    if (n == 0) {
      return Co.seq(v -> Co.await(Coroutines.sleep(0)), v -> 0);
    }
    return Co.seq(v -> Co.await(deep(n - 1)), v -> (Integer) v + 1);
  }

  @Test
  void inlineAwaitChain_100000Deep_doesNotOverflow() {
    int r = run(deep(100_000));
    assertThat(r).isEqualTo(100_000);
  }

  @Test
  void inlineAwaitChain_100000Deep_failurePropagatesThroughAllFrames() {
    IOException boom = new IOException("deep");
    Coroutine<Object> c =
        Co.seq(
            v -> Co.await(Coroutines.sleep(0)),
            v -> {
              throw boom;
            });
    for (int i = 0; i < 100_000; i++) {
      Coroutine<Object> inner = c;
      c = Co.seq(v -> Co.await(inner));
    }
    Coroutine<Object> top = c;
    assertThatThrownBy(() -> run(top)).isSameAs(boom);
  }

  @Test
  void awaitFinishedFuture_continuesWithoutSuspending() {
    Future<String> f = loop.createFuture();
    f.setResult("ready");
    Object r =
        runSteps(
            v -> {
              Task<?> t = Coroutines.currentTask();
              Object got = AsyncFrame.await(f, t.current);
              assertThat(got).isEqualTo("ready"); // not SUSPEND: no loop trip
              return got;
            });
    assertThat(r).isEqualTo("ready");
  }

  @Test
  void checkedException_travelsUnchanged_sameInstance() {
    IOException io = new IOException("disk");
    Future<Object> f = loop.createFuture();
    Coroutine<Object> failing =
        Co.seq(
            v -> Co.await(Coroutines.sleep(1)),
            v -> {
              throw io;
            });
    Object caught =
        runSteps(
            v ->
                Co.await(
                    Co.steps(x -> Co.await(failing))
                        .onError(e -> e) // catch around the await: gets the very instance
                        .build()));
    assertThat(caught).isSameAs(io);
    loop.callSoon(() -> f.setException(io));
    assertThatThrownBy(() -> run(Co.awaiting(f))).isSameAs(io);
  }

  @Test
  void exceptionFromAwaitedTask_isSameInstance() {
    Error err = new AssertionError("an Error, too");
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v -> Co.await(Coroutines.sleep(1)),
                v -> {
                  throw err;
                }));
    assertThatThrownBy(() -> run(Co.awaiting(t))).isSameAs(err);
  }

  @Test
  void finallyRuns_whenAwaitedCoroutineFails() {
    RuntimeException boom = new RuntimeException();
    Coroutine<Object> c =
        Co.steps(
                v -> Co.await(Coroutines.sleep(0)),
                v -> {
                  expect(1);
                  throw boom;
                })
            .onFinally(() -> expect(2))
            .build();
    assertThatThrownBy(() -> run(c)).isSameAs(boom);
    finish(3);
  }

  @Test
  void coroutine_runsAtMostOnce() {
    Coroutine<Object> c = Co.seq(v -> 1);
    run(Co.awaiting(c));
    assertThatThrownBy(() -> loop.createTask(c)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> run(Co.awaiting(c))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void returningAnotherCoroutine_completesWithItsResult() {
    // `return other();` becomes a tail await of other
    Object r = runSteps(v -> Co.await(Co.seq(x -> Co.await(Coroutines.sleep(0)), x -> "tail")));
    assertThat(r).isEqualTo("tail");
    assertThat((Object) run(Co.awaiting(Coroutines.done("d")))).isEqualTo("d");
  }

  @Test
  void sleepZero_yieldsToLoopOnce() {
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v -> {
                  expect(1);
                  return Co.await(Coroutines.sleep(0));
                },
                v -> {
                  expect(3);
                  return null;
                }));
    loop.callSoon(() -> expect(2)); // queued behind the task: runs while it yields
    loop.runUntilComplete(t);
    finish(4);
  }

  @Test
  void awaitCompletionStage_completedByOtherThread_resumesOnLoopThread() throws Exception {
    CompletableFuture<String> cf = new CompletableFuture<>();
    Thread completer = new Thread(() -> cf.complete("from thread"));
    Thread loopThread = Thread.currentThread();
    Object r =
        runSteps(
            v -> {
              completer.start();
              return Co.await(cf);
            },
            v -> {
              assertThat(Thread.currentThread()).isSameAs(loopThread);
              return v;
            });
    assertThat(r).isEqualTo("from thread");
    completer.join();
  }

  /**
   * A stage completed while its loop is stopped, then the loop closed: the runtime's resume of the
   * awaiting task goes with the loop, and is not reported as a callback of the user's that close()
   * dropped (it was, by the name of a lambda of AsyncFrame).
   */
  @Test
  void awaitCompletionStage_completedWhileTheLoopIsStopped_thenClosed_reportsNoUserCallback() {
    CompletableFuture<String> cf = new CompletableFuture<>();
    Task<Object> t = loop.createTask(Co.awaiting(cf));
    loop.stop();
    loop.runForever(); // the task now waits for cf
    cf.complete("too late");
    loop.close();
    assertThat(t.isDone()).isFalse();
    assertThat(loopErrors).isEmpty();
  }

  /** asyncio's sleep(delay, result): the result after the delay; a cancel ends it as a sleep. */
  @Test
  void sleepWithAResult_completesWithItAfterTheDelay_andIsCancelledAsASleep() {
    long start = System.nanoTime();
    assertThat((Object) run(Co.awaiting(Coroutines.sleep(20, "woke")))).isEqualTo("woke");
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000L);
    assertThat((Object) run(Co.awaiting(Coroutines.sleep(java.time.Duration.ZERO, 7))))
        .isEqualTo(7);
    Task<Object> t = loop.createTask(Co.awaiting(Coroutines.sleep(3_600_000, "never")));
    loop.callSoon(t::cancel);
    assertThatThrownBy(() -> loop.runUntilComplete(t))
        .isInstanceOf(java.util.concurrent.CancellationException.class);
  }

  @Test
  void awaitCompletionStage_failure_isUnwrapped() {
    IOException io = new IOException();
    CompletableFuture<String> cf = CompletableFuture.failedFuture(io);
    assertThatThrownBy(() -> run(Co.awaiting(cf))).isSameAs(io);
    CompletableFuture<String> later = new CompletableFuture<>();
    loop.callLater(0.001, () -> new Thread(() -> later.completeExceptionally(io)).start());
    assertThatThrownBy(() -> run(Co.awaiting(later))).isSameAs(io);
  }

  @Test
  void awaitCompletionStage_keepsTheUsersOwnExecutionException() {
    // only the JDK's CompletionException wrapper is taken off (as join() and get() do); an
    // ExecutionException a stage failed with is the user's failure, thrown as it is (found from
    // outside: its cause came out instead)
    java.util.concurrent.ExecutionException own =
        new java.util.concurrent.ExecutionException("mine", new IOException("io"));
    assertThatThrownBy(() -> run(Co.awaiting(CompletableFuture.failedFuture(own)))).isSameAs(own);
    CompletableFuture<String> later = new CompletableFuture<>();
    loop.callLater(0.001, () -> new Thread(() -> later.completeExceptionally(own)).start());
    assertThatThrownBy(() -> run(Co.awaiting(later))).isSameAs(own);
    IOException io = new IOException();
    CompletableFuture<String> wrapped =
        CompletableFuture.failedFuture(new java.util.concurrent.CompletionException(io));
    assertThatThrownBy(() -> run(Co.awaiting(wrapped))).isSameAs(io);
  }

  @Test
  void awaitMinimalCompletionStages_likeAnyStage() {
    // the JDK's minimal stages are CompletableFutures whose isDone() and cancel() throw
    assertThat((Object) run(Co.awaiting(CompletableFuture.completedStage(7)))).isEqualTo(7);
    CompletableFuture<Integer> later = new CompletableFuture<>();
    loop.callLater(0.001, () -> new Thread(() -> later.complete(8)).start());
    assertThat((Object) run(Co.awaiting(later.minimalCompletionStage()))).isEqualTo(8);
    IOException io = new IOException();
    assertThatThrownBy(() -> run(Co.awaiting(CompletableFuture.failedStage(io)))).isSameAs(io);
    CompletableFuture<Integer> never = new CompletableFuture<>();
    Task<Object> t = loop.createTask(Co.awaiting(never.minimalCompletionStage()));
    loop.callLater(0.001, t::cancel);
    assertThatThrownBy(() -> loop.runUntilComplete(t)).isInstanceOf(CancellationException.class);
  }

  @Test
  void awaitNotInstrumented_throwsNamingTheMethod() {
    assertThatThrownBy(() -> Coroutines.await(Coroutines.done()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AwaitTest")
        .hasMessageContaining("instrument");
  }

  @Test
  void awaitThroughReflectionOrMethodHandle_saysSo() throws Exception {
    java.lang.reflect.Method m = Coroutines.class.getMethod("await", Awaitable.class);
    assertThatThrownBy(() -> m.invoke(null, Coroutines.done()))
        .isInstanceOf(java.lang.reflect.InvocationTargetException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "through reflection or a method handle from " + AwaitTest.class.getName())
        .hasMessageContaining("call it directly");
    java.lang.invoke.MethodHandle h =
        java.lang.invoke.MethodHandles.lookup()
            .findStatic(
                Coroutines.class,
                "await",
                java.lang.invoke.MethodType.methodType(Object.class, Awaitable.class));
    assertThatThrownBy(() -> h.invoke(Coroutines.done()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "through reflection or a method handle from " + AwaitTest.class.getName());
  }
}
