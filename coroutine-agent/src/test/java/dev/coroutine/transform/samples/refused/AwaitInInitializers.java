package dev.coroutine.transform.samples.refused;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;

import dev.coroutine.Coroutine;

/** Refused: await in a field initializer (code of the constructor) and a static one. */
public class AwaitInInitializers {
  static Coroutine<Integer> one() {
    return done(1);
  }

  static int shared = await(one()); // @static

  int own = await(one()); // @instance
}
