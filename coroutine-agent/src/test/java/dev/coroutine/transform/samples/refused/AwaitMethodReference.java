package dev.coroutine.transform.samples.refused;

import static dev.coroutine.Coroutines.done;

import dev.coroutine.Async;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.util.function.Function;

/** Refused: a method reference to Coroutines::await. */
public class AwaitMethodReference {
  @Async
  public static Coroutine<Integer> viaReference() {
    Function<Awaitable<Integer>, Integer> f = Coroutines::await; // @ref
    return done(f.apply(done(1)));
  }
}
