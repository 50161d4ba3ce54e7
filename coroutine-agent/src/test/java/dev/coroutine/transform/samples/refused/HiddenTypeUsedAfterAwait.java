package dev.coroutine.transform.samples.refused;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.transform.samples.other.Outer;

/**
 * A value of a class this class cannot name, used as that class after an await: a restore could
 * only cast it to a public supertype, which the use does not accept.
 */
public class HiddenTypeUsedAfterAwait {
  @Async
  public static Coroutine<String> use() {
    var hidden = Outer.make();
    await(sleep(0));
    return done(Outer.useHidden(hidden)); // @useHidden
  }
}
