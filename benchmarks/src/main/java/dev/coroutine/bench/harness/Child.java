package dev.coroutine.bench.harness;

import dev.coroutine.bench.Phase;
import dev.coroutine.bench.cf.FutureWorkloads;
import dev.coroutine.bench.floor.GatherFloor;
import dev.coroutine.bench.kt.KotlinWorkloads;
import dev.coroutine.bench.ours.OursWorkloads;
import dev.coroutine.bench.vt.VirtualThreadWorkloads;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * One process-level measurement, in a JVM of its own that {@link Compare} launches. Prints its
 * findings as {@code RESULT key=value ...} lines on standard output, the last of which carries the
 * process's peak RSS ({@code VmHWM} of {@code /proc/self/status}).
 *
 * <pre>
 * w3 SYSTEM N MILLIS time|heap   a million sleepers (N of them): the wall time, or (in a run of
 *                                its own, sleeping 10 minutes) the retained heap per sleeper
 * w4 SYSTEM N WARMUPS REPS       gather fan-out, timed in-process after warm-up rounds
 * w4done SYSTEM N WARMUPS REPS   W4': the same with children that finish without suspending
 *                               (SYSTEM floor: plain Java objects, no runtime; see GatherFloor)
 *                                (ours and cf only)
 * t1 CORPUS_DIR OUT_DIR PASSES   transform the corpus (see {@link Corpus}) PASSES times
 * t2 MAX_CLASSES JAR...          load the classes of the jars (run with and without the agent)
 * </pre>
 */
public final class Child {
  private Child() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "w3":
        sleepers(
            args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), "heap".equals(args[4]));
        break;
      case "w4":
        gather(
            args[1],
            Integer.parseInt(args[2]),
            Integer.parseInt(args[3]),
            Integer.parseInt(args[4]));
        break;
      case "w4done":
        gatherFinished(
            args[1],
            Integer.parseInt(args[2]),
            Integer.parseInt(args[3]),
            Integer.parseInt(args[4]));
        break;
      case "t1":
        Corpus.transformPasses(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
        break;
      case "t2":
        ClassLoading.loadAll(Integer.parseInt(args[1]), Arrays.copyOfRange(args, 2, args.length));
        break;
      case "t2scan":
        ClassLoading.scanAll(Integer.parseInt(args[1]), Arrays.copyOfRange(args, 2, args.length));
        break;
      default:
        throw new IllegalArgumentException("unknown child workload " + args[0]);
    }
    System.out.println("RESULT peak_rss_kb=" + peakRssKb());
    System.out.flush();
    System.exit(0); // executor and timer threads of the peers must not keep us alive
  }

  // ---- W3 ----------------------------------------------------------------------------------

  private static void sleepers(String system, int n, long millis, boolean heap) throws Exception {
    HeapProbe probe = heap ? new HeapProbe(n) : null;
    if (heap) {
      // long enough that no sleeper wakes before the probe however slow creating them is; the
      // probe ends the process once it has measured
      millis = Math.max(millis, HEAP_RUN_SLEEP_MILLIS);
    }
    long t0 = System.nanoTime();
    int count;
    switch (system) {
      case "ours":
        count = OursWorkloads.sleepers(n, millis, probe);
        break;
      case "ours-int": // by hand: the same with an int parameter (see sleepersIntParam)
        count = OursWorkloads.sleepersIntParam(n, Math.toIntExact(millis), probe);
        break;
      case "kotlinx":
        count = KotlinWorkloads.sleepers(n, millis, probe);
        break;
      case "vt":
        count = VirtualThreadWorkloads.sleepers(n, millis, probe);
        break;
      case "cf":
        try (FutureWorkloads cf = new FutureWorkloads()) {
          count = cf.sleepers(n, millis, probe);
        }
        break;
      default:
        throw new IllegalArgumentException(system);
    }
    long t1 = System.nanoTime();
    if (count != n) {
      throw new IllegalStateException("W3 " + system + ": " + count + " of " + n + " woke");
    }
    System.out.println("RESULT wall_ms=" + (t1 - t0) / 1e6);
  }

  /** How long the sleepers of a W3 heap run sleep: they never wake, the probe exits first. */
  static final long HEAP_RUN_SLEEP_MILLIS = 600_000;

  /**
   * Measures the used heap after full GCs at the two {@link Phase}s of W3, prints the retained heap
   * per task and ends the process.
   */
  static final class HeapProbe implements IntConsumer {
    private final int tasks;
    private long baseline;

    HeapProbe(int tasks) {
      this.tasks = tasks;
    }

    @Override
    public void accept(int phase) {
      long used = usedHeapAfterGc();
      if (phase == Phase.BASELINE) {
        baseline = used;
        return;
      }
      System.out.println(
          "RESULT heap_per_task_b="
              + (double) (used - baseline) / tasks
              + " woken_at_probe="
              + phase);
      System.out.println("RESULT peak_rss_kb=" + peakRssKb());
      System.out.flush();
      Runtime.getRuntime().halt(0);
    }
  }

  static long usedHeapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  // ---- W4 ----------------------------------------------------------------------------------

  private static void gather(String system, int n, int warmups, int reps) throws Exception {
    long expected = (long) n * (n - 1) / 2;
    try (FutureWorkloads cf = new FutureWorkloads()) {
      for (int r = 0; r < warmups + reps; r++) {
        long t0 = System.nanoTime();
        long sum;
        switch (system) {
          case "ours":
            sum = OursWorkloads.gatherFanOut(n);
            break;
          case "kotlinx":
            sum = KotlinWorkloads.gatherFanOut(n);
            break;
          case "vt":
            sum = VirtualThreadWorkloads.gatherFanOut(n);
            break;
          case "cf":
            sum = cf.gatherFanOut(n);
            break;
          default:
            throw new IllegalArgumentException(system);
        }
        long t1 = System.nanoTime();
        if (sum != expected) {
          throw new IllegalStateException("W4 " + system + ": sum " + sum + " != " + expected);
        }
        if (r >= warmups) {
          System.out.println("RESULT wall_ms=" + (t1 - t0) / 1e6);
        }
      }
    }
  }

  private static void gatherFinished(String system, int n, int warmups, int reps) throws Exception {
    long expected = (long) n * (n - 1) / 2;
    try (FutureWorkloads cf = new FutureWorkloads()) {
      for (int r = 0; r < warmups + reps; r++) {
        long t0 = System.nanoTime();
        long sum;
        switch (system) {
          case "ours":
            sum = OursWorkloads.gatherFinishedFanOut(n);
            break;
          case "ours-eager":
            sum = OursWorkloads.gatherFinishedFanOutEager(n);
            break;
          case "cf":
            sum = cf.gatherFinishedFanOut(n);
            break;
          case "floor":
            sum = GatherFloor.gatherFinished(n);
            break;
          default:
            throw new IllegalArgumentException(
                "W4' is implemented for ours, cf and floor, not " + system);
        }
        long t1 = System.nanoTime();
        if (sum != expected) {
          throw new IllegalStateException("W4' " + system + ": sum " + sum + " != " + expected);
        }
        if (r >= warmups) {
          System.out.println("RESULT wall_ms=" + (t1 - t0) / 1e6);
        }
      }
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** VmHWM of this process in KiB, or -1 if /proc is not there. */
  static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }
}
