package dev.coroutine;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Helpers of the stress and soak tests ({@code *StressTest}): the size scale, retained-heap
 * measurement, and a watchdog that stops a loop which does not finish in time, so that a hang fails
 * its test with a task dump instead of hanging the build.
 *
 * <p>Sizes scale with {@code -Dcoroutine.stress.scale} (default 1: small enough for {@code mvn
 * verify}; the {@code stress} profile of the parent pom sets the full sizes).
 */
public final class Stress {
  private Stress() {}

  /** The scale factor of every stress size ({@code -Dcoroutine.stress.scale}, default 1). */
  public static final int SCALE = Integer.getInteger("coroutine.stress.scale", 1);

  /** {@code base} times {@link #SCALE}. */
  public static int scaled(int base) {
    return (int) Math.min(Integer.MAX_VALUE, (long) base * SCALE);
  }

  /**
   * Heap in use after garbage collection: the least of several {@code System.gc()} rounds, so
   * garbage still being collected does not count.
   */
  public static long retainedHeap() {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(40);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      min = Math.min(min, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return min;
  }

  /** Megabytes, for reports. */
  public static String mb(long bytes) {
    return String.format("%.1f MB", bytes / 1048576.0);
  }

  /**
   * A watchdog for a loop: if not {@linkplain #close() closed} within {@code seconds}, it records a
   * task dump of {@code loop} and stops it, so the test fails with {@link #check()} instead of
   * hanging. The time is multiplied by {@link #SCALE}.
   */
  public static Watchdog watchdog(EventLoop loop, double seconds) {
    return new Watchdog(loop, seconds * SCALE); // full sizes take longer
  }

  /** See {@link #watchdog}. */
  public static final class Watchdog implements AutoCloseable {
    /** The dump taken when it fired, or null. */
    private final AtomicReference<String> fired = new AtomicReference<>();

    /** The thread waiting for the deadline. */
    private final Thread thread;

    Watchdog(EventLoop loop, double seconds) {
      thread =
          new Thread(
              () -> {
                try {
                  Thread.sleep((long) (seconds * 1000));
                } catch (InterruptedException e) {
                  return; // closed in time
                }
                fired.set(loop.dumpTasks());
                try {
                  loop.callSoonThreadsafe(loop::stop);
                } catch (RuntimeException closed) {
                  // closed or refusing: nothing to stop
                }
              },
              "stress-watchdog");
      thread.setDaemon(true);
      thread.start();
    }

    /** Throws if the watchdog fired. */
    public void check() {
      String dump = fired.get();
      if (dump != null) {
        throw new AssertionError("watchdog: the loop did not finish in time; tasks:\n" + dump);
      }
    }

    @Override
    public void close() {
      thread.interrupt();
      check();
    }
  }
}
