package dev.coroutine.bench.ours;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.generate;
import static dev.coroutine.Coroutines.run;

import dev.coroutine.Async;
import dev.coroutine.AsyncIterable;
import dev.coroutine.AsyncIterator;
import dev.coroutine.Coroutine;
import dev.coroutine.Emitter;

/**
 * Async generators stacked as a recursive walk stacks them: each level re-emits every value of the
 * level below, so a value passes through every level ({@code jmh/GeneratorChainBench}).
 */
public final class GeneratorWorkloads {
  private GeneratorWorkloads() {}

  /** Emits 0 to {@code values - 1}. */
  @Async
  static Coroutine<Void> source(Emitter<Integer> out, int values) {
    for (int i = 0; i < values; i++) {
      await(out.emit(i));
    }
    return done();
  }

  /** Emits every value of {@code below}. */
  @Async
  static Coroutine<Void> relay(AsyncIterable<Integer> below, Emitter<Integer> out) {
    try (AsyncIterator<Integer> it = below.iterator()) {
      while (await(it.hasNext())) {
        await(out.emit(it.next()));
      }
    }
    return done();
  }

  @Async
  static Coroutine<Long> sumThrough(int depth, int values) {
    AsyncIterable<Integer> chain = generate(out -> source(out, values));
    for (int i = 0; i < depth; i++) {
      AsyncIterable<Integer> below = chain;
      chain = generate(out -> relay(below, out));
    }
    long sum = 0;
    try (AsyncIterator<Integer> it = chain.iterator()) {
      while (await(it.hasNext())) {
        sum += it.next();
      }
    }
    return done(sum);
  }

  /** The sum of {@code values} values pulled through a chain of {@code depth} generators. */
  public static long chain(int depth, int values) {
    return run(sumThrough(depth, values));
  }
}
