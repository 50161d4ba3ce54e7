package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;

/** A record with @Async methods. */
public record Point(int x, long y) {
  @Async
  public Coroutine<Long> sum(List<String> log, boolean s) {
    int dx = await(v(log, s, x));
    return done(dx + y + await(v(log, s, 1L)));
  }

  @Async
  public static Coroutine<Point> make(List<String> log, boolean s) {
    return done(new Point(await(v(log, s, 3)), await(v(log, s, 4L))));
  }
}
