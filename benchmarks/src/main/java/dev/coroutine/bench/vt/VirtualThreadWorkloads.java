package dev.coroutine.bench.vt;

import dev.coroutine.bench.Phase;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The workloads as plain blocking code in virtual threads. Meant for JDK 21+ with one carrier
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1});
 * the module compiles for Java 17, so virtual threads are started through a method handle on {@code
 * Thread.startVirtualThread}, looked up on first use (on JDK 17 that throws {@link
 * UnsupportedOperationException}).
 */
public final class VirtualThreadWorkloads {
  private VirtualThreadWorkloads() {}

  private static final class Start {
    static final MethodHandle START_VIRTUAL = lookup();

    private static MethodHandle lookup() {
      try {
        return MethodHandles.publicLookup()
            .findStatic(
                Thread.class,
                "startVirtualThread",
                MethodType.methodType(Thread.class, Runnable.class));
      } catch (NoSuchMethodException | IllegalAccessException e) {
        return null;
      }
    }
  }

  /** True if this JVM has virtual threads. */
  public static boolean available() {
    return Start.START_VIRTUAL != null;
  }

  /** Starts {@code body} in a new virtual thread. */
  public static Thread startVirtual(Runnable body) {
    MethodHandle mh = Start.START_VIRTUAL;
    if (mh == null) {
      throw new UnsupportedOperationException(
          "virtual threads need JDK 21+; this is " + Runtime.version());
    }
    try {
      return (Thread) mh.invokeExact(body);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- W1 yield cycle ----------------------------------------------------------------------

  /** W1: one virtual thread calls {@code Thread.yield()} {@code n} times; returns {@code n}. */
  public static int yieldCycle(int n) {
    int[] out = new int[1];
    join(
        startVirtual(
            () -> {
              for (int i = 0; i < n; i++) {
                Thread.yield();
              }
              out[0] = n;
            }));
    return out[0];
  }

  /**
   * W1': two virtual threads {@code Thread.yield()} {@code n} times each (in turn on one carrier);
   * returns {@code 2n}.
   */
  public static int yieldPair(int n) {
    int[] out = new int[2];
    Thread a = startVirtual(() -> out[0] = yieldLoop(n));
    Thread b = startVirtual(() -> out[1] = yieldLoop(n));
    join(a);
    join(b);
    return out[0] + out[1];
  }

  private static int yieldLoop(int n) {
    for (int i = 0; i < n; i++) {
      Thread.yield();
    }
    return n;
  }

  // ---- W2 ping-pong ------------------------------------------------------------------------

  /** W2: two virtual threads, {@code n} round trips through two ArrayBlockingQueue(1). */
  public static long pingPong(int n) {
    ArrayBlockingQueue<Integer> ping = new ArrayBlockingQueue<>(1);
    ArrayBlockingQueue<Integer> pong = new ArrayBlockingQueue<>(1);
    long[] out = new long[1];
    Thread b =
        startVirtual(
            () -> {
              try {
                for (int i = 0; i < n; i++) {
                  pong.put(ping.take() + 1);
                }
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread a =
        startVirtual(
            () -> {
              long sum = 0;
              try {
                for (int i = 0; i < n; i++) {
                  ping.put(i);
                  sum += pong.take();
                }
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              out[0] = sum;
            });
    join(a);
    join(b);
    return out[0];
  }

  // ---- W3 sleepers -------------------------------------------------------------------------

  /** W3: {@code n} virtual threads each sleep {@code millis} then bump a counter. */
  public static int sleepers(int n, long millis, IntConsumer probe) throws InterruptedException {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger woken = new AtomicInteger();
    CountDownLatch allDone = new CountDownLatch(n);
    if (probe != null) {
      probe.accept(Phase.BASELINE);
    }
    Runnable sleeper =
        () -> {
          started.incrementAndGet();
          try {
            Thread.sleep(millis);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          woken.incrementAndGet();
          allDone.countDown();
        };
    for (int i = 0; i < n; i++) {
      startVirtual(sleeper);
    }
    if (probe != null) {
      while (started.get() < n) {
        Thread.sleep(1);
      }
      Thread.sleep(5); // the last ones to start are now inside sleep()
      probe.accept(woken.get());
    }
    allDone.await();
    return woken.get();
  }

  // ---- W4 gather fan-out -------------------------------------------------------------------

  /**
   * W4: a parent virtual thread starts {@code n} children that each yield once and store their
   * index, then joins them all; returns the sum.
   */
  public static long gatherFanOut(int n) {
    long[] out = new long[1];
    join(
        startVirtual(
            () -> {
              int[] results = new int[n];
              Thread[] children = new Thread[n];
              for (int i = 0; i < n; i++) {
                int index = i;
                children[i] =
                    startVirtual(
                        () -> {
                          Thread.yield();
                          results[index] = index;
                        });
              }
              long sum = 0;
              for (int i = 0; i < n; i++) {
                join(children[i]);
                sum += results[i];
              }
              out[0] = sum;
            }));
    return out[0];
  }

  // ---- W5 fast path ------------------------------------------------------------------------

  /**
   * W5: {@code join()} on completed CompletableFutures (eight in turn) {@code n} times in a virtual
   * thread.
   */
  public static long fastPath(int n) {
    @SuppressWarnings("unchecked")
    CompletableFuture<Integer>[] done = new CompletableFuture[8];
    java.util.Arrays.setAll(done, k -> CompletableFuture.completedFuture(1));
    long[] out = new long[1];
    join(
        startVirtual(
            () -> {
              long sum = 0;
              for (int i = 0; i < n; i++) {
                sum += done[i & 7].join();
              }
              out[0] = sum;
            }));
    return out[0];
  }

  // ---- W6 call depth -----------------------------------------------------------------------

  /** W6: {@code reps} times, plain recursion {@code depth} deep, the innermost call yields. */
  public static long callDepth(int reps, int depth) {
    long[] out = new long[1];
    join(
        startVirtual(
            () -> {
              long sum = 0;
              for (int r = 0; r < reps; r++) {
                sum += nest(depth);
              }
              out[0] = sum;
            }));
    return out[0];
  }

  private static int nest(int depth) {
    if (depth == 0) {
      Thread.yield();
      return 0;
    }
    return nest(depth - 1) + 1;
  }
}
