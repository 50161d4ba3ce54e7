package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * Tasks: scheduling, cancellation as a request at the await, cancelling()/uncancel, eager start.
 */
class TaskTest extends TestBase {

  /**
   * Cancelling a task that sleeps, after its loop was closed by hand, is refused as asyncio refuses
   * it (the wake-up cannot be scheduled: "Event loop is closed"), as for a task that awaits a
   * future; an outside comparison found it answered true and left the task cancelling forever.
   */
  @Test
  void cancel_ofASleepingTask_afterTheLoopClosed_isRefused() {
    EventLoop l = EventLoop.withVirtualTime();
    Task<Object> inRun = l.createTask(Co.awaiting(Coroutines.sleep(10_000)));
    Task<Object> inHeap = l.createTask(Co.awaiting(Coroutines.sleep(5_000))); // an entry
    Task<Object> onFuture = l.createTask(Co.awaiting(l.createFuture()));
    l.runUntilComplete(Coroutines.sleep(1));
    l.close();
    for (Task<Object> t : java.util.List.of(inRun, inHeap, onFuture)) {
      assertThatThrownBy(t::cancel)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  /**
   * A queue's getter still in the line is refused as a sleeper is; one already woken (handed its
   * turn, not yet resumed when the loop stopped) is only marked, as asyncio's (whose waiter future
   * is done then): an outside review found it refused too.
   */
  @Test
  void cancel_ofAQueueGetter_afterTheLoopClosed_isRefusedOnlyWhileItWaitsInLine() {
    EventLoop l = EventLoop.withVirtualTime();
    dev.coroutine.sync.Queue<String> q = new dev.coroutine.sync.Queue<>();
    Task<Object> woken = l.createTask(Co.awaiting(q.get()));
    Task<Object> waiting = l.createTask(Co.awaiting(q.get()));
    l.runUntilComplete(Coroutines.sleep(1));
    q.putNowait("x"); // the loop is stopped: the first getter is woken, not yet resumed
    l.close();
    assertThat(woken.cancel()).isTrue();
    assertThat(woken.cancelling()).isEqualTo(1);
    assertThatThrownBy(waiting::cancel)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void createTask_startsOnNextPass_notInline() {
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v -> {
                  expect(2);
                  return "r";
                }));
    expect(1);
    Object r = run(Co.awaiting(t));
    assertThat(r).isEqualTo("r");
    finish(3);
  }

  @Test
  void cancel_whileSleeping_runsFinally() {
    Task<Object> sleeper =
        loop.createTask(
            Co.steps(
                    v -> {
                      expect(1);
                      return Co.await(Coroutines.sleep(3_600_000));
                    },
                    v -> {
                      expect(99);
                      return null;
                    })
                .onFinally(() -> expect(3))
                .build());
    runSteps(
        v -> Co.await(Coroutines.sleep(0)),
        v -> {
          expect(2);
          assertThat(sleeper.cancel()).isTrue();
          return Co.await(Coroutines.sleep(0));
        });
    finish(4);
    assertThat(sleeper.isCancelled()).isTrue();
  }

  @Test
  void cancel_whileAwaitingFuture_cancelsThatFuture_andCarriesMessage() {
    Future<Object> f = loop.createFuture();
    Task<Object> t = loop.createTask(Co.awaiting(f));
    runSteps(
        v -> Co.await(Coroutines.sleep(0)),
        v -> {
          t.cancel("stop now");
          return null;
        });
    assertThat(f.isCancelled()).isTrue();
    assertThatThrownBy(() -> loop.runUntilComplete(t))
        .isInstanceOf(CancellationException.class)
        .hasMessage("stop now");
  }

  @Test
  void cancel_beforeStart_bodyNeverRuns() {
    Task<Object> t =
        loop.createTask(
            Co.seq(
                v -> {
                  expect(99);
                  return null;
                }));
    t.cancel();
    assertThatThrownBy(() -> loop.runUntilComplete(t)).isInstanceOf(CancellationException.class);
    assertThat(t.isCancelled()).isTrue();
  }

  @Test
  void cancel_caughtByCoroutine_taskContinuesAndSucceeds() {
    Task<Object> t =
        loop.createTask(
            Co.steps(v -> Co.await(Coroutines.sleep(3_600_000)))
                .onError(
                    e -> {
                      assertThat((Object) e).isInstanceOf(CancellationException.class);
                      expect(2);
                      return Co.await(Coroutines.sleep(1)); // awaiting again after catching works
                    })
                .build());
    runSteps(
        v -> Co.await(Coroutines.sleep(0)),
        v -> {
          expect(1);
          t.cancel();
          assertThat(t.cancelling()).isEqualTo(1);
          return Co.await(t);
        });
    finish(3);
    assertThat(t.isCancelled()).isFalse();
    assertThat(t.isDone()).isTrue();
  }

  /** asyncio's {@code CancelledError} subclass: a program may raise its own. */
  static final class OwnCancel extends CancellationException {
    OwnCancel(String message) {
      super(message);
    }
  }

  @Test
  void cancelledTask_givesItsAwaitersTheVeryExceptionItEndedWith() {
    // CPython: `await task` raises the CancelledError the task ended with, a subclass and its
    // cause intact (test_locks' test_cancelled_error_wakeup asserts the identity); only the
    // message used to be kept
    CancellationException[] caughtInside = new CancellationException[1];
    Task<Object> cancelled =
        loop.createTask(
            Co.steps(v -> Co.await(Coroutines.sleep(3_600_000)))
                .onError(
                    e -> {
                      caughtInside[0] = (CancellationException) e;
                      throw e;
                    })
                .build());
    OwnCancel own = new OwnCancel("mine");
    own.initCause(new IllegalStateException("why"));
    Task<Object> ownCancel =
        loop.createTask(
            Co.seq(
                v -> {
                  throw own;
                }));
    Object gathered =
        runSteps(
            v -> Co.await(Coroutines.sleep(0)),
            v -> {
              cancelled.cancel("foo");
              return Co.await(Coroutines.gatherReturnExceptions(cancelled, ownCancel));
            });
    assertThat(caughtInside[0]).hasMessage("foo");
    assertThat((java.util.List<?>) gathered)
        .satisfiesExactly(
            c -> assertThat(c).isSameAs(caughtInside[0]), o -> assertThat(o).isSameAs(own));
    assertThat(ownCancel.isCancelled()).isTrue();
    assertThatThrownBy(ownCancel::result).isSameAs(own); // every retrieval, as for a failure
    assertThatThrownBy(ownCancel::exception).isSameAs(own);
    assertThatThrownBy(cancelled::result).isSameAs(caughtInside[0]);
  }

  @Test
  void cancel_ofRunningTask_deliveredAtItsNextAwait() {
    assertThatThrownBy(
            () ->
                runSteps(
                    v -> {
                      expect(1);
                      Coroutines.currentTask().cancel();
                      return "no suspension yet";
                    },
                    v -> {
                      expect(2);
                      return Co.await(Coroutines.sleep(0));
                    },
                    v -> {
                      expect(99);
                      return null;
                    }))
        .isInstanceOf(CancellationException.class);
    finish(3);
  }

  @Test
  void uncancel_withdrawsUndeliveredRequest() {
    Object r =
        runSteps(
            v -> {
              Task<?> self = Coroutines.currentTask();
              self.cancel();
              assertThat(self.cancelling()).isEqualTo(1);
              assertThat(self.uncancel()).isZero();
              return Co.await(Coroutines.sleep(0));
            },
            v -> "not cancelled");
    assertThat(r).isEqualTo("not cancelled");
  }

  @Test
  void cancel_ofDoneTask_returnsFalse() {
    Task<Object> t = loop.createTask(Co.seq(v -> 1));
    loop.runUntilComplete(t);
    assertThat(t.cancel()).isFalse();
    assertThat(t.result()).isEqualTo(1);
  }

  @Test
  void currentTask_andPendingTasks_andNames() {
    Task<Object> other = loop.createTask(Co.awaiting(Coroutines.sleep(3_600_000)), "sleeper");
    Task<Object> main =
        loop.createTask(
            Co.seq(
                v -> {
                  assertThat(Coroutines.currentTask().getName()).isEqualTo("main");
                  assertThat(loop.pendingTasks()).contains(other, Coroutines.currentTask());
                  return null;
                }),
            "main");
    loop.runUntilComplete(main);
    assertThat(loop.pendingTasks()).containsExactly(other);
    assertThat(other.getName()).isEqualTo("sleeper");
    assertThatThrownBy(Coroutines::currentTask) // no loop runs: asyncio raises RuntimeError
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no running event loop");
    other.cancel();
    assertThatThrownBy(() -> loop.runUntilComplete(other))
        .isInstanceOf(CancellationException.class);
    assertThat(loop.pendingTasks()).isEmpty();
  }

  @Test
  void setResult_onTask_isRefused() {
    Task<Object> t = loop.createTask(Co.seq(v -> 1));
    assertThatThrownBy(() -> t.setResult(2)).isInstanceOf(UnsupportedOperationException.class);
    loop.runUntilComplete(t);
  }

  @Test
  void eagerTask_runsSynchronouslyUntilFirstSuspension() {
    runSteps(
        v -> {
          expect(1);
          Task<Object> t =
              loop.createTask(
                  Co.seq(
                      x -> {
                        expect(2);
                        return Co.await(Coroutines.sleep(0));
                      },
                      x -> {
                        expect(4);
                        return "eager";
                      }),
                  null,
                  true);
          expect(3);
          return Co.await(t);
        },
        v -> {
          assertThat(v).isEqualTo("eager");
          return null;
        });
    finish(5);
  }

  /** Eager tasks started by eager steps, 20,000 deep: {@code n} levels of {@link #eagerChain}. */
  private Coroutine<Object> eagerChain(int n) {
    return Co.seq(
        v -> n == 0 ? 0 : Co.await(loop.createTask(eagerChain(n - 1))), v -> (Integer) v + 1);
  }

  /**
   * A recursion of eager tasks far deeper than a thread's stack holds runs to its end: past {@link
   * EventLoop#MAX_EAGER_DEPTH} nested eager steps a task starts on the next pass. It overflowed the
   * stack, and a task caught mid-way by the overflow never completed, so run() waited for ever
   * (found from outside; CPython stops such a recursion with RecursionError).
   */
  @Test
  void eagerTasksNestedFarDeeperThanTheStack_allComplete() {
    loop.setEagerTasks(true);
    assertThat(run(eagerChain(20_000))).isEqualTo(20_001);
    assertThat(loop.pendingTasks()).isEmpty();
  }

  @Test
  void eagerTask_finishingWithoutSuspending_isDoneAtCreation() {
    loop.setEagerTasks(true);
    runSteps(
        v -> {
          Task<Object> t = Coroutines.createTask(Co.seq(x -> "at once"));
          assertThat(t.isDone()).isTrue();
          assertThat(t.result()).isEqualTo("at once");
          assertThat(Coroutines.currentTask()).isNotSameAs(t); // the creator is current again
          return null;
        });
  }

  @Test
  void eagerFlag_outsideRunningLoop_schedulesNormally() {
    loop.setEagerTasks(true);
    Task<Object> t = loop.createTask(Co.seq(x -> "later"));
    assertThat(t.isDone()).isFalse();
    assertThat(loop.runUntilComplete(t)).isEqualTo("later");
  }
}
