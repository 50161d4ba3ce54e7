package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.fail;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.io.IOException;
import java.util.List;

/** try/catch/finally, nested tries, rethrow, try-with-resources around awaits. */
public class Exceptions {
  /** Fails with {@code e} after an await (suspended or not). */
  @Async
  public static Coroutine<Integer> failing(List<String> log, boolean s, IOException e)
      throws IOException {
    await(v(log, s, "pre"));
    log.add("throwing");
    throw e;
  }

  @Async
  public static Coroutine<Object> catchSameInstance(List<String> log, boolean s, IOException e) {
    try {
      int x = await(failing(log, s, e));
      log.add("not reached " + x);
      return done(null);
    } catch (IOException caught) {
      log.add("caught " + caught.getMessage());
      return done(caught);
    }
  }

  @Async
  public static Coroutine<Object> catchFailedFuture(List<String> log, boolean s, Throwable e) {
    try {
      await(fail(log, s, e));
      return done(null);
    } catch (RuntimeException | Error caught) {
      log.add("caught");
      return done(caught);
    }
  }

  @Async
  public static Coroutine<Object> checkedFromFuture(List<String> log, boolean s, Later.Checked e)
      throws Later.Checked {
    try {
      await(fail(log, s, e));
      return done(null);
    } catch (Exception caught) {
      log.add("caught " + caught.getClass().getSimpleName());
      throw caught; // precise rethrow: only Later.Checked is possible
    }
  }

  @Async
  public static Coroutine<String> finallyAfterResume(List<String> log, boolean s) {
    try {
      log.add("try");
      int x = await(v(log, s, 1));
      log.add("after " + x);
      return done("r" + x);
    } finally {
      log.add("finally");
    }
  }

  @Async
  public static Coroutine<String> awaitInsideFinally(List<String> log, boolean s, boolean fail) {
    String result = "none";
    try {
      log.add("try");
      result = "r" + await(v(log, s, 1));
      if (fail) {
        throw new IllegalStateException("from try");
      }
      return done(result);
    } finally {
      log.add("finally " + result);
      int y = await(v(log, s, 2));
      log.add("finally after " + y);
    }
  }

  @Async
  public static Coroutine<String> nestedTries(List<String> log, boolean s, IOException e) {
    try {
      try {
        log.add("inner try");
        await(failing(log, s, e));
        log.add("not reached");
      } catch (IllegalStateException wrong) {
        log.add("wrong catch");
      } finally {
        log.add("inner finally");
        await(v(log, s, 1));
      }
      log.add("not reached either");
    } catch (IOException caught) {
      log.add("outer caught " + (caught == e));
      int y = await(v(log, s, 2));
      log.add("outer after " + y);
    } finally {
      log.add("outer finally");
    }
    return done("ok");
  }

  @Async
  public static Coroutine<String> catchAndRethrow(List<String> log, boolean s, IOException e)
      throws IOException {
    try {
      await(failing(log, s, e));
      return done("not reached");
    } catch (IOException caught) {
      log.add("rethrowing");
      await(v(log, s, "r"));
      throw caught;
    }
  }

  @Async
  public static Coroutine<String> catchAndWrap(List<String> log, boolean s, IOException e) {
    try {
      await(failing(log, s, e));
      return done("not reached");
    } catch (IOException caught) {
      throw new IllegalStateException("wrapped", caught);
    }
  }

  @Async
  public static Coroutine<String> tryInsideCatchWithFinally(
      List<String> log, boolean s, IOException e) {
    String out = "";
    try {
      await(fail(log, s, e));
    } catch (Exception first) {
      log.add("catch " + first.getMessage());
      try {
        int y = await(v(log, s, 2));
        log.add("inner " + y);
        throw new IllegalArgumentException("inner");
      } catch (IllegalArgumentException second) {
        out = second.getMessage() + "/" + first.getMessage();
        log.add("inner catch " + out);
        await(v(log, s, 3));
      } finally {
        log.add("inner finally");
        await(v(log, s, 4));
        log.add("inner finally end " + first.getMessage());
      }
    }
    return done(out);
  }

  /** A resource that logs opening and closing. */
  public static final class Res implements AutoCloseable {
    private final List<String> log;
    private final String name;

    public Res(List<String> log, String name) {
      this.log = log;
      this.name = name;
      log.add("open " + name);
    }

    @Override
    public void close() {
      log.add("close " + name);
    }
  }

  @Async
  public static Coroutine<String> tryWithResources(List<String> log, boolean s, boolean fail) {
    try (Res a = new Res(log, "a");
        Res b = new Res(log, "b")) {
      int x = await(v(log, s, 1));
      log.add("body " + x);
      if (fail) {
        throw new IllegalStateException("body");
      }
    } catch (IllegalStateException e) {
      log.add("caught " + e.getMessage());
    }
    log.add("after");
    return done("ok");
  }

  @Async
  public static Coroutine<Integer> level3(List<String> log, boolean s, Throwable t)
      throws Throwable {
    await(v(log, s, 3));
    throw t;
  }

  @Async
  public static Coroutine<Integer> level2(List<String> log, boolean s, Throwable t)
      throws Throwable {
    try {
      return done(await(level3(log, s, t)) + 1);
    } finally {
      log.add("level2 finally");
    }
  }

  @Async
  public static Coroutine<Integer> level1(List<String> log, boolean s, Throwable t)
      throws Throwable {
    int r = await(level2(log, s, t));
    log.add("not reached");
    return done(r);
  }

  @Async
  public static Coroutine<String> resourceInitializerAwaits(List<String> log, boolean s) {
    try (Res r = new Res(log, await(v(log, s, "late")))) {
      log.add("body");
      await(v(log, s, 1));
    }
    return done("ok");
  }

  static int plus(long a, int b) {
    return (int) a + b;
  }

  @Async
  public static Coroutine<String> awaitFailsWithValuesOnTheStack(
      List<String> log, boolean s, IOException e) {
    long base = 1L << 40;
    int r;
    try {
      r = plus(base, await(failing(log, s, e)));
    } catch (IOException caught) {
      r = -1;
      log.add("caught " + (caught == e) + " base " + base);
    }
    return done("r" + r);
  }

  @Async
  public static Coroutine<String> catchInLoopAndContinue(List<String> log, boolean s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      try {
        if (i % 2 == 1) {
          await(fail(log, s, new IllegalStateException("odd" + i)));
        }
        sb.append(await(v(log, s, i)));
      } catch (IllegalStateException odd) {
        sb.append(odd.getMessage());
        continue;
      }
      sb.append(';');
    }
    return done(sb.toString());
  }
}
