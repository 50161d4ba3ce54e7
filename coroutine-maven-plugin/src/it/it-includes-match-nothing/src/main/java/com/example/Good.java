package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

public class Good {
  @Async
  public static Coroutine<Integer> add(int a, int b) {
    await(sleep(10));
    return done(a + b);
  }
}
