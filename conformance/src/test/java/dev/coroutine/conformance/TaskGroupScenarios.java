package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.currentTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.timeout;
import static dev.coroutine.Coroutines.waitFor;
import static dev.coroutine.conformance.Trace.chain;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.TaskGroup;
import dev.coroutine.TaskGroupException;
import dev.coroutine.sync.Event;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Twins of src/test/python/task_group.py: TaskGroup's error and cancellation combinations. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class TaskGroupScenarios {
  private TaskGroupScenarios() {}

  static final class Boom extends RuntimeException {
    Boom() {
      super("boom");
    }
  }

  static final class Bang extends RuntimeException {
    Bang() {
      super("bang");
    }
  }

  @Async
  static Coroutine<Object> sleeper(String name, long millis, Object result) {
    try {
      await(sleep(millis));
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    }
    log(name, "done");
    return done(result);
  }

  @Async
  static Coroutine<Void> failer(String name, long millis, Supplier<RuntimeException> error) {
    await(sleep(millis));
    log(name, "fails");
    throw error.get();
  }

  @Scenario("children_complete_body_waits")
  @Async
  static Coroutine<Void> childrenComplete() {
    Task<?>[] t = new Task<?>[2];
    await(
        TaskGroup.run(
            tg -> {
              t[0] = tg.createTask(sleeper("a", 4, 1));
              t[1] = tg.createTask(sleeper("b", 2, 2));
              log("body ends");
              return done();
            }));
    log("group exits", state(t[0]), state(t[1]));
    return done();
  }

  @Scenario("empty_group")
  @Async
  static Coroutine<Void> emptyGroup() {
    await(
        TaskGroup.run(
            tg -> {
              log("body");
              return done();
            }));
    log("after", currentTask().cancelling());
    return done();
  }

  @Scenario("child_fails_cancels_sleeping_siblings")
  @Async
  static Coroutine<Void> childFailsCancelsSiblings() {
    Task<?>[] t = new Task<?>[3];
    try {
      await(
          TaskGroup.run(
              tg -> {
                t[0] = tg.createTask(failer("a", 2, ArithmeticException::new));
                t[1] = tg.createTask(sleeper("b", 1000, null));
                t[2] = tg.createTask(sleep(1000));
                log("body ends");
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg, eg.getExceptions());
    }
    log(state(t[0]), state(t[1]), state(t[2]));
    log("cancelling", currentTask().cancelling());
    return done();
  }

  @Scenario("child_fails_cancels_body")
  @Async
  static Coroutine<Void> childFailsCancelsBody() {
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(failer("a", 2, Boom::new));
                try {
                  await(sleep(1000));
                } catch (CancellationException e) {
                  log("body cancelled");
                  throw e;
                }
                log("body not cancelled");
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log("cancelling", currentTask().cancelling());
    return done();
  }

  @Scenario("body_swallows_cancel_of_failure")
  @Async
  static Coroutine<Void> bodySwallowsCancel() {
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(failer("a", 2, Boom::new));
                try {
                  await(sleep(1000));
                } catch (CancellationException e) {
                  log("body swallows the cancellation");
                }
                log("body ends");
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log("cancelling", currentTask().cancelling());
    await(sleep(0));
    log("not cancelled again");
    return done();
  }

  @Async
  static Coroutine<Void> failAtGate(Event gate, String name, Supplier<RuntimeException> error) {
    await(gate.await());
    log(name, "fails");
    throw error.get();
  }

  @Scenario("two_children_fail_same_pass")
  @Async
  static Coroutine<Void> twoFailSamePass() {
    Event gate = new Event();
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(failAtGate(gate, "a", Boom::new));
                tg.createTask(failAtGate(gate, "b", Bang::new));
                tg.createTask(sleeper("c", 1000, null));
                await(sleep(0));
                gate.set(); // both wake in the same pass, before the group hears of either failure
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    return done();
  }

  @Async
  static Coroutine<Void> failsWhenCancelled() {
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("b cancelled, fails instead");
      throw new Bang();
    }
    return done();
  }

  @Scenario("children_fail_one_after_another_in_order")
  @Async
  static Coroutine<Void> failInOrder() {
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(failer("a", 2, Boom::new));
                tg.createTask(failsWhenCancelled());
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    return done();
  }

  @Async
  static Coroutine<String> stubborn() {
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("stubborn cancelled, keeps going");
    }
    await(sleep(3));
    log("stubborn finishes");
    return done("kept");
  }

  @Scenario("sibling_ignores_cancel_and_finishes")
  @Async
  static Coroutine<Void> siblingIgnoresCancel() {
    Task<?>[] s = new Task<?>[1];
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(failer("a", 2, Boom::new));
                s[0] = tg.createTask(stubborn());
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log(state(s[0]));
    return done();
  }

  @Scenario("body_raises_cancels_children")
  @Async
  static Coroutine<Void> bodyRaisesCancelsChildren() {
    Task<?>[] c = new Task<?>[1];
    try {
      await(
          TaskGroup.run(
              tg -> {
                c[0] = tg.createTask(sleeper("c", 1000, null));
                await(sleep(0));
                log("body raises");
                throw new Boom();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log(state(c[0]));
    return done();
  }

  @Scenario("body_raises_before_children_start")
  @Async
  static Coroutine<Void> bodyRaisesBeforeStart() {
    Task<?>[] c = new Task<?>[1];
    try {
      await(
          TaskGroup.<Void>run(
              tg -> {
                c[0] = tg.createTask(sleeper("c", 1000, null));
                throw new Boom();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log(state(c[0]));
    return done();
  }

  @Scenario("body_raises_after_children_done")
  @Async
  static Coroutine<Void> bodyRaisesAfterChildrenDone() {
    Task<?>[] c = new Task<?>[1];
    try {
      await(
          TaskGroup.run(
              tg -> {
                c[0] = tg.createTask(sleeper("c", 1, 5));
                await(c[0]);
                throw new Boom();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log(state(c[0]));
    return done();
  }

  @Scenario("child_fails_then_body_raises_in_handler")
  @Async
  static Coroutine<Void> bodyRaisesInHandler() {
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(failer("a", 2, Boom::new));
                try {
                  await(sleep(1000));
                } catch (CancellationException e) {
                  log("body cancelled, raises Bang");
                  throw new Bang();
                }
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log("cancelling", currentTask().cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> runnerCancelledDuringBody() {
    await(
        TaskGroup.run(
            tg -> {
              tg.createTask(sleeper("a", 1000, null));
              tg.createTask(sleep(1000));
              try {
                await(sleep(1000));
              } catch (CancellationException e) {
                log("body cancelled");
                throw e;
              }
              return done();
            }));
    return done();
  }

  @Scenario("parent_cancelled_from_outside_during_body")
  @Async
  static Coroutine<Void> parentCancelledDuringBody() {
    Task<Void> r = createTask(runnerCancelledDuringBody());
    await(sleep(2));
    r.cancel();
    try {
      await(r);
    } catch (CancellationException e) {
      log("runner raised CancelledError");
    }
    log(state(r));
    return done();
  }

  @Async
  static Coroutine<Void> runnerCancelledWhileExiting() {
    await(
        TaskGroup.run(
            tg -> {
              tg.createTask(sleeper("a", 1000, null));
              log("body ends");
              return done();
            }));
    log("never here");
    return done();
  }

  @Scenario("parent_cancelled_from_outside_while_exiting")
  @Async
  static Coroutine<Void> parentCancelledWhileExiting() {
    Task<Void> r = createTask(runnerCancelledWhileExiting());
    await(sleep(2));
    r.cancel();
    await(sleep(0));
    log("after one pass", state(r));
    try {
      await(r);
    } catch (CancellationException e) {
      log("runner raised CancelledError");
    }
    log(state(r));
    return done();
  }

  @Async
  static Coroutine<Void> failsInCleanup() {
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("child cancelled, fails");
      throw new Boom();
    }
    return done();
  }

  @Async
  static Coroutine<Void> runnerWithCleanupFailure() {
    await(
        TaskGroup.run(
            tg -> {
              tg.createTask(failsInCleanup());
              await(sleep(1000));
              return done();
            }));
    return done();
  }

  @Scenario("parent_cancelled_outside_child_fails_in_cleanup")
  @Async
  static Coroutine<Void> parentCancelledChildFailsInCleanup() {
    Task<Void> r = createTask(runnerWithCleanupFailure());
    await(sleep(2));
    r.cancel();
    try {
      await(r);
    } catch (TaskGroupException eg) {
      log("runner raised", eg.getExceptions());
    }
    log(state(r));
    return done();
  }

  @Async
  static Coroutine<Void> quietFailsInCleanup() {
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      throw new Boom();
    }
    return done();
  }

  @Async
  static Coroutine<Void> runnerSurvivingErrors() {
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(quietFailsInCleanup());
                await(sleep(1000));
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions(), currentTask().cancelling());
    }
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("the outside cancellation is delivered again");
      throw e;
    }
    return done();
  }

  @Scenario("outside_cancel_survives_group_errors")
  @Async
  static Coroutine<Void> outsideCancelSurvivesErrors() {
    Task<Void> r = createTask(runnerSurvivingErrors());
    await(sleep(2));
    r.cancel();
    try {
      await(r);
    } catch (CancellationException e) {
      log("runner cancelled");
    }
    log(state(r));
    return done();
  }

  @Async
  static Coroutine<Void> runnerSeeingMessages() {
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(quietFailsInCleanup());
                try {
                  await(sleep(1000));
                } catch (CancellationException e) {
                  log("body sees", msg(e));
                  throw e;
                }
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions(), currentTask().cancelling());
    }
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("delivered again with", msg(e));
      throw e;
    }
    return done();
  }

  @Scenario("outside_cancel_message_after_group_errors")
  @Async
  static Coroutine<Void> outsideCancelMessageAfterGroupErrors() {
    Task<Void> r = createTask(runnerSeeingMessages());
    await(sleep(2));
    r.cancel("stop");
    try {
      await(r);
    } catch (CancellationException e) {
      log("runner cancelled with", msg(e));
    }
    log(state(r));
    return done();
  }

  @Async
  static Coroutine<Void> runnerSleeping() {
    await(
        TaskGroup.run(
            tg -> {
              tg.createTask(sleeper("a", 1000, null));
              await(sleep(1000));
              return done();
            }));
    return done();
  }

  @Scenario("parent_cancelled_twice_from_outside")
  @Async
  static Coroutine<Void> parentCancelledTwice() {
    Task<Void> r = createTask(runnerSleeping());
    await(sleep(2));
    r.cancel();
    r.cancel();
    log("cancelling", r.cancelling());
    try {
      await(r);
    } catch (CancellationException e) {
      log("runner cancelled");
    }
    log(state(r), r.cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> rebel(Task<?> parent) {
    await(sleep(2));
    log("rebel cancels the parent");
    parent.cancel();
    return done();
  }

  @Scenario("child_cancels_parent")
  @Async
  static Coroutine<Void> childCancelsParent() {
    Task<?> parent = currentTask();
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(rebel(parent));
                tg.createTask(sleeper("s", 1000, null));
                try {
                  await(sleep(1000));
                } catch (CancellationException e) {
                  log("body cancelled");
                  throw e;
                }
                return done();
              }));
    } catch (CancellationException e) {
      log("group raised CancelledError", parent.cancelling());
      parent.uncancel();
    }
    log("cancelling", parent.cancelling());
    return done();
  }

  @Scenario("child_cancelled_individually_is_not_an_error")
  @Async
  static Coroutine<Void> childCancelledIndividually() {
    Task<?>[] t = new Task<?>[2];
    await(
        TaskGroup.run(
            tg -> {
              t[0] = tg.createTask(sleeper("a", 1000, null));
              t[1] = tg.createTask(sleeper("b", 2, "b"));
              await(sleep(0));
              t[0].cancel();
              return done();
            }));
    log("group ok", state(t[0]), state(t[1]));
    return done();
  }

  @Async
  static Coroutine<Void> quitter() {
    await(sleep(0));
    throw new CancellationException();
  }

  @Scenario("child_raises_cancelled_error_itself")
  @Async
  static Coroutine<Void> childRaisesCancelled() {
    Task<?>[] t = new Task<?>[2];
    await(
        TaskGroup.run(
            tg -> {
              t[0] = tg.createTask(quitter());
              t[1] = tg.createTask(sleeper("s", 2, 1));
              return done();
            }));
    log("group ok", state(t[0]), state(t[1]));
    return done();
  }

  @Async
  static Coroutine<Void> never() {
    log("never runs");
    return done();
  }

  @Scenario("create_task_after_finished")
  @Async
  static Coroutine<Void> createTaskAfterFinished() {
    TaskGroup[] g = new TaskGroup[1];
    await(
        TaskGroup.run(
            tg -> {
              g[0] = tg;
              return done();
            }));
    try {
      g[0].createTask(never());
    } catch (IllegalStateException e) {
      log("refused", e);
    }
    return done();
  }

  @Scenario("create_task_while_shutting_down")
  @Async
  static Coroutine<Void> createTaskWhileShuttingDown() {
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(failer("a", 2, Boom::new));
                try {
                  await(sleep(1000));
                } catch (CancellationException e) {
                  try {
                    tg.createTask(never());
                  } catch (IllegalStateException refused) {
                    log("refused", refused);
                  }
                  throw e;
                }
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    return done();
  }

  @Async
  static Coroutine<Void> spawner(TaskGroup tg) {
    await(sleep(2));
    log("spawner adds a task");
    tg.createTask(sleeper("late", 2, null));
    return done();
  }

  @Scenario("child_creates_sibling_while_group_exits")
  @Async
  static Coroutine<Void> childCreatesSibling() {
    await(
        TaskGroup.run(
            tg -> {
              tg.createTask(spawner(tg));
              log("body ends");
              return done();
            }));
    log("group waited for the late task");
    return done();
  }

  @Scenario("task_names_and_results")
  @Async
  static Coroutine<Void> taskNamesAndResults() {
    Task<?>[] t = new Task<?>[2];
    await(
        TaskGroup.run(
            tg -> {
              t[0] = tg.createTask(sleeper("x", 1, 10), "first");
              t[1] = tg.createTask(sleeper("y", 2, 20));
              log(t[0].getName());
              return done();
            }));
    log(t[0].result(), t[1].result(), state(t[0]));
    return done();
  }

  @Scenario("nested_inner_failure_reaches_outer")
  @Async
  static Coroutine<Void> nestedInnerFailure() {
    Task<?>[] t = new Task<?>[2];
    try {
      await(
          TaskGroup.run(
              outer -> {
                t[0] = outer.createTask(sleeper("outer child", 1000, null));
                await(
                    TaskGroup.run(
                        inner -> {
                          inner.createTask(failer("inner child", 2, Boom::new));
                          t[1] = inner.createTask(sleeper("inner sibling", 1000, null));
                          return done();
                        }));
                log("never here");
                return done();
              }));
    } catch (TaskGroupException eg) {
      log(
          "caught",
          eg,
          eg.getExceptions(),
          ((TaskGroupException) eg.getExceptions().get(0)).getExceptions());
    }
    log(state(t[0]), state(t[1]));
    return done();
  }

  @Scenario("nested_outer_failure_cancels_inner")
  @Async
  static Coroutine<Void> nestedOuterFailure() {
    Task<?>[] t = new Task<?>[1];
    try {
      await(
          TaskGroup.run(
              outer -> {
                outer.createTask(failer("outer child", 2, Boom::new));
                try {
                  await(
                      TaskGroup.run(
                          inner -> {
                            t[0] = inner.createTask(sleeper("inner child", 1000, null));
                            await(sleep(1000));
                            return done();
                          }));
                } catch (CancellationException e) {
                  log("inner group raised CancelledError");
                  throw e;
                }
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log(state(t[0]), currentTask().cancelling());
    return done();
  }

  @Scenario("nested_groups_both_cancelled_counts")
  @Async
  static Coroutine<Void> nestedBothCancelled() {
    try {
      await(
          TaskGroup.run(
              outer -> {
                try {
                  await(
                      TaskGroup.run(
                          inner -> {
                            inner.createTask(failer("inner", 0, Boom::new));
                            outer.createTask(failer("outer", 0, Bang::new));
                            return done();
                          }));
                } catch (TaskGroupException eg) {
                  log("inner caught", eg.getExceptions());
                }
                log("between", currentTask().cancelling());
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("outer caught", eg.getExceptions());
    }
    log("after", currentTask().cancelling());
    return done();
  }

  @Scenario("cancelling_level_preserved")
  @Async
  static Coroutine<Void> cancellingLevelPreserved() {
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(failer("a", 0, Boom::new));
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log("cancelling", currentTask().cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> raiseError(Event event) {
    event.set();
    await(sleep(0));
    throw new Boom();
  }

  @Async
  static Coroutine<Void> errorAndCancelInner(Event event) {
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(raiseError(event));
                await(sleep(1000));
                log("never: sleep in the group is cancelled");
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("inner caught", eg.getExceptions(), currentTask().cancelling());
    }
    log("inner after group", currentTask().cancelling());
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("sleep after the group cancelled");
      throw e;
    }
    return done();
  }

  @Scenario("error_and_outside_cancel")
  @Async
  static Coroutine<Void> errorAndOutsideCancel() {
    Event event = new Event();
    Task<Void> t = createTask(errorAndCancelInner(event));
    await(event.await());
    log("outer", t.cancelling());
    t.cancel();
    log("outer", t.cancelling());
    try {
      await(t);
    } catch (CancellationException e) {
      log("inner cancelled");
    }
    log(state(t));
    return done();
  }

  @Async
  static Coroutine<Void> hydra(TaskGroup tg, int depth, int[] count) {
    count[0]++;
    await(sleep(0));
    if (depth < 3) {
      tg.createTask(hydra(tg, depth + 1, count));
      tg.createTask(hydra(tg, depth + 1, count));
    }
    return done();
  }

  @Scenario("group_waits_for_hydras")
  @Async
  static Coroutine<Void> hydras() {
    int[] count = new int[1];
    await(
        TaskGroup.run(
            tg -> {
              tg.createTask(hydra(tg, 0, count));
              return done();
            }));
    log("hydras", count[0]);
    return done();
  }

  @Scenario("failure_after_body_while_exit_waits")
  @Async
  static Coroutine<Void> failureWhileExitWaits() {
    Task<?>[] s = new Task<?>[1];
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(failer("a", 2, Boom::new));
                s[0] = tg.createTask(sleeper("s", 1000, null));
                log("body ends");
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log(state(s[0]), currentTask().cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> instant() {
    throw new Boom();
  }

  @Scenario("child_failing_without_await")
  @Async
  static Coroutine<Void> childFailingWithoutAwait() {
    Task<?>[] t = new Task<?>[2];
    try {
      await(
          TaskGroup.run(
              tg -> {
                t[0] = tg.createTask(instant());
                t[1] = tg.createTask(sleeper("s", 1000, null));
                log("body created both", state(t[0]));
                await(sleep(0));
                log("body after one pass", state(t[0]));
                await(sleep(1000));
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log(state(t[1]));
    return done();
  }

  @Async
  static Coroutine<Integer> groupRunner() {
    @SuppressWarnings("unchecked")
    Task<Object>[] t = new Task[1];
    await(
        TaskGroup.run(
            tg -> {
              t[0] = tg.createTask(sleeper("a", 1, 7));
              return done();
            }));
    return done((Integer) t[0].result() * 6);
  }

  @Scenario("group_in_task_result")
  @Async
  static Coroutine<Void> groupInTaskResult() {
    log("result", await(createTask(groupRunner())));
    return done();
  }

  @Scenario("failed_group_exception_is_not_chained")
  @Async
  static Coroutine<Void> notChained() {
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(failer("a", 0, Boom::new));
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", chain(eg), eg.getExceptions().size());
    }
    return done();
  }

  @Scenario("body_awaits_failing_child")
  @Async
  static Coroutine<Void> bodyAwaitsFailingChild() {
    try {
      await(
          TaskGroup.run(
              tg -> {
                Task<Void> t = tg.createTask(failer("a", 2, Boom::new));
                try {
                  await(t);
                } catch (Throwable e) {
                  log("body's await raised", e);
                  throw e;
                }
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log("cancelling", currentTask().cancelling());
    return done();
  }

  @Scenario("body_awaits_successful_child")
  @Async
  static Coroutine<Void> bodyAwaitsSuccessfulChild() {
    Task<?>[] u = new Task<?>[1];
    await(
        TaskGroup.run(
            tg -> {
              Task<Object> t = tg.createTask(sleeper("a", 1, 5));
              log("body got", await(t));
              u[0] = tg.createTask(sleeper("b", 1, 6));
              return done();
            }));
    log("after", state(u[0]));
    return done();
  }

  @Async
  static Coroutine<Void> namedRunner() {
    await(
        TaskGroup.run(
            tg -> {
              Task<Object> c = tg.createTask(sleeper("c", 0, null), "child");
              log(currentTask().getName(), c.getName());
              return done();
            }));
    return done();
  }

  @Scenario("named_parent_and_children")
  @Async
  static Coroutine<Void> namedParentAndChildren() {
    await(createTask(namedRunner(), "parent"));
    return done();
  }

  @Async
  static Coroutine<Integer> instant(int v) {
    log("instant runs", v);
    return done(v);
  }

  @Async
  static Coroutine<Void> instantFail() {
    log("instant_fail runs");
    throw new Boom();
  }

  @Scenario("eager_children_finish_or_fail_at_creation")
  @Async
  static Coroutine<Void> eagerChildren() {
    getRunningLoop().setEagerTasks(true);
    Task<?>[] s = new Task<?>[1];
    try {
      await(
          TaskGroup.run(
              tg -> {
                Task<Integer> t = tg.createTask(instant(1));
                log("after create", state(t));
                s[0] = tg.createTask(sleeper("s", 1000, null));
                Task<Void> f = tg.createTask(instantFail());
                log("after failing create", state(f), s[0].isDone());
                try {
                  await(sleep(1000));
                } catch (CancellationException e) {
                  log("body cancelled at its next await");
                  throw e;
                }
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log(state(s[0]), currentTask().cancelling());
    return done();
  }

  @Async
  static Coroutine<Void> groupWithSleepingBody(Task<?>[] a) {
    await(
        TaskGroup.run(
            tg -> {
              a[0] = tg.createTask(sleeper("a", 1000, null));
              await(sleep(1000));
              return done();
            }));
    return done();
  }

  @Scenario("timeout_around_group_cancels_children")
  @Async
  static Coroutine<Void> timeoutAroundGroup() {
    Task<?>[] a = new Task<?>[1];
    try {
      await(timeout(Duration.ofMillis(2), groupWithSleepingBody(a)));
    } catch (TimeoutException e) {
      log("timed out", state(a[0]), currentTask().cancelling());
    }
    return done();
  }

  @Async
  static Coroutine<Void> impatient() throws TimeoutException {
    await(timeout(Duration.ofMillis(2), sleep(1000)));
    return done();
  }

  @Scenario("timeout_inside_child_is_the_childs_error")
  @Async
  static Coroutine<Void> timeoutInsideChild() throws TimeoutException {
    Task<?>[] s = new Task<?>[1];
    Coroutine<Void> child = impatient(); // outside the lambda: it declares TimeoutException
    try {
      await(
          TaskGroup.run(
              tg -> {
                tg.createTask(child);
                s[0] = tg.createTask(sleeper("s", 1000, null));
                return done();
              }));
    } catch (TaskGroupException eg) {
      log("caught", eg.getExceptions());
    }
    log(state(s[0]));
    return done();
  }

  @Async
  static Coroutine<Void> groupOfTwo() {
    await(
        TaskGroup.run(
            tg -> {
              tg.createTask(sleeper("a", 1000, null));
              tg.createTask(sleeper("b", 1, "b"));
              return done();
            }));
    return done();
  }

  @Scenario("wait_for_around_group_body")
  @Async
  static Coroutine<Void> waitForAroundGroup() {
    try {
      await(waitFor(groupOfTwo(), Duration.ofMillis(10)));
    } catch (TimeoutException e) {
      log("wait_for timed out", currentTask().cancelling());
    }
    return done();
  }
}
