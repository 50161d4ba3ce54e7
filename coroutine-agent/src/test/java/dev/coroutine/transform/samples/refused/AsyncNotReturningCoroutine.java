package dev.coroutine.transform.samples.refused;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;

import dev.coroutine.Async;

/** Refused: @Async on a method that does not return Coroutine. */
public class AsyncNotReturningCoroutine {
  @Async
  public static String notACoroutine() {
    String s = "x"; // @first
    return s + await(done("y"));
  }
}
