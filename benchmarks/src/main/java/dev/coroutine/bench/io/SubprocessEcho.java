package dev.coroutine.bench.io;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.io.Subprocess;
import dev.coroutine.io.SubprocessOptions;
import dev.coroutine.io.Subprocesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * P1, ours: {@code processes} concurrent {@code cat} subprocesses, each sent {@code bytes} through
 * {@code communicate} and checked to echo them, in one loop. Prints per round the wall time and the
 * peak number of OS threads of this process (sampled from {@code /proc/self/status} every
 * millisecond by one extra thread) beside the count before the round; the twin of {@code
 * io/subprocess_asyncio.py}. Then the spawn rate: {@link #SPAWNS} short {@code cat}s, ten at a
 * time, each sent 16 bytes through {@code communicate}. Run with {@code
 * -Dcoroutine.subprocess.pipes=threads} for the portable pipes (a pump thread per pipe).
 *
 * <pre>
 * java -cp ... dev.coroutine.bench.io.SubprocessEcho [processes=100] [bytes=1048576] [rounds=3]
 * </pre>
 */
public final class SubprocessEcho {
  private SubprocessEcho() {}

  @Async
  static Coroutine<Void> echoOnce(byte[] data) throws Exception {
    Subprocess p = await(Subprocesses.exec(SubprocessOptions.pipes(), "cat"));
    Subprocess.Output o = await(p.communicate(data));
    if (o.exitCode() != 0 || !Arrays.equals(o.stdout(), data)) {
      throw new IllegalStateException(
          "cat " + p.pid() + " did not echo its input: " + o.exitCode());
    }
    return done();
  }

  @Async
  static Coroutine<Void> round(int processes, byte[] data) throws Exception {
    List<Task<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      tasks.add(createTask(echoOnce(data)));
    }
    for (Task<Void> t : tasks) {
      await(t);
    }
    return done();
  }

  /** Spawn rate: {@code total} short {@code cat}s, {@code concurrency} at a time, 16 bytes each. */
  @Async
  static Coroutine<Void> spawnMany(int total, int concurrency) throws Exception {
    byte[] small = "sixteen bytes!!\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    List<Task<Void>> running = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      running.add(createTask(echoOnce(small)));
      if (running.size() == concurrency) {
        for (Task<Void> t : running) {
          await(t);
        }
        running.clear();
      }
    }
    for (Task<Void> t : running) {
      await(t);
    }
    return done();
  }

  /** The OS threads of this process now, from /proc/self/status; -1 where there is none. */
  static int osThreads() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Threads:")) {
          return Integer.parseInt(line.substring(8).trim());
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  public static void main(String[] args) throws Exception {
    int processes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 1 << 20;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    byte[] data = new byte[bytes];
    new Random(1).nextBytes(data);
    run(round(4, data)); // warm-up: classes loaded, code compiled
    int[] peak = new int[1];
    Thread sampler =
        new Thread(
            () -> {
              while (true) {
                int n = osThreads();
                synchronized (peak) {
                  peak[0] = Math.max(peak[0], n);
                }
                try {
                  Thread.sleep(1);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "thread-sampler");
    sampler.setDaemon(true);
    sampler.start();
    for (int r = 0; r < rounds; r++) {
      Thread.sleep(200); // let the last round's reaper and pump threads end
      int before = osThreads();
      synchronized (peak) {
        peak[0] = before;
      }
      long t0 = System.nanoTime();
      run(round(processes, data));
      double secs = (System.nanoTime() - t0) / 1e9;
      int p;
      synchronized (peak) {
        p = peak[0];
      }
      System.out.printf(
          "RESULT kind=echo round=%d seconds=%.3f peak_threads=%d threads_before=%d%n",
          r, secs, p, before);
    }
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      run(spawnMany(SPAWNS, 10));
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "RESULT kind=spawn round=%d seconds=%.3f per_second=%.1f%n", r, secs, SPAWNS / secs);
    }
  }

  /** Processes per spawn-rate round. */
  static final int SPAWNS = 200;
}
