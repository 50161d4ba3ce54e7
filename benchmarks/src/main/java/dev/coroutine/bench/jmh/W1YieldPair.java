package dev.coroutine.bench.jmh;

import dev.coroutine.bench.floor.SwitchFloor;
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
 * W1' yield switch: two coroutines yield in turn, so every yield suspends and the other runs (W1's
 * lone coroutine may go on without suspending where the scheduler has nothing else to run); ns per
 * yield. One method per system, as {@link W1Yield}, and the floor (plain Java with no runtime).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(Sizes.W1_YIELDS)
public class W1YieldPair {
  @Benchmark
  public int ours() {
    return OursWorkloads.yieldPair(Sizes.W1_YIELDS / 2);
  }

  @Benchmark
  public int kotlinx() {
    return KotlinWorkloads.yieldPair(Sizes.W1_YIELDS / 2);
  }

  @Benchmark
  public int virtualThreads() {
    return VirtualThreadWorkloads.yieldPair(Sizes.W1_YIELDS / 2);
  }

  @Benchmark
  public int completableFuture(CfState e) {
    return e.cf.yieldPair(Sizes.W1_YIELDS / 2);
  }

  /** The floor: plain Java, the least a scheduler of stackless coroutines does per switch. */
  @Benchmark
  public int floor() {
    return SwitchFloor.yieldPair(Sizes.W1_YIELDS / 2);
  }
}
