package dev.coroutine.bench.cf;

import dev.coroutine.bench.Phase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The workloads as {@link CompletableFuture} chains on one executor thread: every continuation that
 * follows a wait is attached with an {@code *Async(..., executor)} method, so it is a hop through
 * that executor's queue (the counterpart of a trip through an event loop); the state of a loop
 * lives in a small object whose {@code step} method schedules the next step. Everything but the
 * final {@code join} runs on the executor thread.
 */
public final class FutureWorkloads implements AutoCloseable {
  /** The one thread everything runs on. */
  private final ExecutorService executor;

  /** A new single-thread executor; close it when done. */
  public FutureWorkloads() {
    executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "cf-executor");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  // ---- W1 yield cycle ----------------------------------------------------------------------

  /** W1: {@code n} hops through the executor; returns {@code n}. */
  public int yieldCycle(int n) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    executor.execute(new Yielder(n, result));
    return result.join();
  }

  /**
   * W1': two loops of {@code n} hops each through the executor, interleaved in its queue; returns
   * {@code 2n}.
   */
  public int yieldPair(int n) {
    CompletableFuture<Integer> a = new CompletableFuture<>();
    CompletableFuture<Integer> b = new CompletableFuture<>();
    executor.execute(
        () -> {
          executor.execute(new Yielder(n, a));
          executor.execute(new Yielder(n, b));
        });
    return a.join() + b.join();
  }

  /** A loop of hops: each step is one {@code runAsync} on the executor. */
  private final class Yielder implements Runnable {
    private final int n;
    private final CompletableFuture<Integer> result;
    private int i;

    Yielder(int n, CompletableFuture<Integer> result) {
      this.n = n;
      this.result = result;
    }

    @Override
    public void run() {
      if (i == n) {
        result.complete(n);
        return;
      }
      i++;
      CompletableFuture.runAsync(this, executor);
    }
  }

  private static final Runnable NOOP = () -> {};

  // ---- W2 ping-pong ------------------------------------------------------------------------

  /** W2: {@code n} round trips through two one-slot channels; returns {@code sum(i + 1)}. */
  public long pingPong(int n) {
    OneSlot<Integer> ping = new OneSlot<>();
    OneSlot<Integer> pong = new OneSlot<>();
    CompletableFuture<Long> result = new CompletableFuture<>();
    executor.execute(
        () -> {
          new Ponger(ping, pong, n).next();
          new Pinger(ping, pong, n, result).next();
        });
    return result.join();
  }

  private final class Pinger {
    private final OneSlot<Integer> ping;
    private final OneSlot<Integer> pong;
    private final int n;
    private final CompletableFuture<Long> result;
    private int i;
    private long sum;

    Pinger(OneSlot<Integer> ping, OneSlot<Integer> pong, int n, CompletableFuture<Long> result) {
      this.ping = ping;
      this.pong = pong;
      this.n = n;
      this.result = result;
    }

    void next() {
      if (i == n) {
        result.complete(sum);
        return;
      }
      ping.put(i++).thenRunAsync(this::afterPut, executor);
    }

    private void afterPut() {
      pong.take().thenAcceptAsync(this::afterTake, executor);
    }

    private void afterTake(Integer v) {
      sum += v;
      next();
    }
  }

  private final class Ponger {
    private final OneSlot<Integer> ping;
    private final OneSlot<Integer> pong;
    private final int n;
    private int i;

    Ponger(OneSlot<Integer> ping, OneSlot<Integer> pong, int n) {
      this.ping = ping;
      this.pong = pong;
      this.n = n;
    }

    void next() {
      if (i++ == n) {
        return;
      }
      ping.take().thenAcceptAsync(this::afterTake, executor);
    }

    private void afterTake(Integer v) {
      pong.put(v + 1).thenRunAsync(this::next, executor);
    }
  }

  // ---- W3 sleepers -------------------------------------------------------------------------

  /**
   * W3: {@code n} tasks each sleep {@code millis} (CompletableFuture's delayed executor, which
   * hands the task to our executor when it is due) then bump a counter; returns the count.
   */
  public int sleepers(int n, long millis, IntConsumer probe) throws InterruptedException {
    Counter c = new Counter(n);
    if (probe != null) {
      probe.accept(Phase.BASELINE);
    }
    java.util.concurrent.Executor delayed =
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, executor);
    for (int i = 0; i < n; i++) {
      CompletableFuture.runAsync(c, delayed);
    }
    if (probe != null) {
      probe.accept(c.woken);
    }
    c.allDone.join();
    return c.woken;
  }

  /** Counts woken sleepers; runs only on the executor thread (volatile: the probe reads it). */
  private static final class Counter implements Runnable {
    private final int total;
    private final CompletableFuture<Void> allDone = new CompletableFuture<>();
    private volatile int woken;

    Counter(int total) {
      this.total = total;
    }

    @Override
    public void run() {
      int w = woken + 1;
      woken = w;
      if (w == total) {
        allDone.complete(null);
      }
    }
  }

  // ---- W4 gather fan-out -------------------------------------------------------------------

  /** W4: {@code n} children that each hop once and return their index, joined with allOf. */
  @SuppressWarnings("unchecked")
  public long gatherFanOut(int n) {
    CompletableFuture<Long> result =
        CompletableFuture.supplyAsync(
                () -> {
                  CompletableFuture<Integer>[] children = new CompletableFuture[n];
                  for (int i = 0; i < n; i++) {
                    int index = i;
                    children[i] =
                        CompletableFuture.runAsync(NOOP, executor)
                            .thenApplyAsync(v -> index, executor);
                  }
                  return CompletableFuture.allOf(children)
                      .thenApply(
                          v -> {
                            long sum = 0;
                            for (CompletableFuture<Integer> c : children) {
                              sum += c.join();
                            }
                            return sum;
                          });
                },
                executor)
            .thenCompose(f -> f);
    return result.join();
  }

  /**
   * W4': {@code n} children that finish without waiting: each applies a function to a future that
   * has already completed (with 0) and returns its index, joined with allOf, on the executor.
   */
  @SuppressWarnings("unchecked")
  public long gatherFinishedFanOut(int n) {
    CompletableFuture<Long> result =
        CompletableFuture.supplyAsync(
                () -> {
                  CompletableFuture<Integer> finished = CompletableFuture.completedFuture(0);
                  CompletableFuture<Integer>[] children = new CompletableFuture[n];
                  for (int i = 0; i < n; i++) {
                    int index = i;
                    children[i] = finished.thenApply(zero -> index + zero);
                  }
                  return CompletableFuture.allOf(children)
                      .thenApply(
                          v -> {
                            long sum = 0;
                            for (CompletableFuture<Integer> c : children) {
                              sum += c.join();
                            }
                            return sum;
                          });
                },
                executor)
            .thenCompose(f -> f);
    return result.join();
  }

  // ---- W5 fast path ------------------------------------------------------------------------

  /**
   * W5: continues {@code n} times after an already completed future ({@code thenApply} on a done
   * future runs at once, in the caller); returns {@code n}.
   */
  public long fastPath(int n) {
    @SuppressWarnings("unchecked")
    CompletableFuture<Integer>[] done = new CompletableFuture[8];
    java.util.Arrays.setAll(done, k -> CompletableFuture.completedFuture(1));
    return CompletableFuture.supplyAsync(
            () -> {
              long sum = 0;
              for (int i = 0; i < n; i++) {
                sum += done[i & 7].thenApply(IDENTITY).join();
              }
              return sum;
            },
            executor)
        .join();
  }

  private static final java.util.function.Function<Integer, Integer> IDENTITY = v -> v;

  // ---- W6 call depth -----------------------------------------------------------------------

  /**
   * W6: {@code reps} chains of {@code depth} calls, each returning the next one's future mapped
   * with {@code thenApply(+1)}, the innermost a hop; returns {@code reps * depth}.
   */
  public long callDepth(int reps, int depth) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    executor.execute(() -> new Chains(reps, depth, result).next(0));
    return result.join();
  }

  private final class Chains {
    private final int reps;
    private final int depth;
    private final CompletableFuture<Long> result;
    private int r;
    private long sum;

    Chains(int reps, int depth, CompletableFuture<Long> result) {
      this.reps = reps;
      this.depth = depth;
      this.result = result;
    }

    void next(int last) {
      sum += last;
      if (r++ == reps) {
        result.complete(sum);
        return;
      }
      nest(depth).thenAcceptAsync(this::next, executor);
    }

    private CompletableFuture<Integer> nest(int d) {
      if (d == 0) {
        return CompletableFuture.supplyAsync(ZERO, executor);
      }
      return nest(d - 1).thenApply(PLUS_ONE);
    }
  }

  private static final java.util.function.Supplier<Integer> ZERO = () -> 0;
  private static final java.util.function.Function<Integer, Integer> PLUS_ONE = v -> v + 1;
}
