package dev.coroutine.sync;

import static dev.coroutine.Coroutines.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.Co;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Task;
import dev.coroutine.TestBase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Queue, LifoQueue, PriorityQueue: ordering, bounds, join/taskDone, shutdown, cancellation. */
class QueueTest extends TestBase {

  /** Gets items until null, logging them and marking each done. */
  static Coroutine<Object> consumer(Queue<String> q, List<String> log) {
    return Co.seq(
        v -> Co.await(q.get()),
        v -> {
          q.taskDone();
          if (v == null) {
            return null;
          }
          log.add((String) v);
          return Co.await(consumer(q, log));
        });
  }

  @Test
  void fifo_producerConsumer_withBoundedQueue_andJoin() {
    Queue<String> q = new Queue<>(1);
    List<String> log = new ArrayList<>();
    runSteps(
        v -> {
          Coroutines.createTask(consumer(q, log));
          return Co.await(q.put("a"));
        },
        v -> Co.await(q.put("b")),
        v -> Co.await(q.put("c")),
        v -> Co.await(q.put(null)),
        v -> Co.await(q.join()));
    assertThat(log).containsExactly("a", "b", "c");
    assertThat(q.isEmpty()).isTrue();
  }

  @Test
  void wokenGetterWhoseItemWasTaken_waitsAgain() {
    Queue<String> q = new Queue<>();
    Task<Object> getter = loop.createTask(Co.awaiting(q.get()));
    loop.callSoon(
        () -> {
          q.putNowait("x"); // wakes the getter...
          assertThat(q.getNowait()).isEqualTo("x"); // ...but the item is gone when it runs
          loop.callLater(5, () -> q.putNowait("y"));
        });
    assertThat(loop.runUntilComplete(getter)).isEqualTo("y");
    assertThat(q.isEmpty()).isTrue();
  }

  @Test
  void wokenPutterWhoseSlotWasTaken_waitsAgain() {
    Queue<String> q = new Queue<>(1);
    q.putNowait("first");
    Task<Object> putter = loop.createTask(Co.awaiting(q.put("p")));
    List<String> got = new ArrayList<>();
    loop.callSoon(
        () -> {
          got.add(q.getNowait()); // frees the slot and wakes the putter...
          q.putNowait("steal"); // ...but the slot is taken again before it runs
          loop.callLater(5, () -> got.add(q.getNowait()));
        });
    loop.runUntilComplete(putter);
    got.add(q.getNowait());
    assertThat(got).containsExactly("first", "steal", "p");
  }

  /** Puts {@code from..to-1} tagged with {@code name}, one await per item. */
  static Coroutine<Object> producer(Queue<String> q, String name, int from, int to) {
    if (from == to) {
      return Coroutines.done(null);
    }
    return Co.seq(
        v -> Co.await(q.put(name + ":" + from)), v -> Co.await(producer(q, name, from + 1, to)));
  }

  @Test
  void manyProducersAndConsumers_onABoundedQueue_loseAndReorderNothing() {
    Queue<String> q = new Queue<>(2);
    List<String> got = new ArrayList<>();
    int perProducer = 500;
    runSteps(
        v -> {
          for (int c = 0; c < 3; c++) {
            Coroutines.createTask(consumer(q, got));
          }
          List<Task<Object>> producers = new ArrayList<>();
          for (int p = 0; p < 4; p++) {
            producers.add(Coroutines.createTask(producer(q, "p" + p, 0, perProducer)));
          }
          return Co.await(Coroutines.gather(producers.toArray(new Task[0])));
        },
        v -> Co.await(q.put(null)),
        v -> Co.await(q.put(null)),
        v -> Co.await(q.put(null)),
        v -> Co.await(q.join()));
    assertThat(got).hasSize(4 * perProducer);
    for (int p = 0; p < 4; p++) {
      String prefix = "p" + p + ":";
      List<String> mine = got.stream().filter(s -> s.startsWith(prefix)).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < perProducer; i++) {
        expected.add(prefix + i);
      }
      assertThat(mine).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void nowaitVariants_throwQueueEmptyAndQueueFull() {
    Queue<Integer> q = new Queue<>(1);
    assertThatThrownBy(q::getNowait).isInstanceOf(QueueEmptyException.class);
    q.putNowait(1);
    assertThat(q.isFull()).isTrue();
    assertThatThrownBy(() -> q.putNowait(2)).isInstanceOf(QueueFullException.class);
    assertThat(q.getNowait()).isEqualTo(1);
    q.taskDone();
    assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void lifoQueue_andPriorityQueue_order() {
    LifoQueue<Integer> lifo = new LifoQueue<>();
    PriorityQueue<Integer> prio = new PriorityQueue<>();
    PriorityQueue<Integer> reversed = new PriorityQueue<>(0, Comparator.reverseOrder());
    for (int i : new int[] {2, 3, 1}) {
      lifo.putNowait(i);
      prio.putNowait(i);
      reversed.putNowait(i);
    }
    assertThat(List.of(lifo.getNowait(), lifo.getNowait(), lifo.getNowait()))
        .containsExactly(1, 3, 2);
    assertThat(List.of(prio.getNowait(), prio.getNowait(), prio.getNowait()))
        .containsExactly(1, 2, 3);
    assertThat(reversed.getNowait()).isEqualTo(3);
    assertThatThrownBy(() -> prio.putNowait(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void getters_servedInOrder() {
    Queue<String> q = new Queue<>();
    List<String> log = new ArrayList<>();
    runSteps(
        v -> {
          for (String n : List.of("g1", "g2")) {
            Coroutines.createTask(Co.seq(x -> Co.await(q.get()), x -> log.add(n + "=" + x)));
          }
          return Co.await(sleep(1));
        },
        v -> {
          q.putNowait("x");
          q.putNowait("y");
          return Co.await(sleep(1));
        });
    assertThat(log).containsExactly("g1=x", "g2=y");
  }

  @Test
  void wokenGetterCancelled_passesItemToNextGetter() {
    Queue<String> q = new Queue<>();
    List<String> log = new ArrayList<>();
    runSteps(
        v -> {
          Task<Object> first =
              Coroutines.createTask(Co.seq(x -> Co.await(q.get()), x -> log.add("first")));
          Coroutines.createTask(Co.seq(x -> Co.await(q.get()), x -> log.add("second " + x)));
          return Co.await(
              Co.seq(
                  x -> Co.await(sleep(1)),
                  x -> {
                    q.putNowait("item"); // wakes first
                    first.cancel(); // before it runs
                    return Co.await(sleep(1));
                  }));
        });
    assertThat(log).containsExactly("second item");
  }

  @Test
  void wokenPutterCancelled_passesSlotToNextPutter() {
    Queue<String> q = new Queue<>(1);
    q.putNowait("full");
    runSteps(
        v -> {
          Task<Object> first = Coroutines.createTask(Co.seq(x -> Co.await(q.put("first"))));
          Coroutines.createTask(Co.seq(x -> Co.await(q.put("second"))));
          return Co.await(
              Co.seq(
                  x -> Co.await(sleep(1)),
                  x -> {
                    q.getNowait(); // frees the slot, wakes first
                    first.cancel();
                    return Co.await(sleep(1));
                  }));
        });
    assertThat(q.getNowait()).isEqualTo("second");
  }

  @Test
  void shutdown_failsPutters_andGettersOnceEmpty() {
    Queue<String> q = new Queue<>();
    q.putNowait("left");
    q.shutdown(); // asyncio's default, immediate=False: the item left stays for the getters
    assertThatThrownBy(() -> q.putNowait("x")).isInstanceOf(QueueShutDownException.class);
    assertThat(q.getNowait()).isEqualTo("left");
    assertThatThrownBy(q::getNowait).isInstanceOf(QueueShutDownException.class);
    assertThatThrownBy(() -> run(q.get())).isInstanceOf(QueueShutDownException.class);
  }

  @Test
  void shutdown_wakesWaitingGetter_withShutDown() {
    Queue<String> q = new Queue<>();
    Object r =
        run(
            Co.seq(
                v -> {
                  Task<Object> getter =
                      Coroutines.createTask(
                          Co.steps(x -> Co.await(q.get())).onError(e -> e).build());
                  return Co.await(
                      Co.seq(
                          x -> Co.await(sleep(1)),
                          x -> {
                            q.shutdown(false);
                            return Co.await(getter);
                          }));
                }));
    assertThat(r).isInstanceOf(QueueShutDownException.class);
  }

  @Test
  void shutdownImmediate_dropsItems_andReleasesJoin() {
    Queue<String> q = new Queue<>();
    q.putNowait("a");
    q.putNowait("b");
    Object r =
        runSteps(
            v -> {
              Task<Object> joiner =
                  Coroutines.createTask(Co.seq(x -> Co.await(q.join()), x -> "joined"));
              return Co.await(
                  Co.seq(
                      x -> Co.await(sleep(1)),
                      x -> {
                        q.shutdown(true);
                        return Co.await(joiner);
                      }));
            });
    assertThat(r).isEqualTo("joined");
    assertThat(q.size()).isZero();
  }

  @Test
  void getAndPut_actWhenAwaited_notWhenCalled() {
    Queue<String> q = new Queue<>();
    q.putNowait("x");
    Coroutine<Void> put = q.put("y");
    Coroutine<String> get = q.get();
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.getNowait()).isEqualTo("x");
    run(Co.awaiting(put));
    assertThat(q.size()).isEqualTo(1);
    Object r = run(Co.awaiting(get));
    assertThat(r).isEqualTo("y");
  }

  @Test
  void waitingGetterCancelled_leavesTheLine_withTheMessage_nextItemGoesToTheOther() {
    Queue<String> q = new Queue<>();
    Task<Object> first = loop.createTask(Co.awaiting(q.get()));
    Task<Object> second = loop.createTask(Co.awaiting(q.get()));
    loop.callLater(
        0.001,
        () -> {
          assertThat(q.toString()).contains("getters=2");
          first.cancel("go away");
          assertThat(q.toString()).contains("getters=1");
          first.uncancel(); // withdrawn too late: the wait was already cancelled, as a sleep's
          q.putNowait("x");
        });
    assertThat(loop.runUntilComplete(second)).isEqualTo("x");
    assertThat(first.isCancelled()).isTrue();
    assertThatThrownBy(first::result).hasMessage("go away");
    assertThat(q.toString()).doesNotContain("getters");
  }

  @Test
  void wokenGetterWhoseItemWasTaken_waitsAgainAtTheEndOfTheLine() {
    Queue<String> q = new Queue<>();
    List<String> log = new ArrayList<>();
    Task<Object> a = loop.createTask(Co.seq(x -> Co.await(q.get()), x -> log.add("A=" + x)));
    Task<Object> b = loop.createTask(Co.seq(x -> Co.await(q.get()), x -> log.add("B=" + x)));
    loop.callLater(
        0.001,
        () -> {
          q.putNowait("x"); // wakes A...
          assertThat(q.getNowait()).isEqualTo("x"); // ...which finds nothing and queues behind B
          loop.callLater(
              0.001,
              () -> {
                q.putNowait("y");
                q.putNowait("z");
              });
        });
    // both tasks, not a sleep: on a loaded machine the two timers may outlast any sleep
    loop.runUntilComplete(Co.seq(x -> Co.await(Coroutines.gather(a, b))));
    assertThat(log).containsExactly("B=y", "A=z");
  }

  @Test
  void cancelledBeforeItWaits_neverEntersTheLine() {
    Queue<String> q = new Queue<>();
    Task<Object> t =
        loop.createTask(
            Co.seq(
                x -> {
                  Coroutines.currentTask().cancel(); // requested while running...
                  return Co.await(q.get()); // ...delivered at the wait
                }));
    assertThatThrownBy(() -> loop.runUntilComplete(t))
        .isInstanceOf(java.util.concurrent.CancellationException.class);
    assertThat(q.toString()).doesNotContain("getters");
    q.putNowait("kept");
    assertThat(q.getNowait()).isEqualTo("kept");
  }

  @Test
  void getAndPut_awaitedOperationIsHandedOutAgain_awaitingItTwiceStillThrows() {
    Queue<String> q = new Queue<>();
    Coroutine<Void> put = q.put("a");
    loop.runUntilComplete(loop.createTask(put));
    Coroutine<String> get = q.get();
    assertThat(loop.runUntilComplete(loop.createTask(get))).isEqualTo("a");
    // awaited a second time before the next call hands it out again: refused, as any coroutine
    assertThatThrownBy(() -> loop.runUntilComplete(loop.createTask(get)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("runs at most once");
    assertThatThrownBy(() -> loop.runUntilComplete(loop.createTask(put)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("runs at most once");
    // the next calls reuse the objects: no allocation per operation
    Coroutine<Void> put2 = q.put("b");
    assertThat(put2).isSameAs(put);
    Coroutine<Void> put3 = q.put("c"); // put2 not awaited yet: a fresh one
    assertThat(put3).isNotSameAs(put2);
    loop.runUntilComplete(loop.createTask(put3));
    loop.runUntilComplete(loop.createTask(put2));
    assertThat(q.get()).isSameAs(get);
    assertThat(q.getNowait()).isEqualTo("c");
    assertThat(q.getNowait()).isEqualTo("b");
    loopErrors.clear(); // the refused awaits' tasks failed
  }

  @Test
  void debugMode_everyCallIsAFreshTrackedCoroutine() {
    loop.setDebug(true);
    Queue<String> q = new Queue<>();
    Coroutine<Void> put = q.put("a");
    loop.runUntilComplete(loop.createTask(put));
    assertThat(q.put("b")).isNotSameAs(put);
  }

  @Test
  void waitingPutter_keepsItsItemInTheLine_inOrder() {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(0);
    for (int i = 1; i <= 3; i++) {
      loop.createTask(Co.awaiting(q.put(i)));
    }
    List<Object> got = new ArrayList<>();
    loop.runUntilComplete(
        Co.seq(
            x -> Co.await(sleep(1)),
            x -> {
              assertThat(q.toString()).contains("putters=3");
              return Co.await(q.get());
            },
            x -> {
              got.add(x);
              return Co.await(q.get());
            },
            x -> {
              got.add(x);
              return Co.await(q.get());
            },
            x -> {
              got.add(x);
              return Co.await(q.get());
            },
            x -> got.add(x)));
    assertThat(got).containsExactly(0, 1, 2, 3);
  }
}
