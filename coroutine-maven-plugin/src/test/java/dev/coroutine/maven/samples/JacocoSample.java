package dev.coroutine.maven.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/**
 * Input for the tests that run the real transformer: an @Async method in a class that looks as
 * JaCoCo's offline instrumentation leaves it (its probe array field).
 */
public class JacocoSample {
  @SuppressWarnings("unused")
  private static transient boolean[] $jacocoData;

  @Async
  public static Coroutine<Integer> add(int a, int b) {
    await(sleep(1));
    return done(a + b);
  }
}
