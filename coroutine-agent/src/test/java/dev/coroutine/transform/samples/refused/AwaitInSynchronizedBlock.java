package dev.coroutine.transform.samples.refused;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/** Refused: await inside a synchronized block. */
public class AwaitInSynchronizedBlock {
  private final Object lock = new Object();

  @Async
  public Coroutine<Integer> guarded() {
    int x = 0;
    synchronized (lock) {
      x++;
      await(sleep(1)); // @await
    }
    return done(x);
  }
}
