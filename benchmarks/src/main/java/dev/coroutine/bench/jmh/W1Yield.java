package dev.coroutine.bench.jmh;

import dev.coroutine.bench.kt.KotlinWorkloads;
import dev.coroutine.bench.ours.OursWorkloads;
import dev.coroutine.bench.vt.VirtualThreadWorkloads;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * W1 yield cycle: one coroutine yields to its scheduler; ns per yield. One method per system; the
 * harness runs each system in its own forks (virtual threads with one carrier, on JDK 25).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(Sizes.W1_YIELDS)
public class W1Yield {
  @Benchmark
  public int ours() {
    return OursWorkloads.yieldCycle(Sizes.W1_YIELDS);
  }

  @Benchmark
  public int kotlinx() {
    return KotlinWorkloads.yieldCycle(Sizes.W1_YIELDS);
  }

  @Benchmark
  public int virtualThreads() {
    return VirtualThreadWorkloads.yieldCycle(Sizes.W1_YIELDS);
  }

  @Benchmark
  public int completableFuture(CfState e) {
    return e.cf.yieldCycle(Sizes.W1_YIELDS);
  }
}
