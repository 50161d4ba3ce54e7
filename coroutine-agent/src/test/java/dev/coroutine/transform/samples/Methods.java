package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;

/** Instance, static, private, generic, varargs and recursive @Async methods; tail returns. */
public class Methods extends Base {
  private long counter = 1L << 40;
  private final String name;

  public Methods(List<String> log, String name) {
    super(log);
    this.name = name;
  }

  @Override
  public String describe() {
    return "Methods";
  }

  @Override
  @Async
  public Coroutine<String> compute(boolean s, int n) {
    log.add("Methods.compute");
    String fromSuper = await(super.compute(s, n + 1));
    field += await(v(log, s, 5));
    counter++;
    return done(
        fromSuper
            + "/"
            + super.describe()
            + "/"
            + this.describe()
            + "/"
            + field
            + "/"
            + name
            + "/"
            + counter);
  }

  @Async
  private Coroutine<Integer> privateHelper(boolean s, int n) {
    return done(await(v(log, s, n)) * 2 + field);
  }

  @Async
  public Coroutine<Integer> callsPrivate(boolean s) {
    int a = await(privateHelper(s, 1));
    int b = await(this.privateHelper(s, 2));
    return done(a + b);
  }

  @Async
  public static Coroutine<String> staticMethod(List<String> log, boolean s, String text) {
    String r = text + await(v(log, s, "!"));
    return done(r);
  }

  @Async
  public static <T extends Comparable<T>> Coroutine<T> max(List<String> log, boolean s, T a, T b) {
    T first = await(v(log, s, a));
    T second = await(v(log, s, b));
    return done(first.compareTo(second) >= 0 ? first : second);
  }

  @Async
  public static Coroutine<String> usesGeneric(List<String> log, boolean s) {
    String m = await(max(log, s, "pear", "apple"));
    int n = await(max(log, s, 3, 9));
    return done(m + n);
  }

  @Async
  public static Coroutine<Integer> varargs(List<String> log, boolean s, int... xs) {
    int sum = 0;
    for (int x : xs) {
      sum += await(v(log, s, x));
    }
    return done(sum);
  }

  @Async
  public static Coroutine<Integer> callsVarargs(List<String> log, boolean s) {
    return done(await(varargs(log, s)) + await(varargs(log, s, 1, 2, 3)));
  }

  @Async
  public static Coroutine<Integer> fib(List<String> log, boolean s, int n) {
    if (n < 2) {
      return done(await(v(log, s, n)));
    }
    int a = await(fib(log, s, n - 1));
    int b = await(fib(log, s, n - 2));
    return done(a + b);
  }

  @Async
  public static Coroutine<Integer> add(List<String> log, boolean s, int a, int b) {
    log.add("add");
    return done(a + await(v(log, s, b)));
  }

  /** {@code return other()}: completes with the other coroutine's result. */
  @Async
  public static Coroutine<Integer> tailReturn(List<String> log, boolean s) {
    log.add("tail");
    int base = await(v(log, s, 1));
    return add(log, s, base, 2);
  }

  @Async
  public static Coroutine<Integer> conditionalTailReturn(
      List<String> log, boolean s, boolean other) {
    await(v(log, s, 0));
    return other ? add(log, s, 10, 20) : done(-1);
  }

  /** A plain (not @Async) method returning a coroutine: passes it through untouched. */
  public static Coroutine<Integer> notAsync(List<String> log, boolean s) {
    return add(log, s, 4, 5);
  }

  @Async
  public static Coroutine<String> overloaded(List<String> log, boolean s, int n) {
    return done("int " + await(v(log, s, n)));
  }

  @Async
  public static Coroutine<String> overloaded(List<String> log, boolean s, String n) {
    return done("String " + await(v(log, s, n)));
  }

  @Async
  public static Coroutine<String> callsOverloads(List<String> log, boolean s) {
    return done(await(overloaded(log, s, 1)) + "/" + await(overloaded(log, s, "x")));
  }

  /**
   * @Async without any await: the returned coroutine is awaited as a tail call.
   */
  @Async
  public static Coroutine<Integer> onlyTail(List<String> log, boolean s) {
    return add(log, s, 1, 1);
  }
}
