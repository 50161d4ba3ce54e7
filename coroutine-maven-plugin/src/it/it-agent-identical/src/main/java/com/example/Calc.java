package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;

public class Calc {
  @Async
  public static Coroutine<Integer> add(int a, int b) {
    await(sleep(10));
    return done(a + b);
  }

  /** Frames over several types, so the locator's answers (supertypes) shape the output. */
  @Async
  public Coroutine<String> describe(List<Integer> values, long scale) {
    StringBuilder sb = new StringBuilder();
    for (int v : values) {
      int sum = await(add(v, v));
      Object o = sum % 2 == 0 ? Integer.valueOf(sum) : String.valueOf(sum);
      sb.append(o).append(':').append(sum * scale).append(' ');
    }
    return done(sb.toString().trim());
  }
}
