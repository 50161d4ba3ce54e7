package dev.coroutine.transform.samples;

import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.util.List;

/**
 * Awaitables for the samples: finished now (the fast path) or completed later by a 1 ms timer that
 * first logs {@code "~" + value}, so a log shows that the awaiting code really suspended.
 */
public final class Later {
  private Later() {}

  /** A checked exception for the samples. */
  public static final class Checked extends Exception {
    private static final long serialVersionUID = 1L;

    public Checked(String message) {
      super(message);
    }
  }

  /** {@link #later} if {@code suspend}, else {@link #now}. */
  public static <T> Future<T> v(List<String> log, boolean suspend, T value) {
    return suspend ? later(log, value) : now(value);
  }

  /** A future a timer completes with {@code value} in 1 ms, logging {@code "~" + value}. */
  public static <T> Future<T> later(List<String> log, T value) {
    EventLoop loop = Coroutines.getRunningLoop();
    Future<T> f = loop.createFuture();
    loop.callLater(
        0.001,
        () -> {
          log.add("~" + value);
          f.setResult(value);
        });
    return f;
  }

  /** A future already finished with {@code value}. */
  public static <T> Future<T> now(T value) {
    Future<T> f = Coroutines.getRunningLoop().createFuture();
    f.setResult(value);
    return f;
  }

  /** A future failing with {@code failure}: already, or by a timer logging {@code "~!"}. */
  public static <T> Future<T> fail(List<String> log, boolean suspend, Throwable failure) {
    EventLoop loop = Coroutines.getRunningLoop();
    Future<T> f = loop.createFuture();
    if (!suspend) {
      f.setException(failure);
      return f;
    }
    loop.callLater(
        0.001,
        () -> {
          log.add("~!");
          f.setException(failure);
        });
    return f;
  }
}
