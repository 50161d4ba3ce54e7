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
 * W2 ping-pong: two coroutines pass a value through two one-slot queues; ns per hand-off. One
 * method per system; the harness runs each system in its own forks (virtual threads with one
 * carrier, on JDK 25).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(Sizes.W2_HANDOFFS)
public class W2PingPong {
  @Benchmark
  public long ours() {
    return OursWorkloads.pingPong(Sizes.W2_ROUND_TRIPS);
  }

  @Benchmark
  public long kotlinx() {
    return KotlinWorkloads.pingPong(Sizes.W2_ROUND_TRIPS);
  }

  @Benchmark
  public long virtualThreads() {
    return VirtualThreadWorkloads.pingPong(Sizes.W2_ROUND_TRIPS);
  }

  @Benchmark
  public long completableFuture(CfState e) {
    return e.cf.pingPong(Sizes.W2_ROUND_TRIPS);
  }
}
