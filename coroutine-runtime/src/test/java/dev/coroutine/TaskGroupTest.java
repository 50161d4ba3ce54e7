package dev.coroutine;

import static dev.coroutine.GatherTest.after;
import static dev.coroutine.GatherTest.failAfter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** TaskGroup: asyncio 3.11 structured concurrency. */
class TaskGroupTest extends TestBase {

  @Test
  void allSucceed_groupWaitsForEveryTask_andReturnsBodyResult() {
    List<Task<Object>> tasks = new ArrayList<>();
    Object r =
        runSteps(
            v ->
                Co.await(
                    TaskGroup.run(
                        tg -> {
                          tasks.add(tg.createTask(after(10, "a")));
                          tasks.add(tg.createTask(after(1, "b")));
                          return Coroutines.done("body");
                        })));
    assertThat(r).isEqualTo("body");
    assertThat(tasks).allMatch(Future::isDone);
    assertThat(tasks.get(0).result()).isEqualTo("a");
  }

  /** A coroutine factory declaring a checked exception, as an {@code @Async} method doing I/O. */
  static Coroutine<Object> opening(String name, boolean fails) throws java.io.IOException {
    if (fails) {
      throw new java.io.IOException("cannot open " + name);
    }
    return after(1, name);
  }

  /**
   * The body may call coroutine factories that declare checked exceptions (it is a {@link
   * TaskGroup.Body}, not a {@code Function}: README's idiom did not compile as soon as a task did
   * I/O); one that throws fails the body, so the group ends with it, as asyncio's does.
   */
  @Test
  void bodyCallingFactoriesThatDeclareCheckedExceptions_compiles_andAThrowFailsTheGroup() {
    Object ok =
        runSteps(
            v ->
                Co.await(
                    TaskGroup.run(
                        tg -> {
                          tg.createTask(opening("a", false));
                          return Coroutines.done("body");
                        })));
    assertThat(ok).isEqualTo("body");
    Throwable caught =
        (Throwable)
            run(
                Co.steps(
                        v ->
                            Co.await(
                                TaskGroup.run(
                                    tg -> {
                                      tg.createTask(opening("b", false));
                                      tg.createTask(opening("c", true));
                                      return Coroutines.done("never");
                                    })))
                    .onError(e -> e)
                    .build());
    assertThat(caught).isInstanceOf(TaskGroupException.class);
    assertThat(((TaskGroupException) caught).getExceptions())
        .singleElement()
        .satisfies(e -> assertThat(e).hasMessage("cannot open c"));
  }

  @Test
  void firstFailure_cancelsSiblingsAndBody_andIsRethrownInGroup() {
    IllegalStateException boom = new IllegalStateException("boom");
    Task<?>[] sibling = new Task<?>[1];
    Throwable caught =
        (Throwable)
            run(
                Co.steps(
                        v ->
                            Co.await(
                                TaskGroup.run(
                                    tg -> {
                                      tg.createTask(failAfter(5, boom));
                                      sibling[0] =
                                          tg.createTask(
                                              Co.steps(x -> Co.await(Coroutines.sleep(3_600_000)))
                                                  .onFinally(() -> expect(1))
                                                  .build());
                                      return Co.steps(x -> Co.await(Coroutines.sleep(3_600_000)))
                                          .onError(
                                              e -> {
                                                assertThat((Object) e)
                                                    .isInstanceOf(CancellationException.class);
                                                expect(2);
                                                throw e;
                                              })
                                          .build();
                                    })))
                    .onError(e -> e)
                    .build());
    finish(3);
    assertThat(caught).isInstanceOf(TaskGroupException.class);
    assertThat(((TaskGroupException) caught).getExceptions()).containsExactly(boom);
    assertThat(sibling[0].isCancelled()).isTrue();
    assertThatThrownBy(Coroutines::currentTask) // no loop runs: asyncio raises RuntimeError
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no running event loop");
  }

  @Test
  void severalFailures_areAllCollected() {
    IllegalStateException a = new IllegalStateException("a");
    IllegalArgumentException b = new IllegalArgumentException("b");
    Object caught =
        run(
            Co.steps(
                    v ->
                        Co.await(
                            TaskGroup.run(
                                tg -> {
                                  // both fail in the same pass: the second is not cancelled in time
                                  tg.createTask(failAfter(5, a));
                                  tg.createTask(failAfter(5, b));
                                  return Coroutines.done();
                                })))
                .onError(e -> e)
                .build());
    assertThat(((TaskGroupException) caught).getExceptions()).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void bodyFailure_cancelsTasks_andJoinsTheGroupException() {
    IllegalStateException body = new IllegalStateException("body");
    Task<?>[] child = new Task<?>[1];
    Object caught =
        run(
            Co.steps(
                    v ->
                        Co.await(
                            TaskGroup.run(
                                tg -> {
                                  child[0] = tg.createTask(after(3_600_000, "never"));
                                  return Co.seq(
                                      x -> Co.await(Coroutines.sleep(1)),
                                      x -> {
                                        throw body;
                                      });
                                })))
                .onError(e -> e)
                .build());
    assertThat(((TaskGroupException) caught).getExceptions()).containsExactly(body);
    assertThat(child[0].isCancelled()).isTrue();
  }

  @Test
  void externalCancellation_cancelsAllTasks_andPropagates() {
    List<String> log = new ArrayList<>();
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v ->
                    Co.await(
                        TaskGroup.run(
                            tg -> {
                              tg.createTask(
                                  Co.steps(x -> Co.await(Coroutines.sleep(3_600_000)))
                                      .onFinally(() -> log.add("child cleaned up"))
                                      .build());
                              return Co.seq(x -> Co.await(Coroutines.sleep(3_600_000)));
                            }))));
    runSteps(
        v -> Co.await(Coroutines.sleep(1)),
        v -> {
          t.cancel();
          return null;
        });
    assertThatThrownBy(() -> loop.runUntilComplete(t)).isInstanceOf(CancellationException.class);
    assertThat(log).containsExactly("child cleaned up");
  }

  @Test
  void externalCancellation_whileWaitingForTasks_propagates() {
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v ->
                    Co.await(
                        TaskGroup.run(
                            tg -> {
                              tg.createTask(after(3_600_000, "x"));
                              return Coroutines
                                  .done(); // body ends at once: the group waits in its exit
                            }))));
    runSteps(
        v -> Co.await(Coroutines.sleep(1)),
        v -> {
          t.cancel();
          return null;
        });
    assertThatThrownBy(() -> loop.runUntilComplete(t)).isInstanceOf(CancellationException.class);
    assertThat(t.cancelling()).isEqualTo(1);
  }

  @Test
  void cancelledChild_isNotAFailure() {
    Object r =
        runSteps(
            v ->
                Co.await(
                    TaskGroup.run(
                        tg -> {
                          Task<Object> c = tg.createTask(after(3_600_000, "x"));
                          c.cancel();
                          return Coroutines.done("fine");
                        })));
    assertThat(r).isEqualTo("fine");
  }

  @Test
  void groupFailure_withdrawsItsOwnCancellation_taskCanContinue() {
    Object r =
        run(
            Co.steps(
                    v ->
                        Co.await(
                            TaskGroup.run(
                                tg -> {
                                  tg.createTask(failAfter(1, new IllegalStateException()));
                                  return Co.seq(x -> Co.await(Coroutines.sleep(3_600_000)));
                                })))
                .onError(
                    e -> {
                      assertThat(Coroutines.currentTask().cancelling()).isZero();
                      return Co.await(Co.seq(x -> Co.await(Coroutines.sleep(1)), x -> "continued"));
                    })
                .build());
    assertThat(r).isEqualTo("continued");
  }

  @Test
  void createTask_afterGroupFinished_isRefused() {
    TaskGroup[] kept = new TaskGroup[1];
    runSteps(
        v ->
            Co.await(
                TaskGroup.run(
                    tg -> {
                      kept[0] = tg;
                      return Coroutines.done();
                    })));
    assertThatThrownBy(() -> kept[0].createTask(Coroutines.done()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void eagerTaskFailingAtOnce_isCounted() {
    loop.setEagerTasks(true);
    IllegalStateException boom = new IllegalStateException();
    Object caught =
        run(
            Co.steps(
                    v ->
                        Co.await(
                            TaskGroup.run(
                                tg -> {
                                  tg.createTask(
                                      Co.seq(
                                          x -> {
                                            throw boom;
                                          }));
                                  return Coroutines.done();
                                })))
                .onError(e -> e)
                .build());
    assertThat(((TaskGroupException) caught).getExceptions()).containsExactly(boom);
  }
}
