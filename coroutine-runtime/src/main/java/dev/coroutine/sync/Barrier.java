package dev.coroutine.sync;

import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import dev.coroutine.internal.Steps;
import java.util.ArrayList;
import java.util.concurrent.BrokenBarrierException;

/**
 * A meeting point for a fixed number of coroutines: asyncio's {@code Barrier} (3.13's order). Each
 * {@link #await()} waits until {@code parties} coroutines are waiting, then all are released
 * together and the barrier fills again. Not thread-safe.
 *
 * <p>Invariant, as asyncio's: the barrier is FILLING while coroutines gather, DRAINING while the
 * released ones leave (newcomers wait until it is FILLING again), RESETTING after {@link #reset()}
 * while waiters leave with {@link BrokenBarrierException}, and BROKEN after {@link #abort()}. A
 * waiter cancelled while filling leaves and wakes the next, which waits again behind the others
 * (asyncio 3.13); the others keep waiting.
 */
public final class Barrier {
  private enum State {
    FILLING,
    DRAINING,
    RESETTING,
    BROKEN
  }

  /** How many coroutines must wait before they are all released. */
  private final int parties;

  /** The current state. */
  private State state = State.FILLING;

  /** Coroutines inside {@link #await()} past the entry check. */
  private int count;

  /** Futures of coroutines waiting for the state to change; all woken on each change. */
  private ArrayList<Future<Void>> changeWaiters = new ArrayList<>();

  /**
   * A barrier for {@code parties} coroutines ({@code >= 1}).
   *
   * @param parties how many coroutines must wait before all go on, at least 1
   */
  public Barrier(int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("parties must be >= 1");
    }
    this.parties = parties;
  }

  /**
   * Waits until {@code parties} coroutines wait (asyncio's {@code Barrier.wait()}), and returns
   * this one's arrival index, {@code 0 .. parties-1}. Throws {@link BrokenBarrierException} if the
   * barrier is broken or reset while waiting.
   *
   * @return a coroutine whose result is this arrival's index
   * @throws BrokenBarrierException not by this call: where the returned coroutine is awaited, if
   *     the barrier is or gets broken; declared here so that a {@code catch} around the call
   *     compiles
   */
  public Coroutine<Integer> await() throws BrokenBarrierException {
    return new Wait().coroutine();
  }

  /**
   * Puts the barrier back to empty: coroutines waiting now get {@link BrokenBarrierException};
   * later ones use it afresh.
   */
  public void reset() {
    if (count > 0) {
      state = State.RESETTING;
    } else {
      state = State.FILLING;
    }
    changed();
  }

  /** Breaks the barrier: current and future waiters get {@link BrokenBarrierException}. */
  public void abort() {
    state = State.BROKEN;
    changed();
  }

  /**
   * The number of coroutines the barrier waits for.
   *
   * @return the number of coroutines the barrier waits for
   */
  public int parties() {
    return parties;
  }

  /**
   * The number of coroutines waiting while the barrier fills.
   *
   * @return the number of coroutines waiting now
   */
  public int waiting() {
    return state == State.FILLING ? count : 0;
  }

  /**
   * True after {@link #abort()}.
   *
   * @return true once the barrier is broken
   */
  public boolean isBroken() {
    return state == State.BROKEN;
  }

  @Override
  public String toString() {
    return "Barrier[" + state + " waiting=" + waiting() + "/" + parties + "]";
  }

  private Future<Void> awaitChange() {
    Future<Void> f = new Future<>();
    changeWaiters.add(f);
    return f;
  }

  private void changed() {
    ArrayList<Future<Void>> ws = changeWaiters;
    changeWaiters = new ArrayList<>();
    for (Future<Void> f : ws) {
      if (!f.isDone()) {
        f.setResult(null);
      }
    }
  }

  /**
   * Wakes the first other waiter, which looks again and, finding nothing changed, waits at the back
   * of the line: asyncio 3.13's {@code Condition.wait()}, on which its Barrier waits, passes a
   * wake-up on when it ends by an exception (a cancelled party), so the waiters behind it reorder
   * (found by a conformance scenario, CPython 3.13).
   */
  private void wakeOne() {
    for (Future<Void> f : changeWaiters) {
      if (!f.isDone()) {
        f.setResult(null);
        return;
      }
    }
  }

  /** The last coroutine out of a draining or resetting barrier refills it. */
  private void leave() {
    count--;
    if (count == 0) {
      if (state == State.RESETTING || state == State.DRAINING) {
        state = State.FILLING;
      }
      changed();
    }
  }

  /** One passage through the barrier. */
  private final class Wait extends Steps<Integer> {
    /** 0: entering (blocked while draining or resetting); 1: inside, waiting to be released. */
    private int stage;

    /** The change this waiter waits for. */
    private Future<Void> change;

    /** Arrival index. */
    private int index;

    @Override
    protected Object step(Object value, Throwable failure) throws Throwable {
      if (change != null) {
        changeWaiters.remove(change);
        change = null;
        if (failure != null) {
          wakeOne();
        }
      }
      if (stage == 0) {
        if (failure != null) {
          throw failure; // cancelled before entering: nothing to undo
        }
        if (state == State.DRAINING || state == State.RESETTING) {
          return await(change = awaitChange());
        }
        if (state == State.BROKEN) {
          throw new BrokenBarrierException("Barrier aborted");
        }
        index = count++;
        if (index + 1 == parties) {
          state = State.DRAINING; // release everybody
          changed();
          leave();
          return index;
        }
        stage = 1;
        return await(change = awaitChange());
      }
      if (failure != null) {
        leave();
        throw failure;
      }
      if (state == State.FILLING) {
        return await(change = awaitChange());
      }
      boolean broken = state == State.BROKEN || state == State.RESETTING;
      leave();
      if (broken) {
        throw new BrokenBarrierException("Abort or reset of barrier");
      }
      return index;
    }
  }
}
