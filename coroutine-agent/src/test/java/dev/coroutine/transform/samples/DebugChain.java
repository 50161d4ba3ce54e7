package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.time.Duration;

/**
 * Three coroutines awaiting each other, each suspending (sleep) before it calls the next, so that
 * after every resume the callers are not on the Java stack: for task dumps and async stack traces.
 */
public class DebugChain {
  @Async
  public static Coroutine<Integer> outer(Future<Integer> gate) {
    await(sleep(Duration.ofSeconds(1))); // @outerSleep
    int v = await(middle(gate)); // @outerAwait
    return done(v + 1);
  }

  @Async
  static Coroutine<Integer> middle(Future<Integer> gate) {
    await(sleep(Duration.ofSeconds(1))); // @middleSleep
    int v = await(inner(gate)); // @middleAwait
    return done(v * 2);
  }

  @Async
  static Coroutine<Integer> inner(Future<Integer> gate) {
    await(sleep(Duration.ofSeconds(10))); // @innerSleep
    int v = await(gate); // @innerGate
    if (v < 0) {
      throw new IllegalStateException("negative " + v); // @innerThrow
    }
    return done(v);
  }

  /**
   * Catches the failure of {@link #middle} and rethrows it: the async stack is still added once.
   */
  @Async
  public static Coroutine<Integer> rethrowing(Future<Integer> gate) {
    await(sleep(1));
    try {
      return done(await(middle(gate))); // @rethrowingAwait
    } catch (IllegalStateException e) {
      throw e;
    }
  }

  /**
   * Dumps the tasks from inside a coroutine awaited inline, after a {@code sleep(0)} that nothing
   * else waits for, so it goes on without suspending: the dump must still show where each frame is.
   */
  @Async
  public static Coroutine<String> dumpAfterLoneYield() {
    String before = "dump:\n"; // a line of its own: a frame that has not reached an await shows it
    String dump = await(dumper()); // @dumperAwait
    return done(before + dump);
  }

  @Async
  static Coroutine<String> dumper() {
    int n = 0; // a line of its own, as above
    await(sleep(n)); // @dumperYield
    return done(EventLoop.running().dumpTasks());
  }
}
