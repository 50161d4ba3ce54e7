package dev.coroutine;

import static dev.coroutine.GatherTest.after;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The timeout scope and waitFor. */
class TimeoutTest extends TestBase {

  @Test
  void timeout_expires_bodyFinallyRuns_thenTimeoutException() {
    Coroutine<Object> body =
        Co.steps(v -> Co.await(Coroutines.sleep(3_600_000))).onFinally(() -> expect(1)).build();
    assertThatThrownBy(
            () -> runSteps(v -> Co.await(Coroutines.timeout(Duration.ofMillis(10), body))))
        .isInstanceOf(TimeoutException.class)
        .hasCauseInstanceOf(CancellationException.class);
    finish(2);
  }

  /**
   * A timeout body made from its scope may call factories that declare checked exceptions (it is a
   * {@link Timeout.Body}, not a {@code Function}); one that throws fails the scope with it.
   */
  @Test
  void timeoutBody_mayThrowWhatMakingTheWorkThrows() {
    assertThat(
            (Object)
                runSteps(
                    v ->
                        Co.await(
                            Coroutines.timeout(
                                Duration.ofSeconds(5),
                                scope -> TaskGroupTest.opening("a", false)))))
        .isEqualTo("a");
    assertThatThrownBy(
            () ->
                runSteps(
                    v ->
                        Co.await(
                            Coroutines.timeoutAt(
                                loop.time() + 5, scope -> TaskGroupTest.opening("b", true)))))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("cannot open b");
  }

  @Test
  void timeout_bodyRunsInline_inCurrentTask() {
    Object r =
        runSteps(
            v -> {
              Task<?> outer = Coroutines.currentTask();
              return Co.await(
                  Coroutines.timeout(
                      Duration.ofSeconds(60),
                      Co.seq(
                          x -> Co.await(Coroutines.sleep(1)),
                          x -> Coroutines.currentTask() == outer)));
            });
    assertThat(r).isEqualTo(true);
  }

  @Test
  void timeout_notExpired_returnsValue_andLeavesNoCancellation() {
    Object r =
        runSteps(
            v -> Co.await(Coroutines.timeout(Duration.ofSeconds(60), after(1, "v"))),
            v -> {
              assertThat(Coroutines.currentTask().cancelling()).isZero();
              return Co.await(Coroutines.sleep(1)); // not cancelled later either
            },
            v -> "after");
    assertThat(r).isEqualTo("after");
  }

  @Test
  void timeout_outerCancellation_isNotTurnedIntoTimeout() {
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v ->
                    Co.await(
                        Coroutines.timeout(
                            Duration.ofMillis(20),
                            Co.seq(x -> Co.await(Coroutines.sleep(3_600_000)))))));
    runSteps(
        v -> Co.await(Coroutines.sleep(1)),
        v -> {
          t.cancel(); // from outside, before the deadline
          return null;
        });
    assertThatThrownBy(() -> loop.runUntilComplete(t)).isInstanceOf(CancellationException.class);
  }

  @Test
  void timeout_outerCancellationAfterExpiry_stillPropagatesCancellation() {
    // the deadline and an outside cancel both hit: cancelling() stays above the entry count
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v ->
                    Co.await(
                        Coroutines.timeout(
                            Duration.ZERO, Co.seq(x -> Co.await(Coroutines.sleep(3_600_000)))))));
    loop.callSoon(() -> loop.callSoon(t::cancel));
    assertThatThrownBy(() -> loop.runUntilComplete(t)).isInstanceOf(CancellationException.class);
  }

  @Test
  void timeout_reschedule_movesDeadline() {
    Object r =
        runSteps(
            v ->
                Co.await(
                    Coroutines.<Object>timeout(
                        Duration.ofMillis(1),
                        to -> {
                          to.reschedule(null); // no deadline any more
                          assertThat(to.when()).isNaN();
                          return Co.seq(x -> Co.await(Coroutines.sleep(20)), x -> to.expired());
                        })));
    assertThat(r).isEqualTo(false);
  }

  @Test
  void timeout_bodyCatchingCancellation_returnsNormally() {
    Object r =
        runSteps(
            v ->
                Co.await(
                    Coroutines.timeout(
                        Duration.ofMillis(5),
                        Co.steps(x -> Co.await(Coroutines.sleep(3_600_000)))
                            .onError(e -> "swallowed")
                            .build())));
    assertThat(r).isEqualTo("swallowed");
  }

  @Test
  void waitFor_timesOut_cancelsInner_andThrowsTimeout() {
    Task<Object> inner =
        loop.createTask(
            Co.steps(v -> Co.await(Coroutines.sleep(3_600_000)))
                .onFinally(() -> expect(1))
                .build());
    assertThatThrownBy(
            () -> runSteps(v -> Co.await(Coroutines.waitFor(inner, Duration.ofMillis(10)))))
        .isInstanceOf(TimeoutException.class);
    assertThat(inner.isCancelled()).isTrue();
    finish(2);
  }

  @Test
  void waitFor_inTime_returnsResult() {
    Object r =
        runSteps(v -> Co.await(Coroutines.waitFor(after(1, "in time"), Duration.ofSeconds(60))));
    assertThat(r).isEqualTo("in time");
  }

  @Test
  void waitFor_cancellingWaiter_cancelsInner() throws Exception {
    Task<Object> inner = loop.createTask(after(3_600_000, "x"));
    Task<Object> waiter =
        loop.createTask(Co.awaiting(Coroutines.waitFor(inner, Duration.ofSeconds(60))));
    runSteps(
        v -> Co.await(Coroutines.sleep(1)),
        v -> {
          waiter.cancel();
          return Co.await(Coroutines.sleep(1));
        });
    assertThat(waiter.isCancelled()).isTrue();
    assertThat(inner.isCancelled()).isTrue();
  }

  @Test
  void waitFor_timeoutTooLongToRepresent_neverExpires() {
    // the delay goes through Deadlines like every delay: past ~292 years it saturates to never
    Object r =
        Coroutines.runWithVirtualTime(
            Co.seq(
                v ->
                    Co.await(
                        Coroutines.waitFor(
                            Co.seq(
                                x -> Co.await(Coroutines.sleep(Duration.ofDays(365))), x -> "late"),
                            Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)))));
    assertThat(r).isEqualTo("late");
  }
}
