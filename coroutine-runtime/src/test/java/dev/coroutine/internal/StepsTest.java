package dev.coroutine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.Awaitable;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one convention for hand-written bodies: what {@code step} sees, in order. */
class StepsTest {
  private final EventLoop loop = new EventLoop();

  @AfterEach
  void close() {
    loop.close();
  }

  /** Awaits each awaitable in turn, records each outcome it is given, returns the record. */
  private static final class Recorder extends Steps<List<String>> {
    private final Awaitable<?>[] awaits;
    private final List<String> seen = new ArrayList<>();
    private int i;

    Recorder(Awaitable<?>... awaits) {
      this.awaits = awaits;
    }

    @Override
    protected Object step(Object value, Throwable failure) throws Throwable {
      seen.add(failure != null ? failure.getClass().getSimpleName() : String.valueOf(value));
      return i < awaits.length ? await(awaits[i++]) : seen;
    }
  }

  @Test
  void doneAwaitables_areSteppedThroughInline_withoutSuspending() {
    Future<String> ok = loop.createFuture();
    ok.setResult("a");
    Future<String> failed = loop.createFuture();
    failed.setException(new IllegalStateException());
    Recorder r = new Recorder(ok, failed);

    Task<List<String>> t = loop.createTask(r.coroutine());
    loop.runUntilComplete(t);

    assertThat(t.result()).containsExactly("null", "a", "IllegalStateException");
  }

  @Test
  void pendingAwaitable_suspends_thenStepsWithItsValue() {
    Future<String> later = loop.createFuture();
    Task<List<String>> t = loop.createTask(new Recorder(later).coroutine());
    loop.callSoon(() -> later.setResult("b"));

    loop.runUntilComplete(t);

    assertThat(t.result()).containsExactly("null", "b");
  }

  @Test
  void cancellationWhileSuspended_isTheFailureTheNextStepSees() {
    Future<String> never = loop.createFuture();
    Recorder r = new Recorder(never);
    Task<List<String>> t = loop.createTask(r.coroutine());
    loop.callSoon(t::cancel);

    loop.runUntilComplete(t);

    assertThat(r.seen).containsExactly("null", "CancellationException");
    assertThat(t.result()).isSameAs(r.seen); // the step chose to swallow it and return
  }

  @Test
  void failureThrownByStep_failsTheCoroutine() {
    Steps<Void> s =
        new Steps<>() {
          @Override
          protected Object step(Object value, Throwable failure) {
            throw new IllegalArgumentException("from the step");
          }
        };
    Task<Void> t = loop.createTask(s.coroutine());

    assertThatThrownBy(() -> loop.runUntilComplete(t))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("from the step");
  }
}
