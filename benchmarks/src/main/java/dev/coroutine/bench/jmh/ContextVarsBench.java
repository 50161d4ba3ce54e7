package dev.coroutine.bench.jmh;

import dev.coroutine.Context;
import dev.coroutine.ContextListener;
import dev.coroutine.ContextVar;
import dev.coroutine.bench.ours.ContextWorkloads;
import dev.coroutine.bench.ours.OursWorkloads;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What context variables cost (benchmarks/README.md, "Context variables"). Every method runs in
 * forks of its own, so the {@code *NeverSet} baselines run in JVMs where no variable was ever set
 * (the runtime captures nothing there) and the others in JVMs where one is. Not part of the Compare
 * harness (only our runtime has this feature); run it alone: {@code java -cp <benchmarks classpath>
 * org.openjdk.jmh.Main ContextVarsBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ContextVarsBench {

  // ---- W1 and W2, per yield / hand-off -----------------------------------------------------

  @Benchmark
  @OperationsPerInvocation(Sizes.W1_YIELDS)
  public int w1YieldNeverSet() {
    return OursWorkloads.yieldCycle(Sizes.W1_YIELDS);
  }

  @Benchmark
  @OperationsPerInvocation(Sizes.W1_YIELDS)
  public int w1YieldVarSet() {
    return ContextWorkloads.yieldCycle(Sizes.W1_YIELDS);
  }

  @Benchmark
  @OperationsPerInvocation(Sizes.W2_HANDOFFS)
  public long w2PingPongNeverSet() {
    return OursWorkloads.pingPong(Sizes.W2_ROUND_TRIPS);
  }

  @Benchmark
  @OperationsPerInvocation(Sizes.W2_HANDOFFS)
  public long w2PingPongVarSet() {
    return ContextWorkloads.pingPong(Sizes.W2_ROUND_TRIPS, false);
  }

  @Benchmark
  @OperationsPerInvocation(Sizes.W2_HANDOFFS)
  public long w2PingPongVarSetAndRead() {
    return ContextWorkloads.pingPong(Sizes.W2_ROUND_TRIPS, true);
  }

  /** W2 with a listener that mirrors the variable into an MDC-like thread-local map. */
  @State(Scope.Benchmark)
  public static class Mdc {
    /** The fake MDC: what SLF4J's MDC holds per thread. */
    final ThreadLocal<Map<String, String>> mdc = ThreadLocal.withInitial(HashMap::new);

    /** The registered listener. */
    ContextListener listener;

    @Setup(Level.Trial)
    public void register() {
      listener =
          ContextListener.mirror(
              Map.of("requestId", ContextWorkloads.REQUEST_ID),
              (k, v) -> mdc.get().put(k, v),
              k -> mdc.get().remove(k));
      Context.addListener(listener);
    }

    @TearDown(Level.Trial)
    public void unregister() {
      Context.removeListener(listener);
    }
  }

  @Benchmark
  @OperationsPerInvocation(Sizes.W2_HANDOFFS)
  public long w2PingPongVarSetMdcListener(Mdc m) {
    return ContextWorkloads.pingPong(Sizes.W2_ROUND_TRIPS, false);
  }

  // ---- the operations themselves -----------------------------------------------------------

  /** A context holding {@link #vars} variables, entered around each invocation's loop. */
  @State(Scope.Thread)
  public static class Vars {
    /** How many variables the context holds (the flat map holds up to 8; past that a trie). */
    @Param({"1", "8", "32"})
    int vars;

    /** The variables; {@code all[0]} is the one read and set. */
    ContextVar<Integer>[] all;

    /** The context they are set in. */
    Context context;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void fill() {
      all = new ContextVar[vars];
      context = new Context();
      for (int i = 0; i < vars; i++) {
        all[i] = new ContextVar<>("v" + i);
      }
      context.run(
          () -> {
            for (int i = 0; i < vars; i++) {
              all[i].set(i);
            }
          });
    }
  }

  /** Operations per invocation of the operation benchmarks. */
  static final int OPS = 1000;

  @Benchmark
  @OperationsPerInvocation(OPS)
  public int get(Vars s) {
    return s.context.run(
        () -> {
          int sum = 0;
          ContextVar<Integer>[] all = s.all;
          for (int i = 0; i < OPS; i++) {
            sum += all[i % all.length].get();
          }
          return sum;
        });
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public int setAndReset(Vars s) {
    return s.context.run(
        () -> {
          ContextVar<Integer> v = s.all[0];
          for (int i = 0; i < OPS; i++) {
            v.reset(v.set(i));
          }
          return v.get();
        });
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public int copyContext(Vars s) {
    return s.context.run(
        () -> {
          int n = 0;
          for (int i = 0; i < OPS; i++) {
            n += Context.copyContext().size();
          }
          return n;
        });
  }
}
