package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Coroutines.run: asyncio.run's contract. */
class RunTest {

  @Test
  void run_returnsResult() {
    Object r = Coroutines.run(Co.seq(v -> Co.await(Coroutines.sleep(1)), v -> "result"));
    assertThat(r).isEqualTo("result");
  }

  @Test
  void run_rethrowsFailureUnchanged() {
    IOException io = new IOException();
    assertThatThrownBy(
            () ->
                Coroutines.run(
                    Co.seq(
                        v -> {
                          throw io;
                        })))
        .isSameAs(io);
  }

  @Test
  void run_cancelsLeftoverTasks_andRunsTheirFinally() {
    List<String> log = new ArrayList<>();
    EventLoop[] seen = new EventLoop[1];
    Coroutines.run(
        Co.seq(
            v -> {
              seen[0] = Coroutines.getRunningLoop();
              Coroutines.createTask(
                  Co.steps(x -> Co.await(Coroutines.sleep(3_600_000)))
                      .onFinally(() -> log.add("leftover cleaned up"))
                      .build());
              return Co.await(Coroutines.sleep(0));
            }));
    assertThat(log).containsExactly("leftover cleaned up");
    assertThat(seen[0].isClosed()).isTrue();
    assertThat(seen[0].pendingTasks()).isEmpty();
  }

  @Test
  void run_insideRunningLoop_isRefused() {
    assertThatThrownBy(() -> Coroutines.run(Co.seq(v -> Coroutines.run(Coroutines.done()))))
        .isInstanceOf(IllegalStateException.class);
  }
}
