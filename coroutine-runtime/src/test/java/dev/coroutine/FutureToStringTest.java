package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** toString of futures and tasks: states, cycles through the result, long results. */
class FutureToStringTest extends TestBase {

  @Test
  void states_areNamedAsAsyncioDoes() {
    Future<Integer> f = loop.createFuture();
    assertThat(f).hasToString("Future<pending>");
    f.setResult(42);
    assertThat(f).hasToString("Future<finished result=42>");
    Future<Integer> c = loop.createFuture();
    c.cancel();
    assertThat(c).hasToString("Future<cancelled>");
  }

  @Test
  void taskReturningAListOfItself_printsDotsInsteadOfOverflowingTheStack() {
    Task<List<Object>> t =
        loop.createTask(
            Co.seq(v -> Co.await(Coroutines.sleep(0)), v -> List.of(Coroutines.currentTask())),
            "selfish");
    loop.runUntilComplete(t);
    assertThat(t).hasToString("Task<selfish finished result=[...]>");
  }

  @Test
  void futuresContainingEachOther_printEachOnce() {
    Future<List<Object>> f = loop.createFuture();
    Future<List<Object>> g = loop.createFuture();
    List<Object> inF = new ArrayList<>();
    f.setResult(inF);
    g.setResult(List.of(f));
    inF.add(g);
    assertThat(f).hasToString("Future<finished result=[Future<finished result=[...]>]>");
  }

  @Test
  void longResult_isCutInTheMiddle() {
    Future<String> f = loop.createFuture();
    f.setResult("a".repeat(5000) + "z");
    String s = f.toString();
    assertThat(s).hasSizeLessThan(120).contains("...").endsWith("z>");
  }

  @Test
  void taskCancelledBeforeItRan_isCancellingUntilThen() {
    Task<Object> t = loop.createTask(Co.seq(v -> 1), "early");
    t.cancel();
    assertThat(t).hasToString("Task<early cancelling>");
    loop.runUntilComplete(Co.seq(v -> Co.await(Coroutines.sleep(0))));
    assertThat(t).hasToString("Task<early cancelled>");
  }

  /**
   * A task cancelled while it waits (its future is cancelled at once) shows "cancelling", as
   * asyncio's repr does while cancelling() counts a request (CPython 3.11-3.13); it showed
   * "pending" (found from outside). One that catches the cancellation stays cancelling until
   * uncancel().
   */
  @Test
  void taskCancelledWhileItWaits_isCancelling_untilUncancelled() {
    Future<Object> never = loop.createFuture();
    Task<Object> t =
        loop.createTask(
            Co.steps(v -> Co.await(never))
                .onError(e -> Co.await(Coroutines.sleep(3_600_000)))
                .build(),
            "waiting");
    loop.runUntilComplete(Co.seq(v -> Co.await(Coroutines.sleep(0))));
    t.cancel();
    assertThat(t).hasToString("Task<waiting cancelling>");
    loop.runUntilComplete(Co.seq(v -> Co.await(Coroutines.sleep(0)))); // caught: sleeps on
    assertThat(t).hasToString("Task<waiting cancelling>");
    t.uncancel();
    assertThat(t).hasToString("Task<waiting pending>");
    t.cancel();
    assertThatThrownBy(() -> loop.runUntilComplete(t)).isInstanceOf(CancellationException.class);
  }
}
