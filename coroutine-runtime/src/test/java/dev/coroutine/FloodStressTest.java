package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Threads flooding one loop with {@code callSoonThreadsafe}: every callback runs exactly once,
 * timers keep their schedule under the flood, the inbox stays bounded (producers wait), close()
 * while threads submit loses nothing silently, and a loop whose thread dies closes itself. Sizes
 * scale with {@code -Dcoroutine.stress.scale}.
 */
class FloodStressTest extends TestBase {

  @Test
  void eightThreadsFlooding_everyCallbackRunsOnce_timersAndIoKeepTheirSchedule_inboxBounded()
      throws Exception {
    int threads = 8;
    int perThread = Stress.scaled(200_000);
    AtomicIntegerArray seen = new AtomicIntegerArray(threads * perThread);
    long before = Stress.retainedHeap();
    Heartbeat beat = new Heartbeat(loop, 0.01);
    IoBeat io = new IoBeat(loop);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      Thread th =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  int k = base + i;
                  loop.callSoonThreadsafe(() -> seen.getAndIncrement(k));
                }
              },
              "flood-" + t);
      producers.add(th);
      th.start();
    }
    Thread closer =
        new Thread(
            () -> {
              for (Thread th : producers) {
                try {
                  th.join();
                } catch (InterruptedException e) {
                  return;
                }
              }
              loop.callSoonThreadsafe(loop::stop); // after every producer's last callback
            });
    closer.start();
    long t0 = System.nanoTime();
    try (Stress.Watchdog w = Stress.watchdog(loop, 100)) {
      loop.callSoon(go::countDown);
      loop.runForever();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    closer.join();
    beat.stop();
    io.stop();
    int total = threads * perThread;
    for (int k = 0; k < total; k++) {
      if (seen.get(k) != 1) {
        throw new AssertionError("callback " + k + " ran " + seen.get(k) + " times");
      }
    }
    long after = Stress.retainedHeap();
    System.out.printf(
        "flood: %d threads x %d callbacks in %.2f s = %.2f M callbacks/s; heartbeat every 10 ms:"
            + " %d beats, lateness max %.1f ms, mean %.2f ms; pipe readable every 10 ms: %d reads,"
            + " latency max %.1f ms; inbox peak %d (capacity %d); retained heap %s before, %s"
            + " after%n",
        threads,
        perThread,
        secs,
        total / secs / 1e6,
        beat.beats,
        beat.maxLateMillis(),
        beat.meanLateMillis(),
        io.reads,
        io.maxLatency / 1e6,
        beat.peakQueued,
        loop.getThreadsafeQueueCapacity(),
        Stress.mb(before),
        Stress.mb(after));
    assertThat(beat.beats).isGreaterThan(0);
    // the heartbeat kept its schedule: before the fix it was seconds late, the flood drained first
    assertThat(beat.maxLateMillis()).isLessThan(1000);
    assertThat(io.reads).isGreaterThan(0); // I/O is served under the flood too
    assertThat(io.maxLatency / 1e6).isLessThan(1000);
    assertThat(beat.peakQueued).isLessThanOrEqualTo(loop.getThreadsafeQueueCapacity() + threads);
    assertThat(after - before).isLessThan(16L << 20);
  }

  @Test
  void slowLoop_fastProducer_producerWaits_inboxNeverPassesCapacity() throws Exception {
    loop.setThreadsafeQueueCapacity(EventLoop.INBOX_BATCH);
    int n = Stress.scaled(50_000);
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Thread producer =
        new Thread(
            () -> {
              for (int i = 0; i < n; i++) {
                loop.callSoonThreadsafe(
                    () -> {
                      peak.accumulateAndGet(loop.threadsafeQueued(), Math::max);
                      long end = System.nanoTime() + 2_000; // a loop slower than its producer
                      while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                      }
                      if (ran.incrementAndGet() == n) {
                        loop.stop();
                      }
                    });
              }
            });
    loop.callSoon(producer::start);
    try (Stress.Watchdog w = Stress.watchdog(loop, 100)) {
      loop.runForever();
    }
    producer.join();
    System.out.printf(
        "flood: slow loop, inbox capacity %d, peak %d, %d callbacks ran%n",
        EventLoop.INBOX_BATCH, peak.get(), ran.get());
    assertThat(ran.get()).isEqualTo(n);
    assertThat(peak.get()).isLessThanOrEqualTo(EventLoop.INBOX_BATCH + 1);
  }

  /**
   * Found from outside (JDK 25): 100,000 virtual threads, ten callbacks each, on a full inbox. The
   * loop notified waiting producers through a monitor they all contended for, and never got it: it
   * stopped for good, its timers too. Every callback must run once, and the loop's own 10 ms timer
   * keep beating (the gap bound is a hang guard, not a timing check). JDK 21+ (virtual threads).
   */
  @Test
  void virtualThreadsFlooding_aFullInbox_neverStallTheLoop() throws Exception {
    java.lang.reflect.Method ofVirtual;
    try {
      ofVirtual = Thread.class.getMethod("ofVirtual");
    } catch (NoSuchMethodException jdk17) {
      org.junit.jupiter.api.Assumptions.abort("virtual threads need JDK 21+");
      return;
    }
    Object builder = ofVirtual.invoke(null);
    java.lang.reflect.Method start =
        Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
    loop.setThreadsafeQueueCapacity(EventLoop.INBOX_BATCH);
    int threads = Stress.scaled(50_000);
    int each = 10;
    AtomicIntegerArray seen = new AtomicIntegerArray(threads * each);
    AtomicInteger ran = new AtomicInteger();
    double[] beat = {0, 0}; // last beat, longest gap (loop thread only)
    Runnable[] heartbeat = new Runnable[1];
    heartbeat[0] =
        () -> {
          double now = loop.time();
          beat[1] = Math.max(beat[1], now - beat[0]);
          beat[0] = now;
          loop.callLater(0.01, heartbeat[0]);
        };
    CountDownLatch running = new CountDownLatch(1);
    loop.callSoon(
        () -> {
          beat[0] = loop.time();
          heartbeat[0].run();
          running.countDown();
        });
    Thread loopThread = new Thread(loop::runForever, "flooded-loop");
    loopThread.start();
    running.await();
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * each;
      Runnable produce =
          () -> {
            for (int i = 0; i < each; i++) {
              int id = base + i;
              loop.callSoonThreadsafe(
                  () -> {
                    seen.incrementAndGet(id);
                    if (ran.incrementAndGet() == threads * each) {
                      loop.stop();
                    }
                  });
            }
          };
      producers.add((Thread) start.invoke(builder, produce));
    }
    loopThread.join(TimeUnit.SECONDS.toMillis(100)); // a hang guard
    assertThat(loopThread.isAlive())
        .as("the loop stalled: %d of %d callbacks ran", ran.get(), threads * each)
        .isFalse();
    for (Thread p : producers) {
      p.join();
    }
    assertThat(ran.get()).isEqualTo(threads * each);
    for (int i = 0; i < threads * each; i++) {
      assertThat(seen.get(i)).as("callback %d", i).isEqualTo(1);
    }
    assertThat(beat[1]).as("longest gap between the loop's 10 ms beats, s").isLessThan(10.0);
  }

  /**
   * A runtime handoff (the cleaner closing an unclosed connection) never waits for room: one
   * flooded loop must not hold up a thread that serves every loop (found from outside: connections
   * of other loops stayed open while the cleaner waited on one loop's full inbox).
   */
  @Test
  void runtimeHandoff_toAFullInbox_neverWaits() throws Exception {
    loop.setThreadsafeQueueCapacity(EventLoop.INBOX_BATCH);
    CountDownLatch full = new CountDownLatch(1);
    AtomicBoolean handedOff = new AtomicBoolean();
    AtomicBoolean handoffRan = new AtomicBoolean();
    AtomicBoolean passedWhileFull = new AtomicBoolean();
    Thread producer =
        new Thread(
            () -> {
              for (int i = 0; i < EventLoop.INBOX_BATCH; i++) {
                loop.callSoonThreadsafe(() -> {});
              }
              full.countDown();
            });
    Thread cleaner =
        new Thread(
            () -> {
              loop.callSoonThreadsafe(
                  (dev.coroutine.internal.RuntimeHandoff) () -> handoffRan.set(true));
              handedOff.set(true);
            });
    loop.callSoon(
        () -> {
          producer.start();
          try {
            full.await(); // the inbox is at its capacity: a plain producer would wait now
            cleaner.start();
            cleaner.join(5_000); // the loop takes nothing meanwhile: only a handoff can pass
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
          passedWhileFull.set(handedOff.get());
          loop.stop();
        });
    loop.runForever();
    assertThat(passedWhileFull).isTrue();
    loop.runUntilComplete(loop.createTask(Co.awaiting(Coroutines.sleep(10))));
    assertThat(handoffRan).isTrue();
  }

  @Test
  void producerWaitingForRoom_isAdmittedWhenTheLoopStops_andRefusedWhenItCloses() throws Exception {
    loop.setThreadsafeQueueCapacity(EventLoop.INBOX_BATCH);
    CountDownLatch blocked = new CountDownLatch(1);
    AtomicInteger accepted = new AtomicInteger();
    AtomicBoolean refused = new AtomicBoolean();
    AtomicInteger acceptedWhileRunning = new AtomicInteger();
    // the loop runs a callback that waits until the producer is stuck on a full inbox
    Thread producer =
        new Thread(
            () -> {
              try {
                for (int i = 0; ; i++) {
                  if (i == EventLoop.INBOX_BATCH + 10) {
                    blocked.countDown(); // by now it must have waited: the loop takes none
                  }
                  loop.callSoonThreadsafe(() -> {});
                  accepted.incrementAndGet();
                }
              } catch (IllegalStateException closed) {
                refused.set(true);
              }
            });
    loop.callSoon(
        () -> {
          producer.start();
          long end = System.nanoTime() + 300_000_000L;
          while (System.nanoTime() < end && accepted.get() < EventLoop.INBOX_BATCH + 100) {
            Thread.onSpinWait();
          }
          acceptedWhileRunning.set(accepted.get());
          loop.stop();
        });
    loop.runForever();
    assertThat(acceptedWhileRunning.get()).isLessThanOrEqualTo(EventLoop.INBOX_BATCH + 1); // waited
    // stopped: waiting producers are admitted (nothing would make room)
    assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
    loopErrors.clear();
    loop.close();
    producer.join(10_000);
    assertThat(producer.isAlive()).isFalse();
    assertThat(refused).isTrue();
    assertThat(loopErrors).hasSize(1); // the callbacks accepted and never run: reported once
    assertThat(loopErrors.get(0).message()).contains("close() dropped");
    loopErrors.clear();
  }

  @Test
  void close_whileThreadsSubmit_everySubmissionRunsOrIsRefusedOrReported() throws Exception {
    int threads = 4;
    int max = Stress.scaled(100_000);
    AtomicIntegerArray ran = new AtomicIntegerArray(threads * max);
    List<List<Handle>> handles = new ArrayList<>();
    List<CompletableFuture<Integer>> submitted = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicLong refusedCount = new AtomicLong();
    AtomicLong finishedCount = new AtomicLong();
    Thread loopThread = new Thread(loop::runForever, "loop");
    loopThread.start();
    CountDownLatch go = new CountDownLatch(threads);
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * max;
      List<Handle> mine = new ArrayList<>();
      handles.add(mine);
      Thread th =
          new Thread(
              () -> {
                go.countDown();
                try {
                  for (int i = 0; i < max; i++) {
                    int k = base + i;
                    mine.add(loop.callSoonThreadsafe(() -> ran.getAndIncrement(k)));
                    if (i % 100 == 0) {
                      submitted.add(
                          Coroutines.runCoroutineThreadsafe(
                              Co.seq(v -> Co.await(Coroutines.sleep(1)), v -> 1), loop));
                    }
                  }
                  finishedCount.incrementAndGet(); // all accepted before the close
                } catch (IllegalStateException closed) {
                  assertThat(closed).hasMessageContaining("closed");
                  refusedCount.incrementAndGet();
                }
              });
      producers.add(th);
      th.start();
    }
    go.await();
    Thread.sleep(50);
    loop.callSoonThreadsafe(loop::stop);
    loopThread.join(30_000);
    assertThat(loopThread.isAlive()).isFalse();
    loopErrors.clear();
    loop.close(); // while the producers still submit
    for (Thread th : producers) {
      th.join(30_000);
      assertThat(th.isAlive()).isFalse();
    }
    long accepted = 0;
    long dropped = 0;
    for (int t = 0; t < threads; t++) {
      List<Handle> mine = handles.get(t);
      accepted += mine.size();
      for (int i = 0; i < mine.size(); i++) {
        int times = ran.get(t * max + i);
        boolean cancelled = mine.get(i).isCancelled();
        if (times + (cancelled ? 1 : 0) != 1) {
          throw new AssertionError(
              "accepted callback "
                  + i
                  + " of thread "
                  + t
                  + " ran "
                  + times
                  + " times, cancelled="
                  + cancelled);
        }
        dropped += cancelled ? 1 : 0;
      }
    }
    int failed = 0;
    for (CompletableFuture<Integer> f : submitted) {
      try {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1); // never left pending
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
        failed++;
      }
    }
    System.out.printf(
        "close while submitting: %d accepted (%d ran, %d dropped and reported), %d refused threads,"
            + " %d coroutines submitted (%d failed by close)%n",
        accepted, accepted - dropped, dropped, refusedCount.get(), submitted.size(), failed);
    // each producer was refused once the loop closed, unless it was done before
    assertThat(refusedCount.get() + finishedCount.get()).isEqualTo(threads);
    if (dropped > 0) {
      String report = "close() dropped " + dropped + " ";
      assertThat(loopErrors).anyMatch(c -> c.message().contains(report));
    }
    loopErrors.removeIf(c -> c.message().contains("close() dropped"));
  }

  @Test
  void loopThreadDies_loopClosesItself_refusesNewWork_failsSubmittedCoroutines() throws Exception {
    Pipe pipe = Pipe.open();
    loop.addReader(pipe.source(), () -> {}); // the loop waits in its selector
    AtomicBoolean died = new AtomicBoolean();
    Throwable[] thrown = new Throwable[1];
    Thread loopThread =
        new Thread(
            () -> {
              try {
                loop.runForever();
              } catch (Throwable t) {
                thrown[0] = t;
                died.set(true);
              }
            });
    CompletableFuture<Object> pending;
    loopThread.start();
    try (Stress.Watchdog w = Stress.watchdog(loop, 60)) {
      pending =
          Coroutines.runCoroutineThreadsafe(
              Co.seq(v -> Co.await(Coroutines.sleep(3_600_000))), loop);
      Thread.sleep(100);
      LoopFaults.breakSelector(loop); // the loop's machinery fails: select throws
      try {
        loop.callSoonThreadsafe(() -> {}); // wakes it into the failure (if not already failed)
      } catch (IllegalStateException alreadyClosed) {
        // it died first
      }
      loopThread.join(10_000);
    }
    assertThat(died).isTrue();
    assertThat(loop.isClosed()).isTrue();
    assertThatThrownBy(() -> loop.callSoonThreadsafe(() -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("its thread stopped on")
        .hasCause(thrown[0]);
    assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    pipe.sink().close();
    loopErrors.removeIf(c -> c.message().contains("close() dropped")); // the wake-up callback
  }

  /** Closes the loop's selector behind its back, as a broken selector would fail. */

  /**
   * I/O readiness under load: a thread writes its {@code nanoTime} to a pipe every 10 ms; the
   * loop's reader callback measures how long each value waited.
   */
  static final class IoBeat {
    /** The pipe. */
    private final Pipe pipe;

    /** The writing thread. */
    private final Thread writer;

    /** Values read, and the longest wait (loop thread). */
    int reads;

    long maxLatency;

    /** Partial value being read. */
    private final java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8);

    /** The loop. */
    private final EventLoop loop;

    IoBeat(EventLoop loop) throws java.io.IOException {
      this.loop = loop;
      pipe = Pipe.open();
      loop.addReader(pipe.source(), this::readable);
      writer =
          new Thread(
              () -> {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
                try {
                  while (!Thread.currentThread().isInterrupted()) {
                    b.clear();
                    b.putLong(System.nanoTime()).flip();
                    while (b.hasRemaining()) {
                      pipe.sink().write(b);
                    }
                    Thread.sleep(10);
                  }
                } catch (InterruptedException | java.io.IOException e) {
                  // stopped
                }
              },
              "io-beat");
      writer.setDaemon(true);
      writer.start();
    }

    private void readable() {
      try {
        while (pipe.source().read(buf) > 0) {
          if (!buf.hasRemaining()) {
            buf.flip();
            maxLatency = Math.max(maxLatency, System.nanoTime() - buf.getLong());
            reads++;
            buf.clear();
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    void stop() throws Exception {
      writer.interrupt();
      writer.join(5_000);
      loop.removeReader(pipe.source());
      pipe.sink().close();
      pipe.source().close();
    }
  }

  /** A timer every {@code period} seconds that measures how late each tick runs. */
  static final class Heartbeat {
    /** The loop. */
    private final EventLoop loop;

    /** Seconds between beats. */
    private final double period;

    /** Beats so far (loop thread). */
    int beats;

    /** Sum and max of lateness in nanoseconds (loop thread). */
    long lateSum, lateMax;

    /** The most callbacks seen waiting in the inbox at a beat. */
    int peakQueued;

    /** When the next beat is due, in loop nanoseconds. */
    private long due;

    /** The pending beat. */
    private Handle next;

    /** Set by stop. */
    private boolean stopped;

    Heartbeat(EventLoop loop, double period) {
      this.loop = loop;
      this.period = period;
      due = loop.now() + (long) (period * 1e9);
      next = loop.callLater(period, this::beat);
    }

    private void beat() {
      long late = loop.now() - due;
      beats++;
      lateSum += late;
      lateMax = Math.max(lateMax, late);
      peakQueued = Math.max(peakQueued, loop.threadsafeQueued());
      if (!stopped) {
        due = loop.now() + (long) (period * 1e9);
        next = loop.callLater(period, this::beat);
      }
    }

    void stop() {
      stopped = true;
      next.cancel();
    }

    double maxLateMillis() {
      return lateMax / 1e6;
    }

    double meanLateMillis() {
      return beats == 0 ? 0 : lateSum / 1e6 / beats;
    }
  }
}
