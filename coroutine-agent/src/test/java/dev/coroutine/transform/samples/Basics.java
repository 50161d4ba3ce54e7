package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;

public class Basics {
  @Async
  public static Coroutine<Integer> add(int a, int b) {
    await(sleep(1));
    return done(a + b);
  }

  @Async
  public static Coroutine<String> straight(List<String> log) {
    log.add("start");
    int x = await(add(1, 2));
    log.add("x=" + x);
    long big = 10_000_000_000L;
    double d = 1.5;
    float f = 2.5f;
    char c = 'z';
    await(sleep(0));
    int y = await(add(x, 10));
    log.add("y=" + y + " big=" + big + " d=" + d + " f=" + f + " c=" + c);
    return done("end " + (x + y));
  }
}
