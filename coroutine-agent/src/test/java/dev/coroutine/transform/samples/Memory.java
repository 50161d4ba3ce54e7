package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import java.lang.ref.WeakReference;

/** What a suspended coroutine keeps alive, and what a long loop of awaits allocates. */
public class Memory {
  @Async
  public static Coroutine<String> retention(
      WeakReference<Object>[] ref, Future<Void> reached, Future<String> gate) {
    String r;
    {
      byte[] big = new byte[4 << 20];
      ref[0] = new WeakReference<>(big);
      await(sleep(1)); // suspends with big live: big is saved in the frame
      r = "len" + big.length;
    }
    reached.setResult(null);
    String g = await(gate); // suspends with big dead: the frame must not keep it
    return done(r + g);
  }

  @Async
  public static Coroutine<Long> yields(int n, Runnable probe) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      if (i == 1000 || i == n - 1) {
        probe.run();
      }
      await(sleep(0));
      sum += i;
    }
    return done(sum);
  }

  /** A value on the operand stack across the first await, taken back by its resume. */
  @Async
  public static Coroutine<String> stackRetention(
      WeakReference<Object>[] ref, Future<Void> reached, Future<String> gate) {
    String r = size(keep(ref, new byte[4 << 20]), await(sleep(1)));
    reached.setResult(null);
    String g = await(gate); // suspends: the frame must not keep the array it saved before
    return done(r + g);
  }

  /**
   * Two awaits that cannot share a group (big's slot holds an int at the second): the second's
   * smaller save must not leave the first's saved reference in the frame.
   */
  @Async
  public static Coroutine<String> otherGroupRetention(
      WeakReference<Object>[] ref, Future<Void> reached, Future<String> gate) {
    String r;
    {
      byte[] big = keep(ref, new byte[4 << 20]);
      await(sleep(1)); // suspends with big live: saved in the frame
      r = "len" + big.length;
    }
    {
      int n = r.length();
      reached.setResult(null);
      String g = await(gate); // suspends with n in big's old slot
      r = r + n + g;
    }
    return done(r);
  }

  private static byte[] keep(WeakReference<Object>[] ref, byte[] big) {
    ref[0] = new WeakReference<>(big);
    return big;
  }

  private static String size(byte[] big, Object ignored) {
    return "len" + big.length;
  }
}
