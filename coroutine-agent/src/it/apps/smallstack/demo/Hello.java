package demo;

import static dev.coroutine.Coroutines.*;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/** Found from outside: on a thread of 64 KB the agent's fallback overflowed rewriting Named. */
public class Hello {
  @Async
  static Coroutine<Integer> twice(int x) {
    await(sleep(1));
    return done(2 * x);
  }

  @Async
  static Coroutine<Integer> sum(int n) {
    int s = 0;
    for (int i = 0; i < n; i++) {
      try {
        s += await(twice(i));
      } finally {
        s++;
      }
    }
    return done(s);
  }

  @Async
  static Coroutine<String> names(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      Shape s = (i % 2 == 0) ? new Sq() : new Circ();
      sb.append(await(((Named) s).describe()));
    }
    return done(sb.toString());
  }

  public static String go() {
    return run(sum(5)) + " " + run(names(2));
  }
}
