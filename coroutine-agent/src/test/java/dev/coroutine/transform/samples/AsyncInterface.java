package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;

/** Interface default and static @Async methods. */
public interface AsyncInterface {
  String name();

  @Async
  default Coroutine<String> greet(List<String> log, boolean s) {
    String who = await(v(log, s, name()));
    int n = await(twice(log, s, 21));
    return done("hello " + who + " " + n);
  }

  @Async
  static Coroutine<Integer> twice(List<String> log, boolean s, int x) {
    return done(await(v(log, s, x)) * 2);
  }

  @Async
  private Coroutine<String> privateInInterface(List<String> log, boolean s) {
    return done(await(v(log, s, "p")) + name());
  }

  @Async
  default Coroutine<String> callsPrivate(List<String> log, boolean s) {
    return done(await(privateInInterface(log, s)));
  }

  /** Makes an instance (the test only uses reflection). */
  static AsyncInterface named(String name) {
    return () -> name;
  }
}
