package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;

/** Exceptions thrown after a resume, for their stack traces; locals for the variable table. */
public class Traces {
  static int helper(int x) {
    if (x > 0) {
      throw new IllegalStateException("in helper"); // @helperThrow
    }
    return x;
  }

  @Async
  public static Coroutine<Integer> throwsAfterResume(int n) {
    await(sleep(1));
    int doubled = n * 2;
    if (doubled > 0) {
      throw new IllegalArgumentException("after resume " + doubled); // @directThrow
    }
    return done(doubled);
  }

  @Async
  public static Coroutine<Integer> callsHelperAfterResume(int n) {
    await(sleep(1));
    await(sleep(1));
    int r = helper(n); // @helperCall
    return done(r);
  }

  @Async
  public static Coroutine<Integer> caller(int n) {
    await(sleep(1));
    int r = await(callsHelperAfterResume(n)); // @callerAwait
    return done(r);
  }

  @Async
  public Coroutine<String> locals(List<String> names, int count, long big) {
    String text = "t" + count;
    double ratio = big / 2.0;
    await(sleep(1));
    for (String name : names) {
      text += name;
    }
    int[] lengths = {text.length()};
    await(sleep(1));
    return done(text + ratio + lengths[0] + this.hashCode());
  }

  @Async
  public static Coroutine<Integer> deadAcrossAwait(int n) {
    int before = n * 10;
    int scratch = n * 7;
    String label = "s" + scratch;
    await(sleep(1));
    return done(label.length() + before);
  }

  @Async
  public static Coroutine<Integer> overloaded(int n) {
    await(sleep(1));
    return done(n);
  }

  @Async
  public static Coroutine<Integer> overloaded(String n) {
    await(sleep(1));
    throw new IllegalStateException(n); // @overloadThrow
  }

  @Async
  public static Coroutine<Integer> callsOverloaded() {
    return done(await(overloaded(1)) + await(overloaded("boom")));
  }
}
