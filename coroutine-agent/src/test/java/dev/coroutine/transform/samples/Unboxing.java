package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import java.util.List;

/**
 * Awaits whose value the code unboxes at once ({@code int x = await(...)}), which the body does
 * through the runtime's typed awaits, with other values on the operand stack, in try ranges, and
 * with values that cannot be unboxed; and slots the body sets to zero at its top instead of in its
 * save parts. Each {@code @Async} method has a plain twin ({@code ...Plain}) with the awaits
 * replaced by their values.
 */
public class Unboxing {
  /** An await of each fused type, each with a value of another type under it on the stack. */
  @Async
  public static Coroutine<String> everyType(List<String> log, boolean s, int n) {
    long l = n + await(v(log, s, 3)); // stack: n (int) under an int await
    int i = (int) (l * await(v(log, s, 4L))); // a long under a long await
    double d = 0.5 + await(v(log, s, 1.25)); // a double under a double await
    boolean b = (i > 20) && await(v(log, s, n > 0)); // a boolean await in a condition
    String t = "t" + await(v(log, s, 'c')); // a char: not fused, the generic await
    return done(l + "," + i + "," + d + "," + b + "," + t);
  }

  public static String everyTypePlain(int n) {
    long l = n + 3;
    int i = (int) (l * 4L);
    double d = 0.5 + 1.25;
    boolean b = (i > 20) && n > 0;
    String t = "t" + 'c';
    return l + "," + i + "," + d + "," + b + "," + t;
  }

  /**
   * Unboxing failures where the original code has them: a null and a value of another type, each
   * inside the await's own try range, caught there.
   */
  @Async
  @SuppressWarnings("unchecked")
  public static Coroutine<String> failures(List<String> log, boolean s) {
    String r = "";
    try {
      int x = await(v(log, s, (Integer) null));
      r += "no NPE " + x;
    } catch (NullPointerException e) {
      r += "NPE:" + e.getMessage();
    }
    try {
      Future<Long> polluted = (Future<Long>) (Future<?>) v(log, s, "not a long");
      long y = await(polluted);
      r += " no CCE " + y;
    } catch (ClassCastException e) {
      r += " CCE";
    }
    return done(r);
  }

  /**
   * A slot that holds a float just before a merge (a switch case falling through: no frame shows
   * the float) and an int later, with awaits in several save parts lacking it: not zeroed at the
   * top (a zero int there would not be what the fall-through path holds). And {@code k}, an int
   * slot only, lacked by the awaits before its loop: zeroed at the top.
   */
  @Async
  public static Coroutine<Long> slotTypes(List<String> log, boolean s, int n) {
    long total = n;
    switch (n & 3) {
      case 0:
        {
          float f = await(v(log, s, 1.5f)); // unread: stored right before the merge
        }
      // fall through
      case 1:
        total += await(v(log, s, 2L));
        break;
      default:
        total -= await(v(log, s, 3));
    }
    int w = await(v(log, s, 4));
    total += w;
    String label = "x" + await(v(log, s, 5));
    for (int k = 0; k < 2; k++) {
      total += await(v(log, s, k + 6)) * (long) k;
    }
    return done(total + label.length() + w);
  }

  public static long slotTypesPlain(int n) {
    long total = n;
    switch (n & 3) {
      case 0:
        {
          float f = 1.5f;
        }
      // fall through
      case 1:
        total += 2L;
        break;
      default:
        total -= 3;
    }
    int w = 4;
    total += w;
    String label = "x" + 5;
    for (int k = 0; k < 2; k++) {
      total += (k + 6) * (long) k;
    }
    return total + label.length() + w;
  }
}
