package dev.coroutine.bench.ours;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import dev.coroutine.Task;
import dev.coroutine.bench.Phase;
import dev.coroutine.sync.Queue;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The workloads (see benchmarks/README.md) written as a user of our runtime writes them:
 * {@code @Async} methods, instrumented by coroutine-maven-plugin when this module builds. Each
 * public method runs one batch on a fresh event loop ({@code run}) and returns a checksum that
 * every system's implementation computes the same way.
 */
public final class OursWorkloads {
  private OursWorkloads() {}

  // ---- W1 yield cycle ----------------------------------------------------------------------

  /** W1: yields to the loop {@code n} times; returns {@code n}. */
  public static int yieldCycle(int n) {
    return run(yields(n));
  }

  @Async
  static Coroutine<Integer> yields(int n) {
    for (int i = 0; i < n; i++) {
      await(sleep(0));
    }
    return done(n);
  }

  /**
   * W1': two tasks yield {@code n} times each, in turn (each yield is a real switch: the other task
   * is always ready); returns {@code 2n}.
   */
  public static int yieldPair(int n) {
    return run(yieldPairMain(n));
  }

  @Async
  static Coroutine<Integer> yieldPairMain(int n) {
    Task<Integer> other = createTask(yields(n));
    int mine = await(yields(n));
    return done(mine + await(other));
  }

  // ---- W2 ping-pong ------------------------------------------------------------------------

  /**
   * W2: {@code n} round trips (2n hand-offs) through two one-slot queues; returns the sum of the
   * values sent back, {@code sum(i + 1)}.
   */
  public static long pingPong(int n) {
    return run(pingPongMain(n));
  }

  @Async
  static Coroutine<Long> pingPongMain(int n) {
    Queue<Integer> ping = new Queue<>(1);
    Queue<Integer> pong = new Queue<>(1);
    Task<Void> b = createTask(ponger(ping, pong, n));
    long sum = await(pinger(ping, pong, n));
    await(b);
    return done(sum);
  }

  @Async
  static Coroutine<Long> pinger(Queue<Integer> ping, Queue<Integer> pong, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      await(ping.put(i));
      sum += await(pong.get());
    }
    return done(sum);
  }

  @Async
  static Coroutine<Void> ponger(Queue<Integer> ping, Queue<Integer> pong, int n) {
    for (int i = 0; i < n; i++) {
      int v = await(ping.get());
      await(pong.put(v + 1));
    }
    return done();
  }

  // ---- W3 sleepers -------------------------------------------------------------------------

  /** The state the W3 sleepers share: touched only on the loop thread. */
  static final class Sleepers {
    /** Sleepers that woke and counted themselves. */
    int woken;

    /** How many sleepers there are. */
    final int total;

    /** Completed by the last sleeper. */
    final Future<Void> allDone;

    Sleepers(int total, Future<Void> allDone) {
      this.total = total;
      this.allDone = allDone;
    }
  }

  /**
   * W3: {@code n} tasks each sleep {@code millis} then bump a counter; returns the count. The probe
   * (may be null) sees {@link Phase#BASELINE} before the first task and the number woken once all
   * sleep.
   */
  public static int sleepers(int n, long millis, IntConsumer probe) {
    return run(sleepersMain(n, millis, probe));
  }

  @Async
  static Coroutine<Integer> sleepersMain(int n, long millis, IntConsumer probe) {
    Sleepers s = new Sleepers(n, getRunningLoop().createFuture());
    if (probe != null) {
      probe.accept(Phase.BASELINE);
    }
    for (int i = 0; i < n; i++) {
      createTask(sleeper(s, millis));
    }
    await(sleep(0)); // every task runs to its sleep before this resumes
    if (probe != null) {
      probe.accept(s.woken);
    }
    await(s.allDone);
    return done(s.woken);
  }

  @Async
  static Coroutine<Void> sleeper(Sleepers s, long millis) {
    await(sleep(millis));
    if (++s.woken == s.total) {
      s.allDone.setResult(null);
    }
    return done();
  }

  /**
   * W3 with each sleeper's delay an {@code int} parameter instead of a {@code long}: a diagnostic
   * variant (run by hand, {@code Child w3 ours-int ...}), not a row of the comparison. An int-sized
   * parameter is kept in the frame's {@code prim0}; a {@code long} one costs each sleeper a {@code
   * long[1]} until its first step: the difference between the two is that array's cost.
   */
  public static int sleepersIntParam(int n, int millis, IntConsumer probe) {
    return run(sleepersIntMain(n, millis, probe));
  }

  @Async
  static Coroutine<Integer> sleepersIntMain(int n, int millis, IntConsumer probe) {
    Sleepers s = new Sleepers(n, getRunningLoop().createFuture());
    if (probe != null) {
      probe.accept(Phase.BASELINE);
    }
    for (int i = 0; i < n; i++) {
      createTask(sleeperInt(s, millis));
    }
    await(sleep(0));
    if (probe != null) {
      probe.accept(s.woken);
    }
    await(s.allDone);
    return done(s.woken);
  }

  @Async
  static Coroutine<Void> sleeperInt(Sleepers s, int millis) {
    await(sleep(millis));
    if (++s.woken == s.total) {
      s.allDone.setResult(null);
    }
    return done();
  }

  // ---- W4 gather fan-out -------------------------------------------------------------------

  /** W4: gathers {@code n} children that each yield once and return their index; the sum. */
  public static long gatherFanOut(int n) {
    return run(fanOut(n));
  }

  @Async
  static Coroutine<Long> fanOut(int n) {
    @SuppressWarnings("unchecked")
    Coroutine<Integer>[] children = new Coroutine[n];
    for (int i = 0; i < n; i++) {
      children[i] = child(i);
    }
    List<Integer> results = await(gather(children));
    long sum = 0;
    for (int v : results) {
      sum += v;
    }
    return done(sum);
  }

  @Async
  static Coroutine<Integer> child(int i) {
    await(sleep(0));
    return done(i);
  }

  /**
   * W4': gathers {@code n} children that finish without suspending: each awaits a task that has
   * already finished (with 0) and returns its index; the sum.
   */
  public static long gatherFinishedFanOut(int n) {
    return run(fanOutFinished(n, false));
  }

  /**
   * W4' with eager tasks (asyncio 3.12's {@code eager_task_factory}, {@link
   * dev.coroutine.EventLoop#setEagerTasks}): a child that finishes without suspending is done when
   * gather wraps it, and never goes through the loop.
   */
  public static long gatherFinishedFanOutEager(int n) {
    return run(fanOutFinished(n, true));
  }

  @Async
  static Coroutine<Long> fanOutFinished(int n, boolean eager) {
    getRunningLoop().setEagerTasks(eager);
    Task<Integer> finished = createTask(zero());
    await(finished);
    @SuppressWarnings("unchecked")
    Coroutine<Integer>[] children = new Coroutine[n];
    for (int i = 0; i < n; i++) {
      children[i] = childOfFinished(finished, i);
    }
    List<Integer> results = await(gather(children));
    long sum = 0;
    for (int v : results) {
      sum += v;
    }
    return done(sum);
  }

  @Async
  static Coroutine<Integer> zero() {
    return done(0);
  }

  @Async
  static Coroutine<Integer> childOfFinished(Task<Integer> finished, int i) {
    int zero = await(finished); // done already: the fast path, no suspension
    return done(i + zero);
  }

  // ---- W5 fast path ------------------------------------------------------------------------

  /**
   * W5: awaits already finished futures (each holding 1, taken in turn from eight so the JIT cannot
   * hoist the await out of the loop) {@code n} times; returns {@code n}.
   */
  public static long fastPath(int n) {
    return run(fastPathMain(n));
  }

  @Async
  static Coroutine<Long> fastPathMain(int n) {
    @SuppressWarnings("unchecked")
    Future<Integer>[] fs = new Future[8];
    for (int k = 0; k < fs.length; k++) {
      fs[k] = getRunningLoop().createFuture();
      fs[k].setResult(1);
    }
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += await(fs[i & 7]);
    }
    return done(sum);
  }

  // ---- W6 call depth -----------------------------------------------------------------------

  /**
   * W6: {@code reps} times, a chain of {@code depth} nested calls each awaiting the next, the
   * innermost yielding once; returns {@code reps * depth}.
   */
  public static long callDepth(int reps, int depth) {
    return run(chains(reps, depth));
  }

  @Async
  static Coroutine<Long> chains(int reps, int depth) {
    long sum = 0;
    for (int r = 0; r < reps; r++) {
      sum += await(nest(depth));
    }
    return done(sum);
  }

  @Async
  static Coroutine<Integer> nest(int depth) {
    if (depth == 0) {
      await(sleep(0));
      return done(0);
    }
    int below = await(nest(depth - 1));
    return done(below + 1);
  }
}
