package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;

/** An enum with an @Async method, overridden (also @Async) in a constant body. */
public enum Op {
  ADD {
    @Override
    @Async
    public Coroutine<Integer> apply(List<String> log, boolean s, int a, int b) {
      return done(a + await(v(log, s, b)));
    }
  },
  MUL {
    @Override
    @Async
    public Coroutine<Integer> apply(List<String> log, boolean s, int a, int b) {
      int x = await(v(log, s, a));
      return done(x * b);
    }
  },
  NEG;

  @Async
  public Coroutine<Integer> apply(List<String> log, boolean s, int a, int b) {
    log.add(name() + " " + ordinal());
    return done(-await(v(log, s, a)));
  }

  @Async
  public static Coroutine<Integer> all(List<String> log, boolean s) {
    int r = 0;
    for (Op op : values()) {
      r += await(op.apply(log, s, 3, 4));
    }
    return done(r);
  }
}
