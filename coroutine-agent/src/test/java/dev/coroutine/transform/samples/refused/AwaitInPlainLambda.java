package dev.coroutine.transform.samples.refused;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.function.Supplier;

/** Refused: await in a lambda that does not return Coroutine. */
public class AwaitInPlainLambda {
  @Async
  public static Coroutine<Integer> outer() {
    Supplier<Integer> s =
        () -> {
          return await(done(1)); // @await
        };
    return done(s.get());
  }
}
