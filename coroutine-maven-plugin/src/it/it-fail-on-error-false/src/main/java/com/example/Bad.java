package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Coroutine;

public class Bad {
  /** Not @Async: the await below must be refused at build time. */
  public static Coroutine<Integer> notAsync() {
    await(sleep(10)); // MISUSE
    return done(1);
  }
}
