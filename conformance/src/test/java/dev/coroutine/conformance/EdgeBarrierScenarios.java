package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.gatherReturnExceptions;
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
import java.util.concurrent.CancellationException;

/** Twins of src/test/python/edge_barrier.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeBarrierScenarios {
  private EdgeBarrierScenarios() {}

  @Async
  static Coroutine<Void> releasedParty(Barrier b, String name) throws BrokenBarrierException {
    try {
      int i = await(b.await());
      log(name, "passes", i);
    } catch (CancellationException e) {
      log(name, "cancelled after release", b.waiting(), b.isBroken());
      throw e;
    }
    return done();
  }

  @Scenario("released_party_cancelled_before_it_runs")
  @Async
  static Coroutine<Void> releasedPartyCancelled() throws BrokenBarrierException {
    Barrier b = new Barrier(3);
    Task<Void> ta = createTask(releasedParty(b, "a"));
    Task<Void> tb = createTask(releasedParty(b, "b"));
    await(sleep(0));
    Task<Void> tc = createTask(releasedParty(b, "c"));
    await(sleep(0));
    log("released", ta.isDone(), tb.isDone(), tc.isDone());
    ta.cancel();
    await(gatherReturnExceptions(ta, tb, tc));
    log(state(ta), state(tb), state(tc), b.waiting(), b.isBroken());
    List<Integer> r = new ArrayList<>(await(gather(b.await(), b.await(), b.await())));
    r.sort(null);
    log("next round", r);
    return done();
  }

  @Async
  static Coroutine<Void> drainingParty(Barrier b, String name, int[] count)
      throws BrokenBarrierException {
    await(b.await());
    count[0]++;
    if (count[0] == 3) {
      log(name, "last out, resets");
      b.reset();
      await(b.await());
    } else {
      try {
        await(b.await());
        log(name, "second wait passed");
      } catch (BrokenBarrierException e) {
        log(name, "broken");
      }
    }
    await(b.await());
    log(name, "third wait passed");
    return done();
  }

  @Scenario("reset_while_tasks_draining")
  @Async
  static Coroutine<Void> resetWhileDraining() throws BrokenBarrierException {
    Barrier b = new Barrier(3);
    int[] count = {0};
    await(
        gather(
            drainingParty(b, "a", count),
            drainingParty(b, "b", count),
            drainingParty(b, "c", count)));
    log("end", b.waiting(), b.isBroken());
    return done();
  }

  @Async
  static Coroutine<Void> resetParty(Barrier b, String name) throws BrokenBarrierException {
    try {
      await(b.await());
    } catch (BrokenBarrierException e) {
      log(name, "broken by reset");
    } finally {
      await(b.await());
      log(name, "passed after reset");
    }
    return done();
  }

  @Async
  static Coroutine<Void> resetter(Barrier b) {
    b.reset();
    return done();
  }

  @Async
  static Coroutine<Void> late(Barrier b) throws BrokenBarrierException {
    int i = await(b.await());
    log("late passes", i);
    return done();
  }

  @Scenario("reset_while_waiting_then_waiting_again")
  @Async
  static Coroutine<Void> resetWhileWaiting() throws BrokenBarrierException {
    Barrier b = new Barrier(3);
    Task<Void> ta = createTask(resetParty(b, "a"));
    Task<Void> tb = createTask(resetParty(b, "b"));
    await(sleep(0));
    createTask(resetter(b));
    await(sleep(0));
    Task<Void> last = createTask(late(b));
    await(gather(ta, tb, last));
    log("end", b.waiting(), b.isBroken());
    return done();
  }

  @Async
  static Coroutine<Void> abortingParty(Barrier b, String name, int[] count) {
    try {
      await(b.await());
    } catch (BrokenBarrierException e) {
      log(name, "broken while draining");
      return done();
    }
    count[0]++;
    if (count[0] > 2) {
      log(name, "aborts");
      b.abort();
    } else {
      try {
        await(b.await());
      } catch (BrokenBarrierException e) {
        log(name, "broken while blocked");
      }
    }
    return done();
  }

  @Scenario("abort_while_half_draining_half_blocking")
  @Async
  static Coroutine<Void> abortWhileHalfDraining() {
    Barrier b = new Barrier(4);
    int[] count = {0};
    await(
        gather(
            abortingParty(b, "a", count),
            abortingParty(b, "b", count),
            abortingParty(b, "c", count),
            abortingParty(b, "d", count)));
    log("end", b.waiting(), b.isBroken());
    return done();
  }

  @Async
  static Coroutine<Void> resettingParty(Barrier b1, Barrier b2, String name)
      throws BrokenBarrierException {
    try {
      int i = await(b1.await());
      if (i == 1) {
        throw new IllegalStateException();
      }
      await(b1.await());
      log(name, "never");
    } catch (BrokenBarrierException e) {
      log(name, "broken");
    } catch (IllegalStateException e) {
      log(name, "failed, aborts");
      b1.abort();
    }
    int i = await(b2.await());
    if (i == 1) {
      b1.reset();
      log(name, "reset b1");
    }
    await(b2.await());
    await(b1.await());
    log(name, "passed b1 again");
    return done();
  }

  @Scenario("abort_on_error_then_reset_and_reuse")
  @Async
  static Coroutine<Void> abortOnErrorThenReset() throws BrokenBarrierException {
    Barrier b1 = new Barrier(3);
    Barrier b2 = new Barrier(3);
    await(
        gather(
            resettingParty(b1, b2, "a"), resettingParty(b1, b2, "b"), resettingParty(b1, b2, "c")));
    log("end", b1.isBroken(), b1.waiting());
    return done();
  }

  @Async
  static Coroutine<Void> cancelledParty(Barrier b, String name) throws BrokenBarrierException {
    try {
      int i = await(b.await());
      log(name, "passes", i);
    } catch (CancellationException e) {
      log(name, "cancelled", b.waiting());
      throw e;
    }
    return done();
  }

  @Scenario("waiting_party_cancelled_while_others_block")
  @Async
  static Coroutine<Void> waitingPartyCancelled() throws BrokenBarrierException {
    Barrier b = new Barrier(3);
    Task<Void> ta = createTask(cancelledParty(b, "a"));
    Task<Void> tb = createTask(cancelledParty(b, "b"));
    await(sleep(0));
    tb.cancel();
    await(sleep(0));
    log("after cancel", b.waiting());
    Task<Void> tc = createTask(cancelledParty(b, "c"));
    Task<Void> td = createTask(cancelledParty(b, "d"));
    await(gatherReturnExceptions(ta, tb, tc, td));
    log(state(tb), b.waiting());
    return done();
  }

  @Scenario("cancelled_party_reorders_the_waiters")
  @Async
  static Coroutine<Void> cancelledPartyReorders() throws BrokenBarrierException {
    Barrier b = new Barrier(4);
    Task<Void> ta = createTask(cancelledParty(b, "a"));
    Task<Void> tb = createTask(cancelledParty(b, "b"));
    Task<Void> tc = createTask(cancelledParty(b, "c"));
    await(sleep(0));
    ta.cancel();
    await(sleep(0));
    await(sleep(0));
    log("after cancel", b.waiting());
    Task<Void> td = createTask(cancelledParty(b, "d"));
    await(sleep(0));
    Task<Void> te = createTask(cancelledParty(b, "e"));
    await(gatherReturnExceptions(ta, tb, tc, td, te));
    log(b.waiting());
    return done();
  }

  @Async
  static Coroutine<Void> arrival(Barrier b, String name) throws BrokenBarrierException {
    try {
      int i = await(b.await());
      log(name, "passes", i);
    } catch (CancellationException e) {
      log(name, "cancelled");
      throw e;
    }
    return done();
  }

  @Scenario("cancelled_arrival_while_draining_leaves_the_others")
  @Async
  static Coroutine<Void> cancelledArrivalWhileDraining() throws BrokenBarrierException {
    Barrier b = new Barrier(2);
    Task<Void> h1 = createTask(arrival(b, "h1"));
    Task<Void> h2 = createTask(arrival(b, "h2"));
    Task<Void> x = createTask(arrival(b, "x"));
    Task<Void> y = createTask(arrival(b, "y"));
    Task<Void> z = createTask(arrival(b, "z"));
    await(sleep(0));
    log("draining, three blocked", b.waiting(), h1.isDone(), h2.isDone());
    x.cancel();
    await(gatherReturnExceptions(h1, h2, x, y, z));
    log("end", b.waiting());
    return done();
  }
}
