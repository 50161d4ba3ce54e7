package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Async generators ({@link Coroutines#generate}): laziness, the hand-over order between producer
 * and consumer, failures, closing (aclose and close), cancellation, tasks. The coroutines are
 * hand-written step coroutines ({@link Co}); the same behaviour with real {@code @Async} code is
 * checked against CPython in the conformance module (area async_gen) and in the examples.
 */
class AsyncGeneratorTest extends TestBase {

  /** A producer emitting {@code values} in order, logging before each emit and after it returns. */
  static Coroutine<Object> emitting(Emitter<Object> out, List<String> log, Object... values) {
    return emitFrom(out, log, values, 0);
  }

  private static Coroutine<Object> emitFrom(
      Emitter<Object> out, List<String> log, Object[] values, int i) {
    if (i == values.length) {
      return Co.seq(
          v -> {
            log.add("producer returns");
            return null;
          });
    }
    return Co.seq(
        v -> {
          log.add("emit " + values[i]);
          return Co.await(out.emit(values[i]));
        },
        v -> {
          log.add("resumed after " + values[i]);
          return Co.await(emitFrom(out, log, values, i + 1));
        });
  }

  /**
   * An iterator over a generator that emits {@code values} in turn and then returns; its {@code
   * finally} logs {@code atFinally}.
   */
  static AsyncIterator<Object> emittingThenLogging(
      List<String> log, String atFinally, Object... values) {
    return Coroutines.generate(
            out -> {
              Co.Step[] steps = new Co.Step[values.length];
              for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                steps[i] = x -> Co.await(out.emit(v));
              }
              return Co.steps(steps).onFinally(() -> log.add(atFinally)).build();
            })
        .iterator();
  }

  /** Takes up to {@code max} values from {@code it}, logging them. */
  static Coroutine<Object> drain(AsyncIterator<?> it, List<String> log, int max) {
    if (max == 0) {
      return Co.seq(v -> null);
    }
    return Co.seq(
        v -> Co.await(it.hasNext()),
        v -> {
          if (!(Boolean) v) {
            log.add("end");
            return null;
          }
          log.add("got " + it.next());
          return Co.await(drain(it, log, max - 1));
        });
  }

  @Test
  void generator_isLazy_theProducerIsMadeAndRunOnlyWhenTheFirstValueIsAskedFor() {
    AtomicInteger made = new AtomicInteger();
    List<String> log = new ArrayList<>();
    AsyncIterable<Object> gen =
        Coroutines.generate(
            out -> {
              made.incrementAndGet();
              return emitting(out, log, 1);
            });
    AsyncIterator<Object> it = gen.iterator();
    Coroutine<Boolean> ask = it.hasNext();
    assertThat(made).hasValue(0);
    assertThat(log).isEmpty();
    assertThat(run(ask)).isTrue();
    assertThat(made).hasValue(1);
    assertThat(log).containsExactly("emit 1");
  }

  @Test
  void producerAndConsumer_takeTurns_theProducerWaitsAtEachEmitUntilTheNextValueIsAskedFor() {
    List<String> log = new ArrayList<>();
    AsyncIterator<Object> it = Coroutines.generate(out -> emitting(out, log, "a", "b")).iterator();
    run(drain(it, log, 10));
    assertThat(log)
        .containsExactly(
            "emit a",
            "got a",
            "resumed after a",
            "emit b",
            "got b",
            "resumed after b",
            "producer returns",
            "end");
  }

  @Test
  void eachIterator_runsTheProducerAnew() {
    AsyncIterable<Object> gen = Coroutines.generate(out -> emitting(out, new ArrayList<>(), 1, 2));
    assertThat(run(gen.toList())).containsExactly(1, 2);
    assertThat(run(gen.toList())).containsExactly(1, 2);
  }

  @Test
  void producerThatSleeps_suspendsTheConsumersTask_andValuesArriveInOrder() {
    List<String> log = new ArrayList<>();
    AsyncIterable<Object> gen =
        Coroutines.generate(
            out ->
                Co.seq(
                    v -> Co.await(Coroutines.sleep(2)),
                    v -> Co.await(out.emit("x")),
                    v -> Co.await(Coroutines.sleep(0)),
                    v -> Co.await(out.emit("y")),
                    v -> Co.await(Coroutines.sleep(1))));
    Task<Object> other =
        loop.createTask(Co.seq(v -> Co.await(Coroutines.sleep(1)), v -> log.add("other ran")));
    run(drain(gen.iterator(), log, 10));
    assertThat(log).containsExactly("other ran", "got x", "got y", "end");
    assertThat(other.isDone()).isTrue();
  }

  @Test
  void producerFailure_arrivesUnchangedAtTheConsumersHasNext_andTheIteratorEnds() {
    IllegalStateException boom = new IllegalStateException("boom");
    List<String> log = new ArrayList<>();
    AsyncIterator<Object> it =
        Coroutines.generate(
                out ->
                    Co.seq(
                        v -> Co.await(out.emit(1)),
                        v -> Co.await(Coroutines.sleep(1)),
                        v -> {
                          throw boom;
                        }))
            .iterator();
    assertThatThrownBy(() -> run(drain(it, log, 10))).isSameAs(boom);
    assertThat(log).containsExactly("got 1");
    assertThat(run(it.hasNext())).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void producerThatFailsAtOnce_orReturnsWithoutEmitting_endsAtTheFirstHasNext() {
    ArithmeticException boom = new ArithmeticException();
    AsyncIterator<Object> failing =
        Coroutines.generate(
                out ->
                    Co.seq(
                        v -> {
                          throw boom;
                        }))
            .iterator();
    assertThatThrownBy(() -> run(failing.hasNext())).isSameAs(boom);
    AsyncIterator<Object> failingFactory =
        Coroutines.<Object>generate(
                out -> {
                  throw boom;
                })
            .iterator();
    assertThatThrownBy(() -> run(failingFactory.hasNext())).isSameAs(boom);
    assertThat(run(Coroutines.generate(out -> Coroutines.done()).toList())).isEmpty();
  }

  @Test
  void aclose_throwsGeneratorExitAtTheEmit_runsTheProducersFinally_beforeItReturns() {
    List<String> log = new ArrayList<>();
    AsyncIterator<Object> it =
        Coroutines.generate(
                out ->
                    Co.steps(v -> Co.await(out.emit(1)), v -> Co.await(out.emit(2)))
                        .logEnd(log)
                        .build())
            .iterator();
    run(
        Co.seq(
            v -> Co.await(drain(it, log, 1)),
            v -> Co.await(it.aclose()),
            v -> log.add("aclose returned")));
    assertThat(log)
        .containsExactly(
            "got 1", "producer got GeneratorExitException", "producer finally", "aclose returned");
    assertThat(run(it.hasNext())).isFalse();
    run(it.aclose()); // again: nothing
  }

  /**
   * close() while the producer runs for another task's hasNext() (it sleeps before its next emit):
   * that emit hands nothing over, the hasNext() is false, and the exit is thrown in there, so the
   * producer's finally runs and it emits no more. close() did nothing then, and the producer ran on
   * to its end (found from outside; asyncio's aclose() refuses a running generator, which ours does
   * too).
   */
  @Test
  void close_whileTheProducerRunsForAnotherTask_endsItAtItsNextEmit() {
    List<String> log = new ArrayList<>();
    AsyncIterator<Object> it =
        Coroutines.generate(
                out ->
                    Co.steps(
                            v -> Co.await(Coroutines.sleep(20)),
                            v -> {
                              log.add("emit 1");
                              return Co.await(out.emit(1));
                            },
                            v -> {
                              log.add("emit 2");
                              return Co.await(out.emit(2));
                            })
                        .logEnd(log)
                        .build())
            .iterator();
    Task<Object> consumer = loop.createTask(drain(it, log, 10));
    loop.callLater(0.005, it::close); // the producer sleeps in the consumer's hasNext()
    loop.runUntilComplete(consumer);
    run(Coroutines.sleep(1)); // the closing task's pass
    assertThat(log)
        .containsExactly(
            "emit 1", "end", "producer got GeneratorExitException", "producer finally");
    assertThat(run(it.hasNext())).isFalse();
  }

  /** The same close with eager tasks on: the closing task still starts from the next pass. */
  @Test
  void close_whileTheProducerRuns_withEagerTasks_closesItFromTheNextPass() {
    loop.setEagerTasks(true);
    close_whileTheProducerRunsForAnotherTask_endsItAtItsNextEmit();
  }

  /**
   * An aclose() awaited while another close runs the producer's cleanup (close()'s own task here)
   * returns once that cleanup has ended, as an awaited aclose() promises; it returned at once.
   */
  @Test
  void aclose_whileAnotherCloseRunsTheCleanup_returnsWhenTheCleanupHasEnded() {
    List<String> log = new ArrayList<>();
    AsyncIterator<Object> it =
        Coroutines.generate(
                out ->
                    Co.steps(v -> Co.await(out.emit(1)))
                        .onError(
                            e -> {
                              log.add("cleanup starts");
                              return Co.await(
                                  Co.seq(
                                      v -> Co.await(Coroutines.sleep(20)),
                                      v -> log.add("cleanup ends")));
                            })
                        .build())
            .iterator();
    run(
        Co.seq(
            v -> Co.await(drain(it, log, 1)),
            v -> {
              it.close(); // its task runs the cleanup from the next pass
              return Co.await(Coroutines.sleep(1)); // the cleanup is under way now
            },
            v -> Co.await(it.aclose()),
            v -> log.add("aclose returned")));
    assertThat(log).containsExactly("got 1", "cleanup starts", "cleanup ends", "aclose returned");
  }

  /** An emit awaited by another task than the one running the producer is refused there. */
  @Test
  void emitAwaitedInAnotherTask_isRefused() {
    AsyncIterator<Object> it =
        Coroutines.generate(
                out -> Co.seq(v -> Co.await(loop.createTask(Co.awaiting(out.emit("stray"))))))
            .iterator();
    assertThatThrownBy(() -> run(it.hasNext()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("emit() awaited in another task");
  }

  /**
   * A chain of generators, each re-emitting the values of the one below (a recursive walk): every
   * value comes through every level, in order. (Each emit checks its task without walking up the
   * chain: the chain's cost is linear in its depth, measured in benchmarks/README.md.)
   */
  @Test
  void chainOfGenerators_reEmittingEachOthersValues_deliversThemInOrder() {
    int depth = 2_000;
    AsyncIterable<Object> chain =
        Coroutines.generate(out -> emitting(out, new ArrayList<>(), "a", "b", "c"));
    for (int i = 0; i < depth; i++) {
      AsyncIterable<Object> below = chain;
      chain = Coroutines.generate(out -> reEmit(below.iterator(), out));
    }
    assertThat(run(chain.toList())).containsExactly("a", "b", "c");
  }

  /** Emits every value of {@code it}, then returns. */
  private static Coroutine<Object> reEmit(AsyncIterator<Object> it, Emitter<Object> out) {
    return Co.seq(
        v -> Co.await(it.hasNext()),
        v -> {
          if (!(Boolean) v) {
            return null;
          }
          return Co.await(
              Co.seq(x -> Co.await(out.emit(it.next())), x -> Co.await(reEmit(it, out))));
        });
  }

  @Test
  void aclose_whoseCleanupAwaits_finishesWhenTheCleanupHas() {
    List<String> log = new ArrayList<>();
    AsyncIterator<Object> it =
        Coroutines.generate(
                out ->
                    Co.steps(v -> Co.await(out.emit(1)))
                        .onError(
                            e ->
                                Co.await(
                                    Co.seq(
                                        v -> Co.await(Coroutines.sleep(1)),
                                        v -> log.add("async cleanup done"))))
                        .build())
            .iterator();
    run(
        Co.seq(
            v -> Co.await(drain(it, log, 1)),
            v -> Co.await(it.aclose()),
            v -> log.add("aclose returned")));
    assertThat(log).containsExactly("got 1", "async cleanup done", "aclose returned");
  }

  @Test
  void aclose_throwsAFailureOfTheCleanup() {
    IllegalArgumentException cleanupFailed = new IllegalArgumentException();
    AsyncIterator<Object> it =
        Coroutines.generate(
                out ->
                    Co.steps(v -> Co.await(out.emit(1)))
                        .onError(
                            e -> {
                              throw cleanupFailed;
                            })
                        .build())
            .iterator();
    assertThatThrownBy(() -> run(Co.seq(v -> Co.await(it.hasNext()), v -> Co.await(it.aclose()))))
        .isSameAs(cleanupFailed);
    assertThat(run(it.hasNext())).isFalse();
  }

  @Test
  void aclose_ofAProducerThatEmitsAgain_throwsIllegalState() {
    AsyncIterator<Object> it =
        Coroutines.generate(
                out ->
                    Co.steps(v -> Co.await(out.emit(1)))
                        .onError(e -> Co.await(out.emit("ignored the exit")))
                        .build())
            .iterator();
    assertThatThrownBy(() -> run(Co.seq(v -> Co.await(it.hasNext()), v -> Co.await(it.aclose()))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("emitted a value after it was closed");
  }

  @Test
  void closeBeforeTheFirstValue_neverRunsTheProducer() {
    AtomicInteger made = new AtomicInteger();
    AsyncIterator<Object> it =
        Coroutines.generate(
                out -> {
                  made.incrementAndGet();
                  return emitting(out, new ArrayList<>(), 1);
                })
            .iterator();
    it.close();
    assertThat(run(it.hasNext())).isFalse();
    assertThat(made).hasValue(0);
  }

  @Test
  void close_ofAParkedProducer_endsTheIterationAtOnce_andRunsTheCleanupInATaskOfItsOwn() {
    List<String> log = new ArrayList<>();
    AsyncIterator<Object> it = emittingThenLogging(log, "producer finally", 1, 2);
    run(
        Co.seq(
            v -> Co.await(drain(it, log, 1)),
            v -> {
              it.close();
              log.add("closed");
              return Co.await(it.hasNext());
            },
            v -> log.add("hasNext " + v),
            v -> Co.await(Coroutines.sleep(0)),
            v -> log.add("after a pass")));
    assertThat(log)
        .containsExactly("got 1", "closed", "hasNext false", "producer finally", "after a pass");
  }

  @Test
  void close_ofAParkedProducerAfterTheLoopClosed_dropsItWithoutRunningIt() {
    List<String> log = new ArrayList<>();
    AsyncIterator<Object> it = emittingThenLogging(log, "producer finally", 1);
    assertThat(run(it.hasNext())).isTrue();
    loop.close();
    it.close();
    assertThat(log).isEmpty();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void run_closesTheGeneratorsLeftSuspended_atItsEnd_afterCancellingTheTasksLeft() {
    List<String> log = new ArrayList<>();
    AsyncIterable<Object> gen =
        Coroutines.generate(
            out ->
                Co.steps(v -> Co.await(out.emit(1)), v -> Co.await(out.emit(2)))
                    .logEnd(log)
                    .build());
    Object result =
        Coroutines.run(
            Co.seq(
                v -> {
                  AsyncIterator<Object> forgotten = gen.iterator(); // never closed by its user
                  AsyncIterator<Object> closedByATask = gen.iterator(); // close() left a task
                  return Co.await(
                      Co.seq(
                          x -> Co.await(forgotten.hasNext()),
                          x -> Co.await(closedByATask.hasNext()),
                          x -> {
                            closedByATask.close();
                            log.add("main returns");
                            return "result";
                          }));
                }));
    assertThat(result).isEqualTo("result");
    assertThat(log)
        .containsExactly(
            "main returns",
            "producer got GeneratorExitException",
            "producer finally",
            "producer got GeneratorExitException",
            "producer finally");
  }

  /**
   * asyncio keeps a loop's generators with the loop: {@code shutdownAsyncgens()} closes those
   * started while another thread ran it (found from outside: they were kept per thread, so run from
   * another thread it found none, and their finally blocks never ran).
   */
  @Test
  void shutdownAsyncgens_fromAnotherThreadThanTheOneThatRanTheLoop_closesItsGenerators()
      throws Exception {
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    EventLoop other = new EventLoop();
    try {
      Thread first =
          new Thread(
              () -> {
                AsyncIterator<Object> it = emittingThenLogging(log, "producer finally", 1);
                log.add("first: " + other.runUntilComplete(it.hasNext()));
              });
      first.start();
      first.join();
      assertThat(log).containsExactly("first: true");
      Future<Void> closing = other.shutdownAsyncgens(); // this thread now runs the loop
      other.runUntilComplete(closing);
      assertThat(log).containsExactly("first: true", "producer finally");
    } finally {
      other.close();
    }
  }

  /**
   * asyncio's {@code shutdown_asyncgens()} calls {@code aclose()} on a generator that a task is
   * running too, and reports its "already running" failure (found from outside: it was skipped
   * without a word); the parked one is closed, the running one is left to its task.
   */
  @Test
  void shutdownAsyncgens_whileATaskRunsAGenerator_reportsIt_andClosesTheParkedOnes() {
    List<String> log = new ArrayList<>();
    Future<Object> gate = loop.createFuture();
    AsyncIterator<Object> running =
        Coroutines.generate(
                out -> Co.steps(v -> Co.await(gate), v -> Co.await(out.emit(v))).build())
            .iterator();
    AsyncIterator<Object> parked = emittingThenLogging(log, "parked finally", 1);
    assertThat(run(parked.hasNext())).isTrue();
    Task<Boolean> asking = loop.createTask(running.hasNext());
    run(Co.seq(v -> Co.await(Coroutines.sleep(0)))); // the task's producer now waits for the gate
    loop.runUntilComplete(loop.shutdownAsyncgens());
    assertThat(log).containsExactly("parked finally");
    assertThat(loopErrors).hasSize(1);
    EventLoop.ErrorContext c = loopErrors.remove(0);
    assertThat(c.message())
        .startsWith("an error occurred during closing of asynchronous generator")
        .contains("running");
    assertThat(c.exception())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is running");
    gate.setResult("late");
    assertThat(loop.runUntilComplete(asking)).isTrue(); // the task goes on with it
    assertThat(running.next()).isEqualTo("late");
  }

  /**
   * A generator started on one loop and iterated on from another is closed by the second's shutdown
   * (found from outside: neither loop's closed it; asyncio's first loop does).
   */
  @Test
  void shutdownAsyncgens_ofAGeneratorIteratedFromASecondLoop_closesIt() {
    List<String> log = new ArrayList<>();
    EventLoop second = new EventLoop();
    try {
      AsyncIterator<Object> it = emittingThenLogging(log, "producer finally", 1, 2);
      assertThat(loop.runUntilComplete(it.hasNext())).isEqualTo(true);
      it.next();
      assertThat(second.runUntilComplete(it.hasNext())).isEqualTo(true); // parked on the second
      loop.runUntilComplete(loop.shutdownAsyncgens());
      assertThat(log).isEmpty(); // not the first loop's any more
      second.runUntilComplete(second.shutdownAsyncgens());
      assertThat(log).containsExactly("producer finally");
    } finally {
      second.close();
    }
  }

  @Test
  void cancellingTheConsumerWhileTheProducerWaits_cancelsTheProducer_itsFinallyRuns() {
    List<String> log = new ArrayList<>();
    Future<Void> never = loop.createFuture();
    AsyncIterator<Object> it =
        Coroutines.generate(
                out ->
                    Co.steps(v -> Co.await(out.emit(1)), v -> Co.await(never)).logEnd(log).build())
            .iterator();
    Task<Object> consumer = loop.createTask(drain(it, log, 10));
    loop.callSoon( // after the consumer's first step, which leaves it waiting in the producer
        () -> {
          log.add("cancel");
          consumer.cancel();
        });
    assertThatThrownBy(() -> loop.runUntilComplete(consumer))
        .isInstanceOf(CancellationException.class);
    assertThat(log)
        .containsExactly(
            "got 1", "cancel", "producer got CancellationException", "producer finally");
    assertThat(never.isCancelled()).isTrue();
    assertThat(run(it.hasNext())).isFalse();
  }

  @Test
  void cancellingTheConsumerElsewhere_itsCloseInFinally_endsTheParkedProducer() {
    List<String> log = new ArrayList<>();
    AsyncIterator<Object> it =
        Coroutines.generate(
                out ->
                    Co.steps(v -> Co.await(out.emit(1)), v -> Co.await(out.emit(2)))
                        .onError(
                            e -> {
                              log.add("producer got " + e.getClass().getSimpleName());
                              throw e;
                            })
                        .build())
            .iterator();
    Task<Object> consumer =
        loop.createTask(
            Co.steps(
                    v -> Co.await(drain(it, log, 1)),
                    v -> Co.await(loop.createFuture())) // waits here, the producer parked
                .onFinally(it::close) // what try-with-resources does
                .build());
    loop.callSoon(consumer::cancel); // after its first step: it waits, the producer parked
    assertThatThrownBy(() -> loop.runUntilComplete(consumer))
        .isInstanceOf(CancellationException.class);
    run(Co.awaiting(Coroutines.sleep(0))); // the close task runs
    assertThat(log).containsExactly("got 1", "producer got GeneratorExitException");
  }

  @Test
  void hasNextTwiceKeepsTheValue_andNextWithoutHasNextThrows() {
    AsyncIterator<Object> it =
        Coroutines.generate(out -> emitting(out, new ArrayList<>(), "v")).iterator();
    assertThatThrownBy(it::next)
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("without a hasNext()");
    assertThat(run(it.hasNext())).isTrue();
    assertThat(run(it.hasNext())).isTrue();
    assertThat(it.next()).isEqualTo("v");
    assertThat(run(it.hasNext())).isFalse();
  }

  @Test
  void twoTasksAskingAtOnce_theSecondGetsIllegalState() {
    AsyncIterator<Object> it =
        Coroutines.generate(
                out -> Co.seq(v -> Co.await(Coroutines.sleep(1)), v -> Co.await(out.emit(1))))
            .iterator();
    Task<Boolean> first = loop.createTask(it.hasNext());
    Task<Boolean> second = loop.createTask(it.hasNext());
    assertThat(loop.runUntilComplete(first)).isTrue();
    assertThat(second.isDone()).isTrue();
    assertThat(second.exception())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already running");
  }

  @Test
  void emitAwaitedOutsideTheProducer_throwsIllegalState() {
    List<Emitter<Object>> leaked = new ArrayList<>();
    AsyncIterator<Object> it =
        Coroutines.generate(
                out -> {
                  leaked.add(out);
                  return emitting(out, new ArrayList<>(), 1, 2);
                })
            .iterator();
    run(it.hasNext());
    assertThatThrownBy(() -> run(Co.awaiting(leaked.get(0).emit("stray"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside of its generator's producer");
  }

  @Test
  void iterationMovesFromTaskToTask_theProducerRunsInTheTaskThatAsks() {
    List<Object> tasks = new ArrayList<>();
    AsyncIterator<Object> it =
        Coroutines.generate(
                out ->
                    Co.seq(
                        v -> Co.await(out.emit(Coroutines.currentTask())),
                        v -> Co.await(Coroutines.sleep(1)),
                        v -> Co.await(out.emit(Coroutines.currentTask()))))
            .iterator();
    Task<Object> a =
        loop.createTask(Co.seq(v -> Co.await(it.hasNext()), v -> tasks.add(it.next())));
    loop.runUntilComplete(a);
    Task<Object> b =
        loop.createTask(Co.seq(v -> Co.await(it.hasNext()), v -> tasks.add(it.next())));
    loop.runUntilComplete(b);
    assertThat(tasks).containsExactly(a, b);
  }

  @Test
  void aGeneratorConsumingAnother_passesValuesThrough() {
    AsyncIterable<Object> inner =
        Coroutines.generate(out -> emitting(out, new ArrayList<>(), 1, 2, 3));
    AsyncIterable<Object> doubled =
        Coroutines.generate(
            out -> {
              AsyncIterator<Object> it = inner.iterator();
              return relayDoubled(it, out);
            });
    assertThat(run(doubled.toList())).containsExactly(2, 4, 6);
  }

  private static Coroutine<Object> relayDoubled(AsyncIterator<Object> it, Emitter<Object> out) {
    return Co.seq(
        v -> Co.await(it.hasNext()),
        v -> (Boolean) v ? Co.await(out.emit((Integer) it.next() * 2)) : "end",
        v -> "end".equals(v) ? null : Co.await(relayDoubled(it, out)));
  }

  @Test
  void aHundredThousandValues_neitherGrowTheStackNorRetainFrames() {
    int n = 100_000;
    AsyncIterable<Object> gen = Coroutines.generate(out -> loopEmit(out, new int[1], n));
    List<Object> all = run(gen.toList());
    assertThat(all).hasSize(n);
    assertThat(all.get(n - 1)).isEqualTo(n - 1);
  }

  /** Emits i[0]..to-1 from one frame, as a compiled for loop of emits would. */
  private static Coroutine<Object> loopEmit(Emitter<Object> out, int[] i, int to) {
    AsyncFrame<Object> f = AsyncFrame.create(AsyncGeneratorTest::loopBody, 2, 1);
    f.refs[0] = out;
    f.refs[1] = i;
    f.prims[0] = to;
    return f;
  }

  /** A for loop of emits written against the frame protocol: one frame for all iterations. */
  @SuppressWarnings("unchecked")
  private static Object loopBody(AsyncFrame<?> f) throws Throwable {
    Emitter<Object> out = (Emitter<Object>) f.refs[0];
    int[] i = (int[]) f.refs[1];
    if (f.label == 1) {
      f.resumed();
      i[0]++;
    }
    while (i[0] < f.prims[0]) {
      Object r = AsyncFrame.await(out.emit(i[0]), f);
      if (r == AsyncFrame.SUSPEND) {
        f.label = 1;
        return r;
      }
      i[0]++;
    }
    return null;
  }
}
