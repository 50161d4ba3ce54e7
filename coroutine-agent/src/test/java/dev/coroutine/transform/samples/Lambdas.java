package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/** Async lambdas: lambdas returning Coroutine that await, capturing locals and this. */
public class Lambdas {
  private final List<String> log;
  private int field = 1000;

  public Lambdas(List<String> log) {
    this.log = log;
  }

  /** Not @Async: builds an async lambda capturing a local and returns it. */
  public static Supplier<Coroutine<Integer>> supplier(List<String> log, boolean s, int base) {
    long big = 1L << 35;
    return () -> {
      log.add("lambda start");
      int x = await(v(log, s, 1));
      log.add("lambda got " + x);
      return done((int) (x + base + (big >> 35)));
    };
  }

  @Async
  public static Coroutine<String> usesLambdas(List<String> log, boolean s) {
    int base = 100;
    Supplier<Coroutine<Integer>> sup =
        () -> {
          int x = await(v(log, s, 1));
          return done(x + base);
        };
    Function<Integer, Coroutine<Integer>> fn =
        y -> {
          int z = await(v(log, s, y));
          return done(z * 2);
        };
    BiFunction<Double, Long, Coroutine<String>> bi = (d, l) -> done(d + ":" + l);
    int a = await(sup.get());
    int b = await(fn.apply(3));
    String c = await(bi.apply(0.5, 7L));
    return done(a + b + c);
  }

  @Async
  public Coroutine<Integer> capturesThis(boolean s) {
    Supplier<Coroutine<Integer>> sup =
        () -> {
          field += await(v(log, s, 5));
          return done(field);
        };
    int first = await(sup.get());
    int second = await(sup.get());
    return done(first + second);
  }

  /** An async lambda whose result is another coroutine (a tail await). */
  public static Supplier<Coroutine<String>> tail(List<String> log, boolean s) {
    return () -> {
      await(v(log, s, "a"));
      return Methods.staticMethod(log, s, "b");
    };
  }

  /** An async lambda in a static field initializer. */
  public static final Function<List<String>, Coroutine<String>> STATIC_FIELD =
      log -> {
        String r = await(v(log, true, "field"));
        return done(r);
      };

  @Async
  public static Coroutine<String> staticFieldLambda(List<String> log) {
    return done(await(STATIC_FIELD.apply(log)));
  }

  @Async
  public static Coroutine<Integer> nestedLambdas(List<String> log, boolean s) {
    int base = 1;
    Supplier<Coroutine<Integer>> outer =
        () -> {
          int a = await(v(log, s, 10));
          Supplier<Coroutine<Integer>> inner =
              () -> {
                int b = await(v(log, s, 100));
                return done(a + b + base);
              };
          return done(await(inner.get()) * 2);
        };
    return done(await(outer.get()));
  }
}
