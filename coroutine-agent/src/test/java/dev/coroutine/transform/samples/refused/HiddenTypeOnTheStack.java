package dev.coroutine.transform.samples.refused;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.transform.samples.other.Outer;

/**
 * A value of a class this class cannot name, waiting on the operand stack under an await (found
 * from outside): the call after the await takes that class, which a restore could only cast to a
 * public supertype. Awaiting into a local first avoids it.
 */
public class HiddenTypeOnTheStack {
  @Async
  static Coroutine<Integer> five() {
    return done(5);
  }

  @Async
  public static Coroutine<String> use() {
    return done(Outer.useHidden(Outer.make(), await(five()))); // @onTheStack
  }
}
