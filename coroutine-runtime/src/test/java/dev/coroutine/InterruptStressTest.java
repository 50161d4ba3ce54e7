package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An interrupted loop thread: the loop clears the flag (which would make every wait return at
 * once), logs it once, keeps serving its timers without spinning, and restores the flag when it
 * returns.
 */
class InterruptStressTest extends TestBase {

  @Test
  void interruptedIdleLoop_logsOnce_keepsRunning_doesNotSpin_restoresFlagOnReturn()
      throws Exception {
    CapturingLoggerFinder.RECORDS.clear();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    AtomicInteger ticks = new AtomicInteger();
    AtomicBoolean flagAfterRun = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    long[] cpu = new long[2];
    Thread loopThread =
        new Thread(
            () -> {
              loop.callSoon(started::countDown);
              tick(ticks);
              loop.runForever();
              flagAfterRun.set(Thread.interrupted());
            },
            "interrupted-loop");
    loopThread.start();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    long before = Stress.retainedHeap();
    try (Stress.Watchdog w = Stress.watchdog(loop, 60)) {
      for (int i = 0; i < 5; i++) {
        loopThread.interrupt(); // again and again: still one log line per run
        Thread.sleep(20);
      }
      cpu[0] = mx.getThreadCpuTime(loopThread.getId());
      int ticksBefore = ticks.get();
      long t0 = System.nanoTime();
      Thread.sleep(500); // idle but for a 50 ms timer: a spinning loop burns this whole time
      cpu[1] = mx.getThreadCpuTime(loopThread.getId());
      double wall = (System.nanoTime() - t0) / 1e9;
      double busy = (cpu[1] - cpu[0]) / 1e9;
      System.out.printf(
          "interrupt: loop thread CPU %.3f s over %.3f s idle (%.0f%%), %d timer ticks%n",
          busy, wall, 100 * busy / wall, ticks.get() - ticksBefore);
      assertThat(ticks.get() - ticksBefore).isGreaterThanOrEqualTo(3); // timers still served
      assertThat(busy / wall).isLessThan(0.5); // before: ~80-100% of a core, spinning
      loop.callSoonThreadsafe(loop::stop);
      loopThread.join(10_000);
    }
    assertThat(loopThread.isAlive()).isFalse();
    assertThat(flagAfterRun).isTrue();
    assertThat(CapturingLoggerFinder.containing("was interrupted")).hasSize(1);
    long after = Stress.retainedHeap();
    System.out.printf(
        "interrupt: retained heap %s before, %s after%n", Stress.mb(before), Stress.mb(after));
    assertThat(after - before).isLessThan(8L << 20);
  }

  private void tick(AtomicInteger ticks) {
    loop.callLater(
        0.05,
        () -> {
          ticks.incrementAndGet();
          tick(ticks);
        });
  }
}
