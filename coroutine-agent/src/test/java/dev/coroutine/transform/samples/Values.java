package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.Arrays;
import java.util.List;

/** Every primitive type and arrays across awaits; locals the way javac reuses slots. */
public class Values {
  @Async
  public static Coroutine<String> everyPrimitive(
      List<String> log,
      boolean s,
      boolean z,
      byte b,
      char c,
      short sh,
      int i,
      long l,
      float f,
      double d) {
    boolean z2 = !z;
    byte b2 = (byte) (b - 1);
    char c2 = (char) (c + 1);
    short sh2 = (short) (sh - 1);
    int i2 = i + 1;
    long l2 = l + 1;
    float f2 = f * 2;
    double d2 = d * 2;
    int got = await(v(log, s, 1));
    byte gb = await(v(log, s, (byte) -128));
    char gc = await(v(log, s, '\uffff'));
    short gs = await(v(log, s, Short.MIN_VALUE));
    long gl = await(v(log, s, Long.MIN_VALUE));
    float gf = await(v(log, s, Float.NaN));
    double gd = await(v(log, s, -0.0));
    boolean gz = await(v(log, s, true));
    String r =
        z + " " + b + " " + c + " " + sh + " " + i + " " + l + " " + f + " " + d + " / " + z2 + " "
            + b2 + " " + c2 + " " + sh2 + " " + i2 + " " + l2 + " " + f2 + " " + d2 + " / " + got
            + " " + gb + " " + (int) gc + " " + gs + " " + gl + " " + gf + " " + gd + " " + gz;
    return done(r);
  }

  /**
   * More references and primitives than one {@code AsyncFrame.Save} call takes (8 and 6), in the
   * arguments (the stub stores them element by element) and live across the awaits (the save block
   * stores the rest before its calls); a float as primitive 0.
   */
  @Async
  public static Coroutine<String> manyValues(
      List<String> log,
      Boolean s,
      String a,
      String b,
      String c,
      String d,
      String e,
      String f,
      String g,
      String h,
      String i,
      String j) {
    float p0 = a.length() + 0.5f;
    long p1 = b.hashCode() * 3L;
    int p2 = c.length();
    double p3 = d.length() / 4.0;
    char p4 = e.charAt(0);
    long p5 = Long.MIN_VALUE + f.length();
    short p6 = (short) -g.length();
    byte p7 = (byte) h.length();
    int got = await(v(log, s, 1));
    String r1 = a + b + c + d + e + f + g + h + i + j + got;
    got += await(v(log, s, 2));
    String r2 = j + i + h + g + f + e + d + c + b + a + got;
    return done(
        r1 + " " + r2 + " " + p0 + " " + p1 + " " + p2 + " " + p3 + " " + p4 + " " + p5 + " " + p6
            + " " + p7);
  }

  /**
   * One {@code int} argument (the flag is boxed so it is no primitive) and no primitive saved at
   * the await: the frame needs no array.
   */
  @Async
  public static Coroutine<Integer> oneInt(int n, List<String> log, Boolean s) {
    int below = await(v(log, s, n - 1));
    return done(below + 1);
  }

  /** A float as primitive 0 (kept in prim0 as raw bits) beside a long and an int in the array. */
  @Async
  public static Coroutine<String> floatFirst(float f, long l, int i, List<String> log, boolean s) {
    float g = f + await(v(log, s, 0.5f));
    long m = l + await(v(log, s, 1L));
    return done(g + " " + m + " " + i + " " + f);
  }

  /** A long as primitive 0 (in the array); the int saved across the await is primitive 0 too. */
  @Async
  public static Coroutine<String> longFirst(long l, List<String> log, boolean s) {
    int k = (int) (l >> 40);
    long m = l + await(v(log, s, 2L));
    double d = k + await(v(log, s, 0.25));
    return done(m + " " + d + " " + k);
  }

  @Async
  public static Coroutine<String> primitivesOnTheStack(List<String> log, boolean s) {
    long a = 1L << 50;
    double x = 0.25;
    long sum = a + await(v(log, s, 3L));
    double prod = x * await(v(log, s, 8.0));
    float fl = 1.5f + await(v(log, s, 2.5f));
    int sh = 1 << await(v(log, s, 4));
    boolean and = (sum > 0) & await(v(log, s, true));
    char ch = (char) ('a' + await(v(log, s, 2)));
    return done(sum + " " + prod + " " + fl + " " + sh + " " + and + " " + ch);
  }

  @Async
  public static Coroutine<String> arrays(List<String> log, boolean s) {
    int[] ints = {1, 2, 3};
    long[] longs = {Long.MAX_VALUE, 5};
    double[][] grid = new double[2][2];
    String[] strings = {"x", null};
    boolean[] flags = new boolean[2];
    char[] chars = "hi".toCharArray();
    ints[await(v(log, s, 1))] = await(v(log, s, 20));
    longs[1] += await(v(log, s, 10L));
    grid[1][await(v(log, s, 0))] = 9.5;
    strings[1] = await(v(log, s, "y"));
    flags[1] = await(v(log, s, true));
    chars[0] = await(v(log, s, 'H'));
    return done(
        Arrays.toString(ints)
            + Arrays.toString(longs)
            + Arrays.deepToString(grid)
            + Arrays.toString(strings)
            + Arrays.toString(flags)
            + new String(chars));
  }

  @Async
  public static Coroutine<String> localsTypedPerBranch(List<String> log, boolean s, int n) {
    Object result;
    if (n > 0) {
      String text = "t" + n;
      long big = 1L << 33;
      await(v(log, s, "then"));
      result = text + big;
    } else {
      double d = n / 2.0;
      int[] arr = {n};
      await(v(log, s, "else"));
      result = d + ":" + arr[0];
    }
    Number afterMerge = n > 0 ? (Number) Integer.valueOf(n) : (Number) Double.valueOf(n);
    await(v(log, s, "merged"));
    return done(result + "/" + afterMerge);
  }

  @Async
  public static Coroutine<String> slotsReusedWithAnotherType(List<String> log, boolean s) {
    StringBuilder out = new StringBuilder();
    {
      int a = 7;
      await(v(log, s, 1));
      out.append(a);
    }
    {
      String b = "str";
      await(v(log, s, 2));
      out.append(b);
    }
    {
      double c = 2.5;
      await(v(log, s, 3));
      out.append(c);
    }
    {
      long d = 9L;
      Object e = List.of("e");
      await(v(log, s, 4));
      out.append(d).append(e);
    }
    return done(out.toString());
  }

  @Async
  public static Coroutine<String> reassignedParameters(
      List<String> log, boolean s, int n, String text, long big, double d) {
    n = n + await(v(log, s, 1));
    text = text + await(v(log, s, "+"));
    big = big * await(v(log, s, 2L));
    d = -d;
    await(v(log, s, "end"));
    log = null;
    return done(n + " " + text + " " + big + " " + d + " " + (log == null));
  }

  @Async
  public static Coroutine<String> nullLocalLaterAssigned(List<String> log, boolean s) {
    String x = null;
    Object[] arr = null;
    await(v(log, s, 1));
    log.add("x is null " + (x == null) + " " + (arr == null));
    x = await(v(log, s, "value"));
    arr = new Object[] {x};
    await(v(log, s, 2));
    return done(x + arr.length);
  }
}
