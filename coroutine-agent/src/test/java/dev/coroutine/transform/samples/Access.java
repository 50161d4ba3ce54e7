package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.transform.samples.other.Outer;
import java.util.List;

/** Values whose static type is a class this class cannot access, live across an await. */
public class Access {
  static String use(Object o, int n) {
    return ((Outer.Pub) o).foo(n);
  }

  @Async
  public static Coroutine<String> inaccessibleTypeOnTheStack(List<String> log, boolean s) {
    return done(use(Outer.make(), await(v(log, s, 1))));
  }

  @Async
  public static Coroutine<String> inaccessibleTypeInALocal(List<String> log, boolean s) {
    var hidden = Outer.make();
    int n = await(v(log, s, 2));
    return done(use(hidden, n));
  }

  @Async
  public static Coroutine<String> inaccessibleTypeUsedAsItsPublicSuperclass(
      List<String> log, boolean s) {
    var hidden = Outer.make();
    int n = await(v(log, s, 3));
    return done(((Outer.Pub) hidden).foo(n)); // an upcast: javac writes no checkcast
  }
}
