package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;

public class Located {
  @Async
  public static Coroutine<Integer> twoAwaits(Future<Integer> first, Future<Integer> second) {
    int a = await(first); // line 13
    int b = await(second); // line 14
    return done(a + b);
  }
}
