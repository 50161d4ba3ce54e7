package dev.coroutine.transform.samples.refused;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.sleep;

/** Refused: await in a method that is not @Async. */
public class AwaitInPlainMethod {
  public static int plain() {
    int x = 1;
    await(sleep(1)); // @await
    return x;
  }
}
