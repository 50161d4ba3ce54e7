package dev.coroutine.bench.jmh;

import dev.coroutine.bench.kt.KotlinWorkloads;
import dev.coroutine.bench.ours.OursWorkloads;
import dev.coroutine.bench.vt.VirtualThreadWorkloads;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * W5 fast path: await an already finished awaitable; ns per await. One method per system; the
 * harness runs each system in its own forks (virtual threads with one carrier, on JDK 25).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(Sizes.W5_AWAITS)
public class W5FastPath {
  @Benchmark
  public long ours() {
    return OursWorkloads.fastPath(Sizes.W5_AWAITS);
  }

  @Benchmark
  public long kotlinx() {
    return KotlinWorkloads.fastPath(Sizes.W5_AWAITS);
  }

  @Benchmark
  public long virtualThreads() {
    return VirtualThreadWorkloads.fastPath(Sizes.W5_AWAITS);
  }

  /**
   * The yardstick of the W5 goal: a plain call (not inlined) of a method returning a field, in the
   * same loop; "within 2x of a plain method call".
   */
  @Benchmark
  public long plainCall(Holders h) {
    Holder[] holders = h.holders;
    long sum = 0;
    for (int i = 0; i < Sizes.W5_AWAITS; i++) {
      sum += holders[i & 7].value();
    }
    return sum;
  }

  /** Eight holders, taken in turn like the eight finished awaitables of the other methods. */
  @State(Scope.Thread)
  public static class Holders {
    /** The holders. */
    Holder[] holders = {
      new Holder(), new Holder(), new Holder(), new Holder(),
      new Holder(), new Holder(), new Holder(), new Holder()
    };
  }

  /** Holds the value the plain call returns. */
  public static class Holder {
    /** The value, boxed like the awaited result. */
    Integer value = 1;

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    Integer value() {
      return value;
    }
  }

  @Benchmark
  public long completableFuture(CfState e) {
    return e.cf.fastPath(Sizes.W5_AWAITS);
  }
}
