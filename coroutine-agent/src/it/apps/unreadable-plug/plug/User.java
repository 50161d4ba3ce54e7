package plug;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/**
 * Keeps an array merged from arrays of A and B across an await: the merged element type needs A's
 * and B's supertypes, which their class files (unreadable) do not give; this class's frames do:
 * they declare the merge Base[], which the verifier accepts only if A and B are Bases.
 */
public class User {
  @Async
  public static Coroutine<String> pick(boolean c) {
    Base[] picked = c ? new A[] {new A()} : new B[] {new B()};
    await(sleep(1)); // @await
    return done(picked[0].toString());
  }
}
