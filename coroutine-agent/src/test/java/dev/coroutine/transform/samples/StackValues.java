package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;

/**
 * Awaits with values under the awaitable on the operand stack that a resume can push again instead
 * of saving them: copies of locals ({@code total += await(x)} loads {@code total} first), constants
 * (arguments before an awaited one), and the cases where it must not: a local written between its
 * load and the await, on a normal or an exceptional path. Each {@code @Async} method has a plain
 * twin ({@code ...Plain}) with the awaits replaced by their values.
 */
public class StackValues {
  /** Accumulators in a loop: each await's stack holds a copy of a kept local. */
  @Async
  public static Coroutine<String> accumulators(List<String> log, boolean s, int n) {
    long total = n;
    int count = 1;
    double ratio = 0.5;
    StringBuilder sb = new StringBuilder("<");
    for (int k = 0; k < 3; k++) {
      total += await(v(log, s, k + 10));
      count += await(v(log, s, k));
      ratio *= await(v(log, s, 1.5));
      sb.append(await(v(log, s, "k" + k)));
    }
    return done(total + "," + count + "," + ratio + "," + sb);
  }

  public static String accumulatorsPlain(int n) {
    long total = n;
    int count = 1;
    double ratio = 0.5;
    StringBuilder sb = new StringBuilder("<");
    for (int k = 0; k < 3; k++) {
      total += k + 10;
      count += k;
      ratio *= 1.5;
      sb.append("k" + k);
    }
    return total + "," + count + "," + ratio + "," + sb;
  }

  /** Constants of every kind, and a dead local's copy, under awaited arguments. */
  @Async
  public static Coroutine<String> constants(List<String> log, boolean s, int n) {
    int dead = n * 3;
    String a =
        join(7, 70000, 1L, 123456789012L, 2.0f, 0.25, "text", String.class, await(v(log, s, n)));
    String b = join(-1, dead, 0L, -5L, 0.0f, 1.0, "", int[].class, await(v(log, s, n + 1)));
    return done(a + "|" + b);
  }

  public static String constantsPlain(int n) {
    int dead = n * 3;
    String a = join(7, 70000, 1L, 123456789012L, 2.0f, 0.25, "text", String.class, n);
    String b = join(-1, dead, 0L, -5L, 0.0f, 1.0, "", int[].class, n + 1);
    return a + "|" + b;
  }

  /** A local written after its load, before the await: the stack keeps the old value. */
  @Async
  public static Coroutine<String> writtenBetween(List<String> log, boolean s, int n) {
    int t = n;
    long w = n * 2L;
    int r = sum(t, (t = t + 5) + await(v(log, s, 100)));
    long q = sum2(w, w++ + await(v(log, s, 200)));
    int u = sum(t, t++ + await(v(log, s, 300)));
    return done(r + "," + q + "," + u + "," + t + "," + w);
  }

  public static String writtenBetweenPlain(int n) {
    int t = n;
    long w = n * 2L;
    int r = sum(t, (t = t + 5) + 100);
    long q = sum2(w, w++ + 200);
    int u = sum(t, t++ + 300);
    return r + "," + q + "," + u + "," + t + "," + w;
  }

  /** A local written in a handler on the way from its load to the await. */
  @Async
  public static Coroutine<String> writtenInAHandler(List<String> log, boolean s, int n) {
    int t = n;
    int r =
        sum(
            t,
            switch (n) {
                  case 0 -> 1;
                  default -> {
                    try {
                      t = check(n);
                    } catch (IllegalArgumentException e) {
                      t = -1;
                    }
                    yield 2;
                  }
                }
                + await(v(log, s, 10)));
    return done(r + "," + t);
  }

  public static String writtenInAHandlerPlain(int n) {
    int t = n;
    int r =
        sum(
            t,
            switch (n) {
                  case 0 -> 1;
                  default -> {
                    try {
                      t = check(n);
                    } catch (IllegalArgumentException e) {
                      t = -1;
                    }
                    yield 2;
                  }
                }
                + 10);
    return r + "," + t;
  }

  static int check(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative");
    }
    return n * 10;
  }

  static int sum(int a, int b) {
    return a * 1000 + b;
  }

  static long sum2(long a, long b) {
    return a * 1000 + b;
  }

  static String join(
      int i, int big, long l, long bigL, float f, double d, String s, Class<?> c, int x) {
    return i
        + "/"
        + big
        + "/"
        + l
        + "/"
        + bigL
        + "/"
        + f
        + "/"
        + d
        + "/"
        + s
        + "/"
        + c.getName()
        + "/"
        + x;
  }
}
