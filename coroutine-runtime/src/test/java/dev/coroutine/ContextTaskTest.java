package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Context variables across tasks (asyncio's test_context / test_tasks context cases): a task runs
 * in a copy of its creator's context; what it sets stays its own, across its awaits.
 */
class ContextTaskTest extends TestBase {
  private static final ContextVar<String> VAR = new ContextVar<>("var", "unset");

  /** A coroutine that records VAR, yields, records it again, and returns the list. */
  private static Coroutine<List<String>> reader(List<String> log, String tag) {
    return Co.seq(
        v -> {
          log.add(tag + ":" + VAR.get());
          return Co.await(Coroutines.sleep(0));
        },
        v -> {
          log.add(tag + ":" + VAR.get());
          return log;
        });
  }

  @Test
  void task_seesACopyOfItsCreatorsContext_notLaterChanges() {
    List<String> log = new ArrayList<>();
    runSteps(
        v -> {
          VAR.set("parent-1");
          Task<List<String>> child = Coroutines.createTask(reader(log, "child"));
          VAR.set("parent-2"); // after the child's creation: not in its copy
          return Co.await(child);
        },
        v -> {
          log.add("parent:" + VAR.get());
          return null;
        });
    assertThat(log).containsExactly("child:parent-1", "child:parent-1", "parent:parent-2");
  }

  @Test
  void childsChange_isNotSeenByTheParent_norBySiblings() {
    List<String> log = new ArrayList<>();
    runSteps(
        v -> {
          VAR.set("parent");
          Task<Object> a =
              Coroutines.createTask(
                  Co.seq(
                      x -> {
                        VAR.set("a");
                        return Co.await(Coroutines.sleep(0));
                      },
                      x -> {
                        log.add("a:" + VAR.get()); // kept across the task's own await
                        return null;
                      }));
          Task<List<String>> b = Coroutines.createTask(reader(log, "b"));
          return Co.await(Coroutines.gather(a, b));
        },
        v -> {
          log.add("parent:" + VAR.get());
          return null;
        });
    assertThat(log).containsExactly("b:parent", "a:a", "b:parent", "parent:parent");
  }

  @Test
  void mainTask_changes_areNotSeenByTheCodeThatRanTheLoop() {
    Context outer = new Context();
    outer.run(
        () -> {
          VAR.set("caller");
          String inMain =
              run(
                  Co.seq(
                      v -> {
                        String seen = VAR.get();
                        VAR.set("main");
                        return seen;
                      }));
          assertThat(inMain).isEqualTo("caller");
          assertThat(VAR.get()).isEqualTo("caller");
        });
  }

  @Test
  void gatherChildren_andTaskGroupChildren_eachRunInACopy() {
    List<String> log = new ArrayList<>();
    runSteps(
        v -> {
          VAR.set("p");
          return Co.await(
              Coroutines.gather(
                  Co.seq(
                      x -> {
                        log.add("g1:" + VAR.get());
                        VAR.set("g1");
                        return null;
                      }),
                  Co.seq(
                      x -> {
                        log.add("g2:" + VAR.get());
                        return null;
                      })));
        },
        v ->
            Co.await(
                TaskGroup.run(
                    tg -> {
                      tg.createTask(
                          Co.seq(
                              x -> {
                                log.add("t1:" + VAR.get());
                                VAR.set("t1");
                                return null;
                              }));
                      tg.createTask(
                          Co.seq(
                              x -> {
                                log.add("t2:" + VAR.get());
                                return null;
                              }));
                      return Coroutines.done();
                    })),
        v -> {
          log.add("p:" + VAR.get());
          return null;
        });
    assertThat(log).containsExactly("g1:p", "g2:p", "t1:p", "t2:p", "p:p");
  }

  @Test
  void eagerTask_runsInlineInItsOwnCopy_andTheParentsContextIsBackAfterwards() {
    loop.setEagerTasks(true);
    List<String> log = new ArrayList<>();
    runSteps(
        v -> {
          VAR.set("parent");
          Coroutines.createTask(
              Co.seq(
                  x -> {
                    log.add("eager:" + VAR.get());
                    VAR.set("eager");
                    return null;
                  }));
          log.add("parent:" + VAR.get());
          return null;
        });
    assertThat(log).containsExactly("eager:parent", "parent:parent");
  }

  /** CPython 3.12 (eager_task_factory, create_task in a call_soon callback) logs the same. */
  @Test
  void eagerTask_startedInACallback_runsInItsOwnCopy_andTheCallbacksContextIsBackAfterwards() {
    List<String> log = new ArrayList<>();
    loop.callSoon(
        () -> {
          VAR.set("callback");
          loop.createTask(
              Co.seq(
                  x -> {
                    log.add("eager:" + VAR.get());
                    VAR.set("eager");
                    return Co.await(Coroutines.sleep(0));
                  },
                  x -> {
                    log.add("eager resumed:" + VAR.get());
                    return null;
                  }),
              null,
              true);
          log.add("callback:" + VAR.get());
        });
    loop.callLater(0.01, loop::stop);
    loop.runForever();
    assertThat(log).containsExactly("eager:callback", "callback:callback", "eager resumed:eager");
    assertThat(VAR.get()).isEqualTo("unset");
  }

  /**
   * The loop runs in the thread's context between steps: what its exception handler sets is there
   * after the loop returns (CPython 3.11: the same log, and the same value in the outer context).
   */
  @Test
  void setOutsideEveryTaskAndCallback_inTheExceptionHandler_isTheThreadsOwnAfterTheLoop() {
    Context thread = new Context();
    List<String> log = new ArrayList<>();
    thread.run(
        () -> {
          VAR.set("before");
          loop.setExceptionHandler(
              (l, context) -> {
                log.add("handler:" + VAR.get());
                VAR.set("handler"); // the loop runs in the thread's context between steps
              });
          loop.callSoon(
              () -> {
                VAR.set("callback");
                throw new IllegalStateException("boom");
              });
          String inTask =
              run(
                  Co.seq(
                      v -> {
                        VAR.set("task");
                        return Co.await(Coroutines.sleep(0));
                      },
                      v -> VAR.get()));
          log.add("task:" + inTask);
          log.add("after:" + VAR.get());
        });
    assertThat(log).containsExactly("handler:before", "task:task", "after:handler");
    assertThat(thread.get(VAR)).isEqualTo("handler");
  }

  @Test
  void contextRun_insideATask_setsInThatContext_notTheTasks() {
    Context other = new Context();
    String after =
        run(
            Co.seq(
                v -> {
                  VAR.set("task");
                  other.run(() -> VAR.set("other"));
                  return Co.await(Coroutines.sleep(0));
                },
                v -> VAR.get()));
    assertThat(after).isEqualTo("task");
    assertThat(other.get(VAR)).isEqualTo("other");
  }

  @Test
  void reset_withATokenFromAnotherTask_throwsIllegalArgument() {
    Object[] token = new Object[1];
    Throwable failure =
        run(
            Co.seq(
                v -> Co.await(Coroutines.createTask(Co.seq(x -> token[0] = VAR.set("child")))),
                v -> {
                  try {
                    @SuppressWarnings("unchecked")
                    ContextVar.Token<String> t = (ContextVar.Token<String>) token[0];
                    VAR.reset(t);
                    return null;
                  } catch (IllegalArgumentException e) {
                    return e;
                  }
                }));
    assertThat(failure).hasMessageContaining("created in a different Context");
  }

  @Test
  void reset_inTheSameTask_afterAnAwait_works() {
    List<ContextVar.Token<String>> token = new ArrayList<>();
    String r =
        run(
            Co.seq(
                v -> {
                  VAR.set("before");
                  token.add(VAR.set("during"));
                  return Co.await(Coroutines.sleep(0));
                },
                v -> {
                  VAR.reset(token.get(0));
                  return VAR.get();
                }));
    assertThat(r).isEqualTo("before");
  }

  @Test
  void callbacks_eachRunInAFreshContext_whatOneSetsTheNextDoesNotSee() {
    List<String> log = new ArrayList<>();
    loop.callSoon(
        () -> {
          log.add("cb1:" + VAR.get());
          VAR.set("cb1");
        });
    loop.callSoon(() -> log.add("cb2:" + VAR.get()));
    loop.callSoon(loop::stop);
    new Context()
        .run(
            () -> {
              loop.runForever();
              log.add("caller:" + VAR.get());
            });
    assertThat(log).containsExactly("cb1:unset", "cb2:unset", "caller:unset");
  }

  @Test
  void listener_followsEveryTaskSwitch_intoAFakeMdc() {
    FakeMdc mdc = new FakeMdc();
    ContextListener mirror = ContextListener.mirror(Map.of("var", VAR), mdc::put, mdc::remove);
    Context.addListener(mirror);
    List<String> log = new ArrayList<>();
    try {
      runSteps(
          v -> {
            Task<?> a = Coroutines.createTask(request("a", mdc, log));
            Task<?> b = Coroutines.createTask(request("b", mdc, log));
            return Co.await(Coroutines.gather(a, b));
          },
          v -> {
            log.add("main:" + mdc.get("var"));
            return null;
          });
    } finally {
      Context.removeListener(mirror);
    }
    // each task logs its own value after every switch back to it, and main sees the default
    assertThat(log).containsExactly("a:a", "b:b", "a:a", "b:b", "main:unset");
  }

  private static Coroutine<Object> request(String id, FakeMdc mdc, List<String> log) {
    return Co.seq(
        v -> {
          VAR.set(id);
          log.add(id + ":" + mdc.get("var"));
          return Co.await(Coroutines.sleep(0));
        },
        v -> {
          log.add(id + ":" + mdc.get("var"));
          return null;
        });
  }
}
