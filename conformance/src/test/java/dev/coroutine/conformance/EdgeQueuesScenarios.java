package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gatherReturnExceptions;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.sync.PriorityQueue;
import dev.coroutine.sync.Queue;
import dev.coroutine.sync.QueueShutDownException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/** Twins of src/test/python/edge_queues.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeQueuesScenarios {
  private EdgeQueuesScenarios() {}

  @Async
  static <T> Coroutine<T> getter(Queue<T> q, String name) {
    T item;
    try {
      item = await(q.get());
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    } catch (QueueShutDownException e) {
      log(name, "shut down");
      return done(null);
    }
    log(name, "got", item);
    return done(item);
  }

  @Async
  static <T> Coroutine<Void> putter(Queue<T> q, String name, T item) {
    try {
      await(q.put(item));
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    } catch (QueueShutDownException e) {
      log(name, "shut down");
      return done();
    }
    log(name, "put", item);
    return done();
  }

  @Scenario("woken_getter_finds_item_taken_and_waits_again")
  @Async
  static Coroutine<Void> wokenGetterFindsItemTaken() {
    Queue<Integer> q = new Queue<>();
    Task<Integer> g = createTask(getter(q, "g"));
    await(sleep(0));
    q.putNowait(1);
    log("main takes", q.getNowait());
    await(sleep(0));
    await(sleep(0));
    log("getter still waits", g.isDone());
    q.putNowait(2);
    await(g);
    log(state(g), q.size());
    return done();
  }

  @Scenario("woken_putter_finds_slot_taken_and_waits_again")
  @Async
  static Coroutine<Void> wokenPutterFindsSlotTaken() {
    Queue<String> q = new Queue<>(1);
    q.putNowait("first");
    Task<Void> p = createTask(putter(q, "p", "late"));
    await(sleep(0));
    log("main takes", q.getNowait());
    q.putNowait("main");
    await(sleep(0));
    await(sleep(0));
    log("putter still waits", p.isDone(), q.size());
    log("main takes", q.getNowait());
    await(p);
    log("left", q.getNowait(), q.size());
    return done();
  }

  @Scenario("cancelled_reader_then_new_reader_gets_first_item")
  @Async
  static Coroutine<Void> cancelledReaderThenNewReader() {
    Queue<Integer> q = new Queue<>();
    Task<Integer> r = createTask(getter(q, "r1"));
    await(sleep(0));
    q.putNowait(1);
    q.putNowait(2);
    r.cancel();
    try {
      await(r);
    } catch (CancellationException e) {
      r = createTask(getter(q, "r2"));
      await(r);
    }
    log(state(r), q.size());
    return done();
  }

  @Scenario("first_of_three_readers_cancelled_after_two_puts")
  @Async
  static Coroutine<Void> firstOfThreeReadersCancelled() {
    Queue<Integer> q = new Queue<>();
    List<Task<Integer>> readers = new ArrayList<>();
    for (String n : List.of("r1", "r2", "r3")) {
      readers.add(createTask(getter(q, n)));
    }
    await(sleep(0));
    q.putNowait(1);
    q.putNowait(2);
    readers.get(0).cancel();
    await(gatherReturnExceptions(readers));
    log(EdgeLocksScenarios.states(readers), q.size());
    return done();
  }

  @Scenario("cancelled_writer_then_new_writer_puts")
  @Async
  static Coroutine<Void> cancelledWriterThenNewWriter() {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(1);
    Task<Void> w = createTask(putter(q, "w1", 2));
    await(sleep(0));
    log("took", q.getNowait());
    w.cancel();
    try {
      await(w);
    } catch (CancellationException e) {
      w = createTask(putter(q, "w2", 2));
      await(w);
    }
    log("took", q.getNowait(), q.size());
    return done();
  }

  @Scenario("third_putter_cancelled_while_second_waits")
  @Async
  static Coroutine<Void> thirdPutterCancelled() {
    Queue<String> q = new Queue<>(1);
    Task<Void> pa = createTask(putter(q, "a", "a"));
    Task<Void> pb = createTask(putter(q, "b", "b"));
    Task<Void> pc = createTask(putter(q, "c", "X"));
    await(sleep(0));
    log(pa.isDone(), pb.isDone());
    pc.cancel();
    await(sleep(0));
    log(state(pc), q.getNowait());
    await(sleep(0));
    log(q.getNowait(), state(pb));
    return done();
  }

  @Async
  static Coroutine<Void> joiner(Queue<Integer> q) {
    await(q.join());
    log("joined, unfinished items", q.size());
    return done();
  }

  @Scenario("join_woken_then_put_before_joiner_runs")
  @Async
  static Coroutine<Void> joinWokenThenPut() {
    Queue<Integer> q = new Queue<>();
    q.putNowait(1);
    Task<Void> j = createTask(joiner(q));
    await(sleep(0));
    q.getNowait();
    q.taskDone();
    q.putNowait(2);
    await(sleep(0));
    log("joiner", state(j));
    Task<Void> j2 = createTask(q.join());
    await(sleep(0));
    log("a new join waits", j2.isDone());
    q.getNowait();
    q.taskDone();
    await(j2);
    log("second joined");
    return done();
  }

  @Async
  static Coroutine<Void> cancelledJoiner(Queue<Integer> q) {
    try {
      await(q.join());
      log("joined");
    } catch (CancellationException e) {
      log("join cancelled");
      throw e;
    }
    return done();
  }

  @Scenario("join_cancelled_while_woken")
  @Async
  static Coroutine<Void> joinCancelledWhileWoken() {
    Queue<Integer> q = new Queue<>();
    q.putNowait(1);
    Task<Void> j = createTask(cancelledJoiner(q));
    await(sleep(0));
    q.getNowait();
    q.taskDone();
    j.cancel();
    await(gatherReturnExceptions(j));
    log(state(j));
    return done();
  }

  @Scenario("unbounded_maxsize_zero_and_negative")
  @Async
  static Coroutine<Void> unboundedMaxsize() {
    for (int n : new int[] {0, -1}) {
      Queue<Integer> q = new Queue<>(n);
      for (int i = 0; i < 50; i++) {
        q.putNowait(i);
      }
      log("maxsize", n, q.size(), q.isFull());
      await(q.put(50));
      log("put did not wait", q.size());
    }
    return done();
  }

  @Scenario("shutdown_after_put_woke_getter_still_gets_item")
  @Async
  static Coroutine<Void> shutdownAfterPutWokeGetter() {
    Queue<Integer> q = new Queue<>();
    Task<Integer> g = createTask(getter(q, "g"));
    await(sleep(0));
    q.putNowait(1);
    q.shutdown();
    await(g);
    log(state(g), q.size());
    return done();
  }

  @Scenario("shutdown_immediate_after_put_woke_getter")
  @Async
  static Coroutine<Void> shutdownImmediateAfterPutWokeGetter() {
    Queue<Integer> q = new Queue<>();
    Task<Integer> g = createTask(getter(q, "g"));
    await(sleep(0));
    q.putNowait(1);
    q.shutdown(true);
    await(g);
    log(state(g), q.size());
    return done();
  }

  @Scenario("shutdown_immediate_with_an_item_taken_join_waits")
  @Async
  static Coroutine<Void> shutdownImmediateJoinWaits() {
    Queue<Integer> q = new Queue<>();
    q.putNowait(1);
    q.putNowait(2);
    log("took", q.getNowait());
    Task<Void> j = createTask(q.join());
    await(sleep(0));
    q.shutdown(true);
    await(sleep(0));
    log("after shutdown", q.size(), j.isDone());
    q.taskDone();
    await(sleep(0));
    log("after task_done", j.isDone());
    return done();
  }

  @Scenario("shutdown_immediate_wakes_putters_and_empties")
  @Async
  static Coroutine<Void> shutdownImmediateWakesPutters() {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(0);
    Task<Void> p = createTask(putter(q, "p", 1));
    await(sleep(0));
    q.shutdown(true);
    await(p);
    log(state(p), q.size(), q.isEmpty());
    try {
      q.getNowait();
    } catch (QueueShutDownException e) {
      log("get_nowait shut down");
    }
    return done();
  }

  @Scenario("putter_woken_then_shutdown_raises")
  @Async
  static Coroutine<Void> putterWokenThenShutdown() {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(0);
    Task<Void> p = createTask(putter(q, "p", 1));
    await(sleep(0));
    log("took", q.getNowait());
    q.shutdown();
    await(p);
    log(state(p), q.size());
    return done();
  }

  @Scenario("priority_queue_shutdown_drains_in_priority_order")
  @Async
  static Coroutine<Void> priorityQueueShutdownDrains() {
    PriorityQueue<Integer> q = new PriorityQueue<>();
    for (int i : new int[] {3, 1, 2}) {
      q.putNowait(i);
    }
    q.shutdown();
    List<Integer> out = new ArrayList<>();
    while (true) {
      try {
        out.add(await(q.get()));
      } catch (QueueShutDownException e) {
        break;
      }
    }
    log(out, q.size());
    return done();
  }

  @Scenario("shutdown_while_getter_cancelled")
  @Async
  static Coroutine<Void> shutdownWhileGetterCancelled() {
    Queue<Integer> q = new Queue<>();
    Task<Integer> a = createTask(getter(q, "a"));
    Task<Integer> b = createTask(getter(q, "b"));
    await(sleep(0));
    a.cancel();
    q.shutdown();
    await(gatherReturnExceptions(a, b));
    log(state(a), state(b));
    return done();
  }
}
