package dev.coroutine.maven.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/** Input for the tests that run the real transformer: a catch that swallows cancellation. */
public class SwallowSample {
  @Async
  public static Coroutine<String> fetch() {
    try {
      await(sleep(1));
    } catch (Exception e) { // @swallow
      return done("fallback");
    }
    return done("ok");
  }
}
