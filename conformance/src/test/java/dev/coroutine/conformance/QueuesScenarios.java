package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.waitFor;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.sync.LifoQueue;
import dev.coroutine.sync.PriorityQueue;
import dev.coroutine.sync.Queue;
import dev.coroutine.sync.QueueEmptyException;
import dev.coroutine.sync.QueueFullException;
import dev.coroutine.sync.QueueShutDownException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** Twins of src/test/python/queues.py: Queue, LifoQueue, PriorityQueue. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class QueuesScenarios {
  private QueuesScenarios() {}

  private static final String TASK_DONE_ERROR =
      "taskDone() called more often than items were put throws IllegalStateException (a call in"
          + " the wrong state), where asyncio raises ValueError";

  @Scenario("fifo_lifo_priority_order")
  @Async
  static Coroutine<Void> order() {
    List<Queue<Integer>> queues = List.of(new Queue<>(), new LifoQueue<>(), new PriorityQueue<>());
    for (Queue<Integer> q : queues) {
      for (int i : new int[] {3, 1, 4, 1, 5}) {
        await(q.put(i));
      }
      List<Integer> out = new ArrayList<>();
      while (!q.isEmpty()) {
        out.add(await(q.get()));
      }
      log(q.getClass().getSimpleName(), out);
    }
    return done();
  }

  @Scenario("sizes_and_flags")
  @Async
  static Coroutine<Void> sizes() {
    Queue<String> q = new Queue<>(2);
    log(q.maxsize(), q.size(), q.isEmpty(), q.isFull());
    q.putNowait("a");
    log(q.size(), q.isEmpty(), q.isFull());
    q.putNowait("b");
    log(q.size(), q.isEmpty(), q.isFull());
    Queue<Integer> u = new Queue<>();
    for (int i = 0; i < 100; i++) {
      u.putNowait(i);
    }
    log(u.maxsize(), u.size(), u.isFull());
    Queue<Integer> n = new Queue<>(-3);
    n.putNowait(1);
    n.putNowait(2);
    log("negative maxsize is unbounded", n.isFull());
    return done();
  }

  @Scenario("nowait_errors")
  @Async
  static Coroutine<Void> nowaitErrors() {
    Queue<Integer> q = new Queue<>(1);
    try {
      q.getNowait();
    } catch (QueueEmptyException e) {
      log("get_nowait", e);
    }
    q.putNowait(1);
    try {
      q.putNowait(2);
    } catch (QueueFullException e) {
      log("put_nowait", e);
    }
    log(q.getNowait(), q.size());
    return done();
  }

  @Scenario("get_does_nothing_until_awaited")
  @Async
  static Coroutine<Void> getLazy() {
    Queue<String> q = new Queue<>();
    q.putNowait("x");
    Coroutine<String> c = q.get();
    log("called", q.size());
    log("nowait takes it", q.getNowait());
    Task<String> t = createTask(c);
    await(sleep(0));
    log("get waits now", t.isDone());
    q.putNowait("y");
    log("got", await(t));
    return done();
  }

  @Scenario("put_does_nothing_until_awaited")
  @Async
  static Coroutine<Void> putLazy() {
    Queue<String> q = new Queue<>(1);
    Coroutine<Void> c = q.put("x");
    log("called", q.size());
    q.putNowait("first");
    Task<Void> t = createTask(c);
    await(sleep(0));
    log("put waits now", t.isDone(), q.size());
    log("got", q.getNowait());
    await(t);
    log("put done", q.getNowait());
    return done();
  }

  @Async
  static <T> Coroutine<T> getter(Queue<T> q, String name) {
    T item = await(q.get());
    log(name, "got", item);
    return done(item);
  }

  @Scenario("getters_served_in_order")
  @Async
  static Coroutine<Void> gettersInOrder() {
    Queue<Integer> q = new Queue<>();
    List<Task<Integer>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b", "c")) {
      tasks.add(createTask(getter(q, n)));
    }
    await(sleep(0));
    for (int i = 0; i < 3; i++) {
      q.putNowait(i);
    }
    log("put three");
    await(gather(tasks));
    return done();
  }

  @Async
  static <T> Coroutine<Void> putter(Queue<T> q, String name, T item) {
    log(name, "putting", item);
    await(q.put(item));
    log(name, "put", item);
    return done();
  }

  @Scenario("putters_wait_for_room_in_order")
  @Async
  static Coroutine<Void> puttersInOrder() {
    Queue<Integer> q = new Queue<>(1);
    List<Task<Void>> tasks = new ArrayList<>();
    List<String> names = List.of("a", "b", "c");
    for (int i = 0; i < 3; i++) {
      tasks.add(createTask(putter(q, names.get(i), i)));
    }
    await(sleep(0));
    log("size", q.size(), q.isFull());
    for (int i = 0; i < 3; i++) {
      log("main got", await(q.get()));
      await(sleep(0));
    }
    await(gather(tasks));
    return done();
  }

  @Scenario("get_with_putters_waiting")
  @Async
  static Coroutine<Void> getWithPutters() {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(1);
    Task<Void> p = createTask(q.put(2));
    await(sleep(0));
    log("get", await(q.get()), p.isDone());
    await(sleep(0));
    log(state(p), q.size(), q.getNowait());
    return done();
  }

  @Async
  static Coroutine<Void> ponger(Queue<Integer> ping, Queue<Integer> pong) {
    for (int i = 0; i < 5; i++) {
      int v = await(ping.get());
      await(pong.put(v * 10));
    }
    return done();
  }

  @Scenario("ping_pong_one_slot_queues")
  @Async
  static Coroutine<Void> pingPong() {
    Queue<Integer> ping = new Queue<>(1);
    Queue<Integer> pong = new Queue<>(1);
    Task<Void> t = createTask(ponger(ping, pong));
    List<Integer> got = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      await(ping.put(i));
      got.add(await(pong.get()));
    }
    await(t);
    log(got);
    return done();
  }

  @Scenario("cancelled_getter_is_skipped")
  @Async
  static Coroutine<Void> cancelledGetterSkipped() {
    Queue<String> q = new Queue<>();
    Task<String> a = createTask(getter(q, "a"));
    Task<String> b = createTask(getter(q, "b"));
    await(sleep(0));
    a.cancel();
    await(sleep(0));
    q.putNowait("item");
    await(b);
    log(state(a), state(b), q.size());
    return done();
  }

  @Scenario("woken_getter_cancelled_passes_item_on")
  @Async
  static Coroutine<Void> wokenGetterCancelled() {
    Queue<String> q = new Queue<>();
    Task<String> a = createTask(getter(q, "a"));
    Task<String> b = createTask(getter(q, "b"));
    await(sleep(0));
    q.putNowait("item");
    a.cancel();
    await(sleep(0));
    await(sleep(0));
    log(state(a), state(b), q.size());
    return done();
  }

  @Scenario("woken_getter_cancelled_item_taken_by_nowait")
  @Async
  static Coroutine<Void> wokenGetterItemTaken() {
    Queue<String> q = new Queue<>();
    Task<String> a = createTask(getter(q, "a"));
    Task<String> b = createTask(getter(q, "b"));
    await(sleep(0));
    q.putNowait("item");
    log("main takes", q.getNowait());
    a.cancel();
    await(sleep(0));
    log(state(a), b.isDone());
    q.putNowait("second");
    await(b);
    log(state(b));
    return done();
  }

  @Scenario("cancelled_putter_is_skipped")
  @Async
  static Coroutine<Void> cancelledPutterSkipped() {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(0);
    Task<Void> a = createTask(putter(q, "a", 1));
    Task<Void> b = createTask(putter(q, "b", 2));
    await(sleep(0));
    a.cancel();
    await(sleep(0));
    log("main got", q.getNowait());
    await(b);
    log(state(a), q.size(), q.getNowait());
    return done();
  }

  @Scenario("woken_putter_cancelled_passes_slot_on")
  @Async
  static Coroutine<Void> wokenPutterCancelled() {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(0);
    Task<Void> a = createTask(putter(q, "a", 1));
    Task<Void> b = createTask(putter(q, "b", 2));
    await(sleep(0));
    log("main got", q.getNowait());
    a.cancel();
    await(sleep(0));
    await(sleep(0));
    log(state(a), state(b), q.size(), q.getNowait());
    return done();
  }

  @Scenario("why_are_putters_waiting")
  @Async
  static Coroutine<Void> whyPuttersWaiting() {
    Queue<Integer> q = new Queue<>(2);
    q.putNowait(0);
    q.putNowait(1);
    Task<Void> a = createTask(putter(q, "a", 2));
    Task<Void> b = createTask(putter(q, "b", 3));
    await(sleep(0));
    log("two waiting putters", q.size());
    q.getNowait();
    q.getNowait();
    log("two slots freed", q.size());
    await(gather(a, b));
    log("size", q.size(), List.of(q.getNowait(), q.getNowait()));
    return done();
  }

  @Scenario("get_wait_cancelled_then_queue_still_works")
  @Async
  static Coroutine<Void> getCancelledQueueWorks() {
    Queue<String> q = new Queue<>();
    Task<String> t = createTask(q.get());
    await(sleep(0));
    t.cancel();
    try {
      await(t);
    } catch (CancellationException e) {
      log("get cancelled");
    }
    await(q.put("x"));
    log("get", await(q.get()));
    return done();
  }

  @Async
  static Coroutine<Void> worker(Queue<Integer> q) {
    while (true) {
      int item = await(q.get());
      await(sleep(0));
      log("processed", item);
      q.taskDone();
    }
  }

  @Scenario("join_waits_for_task_done")
  @Async
  static Coroutine<Void> joinWaits() {
    Queue<Integer> q = new Queue<>();
    for (int i = 0; i < 3; i++) {
      q.putNowait(i);
    }
    Task<Void> w = createTask(worker(q));
    await(q.join());
    log("joined", q.size());
    w.cancel();
    return done();
  }

  @Scenario("join_on_empty_queue_returns")
  @Async
  static Coroutine<Void> joinEmpty() {
    Queue<Integer> q = new Queue<>();
    getRunningLoop().callSoon(() -> log("callback"));
    await(q.join());
    log("joined at once");
    await(sleep(0));
    return done();
  }

  @Scenario("join_counts_puts_not_gets")
  @Async
  static Coroutine<Void> joinCountsPuts() {
    Queue<String> q = new Queue<>();
    q.putNowait("a");
    q.putNowait("b");
    q.getNowait();
    q.getNowait();
    Task<Void> j = createTask(q.join());
    await(sleep(0));
    log("empty but unfinished", j.isDone());
    q.taskDone();
    await(sleep(0));
    log("one done", j.isDone());
    q.taskDone();
    await(sleep(0));
    log("both done", j.isDone());
    return done();
  }

  @Async
  static Coroutine<Void> joiner(Queue<Integer> q, String name) {
    await(q.join());
    log(name, "joined");
    return done();
  }

  @Scenario("several_joiners_all_wake")
  @Async
  static Coroutine<Void> severalJoiners() {
    Queue<Integer> q = new Queue<>();
    q.putNowait(1);
    Task<Void> a = createTask(joiner(q, "a"));
    Task<Void> b = createTask(joiner(q, "b"));
    await(sleep(0));
    q.getNowait();
    q.taskDone();
    await(gather(a, b));
    return done();
  }

  @Scenario("task_done_too_many_times")
  @Differs(
      reason = TASK_DONE_ERROR,
      asyncio = {"task_done ValueError", "task_done again ValueError"},
      ours = {"task_done RuntimeError", "task_done again RuntimeError"})
  @Async
  static Coroutine<Void> taskDoneTooMany() {
    Queue<Integer> q = new Queue<>();
    try {
      q.taskDone();
    } catch (IllegalStateException e) {
      log("task_done", e);
    }
    q.putNowait(1);
    q.getNowait();
    q.taskDone();
    try {
      q.taskDone();
    } catch (IllegalStateException e) {
      log("task_done again", e);
    }
    return done();
  }

  @Scenario("shutdown_refuses_puts_drains_gets")
  @Async
  static Coroutine<Void> shutdownRefusesPuts() {
    Queue<Integer> q = new Queue<>();
    q.putNowait(1);
    q.putNowait(2);
    q.shutdown(false);
    try {
      q.putNowait(3);
    } catch (QueueShutDownException e) {
      log("put_nowait", e);
    }
    try {
      await(q.put(3));
    } catch (QueueShutDownException e) {
      log("put", e);
    }
    log("get", await(q.get()), q.getNowait());
    try {
      await(q.get());
    } catch (QueueShutDownException e) {
      log("get", e);
    }
    try {
      q.getNowait();
    } catch (QueueShutDownException e) {
      log("get_nowait", e);
    }
    return done();
  }

  @Async
  static Coroutine<Void> waitingGetter(Queue<Integer> q, String name) {
    try {
      await(q.get());
    } catch (QueueShutDownException e) {
      log(name, "shut down");
    }
    return done();
  }

  @Scenario("shutdown_wakes_waiting_getters")
  @Async
  static Coroutine<Void> shutdownWakesGetters() {
    Queue<Integer> q = new Queue<>();
    Task<Void> a = createTask(waitingGetter(q, "a"));
    Task<Void> b = createTask(waitingGetter(q, "b"));
    await(sleep(0));
    q.shutdown(false);
    await(gather(a, b));
    return done();
  }

  @Async
  static Coroutine<Void> waitingPutter(Queue<String> q, String name) {
    try {
      await(q.put(name));
    } catch (QueueShutDownException e) {
      log(name, "shut down");
    }
    return done();
  }

  @Scenario("shutdown_wakes_waiting_putters")
  @Async
  static Coroutine<Void> shutdownWakesPutters() {
    Queue<String> q = new Queue<>(1);
    q.putNowait("0");
    Task<Void> a = createTask(waitingPutter(q, "a"));
    Task<Void> b = createTask(waitingPutter(q, "b"));
    await(sleep(0));
    q.shutdown(false);
    await(gather(a, b));
    log("item left", q.size(), Integer.parseInt(q.getNowait()));
    return done();
  }

  @Scenario("shutdown_immediate_drops_items_and_releases_join")
  @Differs(
      reason = TASK_DONE_ERROR,
      asyncio = "task_done ValueError",
      ours = "task_done RuntimeError")
  @Async
  static Coroutine<Void> shutdownImmediate() {
    Queue<Integer> q = new Queue<>();
    for (int i = 0; i < 3; i++) {
      q.putNowait(i);
    }
    q.getNowait();
    Task<Void> j = createTask(q.join());
    await(sleep(0));
    log("joining", j.isDone());
    q.shutdown(true);
    log("size", q.size());
    await(sleep(0));
    log("join after immediate shutdown", j.isDone());
    try {
      await(q.get());
    } catch (QueueShutDownException e) {
      log("get", e);
    }
    q.taskDone();
    try {
      q.taskDone();
    } catch (IllegalStateException e) {
      log("task_done", e);
    }
    return done();
  }

  @Scenario("shutdown_not_immediate_join_still_waits")
  @Async
  static Coroutine<Void> shutdownJoinWaits() {
    Queue<Integer> q = new Queue<>();
    q.putNowait(1);
    q.shutdown(false);
    Task<Void> j = createTask(q.join());
    await(sleep(0));
    log("join waits", j.isDone());
    log("drain", q.getNowait());
    q.taskDone();
    await(sleep(0));
    log("joined", j.isDone());
    return done();
  }

  @Scenario("shutdown_twice_and_immediate_after")
  @Async
  static Coroutine<Void> shutdownTwice() {
    Queue<String> q = new Queue<>();
    q.putNowait("a");
    q.shutdown(false);
    q.shutdown(false);
    log("size", q.size());
    q.shutdown(true);
    log("size", q.size());
    return done();
  }

  @Scenario("priority_queue_with_waiting_getter")
  @Async
  static Coroutine<Void> priorityWaitingGetter() {
    PriorityQueue<Integer> q = new PriorityQueue<>();
    Task<Integer> t = createTask(getter(q, "g"));
    await(sleep(0));
    q.putNowait(5);
    q.putNowait(1);
    await(t);
    log("left", q.getNowait());
    return done();
  }

  @Scenario("lifo_queue_with_maxsize")
  @Async
  static Coroutine<Void> lifoMaxsize() {
    LifoQueue<String> q = new LifoQueue<>(2);
    q.putNowait("a");
    q.putNowait("b");
    Task<Void> p = createTask(putter(q, "p", "c"));
    await(sleep(0));
    log("get", q.getNowait());
    await(p);
    log("rest", q.getNowait(), q.getNowait());
    return done();
  }

  @Scenario("none_is_a_valid_item")
  @Async
  static Coroutine<Void> nullItem() {
    Queue<String> q = new Queue<>();
    q.putNowait(null);
    Task<String> t = createTask(q.get());
    log("got", await(t), q.size());
    return done();
  }

  @Scenario("get_timeout_loses_no_item")
  @Async
  static Coroutine<Void> getTimeout() {
    Queue<String> q = new Queue<>();
    try {
      await(waitFor(q.get(), Duration.ofMillis(2)));
    } catch (TimeoutException e) {
      log("get timed out", q.size());
    }
    q.putNowait("x");
    log("item still there", q.size(), await(q.get()));
    return done();
  }

  @Scenario("put_timeout_loses_no_slot")
  @Async
  static Coroutine<Void> putTimeout() {
    Queue<String> q = new Queue<>(1);
    q.putNowait("a");
    try {
      await(waitFor(q.put("b"), Duration.ofMillis(2)));
    } catch (TimeoutException e) {
      log("put timed out", q.size());
    }
    log("got", q.getNowait());
    await(q.put("c"));
    log("slot free again", q.size(), q.getNowait());
    return done();
  }

  @Scenario("join_cancelled_then_queue_still_joins")
  @Async
  static Coroutine<Void> joinCancelled() {
    Queue<Integer> q = new Queue<>();
    q.putNowait(1);
    Task<Void> j = createTask(q.join());
    await(sleep(0));
    j.cancel();
    await(sleep(0));
    log(state(j));
    q.getNowait();
    q.taskDone();
    await(q.join());
    log("joined");
    return done();
  }

  @Async
  static Coroutine<Void> consumer(Queue<Integer> q, String name, List<Integer> got) {
    while (true) {
      Integer item = await(q.get());
      q.taskDone();
      if (item == null) {
        return done();
      }
      got.add(item);
    }
  }

  @Scenario("producer_consumers_with_sentinels")
  @Async
  static Coroutine<Void> producerConsumers() {
    Queue<Integer> q = new Queue<>(2);
    List<Integer> got = new ArrayList<>();
    List<Task<Void>> cs =
        List.of(createTask(consumer(q, "c1", got)), createTask(consumer(q, "c2", got)));
    for (int i = 0; i < 6; i++) {
      await(q.put(i));
    }
    for (int i = 0; i < cs.size(); i++) {
      await(q.put(null));
    }
    await(q.join());
    await(gather(cs));
    List<Integer> sorted = new ArrayList<>(got);
    sorted.sort(null);
    log(sorted, got.size());
    return done();
  }

  @Scenario("get_task_cancelled_before_start_keeps_item")
  @Async
  static Coroutine<Void> getTaskCancelledEarly() {
    Queue<String> q = new Queue<>();
    q.putNowait("x");
    Task<String> t = createTask(q.get());
    t.cancel();
    await(sleep(0));
    log(state(t), q.size(), q.getNowait());
    return done();
  }

  @Scenario("put_task_cancelled_before_start_puts_nothing")
  @Async
  static Coroutine<Void> putTaskCancelledEarly() {
    Queue<String> q = new Queue<>();
    Task<Void> t = createTask(q.put("x"));
    t.cancel();
    await(sleep(0));
    log(state(t), q.size());
    return done();
  }
}
