package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.asCompletedFutures;
import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.generate;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.AsyncIterable;
import dev.coroutine.AsyncIterator;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Emitter;
import dev.coroutine.Future;
import dev.coroutine.GeneratorExitException;
import dev.coroutine.Task;
import dev.coroutine.sync.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/** Twins of src/test/python/async_gen.py. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class AsyncGenScenarios {
  private AsyncGenScenarios() {}

  /** The scenarios' own exception. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Async
  static Coroutine<Void> numbers(Emitter<Integer> out, int n) {
    log("start");
    try {
      for (int i = 0; i < n; i++) {
        log("yield", i);
        await(out.emit(i));
        log("resumed", i);
      }
    } catch (GeneratorExitException e) {
      log("exit at the yield");
      throw e;
    } finally {
      log("finally");
    }
    return done();
  }

  @Scenario("lazy_and_taking_turns")
  @Async
  static Coroutine<Void> lazyAndTakingTurns() {
    AsyncIterable<Integer> g = generate(out -> numbers(out, 2));
    log("created");
    try (AsyncIterator<Integer> it = g.iterator()) {
      while (await(it.hasNext())) {
        log("got", it.next());
      }
    }
    log("done");
    return done();
  }

  @Scenario("early_break_then_aclose_runs_finally")
  @Async
  static Coroutine<Void> earlyBreakThenAclose() {
    AsyncIterator<Integer> g = numbersIterator(5);
    while (await(g.hasNext())) {
      int v = g.next();
      log("got", v);
      if (v == 1) {
        break;
      }
    }
    log("broke");
    await(g.aclose());
    log("closed");
    while (await(g.hasNext())) {
      log("never", g.next());
    }
    log("nothing after aclose");
    await(g.aclose());
    log("aclose again is harmless");
    return done();
  }

  @Scenario("aclose_before_start_runs_nothing")
  @Async
  static Coroutine<Void> acloseBeforeStart() {
    AsyncIterator<Integer> g = numbersIterator(3);
    await(g.aclose());
    while (await(g.hasNext())) {
      log("never", g.next());
    }
    log("closed before start");
    return done();
  }

  @Scenario("dropped_generator_is_closed_by_a_task")
  @Async
  static Coroutine<Void> droppedIsClosedByATask() {
    try (AsyncIterator<Integer> g = numbersIterator(5)) {
      while (await(g.hasNext())) {
        log("got", g.next());
        break;
      }
    } // close(): a task throws the exit in at the emit
    log("dropped");
    await(sleep(0));
    await(sleep(0));
    log("after two passes");
    return done();
  }

  @Scenario("run_closes_a_suspended_generator_at_its_end")
  @Async
  static Coroutine<Void> runClosesASuspendedGenerator() {
    AsyncIterator<Integer> g = numbersIterator(3); // never closed here: run() closes it at its end
    await(g.hasNext());
    log("got", g.next());
    log("main returns");
    return done();
  }

  @Async
  static Coroutine<Void> failing(Emitter<Integer> out) {
    await(out.emit(1));
    await(sleep(1));
    throw new Boom();
  }

  @Scenario("exception_arrives_at_the_consumer")
  @Async
  static Coroutine<Void> exceptionArrives() {
    AsyncIterator<Integer> g = Coroutines.<Integer>generate(AsyncGenScenarios::failing).iterator();
    try {
      while (await(g.hasNext())) {
        log("got", g.next());
      }
    } catch (Boom e) {
      log("raised", e);
    }
    while (await(g.hasNext())) {
      log("never", g.next());
    }
    log("ended");
    return done();
  }

  @Async
  static Coroutine<Void> cleanupThatFails(Emitter<Integer> out) {
    try {
      await(out.emit(1));
    } finally {
      await(sleep(0));
      log("cleanup awaited");
      failNow();
    }
    return done();
  }

  private static void failNow() {
    throw new Boom();
  }

  @Scenario("aclose_raises_what_the_cleanup_raises")
  @Async
  static Coroutine<Void> acloseRaisesCleanupFailure() {
    AsyncIterator<Integer> g =
        Coroutines.<Integer>generate(AsyncGenScenarios::cleanupThatFails).iterator();
    while (await(g.hasNext())) {
      log("got", g.next());
      break;
    }
    try {
      await(g.aclose());
    } catch (Boom e) {
      log("aclose raised", e);
    }
    return done();
  }

  @Async
  static Coroutine<Void> slowNumbers(Emitter<Integer> out) {
    try {
      int i = 0;
      while (true) {
        await(out.emit(i));
        i++;
        await(sleep(3_600_000));
      }
    } catch (CancellationException e) {
      log("producer got", e);
      throw e;
    } finally {
      log("producer finally");
    }
  }

  @Async
  static Coroutine<Void> consumer(Future<Void> gate) {
    try (AsyncIterator<Integer> it =
        Coroutines.<Integer>generate(AsyncGenScenarios::slowNumbers).iterator()) {
      while (await(it.hasNext())) {
        log("got", it.next());
        if (!gate.isDone()) {
          gate.setResult(null);
        }
      }
    }
    return done();
  }

  @Scenario("cancelling_the_consumer_cancels_the_producer")
  @Async
  static Coroutine<Void> cancellingConsumerCancelsProducer() {
    Future<Void> gate = getRunningLoop().createFuture();
    Task<Void> t = createTask(consumer(gate));
    await(gate);
    log("cancel");
    t.cancel();
    try {
      await(t);
    } catch (CancellationException e) {
      log("consumer", state(t));
    }
    return done();
  }

  @Async
  static Coroutine<Void> queueProducer(Queue<Integer> q) {
    for (int i = 0; i < 5; i++) {
      await(q.put(i));
      log("put", i);
    }
    await(q.put(null));
    return done();
  }

  @Scenario("generator_over_a_queue")
  @Async
  static Coroutine<Void> generatorOverAQueue() {
    Queue<Integer> q = new Queue<>(2);
    AsyncIterable<Integer> items =
        generate(
            out -> {
              while (true) {
                Integer item = await(q.get());
                if (item == null) {
                  return done();
                }
                await(out.emit(item));
              }
            });
    Task<Void> t = createTask(queueProducer(q));
    List<Integer> out = new ArrayList<>();
    try (AsyncIterator<Integer> it = items.iterator()) {
      while (await(it.hasNext())) {
        out.add(it.next());
      }
    }
    await(t);
    log(out);
    return done();
  }

  @Async
  static Coroutine<Void> doubled(AsyncIterable<Integer> src, Emitter<Integer> out) {
    try (AsyncIterator<Integer> it = src.iterator()) {
      while (await(it.hasNext())) {
        await(out.emit(it.next() * 2));
      }
    }
    return done();
  }

  @Scenario("a_generator_consuming_another")
  @Async
  static Coroutine<Void> generatorConsumingAnother() {
    AsyncIterable<Integer> three = generate(out -> numbers(out, 3));
    AsyncIterable<Integer> twice = generate(out -> doubled(three, out));
    log(await(twice.toList()));
    return done();
  }

  @Scenario("anext_twice_at_once_is_an_error")
  @Async
  static Coroutine<Void> anextTwiceAtOnce() {
    AsyncIterator<Integer> g =
        Coroutines.<Integer>generate(
                out -> {
                  await(sleep(1));
                  await(out.emit(1));
                  return done();
                })
            .iterator();
    Task<Boolean> first = createTask(g.hasNext());
    Task<Boolean> second = createTask(g.hasNext());
    await(first);
    log(g.next());
    try {
      await(second);
    } catch (IllegalStateException e) {
      log("second", e);
    }
    return done();
  }

  @Scenario("queue_iterated_until_shut_down")
  @Async
  static Coroutine<Void> queueIteratedUntilShutDown() {
    Queue<Integer> q = new Queue<>();
    for (int i = 0; i < 3; i++) {
      q.putNowait(i);
    }
    q.shutdown(false);
    log(await(q.toList())); // a Queue is an AsyncIterable, ending when shut down and empty
    return done();
  }

  @Async
  static Coroutine<String> sleeper(long millis, String value) {
    await(sleep(millis));
    return done(value);
  }

  @Scenario("as_completed_iterated_yields_the_tasks")
  @Async
  static Coroutine<Void> asCompletedIterated() {
    List<Task<String>> ts =
        List.of(
            createTask(sleeper(6, "a")), createTask(sleeper(2, "b")), createTask(sleeper(4, "c")));
    try (AsyncIterator<Future<String>> it = asCompletedFutures(ts).iterator()) {
      while (await(it.hasNext())) {
        Future<String> t = it.next();
        log(ts.contains(t), await(t));
      }
    }
    return done();
  }

  /** Python's {@code numbers(n)}, a generator object: an iterator of a fresh generate(). */
  private static AsyncIterator<Integer> numbersIterator(int n) {
    return Coroutines.<Integer>generate(out -> numbers(out, n)).iterator();
  }
}
