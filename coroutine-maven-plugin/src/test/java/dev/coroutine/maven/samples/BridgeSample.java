package dev.coroutine.maven.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.function.Supplier;

/**
 * Input for the tests that run the real transformer: @Async overrides for which javac generates
 * bridge methods carrying @Async (one returning Object, one returning Coroutine).
 */
public class BridgeSample {
  /** A generic interface: its implementations get a bridge {@code handle(Object)}. */
  public interface Handler<T> {
    Coroutine<String> handle(T t);
  }

  /** Implements {@link Handler} for strings. */
  public static class Upper implements Handler<String> {
    @Async
    @Override
    public Coroutine<String> handle(String s) {
      await(sleep(1));
      return done(s.toUpperCase());
    }
  }

  /** An anonymous class whose bridge {@code Object get()} carries @Async. */
  public static Supplier<Coroutine<Integer>> supplier() {
    return new Supplier<Coroutine<Integer>>() {
      @Async
      @Override
      public Coroutine<Integer> get() {
        await(sleep(1));
        return done(42);
      }
    };
  }
}
