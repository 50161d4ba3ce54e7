package debuggee;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.generate;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.timeout;

import dev.coroutine.Async;
import dev.coroutine.AsyncIterator;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Emitter;
import dev.coroutine.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * Chains of awaits that resume in every way a task can: run by DebuggerTest with and without a
 * debugger's resume (DebuggerResume), whose printed traces must be equal. Deeper than the
 * trampoline's 32 levels, failures thrown after a resume and caught levels up, finally blocks, an
 * async generator's producer, a timeout and a cancellation across a chain.
 */
public class ChainShapes {
  static final List<String> TRACE = new ArrayList<>();

  @Async
  static Coroutine<Integer> deep(int level) {
    if (level == 0) {
      await(sleep(1));
      return done(1);
    }
    int below = await(deep(level - 1));
    if (level % 10 == 0) {
      await(sleep(0));
    }
    return done(below + 1);
  }

  @Async
  static Coroutine<Integer> failsAfterResume(int n) {
    await(sleep(1));
    if (n > 0) {
      throw new IllegalStateException("failed " + n);
    }
    return done(n);
  }

  @Async
  static Coroutine<Integer> middle(int n) {
    try {
      return done(await(failsAfterResume(n)) + 100);
    } finally {
      TRACE.add("middle finally " + n);
      await(sleep(1));
      TRACE.add("middle finally after sleep " + n);
    }
  }

  @Async
  static Coroutine<Integer> catcher(int n) {
    try {
      int v = await(middle(n));
      TRACE.add("catcher got " + v);
      return done(v);
    } catch (IllegalStateException e) {
      TRACE.add("catcher caught " + e.getMessage());
      int again = await(middle(0));
      return done(-again);
    }
  }

  @Async
  static Coroutine<Void> produce(Emitter<Integer> out, int n) {
    for (int i = 0; i < n; i++) {
      int v = await(deep(3)) * 10 + i;
      await(out.emit(v));
    }
    return done();
  }

  @Async
  static Coroutine<Integer> consume() throws Exception {
    int sum = 0;
    try (AsyncIterator<Integer> it =
        generate((Emitter<Integer> out) -> produce(out, 4)).iterator()) {
      while (await(it.hasNext())) {
        int v = it.next();
        TRACE.add("consumed " + v);
        sum += v;
      }
    }
    return done(sum);
  }

  @Async
  static Coroutine<Integer> slowChain(int n) {
    await(sleep(n));
    return done(await(deep(2)));
  }

  @Async
  static Coroutine<Void> main() throws Exception {
    TRACE.add("deep " + await(deep(100)));
    TRACE.add("catcher " + await(catcher(3)));
    TRACE.add("catcher " + await(catcher(0)));
    TRACE.add("sum " + await(consume()));
    try {
      await(timeout(Duration.ofMillis(20), slowChain(10_000)));
    } catch (TimeoutException e) {
      TRACE.add("timed out");
    }
    Task<Integer> victim = createTask(middle(0));
    await(sleep(0));
    victim.cancel("stop");
    try {
      await(victim);
    } catch (CancellationException e) {
      TRACE.add("cancelled " + e.getMessage());
    }
    TRACE.add("gathered " + await(gather(deep(40), catcher(5), slowChain(2))));
    return done();
  }

  public static void main(String[] args) throws Exception {
    Coroutines.run(main());
    for (String line : TRACE) {
      System.out.println(line);
    }
  }
}
