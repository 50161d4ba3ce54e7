package dev.coroutine.bench.jmh;

import dev.coroutine.bench.cf.FutureWorkloads;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The CompletableFuture system's one executor thread, for the whole trial. */
@State(Scope.Benchmark)
public class CfState {
  /** The workloads bound to the executor. */
  FutureWorkloads cf;

  @Setup
  public void start() {
    cf = new FutureWorkloads();
  }

  @TearDown
  public void stop() {
    cf.close();
  }
}
