package dev.coroutine.bench.jmh;

import dev.coroutine.bench.ours.GeneratorWorkloads;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Ten values pulled through a chain of {@code depth} async generators, each re-emitting the one
 * below (benchmarks/README.md, "Async generator chains"): the time per chain, which grows linearly
 * with the depth when an emit costs the same at every level. Only our runtime has this shape
 * (Python stops at its recursion limit near 1,000); not part of the Compare harness. Run it alone:
 * {@code java -cp <benchmarks classpath> org.openjdk.jmh.Main GeneratorChainBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class GeneratorChainBench {
  /** Generators in the chain. */
  @Param({"10", "1000", "10000"})
  public int depth;

  @Benchmark
  public long chain() {
    return GeneratorWorkloads.chain(depth, 10);
  }
}
