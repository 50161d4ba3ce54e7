package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/** Good.java after an edit: the third build compiles this folder instead of src/main/java. */
public class Good {
  @Async
  public static Coroutine<String> add(int a, int b) {
    await(sleep(10));
    return done("edited " + (a + b));
  }
}
