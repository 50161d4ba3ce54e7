package dev.coroutine.transform.samples.refused;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/** Refused: an @Async synchronized method. */
public class SynchronizedAsyncMethod {
  @Async
  public synchronized Coroutine<Integer> guarded() {
    int x = 1; // @first
    await(sleep(1));
    return done(x);
  }
}
