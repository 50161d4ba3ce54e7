package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/** Laziness, threads, cancellation, run-at-most-once and deep inline chains. */
public class Semantics {
  @Async
  public static Coroutine<String> sideEffect(List<String> log, String tag) {
    log.add("body " + tag);
    return done(tag);
  }

  @Async
  public static Coroutine<String> lazyInside(List<String> log) {
    Coroutine<String> c = sideEffect(log, "a");
    Coroutine<String> never = sideEffect(log, "never");
    log.add("created");
    String r = await(c);
    log.add("awaited " + r + " " + (never != null));
    return done(r);
  }

  @Async
  public static Coroutine<String> fromOtherThread(
      List<String> log, Thread[] threads, boolean fail) {
    threads[0] = Thread.currentThread();
    CompletableFuture<String> cf = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              threads[1] = Thread.currentThread();
              if (fail) {
                cf.completeExceptionally(new IllegalArgumentException("remote"));
              } else {
                cf.complete("remote");
              }
            },
            "completer");
    t.start();
    log.add("awaiting");
    try {
      String r = await(cf);
      threads[2] = Thread.currentThread();
      log.add("resumed " + r);
      return done(r);
    } catch (IllegalArgumentException e) {
      threads[2] = Thread.currentThread();
      log.add("failed " + e.getMessage());
      throw e;
    }
  }

  @Async
  public static Coroutine<String> completedStage(List<String> log) {
    String r = await(CompletableFuture.completedFuture("now"));
    log.add("got " + r);
    return done(r);
  }

  @Async
  public static Coroutine<String> victim(List<String> log, boolean catchIt) {
    try {
      log.add("victim start");
      await(sleep(10_000));
      log.add("not reached");
      return done("no");
    } catch (CancellationException e) {
      log.add("victim caught");
      if (!catchIt) {
        throw e;
      }
      int x = await(v(log, true, 1)); // may still await after catching the cancellation
      return done("caught " + x);
    } finally {
      log.add("victim finally");
    }
  }

  @Async
  public static Coroutine<String> cancelling(List<String> log, boolean catchIt) {
    Task<String> t = createTask(victim(log, catchIt));
    await(sleep(5));
    log.add("cancel " + t.cancel());
    try {
      String r = await(t);
      log.add("result " + r + " cancelled=" + t.isCancelled());
      return done(r);
    } catch (CancellationException e) {
      log.add("cancelled=" + t.isCancelled());
      return done("cancelled");
    }
  }

  @Async
  public static Coroutine<Integer> one(List<String> log) {
    await(sleep(1));
    log.add("one");
    return done(1);
  }

  @Async
  public static Coroutine<String> awaitTwice(List<String> log) {
    Coroutine<Integer> c = one(log);
    int first = await(c);
    try {
      await(c);
      return done("no error");
    } catch (IllegalStateException e) {
      log.add("second await: ISE");
      return done("first " + first);
    }
  }

  @Async
  public static Coroutine<String> awaitTwiceAfterTask(List<String> log) {
    Coroutine<Integer> c = one(log);
    Task<Integer> t = createTask(c);
    try {
      await(c);
      return done("no error");
    } catch (IllegalStateException e) {
      log.add("await of a scheduled coroutine: ISE");
      return done("task " + await(t));
    }
  }

  @Async
  public static Coroutine<Integer> depth(int n, boolean suspendAtBottom) {
    if (n == 0) {
      if (suspendAtBottom) {
        await(sleep(1));
      }
      return done(0);
    }
    int below = await(depth(n - 1, suspendAtBottom));
    return done(below + 1);
  }

  @Async
  public static Coroutine<Integer> tailDepth(int n, boolean suspendAtBottom) {
    if (n == 0) {
      if (suspendAtBottom) {
        await(sleep(1));
      }
      return done(0);
    }
    return tailDepth(n - 1, suspendAtBottom);
  }

  @Async
  public static Coroutine<String> timesOut(List<String> log) {
    try {
      await(dev.coroutine.Coroutines.waitFor(slowly(log), java.time.Duration.ofMillis(5)));
      return done("no timeout");
    } catch (java.util.concurrent.TimeoutException e) {
      log.add("timeout");
      return done("timed out");
    }
  }

  /** asCompleted with a timeout: the catch of the checked TimeoutException must compile. */
  @Async
  public static Coroutine<String> asCompletedTimesOut(List<String> log) {
    try {
      for (Coroutine<String> next :
          dev.coroutine.Coroutines.asCompleted(
              List.<dev.coroutine.Awaitable<String>>of(
                  dev.coroutine.Coroutines.done("quick"), new dev.coroutine.Future<String>()),
              java.time.Duration.ofMillis(500))) { // long enough for "quick" to win under load
        log.add(await(next));
      }
      return done("all in time");
    } catch (java.util.concurrent.TimeoutException e) {
      log.add("timeout");
      return done("timed out");
    }
  }

  @Async
  public static Coroutine<Void> slowly(List<String> log) {
    try {
      await(sleep(10_000));
    } finally {
      log.add("inner finally");
    }
    return done();
  }

  @Async
  public static Coroutine<String> worker(List<String> log, String name, int n) {
    StringBuilder mine = new StringBuilder(name);
    for (int i = 0; i < n; i++) {
      log.add(name + i);
      await(sleep(0));
      mine.append(i);
    }
    return done(mine.toString());
  }

  @Async
  public static Coroutine<java.util.List<String>> interleaved(List<String> log) {
    return done(await(dev.coroutine.Coroutines.gather(worker(log, "a", 3), worker(log, "b", 3))));
  }
}
