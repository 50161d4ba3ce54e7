package dev.coroutine.transform.samples.refused;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/** Refused: @Async on a method that does not return Coroutine. */
public class AsyncNotReturningCoroutine {
  @Async
  public static String notACoroutine() {
    String s = "x"; // @first
    return s + await(done("y"));
  }
}
