package dev.coroutine.bench.ours;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;

import dev.coroutine.Async;
import dev.coroutine.ContextVar;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.sync.Queue;

/**
 * W1 and W2 with a context variable set (benchmarks/README.md, "Context variables"): the main task
 * sets {@link #REQUEST_ID} before it yields or starts the ping-pong partner, so every task runs in
 * a non-empty context; the {@code Reading} variants also read the variable at every hand-off, as
 * code that logs a request id does. The plain workloads ({@link OursWorkloads}) are the baseline,
 * run in forks where no variable was ever set.
 */
public final class ContextWorkloads {
  private ContextWorkloads() {}

  /** The variable the workloads set (and read). */
  public static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id");

  /** W1 with a variable set in the yielding task; returns {@code n}. */
  public static int yieldCycle(int n) {
    return run(yields(n));
  }

  @Async
  static Coroutine<Integer> yields(int n) {
    REQUEST_ID.set("req-1");
    return OursWorkloads.yields(n);
  }

  /** W2 with a variable set in both tasks' contexts; returns what {@link OursWorkloads} does. */
  public static long pingPong(int n, boolean reading) {
    return run(pingPongMain(n, reading));
  }

  @Async
  static Coroutine<Long> pingPongMain(int n, boolean reading) {
    REQUEST_ID.set("req-1");
    Queue<Integer> ping = new Queue<>(1);
    Queue<Integer> pong = new Queue<>(1);
    Task<Void> b =
        createTask(reading ? pongerReading(ping, pong, n) : OursWorkloads.ponger(ping, pong, n));
    long sum = await(reading ? pingerReading(ping, pong, n) : OursWorkloads.pinger(ping, pong, n));
    await(b);
    return done(sum);
  }

  @Async
  static Coroutine<Long> pingerReading(Queue<Integer> ping, Queue<Integer> pong, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      await(ping.put(i));
      sum += await(pong.get()) + (REQUEST_ID.get().length() - 5); // "req-1": adds 0
    }
    return done(sum);
  }

  @Async
  static Coroutine<Void> pongerReading(Queue<Integer> ping, Queue<Integer> pong, int n) {
    for (int i = 0; i < n; i++) {
      int v = await(ping.get());
      await(pong.put(v + 1 + (REQUEST_ID.get().length() - 5)));
    }
    return done();
  }
}
