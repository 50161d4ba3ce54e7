package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.waitFor;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Calls a slow service until an attempt answers within the timeout, backing off between tries. */
public class Retrier {
  private final Duration timeout;
  private final Duration backoff;
  public int attempts;

  public Retrier(Duration timeout, Duration backoff) {
    this.timeout = timeout;
    this.backoff = backoff;
  }

  @Async
  public <T> Coroutine<T> call(Supplier<Coroutine<T>> service) {
    while (true) {
      attempts++;
      try {
        return done(await(waitFor(service.get(), timeout)));
      } catch (TimeoutException e) {
        await(sleep(backoff));
      }
    }
  }
}
