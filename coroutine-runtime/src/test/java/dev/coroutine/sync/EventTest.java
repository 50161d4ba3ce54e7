package dev.coroutine.sync;

import static dev.coroutine.Coroutines.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Co;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Task;
import dev.coroutine.TestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Event: set wakes all waiters; a set event does not block. */
class EventTest extends TestBase {

  @Test
  void set_wakesAllWaiters_inOrder() {
    Event e = new Event();
    runSteps(
        v -> {
          Coroutines.createTask(
              Co.seq(
                  x -> Co.await(e.await()),
                  x -> {
                    expect(2);
                    return null;
                  }));
          Coroutines.createTask(
              Co.seq(
                  x -> Co.await(e.await()),
                  x -> {
                    expect(3);
                    return null;
                  }));
          return Co.await(sleep(1));
        },
        v -> {
          expect(1);
          e.set();
          return Co.await(sleep(1));
        });
    finish(4);
  }

  @Test
  void await_checksTheFlagWhenAwaited_notWhenCalled() {
    Event e = new Event();
    e.set();
    Coroutine<Void> early = e.await(); // the flag is set now, but nothing is checked yet
    e.clear();
    assertThat(e.isSet()).isFalse();
    List<String> log = new ArrayList<>();
    runSteps(
        v -> {
          Task<Object> waiter =
              Coroutines.createTask(Co.seq(x -> Co.await(early), x -> log.add("woken")));
          return Co.await(
              Co.seq(
                  x -> Co.await(sleep(0)),
                  x -> {
                    log.add("still waiting: " + !waiter.isDone());
                    e.set();
                    return Co.await(waiter);
                  }));
        });
    assertThat(log).containsExactly("still waiting: true", "woken");
    assertThat((Object) run(Co.awaiting(e.await()))).isNull(); // set: finishes at the await
  }

  @Test
  void cancelledWaiter_isRemoved_othersStillWoken() {
    Event e = new Event();
    Object r =
        runSteps(
            v -> {
              Task<Object> cancelled = Coroutines.createTask(Co.seq(x -> Co.await(e.await())));
              Task<Object> other =
                  Coroutines.createTask(Co.seq(x -> Co.await(e.await()), x -> "woken"));
              return Co.await(
                  Co.seq(
                      x -> Co.await(sleep(0)),
                      x -> {
                        cancelled.cancel();
                        e.set();
                        return Co.await(other);
                      }));
            });
    assertThat(r).isEqualTo("woken");
  }
}
