package dev.coroutine.bench.jmh;

import dev.coroutine.bench.floor.CallDepthFloor;
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
 * W6 call depth: chains of 1,000 nested calls, each awaiting the next, the innermost suspending
 * once; ns per level. One method per system (and the floor, plain Java with no runtime); the
 * harness runs each system in its own forks (virtual threads with one carrier, on JDK 25).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(Sizes.W6_LEVELS)
public class W6CallDepth {
  @Benchmark
  public long ours() {
    return OursWorkloads.callDepth(Sizes.W6_CHAINS, Sizes.W6_DEPTH);
  }

  @Benchmark
  public long kotlinx() {
    return KotlinWorkloads.callDepth(Sizes.W6_CHAINS, Sizes.W6_DEPTH);
  }

  @Benchmark
  public long virtualThreads() {
    return VirtualThreadWorkloads.callDepth(Sizes.W6_CHAINS, Sizes.W6_DEPTH);
  }

  @Benchmark
  public long completableFuture(CfState e) {
    return e.cf.callDepth(Sizes.W6_CHAINS, Sizes.W6_DEPTH);
  }

  /** The floor: plain Java, the least a stackless coroutine does per level (no runtime). */
  @Benchmark
  public long floor() {
    return CallDepthFloor.callDepth(Sizes.W6_CHAINS, Sizes.W6_DEPTH);
  }
}
