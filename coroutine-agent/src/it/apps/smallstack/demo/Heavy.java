package demo;

import static dev.coroutine.Coroutines.*;

import dev.coroutine.*;

/** Many awaits amid values of every kind: its rewrite needs more stack than the JVM's smallest. */
public class Heavy {
  @Async
  static Coroutine<Long> L(long x) {
    await(sleep(0));
    return done(x);
  }

  @Async
  static Coroutine<Double> D(double x) {
    await(sleep(0));
    return done(x);
  }

  @Async
  static Coroutine<Integer> I(int x) {
    return done(x);
  }

  static long mix(long a, int b, double c, long d, float e, double f) {
    return a * 31 + b * 17 + (long) (c * 1000) + d + (long) (e * 10) + (long) f;
  }

  @Async
  static Coroutine<String> body(long seed) {
    long a = seed * 0x9E3779B97F4A7C15L;
    double b = Math.sqrt(seed + 2.0);
    int c = (int) seed;
    float fl = seed * 0.3f;
    long[] arr = new long[5];
    double[] darr = {1.5, 2.5};
    char ch = 'x';
    short sh = (short) -seed;
    byte by = (byte) seed;
    boolean bo = seed % 2 == 0;
    long m = 0;
    for (int i = 0; i < 30; i++) {
      // operand stack values below the await: long, int, double, float, objects
      m +=
          mix(
              a,
              c + await(I(i)),
              b * await(D(i * 0.5)),
              await(L(a ^ i)),
              fl + i,
              darr[i & 1] + await(D(b)));
      a = a * 6364136223846793005L + 1442695040888963407L + await(L(i));
      b = b + (double) await(L(i)) / 3.0 - await(D(0.125));
      arr[i % 5] += await(L(m)) >>> 3;
      darr[i & 1] *= 1.0 + 1.0 / (await(I(i)) + 2);
      ch ^= (char) (int) await(I(i));
      sh += await(I(i * 3));
      by -= await(I(i));
      bo = bo ^ (await(I(i)) % 3 == 0);
      fl = fl * 1.01f + (float) (double) await(D(i));
      String s = "s" + await(I(i)) + ":" + await(L(a)) + ":" + await(D(b));
      m ^= s.hashCode();
      long big = Long.MAX_VALUE - await(L(i));
      double nan = await(D(Double.NaN));
      if (big != Long.MAX_VALUE - i || !Double.isNaN(nan)) m = -1;
      double negz = await(D(-0.0));
      if (1.0 / negz != Double.NEGATIVE_INFINITY) m = -2;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(a)
        .append(' ')
        .append(b)
        .append(' ')
        .append(c)
        .append(' ')
        .append(fl)
        .append(' ')
        .append(java.util.Arrays.toString(arr))
        .append(java.util.Arrays.toString(darr))
        .append(' ')
        .append((int) ch)
        .append(' ')
        .append(sh)
        .append(' ')
        .append(by)
        .append(' ')
        .append(bo)
        .append(' ')
        .append(m);
    return done(sb.toString());
  }

  @Async
  static Coroutine<Void> mainCo() {
    for (long s = 0; s < 2; s++) System.out.println(await(body(s * 1000003L)));
    return done();
  }

  public static void main(String[] a) {
    run(mainCo());
  }
}
