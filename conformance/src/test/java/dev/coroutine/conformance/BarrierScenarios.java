package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.gatherReturnExceptions;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.sync.Barrier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;

/**
 * Twins of src/test/python/barrier.py. asyncio's {@code reset()} and {@code abort()} are coroutines
 * (they take the barrier's internal lock, which is free outside {@code wait()}); ours are plain
 * methods with the same effect.
 */
final class BarrierScenarios {
  private BarrierScenarios() {}

  @Async
  static Coroutine<Integer> party(Barrier b, String name) throws BrokenBarrierException {
    log(name, "arrives", b.waiting());
    int i = await(b.await());
    log(name, "passes with index", i);
    return done(i);
  }

  @Scenario("releases_all_parties_together")
  @Async
  static Coroutine<Void> releasesAll() throws BrokenBarrierException {
    Barrier b = new Barrier(3);
    log("parties", b.parties(), b.waiting(), b.isBroken());
    List<Task<Integer>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b", "c")) {
      tasks.add(createTask(party(b, n)));
    }
    List<Integer> r = await(gather(tasks));
    log("indices", r, b.waiting(), b.isBroken());
    return done();
  }

  @Scenario("one_party_passes_at_once")
  @Async
  static Coroutine<Void> onePartyPasses() throws BrokenBarrierException {
    Barrier b = new Barrier(1);
    getRunningLoop().callSoon(() -> log("callback"));
    log("first", await(b.await()));
    log("second", await(b.await()));
    await(sleep(0));
    return done();
  }

  @Scenario("n_waiting_counts_arrivals")
  @Async
  static Coroutine<Void> nWaiting() throws BrokenBarrierException {
    Barrier b = new Barrier(3);
    Task<Integer> t1 = createTask(b.await());
    await(sleep(0));
    log("one", b.waiting());
    Task<Integer> t2 = createTask(b.await());
    await(sleep(0));
    log("two", b.waiting());
    Task<Integer> t3 = createTask(b.await());
    await(sleep(0));
    log("three", b.waiting(), List.of(t1.isDone(), t2.isDone(), t3.isDone()));
    await(gather(t1, t2, t3));
    log("after", b.waiting(), List.of(t1.result(), t2.result(), t3.result()));
    return done();
  }

  @Async
  static Coroutine<Void> rounds(Barrier b, String name) throws BrokenBarrierException {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      out.add(await(b.await()));
    }
    log(name, "rounds", out.size());
    return done();
  }

  @Scenario("reused_for_several_rounds")
  @Async
  static Coroutine<Void> reused() throws BrokenBarrierException {
    Barrier b = new Barrier(2);
    await(gather(rounds(b, "a"), rounds(b, "b")));
    log("n_waiting", b.waiting(), b.isBroken());
    return done();
  }

  @Scenario("cancelled_waiter_leaves_the_count")
  @Async
  static Coroutine<Void> cancelledWaiter() throws BrokenBarrierException {
    Barrier b = new Barrier(3);
    Task<Integer> t1 = createTask(b.await());
    await(sleep(0));
    Task<Integer> t2 = createTask(b.await());
    await(sleep(0));
    log("waiting", b.waiting());
    t1.cancel();
    await(sleep(0));
    log("after cancel", b.waiting(), state(t1));
    Task<Integer> t3 = createTask(b.await());
    await(sleep(0));
    log("refilled", b.waiting());
    Task<Integer> t4 = createTask(b.await());
    List<Integer> r = await(gather(t2, t3, t4));
    log("released", r, b.waiting(), b.isBroken());
    return done();
  }

  @Async
  static Coroutine<Void> brokenParty(Barrier b, String name) {
    try {
      await(b.await());
      log(name, "passed");
    } catch (BrokenBarrierException e) {
      log(name, "got", e);
    }
    return done();
  }

  @Scenario("reset_breaks_current_waiters")
  @Async
  static Coroutine<Void> resetBreaksWaiters() {
    Barrier b = new Barrier(3);
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b")) {
      tasks.add(createTask(brokenParty(b, n)));
    }
    await(sleep(0));
    log("waiting", b.waiting());
    b.reset();
    log("reset", b.waiting(), b.isBroken());
    await(gather(tasks));
    log("after", b.waiting(), b.isBroken());
    tasks.clear();
    for (String n : List.of("c", "d", "e")) {
      tasks.add(createTask(brokenParty(b, n)));
    }
    await(gather(tasks));
    log("reused", b.waiting());
    return done();
  }

  @Scenario("reset_of_empty_barrier")
  @Async
  static Coroutine<Void> resetEmpty() {
    Barrier b = new Barrier(2);
    b.reset();
    log("reset", b.waiting(), b.isBroken());
    await(gather(createTask(brokenParty(b, "a")), createTask(brokenParty(b, "b"))));
    return done();
  }

  @Scenario("abort_breaks_waiters_and_later_waits")
  @Async
  static Coroutine<Void> abortBreaks() {
    Barrier b = new Barrier(3);
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b")) {
      tasks.add(createTask(brokenParty(b, n)));
    }
    await(sleep(0));
    b.abort();
    log("aborted", b.isBroken(), b.waiting());
    await(gather(tasks));
    await(brokenParty(b, "late"));
    log("still broken", b.isBroken());
    return done();
  }

  @Scenario("reset_after_abort_restores")
  @Async
  static Coroutine<Void> resetAfterAbort() {
    Barrier b = new Barrier(2);
    b.abort();
    await(brokenParty(b, "x"));
    b.reset();
    log("reset", b.isBroken(), b.waiting());
    await(gather(brokenParty(b, "a"), brokenParty(b, "b")));
    return done();
  }

  @Async
  static Coroutine<Void> worker(Barrier b, String name, boolean fail) {
    try {
      await(b.await());
      if (fail) {
        throw new ArithmeticException();
      }
      await(b.await());
      log(name, "passed twice");
    } catch (ArithmeticException e) {
      log(name, "failed, aborts");
      b.abort();
    } catch (BrokenBarrierException e) {
      log(name, "broken");
    }
    return done();
  }

  @Scenario("abort_when_a_party_fails")
  @Async
  static Coroutine<Void> abortWhenFails() {
    Barrier b = new Barrier(3);
    await(gather(worker(b, "a", false), worker(b, "b", true), worker(b, "c", false)));
    log("broken", b.isBroken());
    return done();
  }

  @Scenario("invalid_parties")
  @Async
  static Coroutine<Void> invalidParties() {
    for (int n : new int[] {0, -1}) {
      try {
        new Barrier(n);
      } catch (IllegalArgumentException e) {
        log("parties", n, e);
      }
    }
    return done();
  }

  @Scenario("arrival_while_draining_waits_for_next_round")
  @Async
  static Coroutine<Void> arrivalWhileDraining() throws BrokenBarrierException {
    Barrier b = new Barrier(2);
    Task<Integer> ta = createTask(party(b, "a"));
    Task<Integer> tb = createTask(party(b, "b"));
    Task<Integer> tc = createTask(party(b, "c"));
    await(sleep(0));
    await(sleep(0));
    await(sleep(0));
    log("after the round", b.waiting(), ta.isDone(), tb.isDone(), tc.isDone());
    Task<Integer> td = createTask(party(b, "d"));
    List<Integer> r = await(gather(ta, tb, tc, td));
    log("indices", r, b.waiting());
    return done();
  }

  @Scenario("abort_while_draining")
  @Async
  static Coroutine<Void> abortWhileDraining() throws BrokenBarrierException {
    Barrier b = new Barrier(2);
    Task<Integer> ta = createTask(party(b, "a"));
    Task<Integer> tb = createTask(party(b, "b"));
    await(sleep(0));
    log("released, draining", b.waiting(), ta.isDone(), tb.isDone());
    b.abort();
    List<Object> r = await(gatherReturnExceptions(ta, tb));
    log("results", r, b.isBroken());
    return done();
  }
}
