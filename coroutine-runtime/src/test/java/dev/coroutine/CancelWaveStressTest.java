package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.io.Machine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Waves of timers cancelled behind one long-lived timer (a pending one-hour timer, then millions of
 * timeouts that never expire): the loop must give their memory back whatever else is pending.
 * Before the timer run compacted, 10 million cancelled waitFors retained 70 MB. Sizes scale with
 * {@code -Dcoroutine.stress.scale} (1: 2 million raw timers and 200,000 waitFors).
 */
class CancelWaveStressTest extends TestBase {

  @Test
  void cancelledTimersBehindAnHourLongTimer_retainNothing() {
    int waves = Stress.scaled(2_000);
    int perWave = 1_000;
    List<String> fired = new ArrayList<>();
    Handle hour = loop.callLater(3600, () -> fired.add("hour"));
    long before = Stress.retainedHeap();
    long t0 = System.nanoTime();
    try (Stress.Watchdog w = Stress.watchdog(loop, 100)) {
      Handle[] wave = new Handle[perWave];
      for (int k = 0; k < waves; k++) {
        for (int i = 0; i < perWave; i++) {
          wave[i] = loop.callLater(7200, () -> fired.add("timeout")); // later deadlines: the run
        }
        for (int i = 0; i < perWave; i++) {
          wave[i].cancel(); // the work finished first: its timeout is cancelled
          wave[i] = null;
        }
      }
      loop.callLater(0.001, loop::stop);
      loop.runForever();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long after = Stress.retainedHeap();
    System.out.printf(
        "cancel waves: %,d timers cancelled behind a 1-hour timer in %.2f s;"
            + " retained heap %s before, %s after%n",
        (long) waves * perWave, secs, Stress.mb(before), Stress.mb(after));
    assertThat(fired).isEmpty();
    assertThat(hour.isCancelled()).isFalse();
    assertThat(after - before).isLessThan(4L << 20); // 2M slots would be 8+ MB
    assertThat(loop.timerSlots()).isLessThan(4_096);
    hour.cancel();
  }

  @Test
  void cancelledWaitForsBehindAnHourLongSleep_retainNothing() {
    int waves = Stress.scaled(200_000);
    Task<Object> sleeper = loop.createTask(Co.seq(v -> Co.await(Coroutines.sleep(3_600_000))));
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(1))));
    long before = Stress.retainedHeap();
    long t0 = System.nanoTime();
    Object done;
    try (Stress.Watchdog w = Stress.watchdog(loop, 100)) {
      done =
          run(
              new Machine<Object>() {
                int i;

                @Override
                protected Object step(Object v, Throwable e) throws Throwable {
                  if (e != null) {
                    throw e;
                  }
                  if (i++ == waves) {
                    return "waves done";
                  }
                  Future<Object> work = loop.createFuture();
                  loop.callSoon(() -> work.setResult(null)); // finishes long before its timeout
                  return await(Coroutines.waitFor(work, Duration.ofHours(2)));
                }
              }.coroutine());
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long after = Stress.retainedHeap();
    System.out.printf(
        "cancel waves: %,d waitFor(2 h) behind a 1-hour sleep in %.2f s (%.0f/s);"
            + " retained heap %s before, %s after%n",
        waves, secs, waves / secs, Stress.mb(before), Stress.mb(after));
    assertThat(done).isEqualTo("waves done");
    assertThat(sleeper.isDone()).isFalse();
    assertThat(after - before).isLessThan(4L << 20);
    assertThat(loop.timerSlots()).isLessThan(4_096); // before: a slot per cancelled timeout
    sleeper.cancel();
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(1))));
  }
}
