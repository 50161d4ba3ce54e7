package debuggee;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;

/**
 * The program JdiTest runs under a debugger, rewritten (outside dev.coroutine, so a step filter on
 * the runtime's package does not cover it). Lines are found by their "// @" markers.
 */
public class Debuggee {
  /** Set by main once the coroutine is created and before it runs: a stop in the body sees it. */
  static boolean created;

  @Async
  static Coroutine<Integer> compute(int n) {
    int before = n * 10; // @first
    int scratch = n * 7; // @scratch
    String label = "s" + scratch; // @beforeAwait
    await(sleep(5)); // @await
    int after = before + n; // @afterAwait
    String text = label + after; // @afterAwait2
    await(sleep(1)); // @secondAwait
    return done(text.length() + after); // @last
  }

  /** Read across an await by {@link #scaled}: the body keeps the instance as a local. */
  int factor = 4;

  @Async
  Coroutine<Integer> scaled(int n) {
    await(sleep(1));
    return done(n * factor); // @scaledAfterAwait
  }

  /** A chain awaited inline, whose innermost frame suspends: stepping out after its resume. */
  @Async
  static Coroutine<Integer> outer() {
    int o = await(middle(2)); // @outerAwait
    return done(o + 1); // @outerAfter
  }

  @Async
  static Coroutine<Integer> middle(int m) {
    int got = await(inner(m)); // @middleAwait
    return done(got * 10); // @middleAfter
  }

  @Async
  static Coroutine<Integer> inner(int i) {
    await(sleep(2));
    int r = i + 1; // @innerAfterSleep
    return done(r); // @innerReturn
  }

  public static void main(String[] args) {
    Coroutine<Integer> c = compute(3);
    created = true;
    System.out.println("result " + Coroutines.run(c));
    System.out.println("scaled " + Coroutines.run(new Debuggee().scaled(5)));
    System.out.println("chain " + Coroutines.run(outer()));
  }
}
