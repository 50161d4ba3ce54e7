package demo;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Coroutine;

/** Misuses await: the transformer refuses the class, the agent loads it unchanged. */
public class Bad {
  static String hello() {
    return "hello from Bad";
  }

  static Coroutine<Integer> notAsync() {
    await(sleep(1)); // MISUSE: await outside an @Async method
    return done(1);
  }
}
