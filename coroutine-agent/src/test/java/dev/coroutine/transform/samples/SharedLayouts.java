package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import java.util.List;

/**
 * Awaits whose live locals are the same, or within another await's (same slots, same types), in
 * different places: straight code, a loop, both arms of an if, try blocks, their handlers and a
 * finally. The rewritten body shares one save block and one restore block among them (an await sets
 * the slots it lacks to null or zero first), so each must still resume with its own values at its
 * own place. Each {@code @Async} method has a plain twin ({@code ...Plain}) with the awaits
 * replaced by their values.
 */
public class SharedLayouts {
  /**
   * Awaits of three local sets: before and after the loop, in the loop (k live too), in the if arms
   * (log and s dead); each set is within the loop's, so all six share one group.
   */
  @Async
  public static Coroutine<String> loopAndStraight(List<String> log, boolean s, int n) {
    int a = n;
    long b = 10L * n;
    double d = n / 4.0;
    String t = "t";
    int x = await(v(log, s, 1));
    a += x;
    b -= x;
    t += x;
    for (int k = 0; k < 3; k++) {
      int y = await(v(log, s, k + 2));
      a += y * k;
      d += y;
      int z = await(v(log, s, -k));
      b += z;
      t += z;
    }
    int w = await(v(log, s, 5));
    a += w;
    if (a > 20) {
      int q = await(v(log, s, 7));
      d *= q;
    } else {
      int q = await(v(log, s, 8));
      d -= q;
    }
    return done(a + "," + b + "," + d + "," + t);
  }

  public static String loopAndStraightPlain(int n) {
    int a = n;
    long b = 10L * n;
    double d = n / 4.0;
    String t = "t";
    int x = 1;
    a += x;
    b -= x;
    t += x;
    for (int k = 0; k < 3; k++) {
      int y = k + 2;
      a += y * k;
      d += y;
      int z = -k;
      b += z;
      t += z;
    }
    int w = 5;
    a += w;
    if (a > 20) {
      int q = 7;
      d *= q;
    } else {
      int q = 8;
      d -= q;
    }
    return a + "," + b + "," + d + "," + t;
  }

  /**
   * Awaits of one layout (a, b, t, log, s live) in a try block, its handler, an inner try, a
   * finally and an outer handler; two of them fail after they suspend, and the failure must be
   * caught by the handler of the await's own try block.
   */
  @Async
  public static Coroutine<String> tryAndHandlers(List<String> log, boolean s, int n) {
    int a = n;
    long b = 3L * n;
    String t = "t";
    try {
      int x = await(v(log, s, 1));
      a += x;
      int y = await(Later.<Integer>fail(log, s, new IllegalStateException("one")));
      a += 100 * y;
    } catch (IllegalStateException e) {
      t += e.getMessage();
      int x = await(v(log, s, 2));
      b += x;
    }
    try {
      try {
        int x = await(Later.<Integer>fail(log, s, new IllegalArgumentException("two")));
        a += 1000 * x;
      } finally {
        int x = await(v(log, s, 3));
        b += x * 7;
      }
    } catch (IllegalArgumentException e) {
      t += e.getMessage();
      int x = await(v(log, s, 4));
      a += x;
    }
    try {
      int x = await(v(log, s, 5));
      a += x;
    } catch (IllegalStateException e) {
      t += "never";
    }
    return done(a + "," + b + "," + t);
  }

  public static String tryAndHandlersPlain(int n) {
    int a = n;
    long b = 3L * n;
    String t = "t";
    try {
      int x = 1;
      a += x;
      int y = thrown(new IllegalStateException("one"));
      a += 100 * y;
    } catch (IllegalStateException e) {
      t += e.getMessage();
      int x = 2;
      b += x;
    }
    try {
      try {
        int x = thrown(new IllegalArgumentException("two"));
        a += 1000 * x;
      } finally {
        int x = 3;
        b += x * 7;
      }
    } catch (IllegalArgumentException e) {
      t += e.getMessage();
      int x = 4;
      a += x;
    }
    try {
      int x = 5;
      a += x;
    } catch (IllegalStateException e) {
      t += "never";
    }
    return a + "," + b + "," + t;
  }

  private static int thrown(RuntimeException e) {
    throw e;
  }

  /** Three awaits of one layout (out, a, b, c live; t reassigned), each on its own line. */
  @Async
  public static Coroutine<String> oneLayoutThreeLines(
      Future<String> a, Future<String> b, Future<String> c) {
    StringBuilder out = new StringBuilder();
    String t = await(a); // @first
    out.append(t);
    t = await(b); // @second
    out.append(t);
    t = await(c); // @third
    out.append(t);
    return done(out + ":" + (a.isDone() && b.isDone() && c.isDone()));
  }

  /**
   * Two blocks whose locals javac puts in the same slot with different types (a String, then an int
   * and a long): the awaits cannot share one group, each keeps its own types.
   */
  @Async
  public static Coroutine<String> slotReusedWithAnotherType(List<String> log, boolean s, int n) {
    String out = "";
    {
      String word = "w" + n;
      int got = await(v(log, s, n));
      out += word + got;
    }
    {
      int count = n * 2;
      long big = 1L << 40;
      int got = await(v(log, s, n + 1));
      out += "," + (count + got) + "," + (big + got);
    }
    return done(out);
  }

  public static String slotReusedWithAnotherTypePlain(int n) {
    String out = "";
    {
      String word = "w" + n;
      int got = n;
      out += word + got;
    }
    {
      int count = n * 2;
      long big = 1L << 40;
      int got = n + 1;
      out += "," + (count + got) + "," + (big + got);
    }
    return out;
  }

  /**
   * Twelve blocks whose one local javac puts in the same slot with twelve reference types: twelve
   * groups, more than the resume's group compares take in a row (it halves their ranges).
   */
  @Async
  public static Coroutine<String> twelveGroups(List<Future<String>> futures, int n) {
    StringBuilder out = new StringBuilder();
    {
      String v0 = "s" + n;
      out.append(await(futures.get(0))); // @group0
      out.append(':').append(v0).append(';');
    }
    {
      Integer v1 = n + 1;
      out.append(await(futures.get(1))); // @group1
      out.append(':').append(v1).append(';');
    }
    {
      Long v2 = (long) n + 2;
      out.append(await(futures.get(2))); // @group2
      out.append(':').append(v2).append(';');
    }
    {
      int[] v3 = new int[] {n + 3};
      out.append(await(futures.get(3))); // @group3
      out.append(':').append(java.util.Arrays.toString(v3)).append(';');
    }
    {
      long[] v4 = new long[] {n + 4};
      out.append(await(futures.get(4))); // @group4
      out.append(':').append(java.util.Arrays.toString(v4)).append(';');
    }
    {
      StringBuilder v5 = new StringBuilder("b" + n);
      out.append(await(futures.get(5))); // @group5
      out.append(':').append(v5).append(';');
    }
    {
      Double v6 = n + 6.5;
      out.append(await(futures.get(6))); // @group6
      out.append(':').append(v6).append(';');
    }
    {
      Float v7 = n + 7.5f;
      out.append(await(futures.get(7))); // @group7
      out.append(':').append(v7).append(';');
    }
    {
      Short v8 = (short) (n + 8);
      out.append(await(futures.get(8))); // @group8
      out.append(':').append(v8).append(';');
    }
    {
      Character v9 = (char) ('a' + n);
      out.append(await(futures.get(9))); // @group9
      out.append(':').append(v9).append(';');
    }
    {
      Byte v10 = (byte) (n + 10);
      out.append(await(futures.get(10))); // @group10
      out.append(':').append(v10).append(';');
    }
    {
      Object[] v11 = new Object[] {n + 11};
      out.append(await(futures.get(11))); // @group11
      out.append(':').append(java.util.Arrays.toString(v11)).append(';');
    }
    return done(out.toString());
  }

  public static String twelveGroupsPlain(int n) {
    StringBuilder out = new StringBuilder();
    {
      String v0 = "s" + n;
      out.append("v0");
      out.append(':').append(v0).append(';');
    }
    {
      Integer v1 = n + 1;
      out.append("v1");
      out.append(':').append(v1).append(';');
    }
    {
      Long v2 = (long) n + 2;
      out.append("v2");
      out.append(':').append(v2).append(';');
    }
    {
      int[] v3 = new int[] {n + 3};
      out.append("v3");
      out.append(':').append(java.util.Arrays.toString(v3)).append(';');
    }
    {
      long[] v4 = new long[] {n + 4};
      out.append("v4");
      out.append(':').append(java.util.Arrays.toString(v4)).append(';');
    }
    {
      StringBuilder v5 = new StringBuilder("b" + n);
      out.append("v5");
      out.append(':').append(v5).append(';');
    }
    {
      Double v6 = n + 6.5;
      out.append("v6");
      out.append(':').append(v6).append(';');
    }
    {
      Float v7 = n + 7.5f;
      out.append("v7");
      out.append(':').append(v7).append(';');
    }
    {
      Short v8 = (short) (n + 8);
      out.append("v8");
      out.append(':').append(v8).append(';');
    }
    {
      Character v9 = (char) ('a' + n);
      out.append("v9");
      out.append(':').append(v9).append(';');
    }
    {
      Byte v10 = (byte) (n + 10);
      out.append("v10");
      out.append(':').append(v10).append(';');
    }
    {
      Object[] v11 = new Object[] {n + 11};
      out.append("v11");
      out.append(':').append(java.util.Arrays.toString(v11)).append(';');
    }
    return out.toString();
  }
}
