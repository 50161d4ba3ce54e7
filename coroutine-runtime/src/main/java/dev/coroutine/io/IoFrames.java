package dev.coroutine.io;

import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.internal.Frames;
import dev.coroutine.internal.Futures;
import dev.coroutine.internal.NeverFailingLogger;
import java.util.function.Supplier;

/** Small helpers for the package's hand-written coroutines (see PROTOCOL.md). */
final class IoFrames {
  private IoFrames() {}

  /**
   * A coroutine that, when awaited, gets an awaitable from {@code source} and awaits it: lazy, as a
   * call of an {@code @Async} method is.
   */
  static <T> Coroutine<T> lazy(Supplier<? extends Awaitable<? extends T>> source) {
    return Frames.lazy(source);
  }

  /**
   * A future that completes as {@code source} does, so that each awaiter may be cancelled without
   * cancelling the shared {@code source}. {@code source} itself when it is done already.
   */
  static <T> Future<T> follow(EventLoop loop, Future<T> source) {
    return Futures.follow(loop, source);
  }

  /** A future failed with {@code e}. */
  static <T> Future<T> failed(EventLoop loop, Throwable e) {
    Future<T> f = loop.createFuture();
    f.setException(e);
    return f;
  }

  /** Closes {@code c}, ignoring a failure: for what is no longer needed or failing anyway. */
  static void closeQuietly(java.nio.channels.Channel c) {
    try {
      c.close();
    } catch (java.io.IOException e) {
      // nothing more can be done with it
    }
  }

  /** Dropped writes after which a transport logs them once (asyncio warns from its 5th). */
  static final int DROPPED_WRITES_LOGGED = 5;

  /**
   * Counts a write to a closed or lost transport (dropped, as asyncio drops it), given the count
   * before it; logs once at {@link #DROPPED_WRITES_LOGGED}: a program writing on without draining
   * does not notice the loss otherwise.
   *
   * @return the new count
   */
  static int droppedWrite(Object transport, int before) {
    int n = before + 1;
    if (n == DROPPED_WRITES_LOGGED) {
      NeverFailingLogger.of("dev.coroutine.io")
          .log(
              System.Logger.Level.WARNING,
              "{0}: "
                  + n
                  + " writes after it closed or was lost were dropped (drain() raises the loss"
                  + " where there is one; later writes are dropped without this warning)",
              transport);
    }
    return n;
  }

  /** A future completed with {@code value}. */
  static <T> Future<T> completed(EventLoop loop, T value) {
    Future<T> f = loop.createFuture();
    f.setResult(value);
    return f;
  }

  /** The rest of a set-up once one of its steps succeeded; may fail with an IOException. */
  @FunctionalInterface
  interface Next<T> {
    void accept(T value) throws java.io.IOException;
  }

  /**
   * When {@code step} finishes: its failure or cancellation finishes {@code result} the same way,
   * its value goes to {@code next} (whose exception fails {@code result}); a step finishing after
   * {@code result} was finished (cancelled) is read and dropped, so it is never reported as an
   * unretrieved failure.
   */
  static <T> void then(Future<T> step, Future<?> result, Next<T> next) {
    step.addDoneCallback(
        s -> {
          if (result.isDone()) {
            Futures.failureOf(s); // abandoned
          } else if (s.isCancelled()) {
            result.cancel();
          } else if (s.exception() != null) {
            result.setException(s.exception());
          } else {
            try {
              next.accept(s.result());
            } catch (java.io.IOException | RuntimeException e) {
              if (!result.isDone()) {
                result.setException(e);
              }
            }
          }
        });
  }
}
