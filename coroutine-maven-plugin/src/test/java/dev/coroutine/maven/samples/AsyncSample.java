package dev.coroutine.maven.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/** Input for the tests that run the real transformer: one @Async method. */
public class AsyncSample {
  @Async
  public static Coroutine<Integer> add(int a, int b) {
    await(sleep(1));
    return done(a + b);
  }
}
