package dev.coroutine;

import static dev.coroutine.GatherTest.after;
import static dev.coroutine.GatherTest.failAfter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Coroutines.wait in every mode, with and without timeout. */
class WaitTest extends TestBase {

  @SuppressWarnings("unchecked")
  private WaitResult<Object> waitOn(List<Future<Object>> fs, ReturnWhen when, Duration timeout) {
    return (WaitResult<Object>) runSteps(v -> Co.await(Coroutines.wait(fs, when, timeout)));
  }

  @Test
  void allCompleted_waitsForAll_includingFailures() {
    Task<Object> a = loop.createTask(after(5, "a"));
    Task<Object> b = loop.createTask(failAfter(1, new IllegalStateException()));
    WaitResult<Object> r = waitOn(List.of(a, b), ReturnWhen.ALL_COMPLETED, null);
    assertThat(r.done()).containsExactly(a, b);
    assertThat(r.pending()).isEmpty();
    assertThat(b.exception()).isInstanceOf(IllegalStateException.class); // wait never throws it
  }

  @Test
  void firstCompleted_returnsAtFirst_othersPendingAndNotCancelled() {
    Task<Object> slow = loop.createTask(after(3_600_000, "slow"));
    Task<Object> fast = loop.createTask(after(1, "fast"));
    WaitResult<Object> r = waitOn(List.of(slow, fast), ReturnWhen.FIRST_COMPLETED, null);
    assertThat(r.done()).containsExactly(fast);
    assertThat(r.pending()).containsExactly(slow);
    assertThat(slow.isCancelled()).isFalse();
    slow.cancel();
  }

  @Test
  void firstException_returnsAtFirstFailure() {
    Task<Object> ok = loop.createTask(after(1, "ok"));
    Task<Object> bad = loop.createTask(failAfter(10, new IllegalStateException()));
    Task<Object> slow = loop.createTask(after(3_600_000, "slow"));
    WaitResult<Object> r = waitOn(List.of(ok, bad, slow), ReturnWhen.FIRST_EXCEPTION, null);
    assertThat(r.done()).containsExactly(ok, bad);
    assertThat(r.pending()).containsExactly(slow);
    assertThat(bad.exception()).isInstanceOf(IllegalStateException.class); // else reported
    slow.cancel();
  }

  @Test
  void firstException_withoutFailures_actsAsAllCompleted() {
    Task<Object> a = loop.createTask(after(1, "a"));
    Task<Object> b = loop.createTask(after(5, "b"));
    WaitResult<Object> r = waitOn(List.of(a, b), ReturnWhen.FIRST_EXCEPTION, null);
    assertThat(r.done()).containsExactly(a, b);
  }

  @Test
  void timeout_returnsWhatIsDone_withoutCancellingTheRest() {
    Task<Object> fast = loop.createTask(after(1, "fast"));
    Task<Object> never = loop.createTask(after(3_600_000, "never"));
    // a generous timeout: "fast" must finish first even when a loaded machine stalls the loop
    WaitResult<Object> r =
        waitOn(List.of(fast, never), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(1_000));
    assertThat(r.done()).containsExactly(fast);
    assertThat(r.pending()).containsExactly(never);
    assertThat(never.isCancelled()).isFalse();
    never.cancel();
  }

  @Test
  void alreadyDone_returnsWithoutSuspending() {
    Future<Object> done = loop.createFuture();
    done.setResult(1);
    Future<Object> pending = loop.createFuture();
    WaitResult<Object> r = waitOn(List.of(done, pending), ReturnWhen.FIRST_COMPLETED, null);
    assertThat(r.done()).containsExactly(done);
    assertThat(r.pending()).containsExactly(pending);
    assertThat(pending.callbacks).isNull(); // wait registered nothing it left behind
  }

  @Test
  void cancelledWaiter_removesItsCallbacks() {
    Future<Object> pending = loop.createFuture();
    Task<Object> waiter =
        loop.createTask(
            Co.awaiting(Coroutines.wait(List.of(pending), ReturnWhen.ALL_COMPLETED, null)));
    runSteps(
        v -> Co.await(Coroutines.sleep(1)),
        v -> {
          waiter.cancel();
          return Co.await(Coroutines.sleep(1));
        });
    assertThat(waiter.isCancelled()).isTrue();
    assertThat(pending.callbacks).isNull();
  }

  @Test
  void emptyCollection_isRefused() {
    assertThatThrownBy(() -> Coroutines.wait(List.of(), ReturnWhen.ALL_COMPLETED, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
