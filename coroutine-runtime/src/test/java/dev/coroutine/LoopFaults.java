package dev.coroutine;

import java.nio.channels.Pipe;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Faults of a loop's own machinery, for tests in any package. */
public final class LoopFaults {
  private LoopFaults() {}

  /** Closes {@code l}'s selector under it: its next select throws, and the loop fails. */
  public static void breakSelector(EventLoop l) throws java.io.IOException {
    l.io.selector().close();
  }

  /**
   * Has {@code loop}, running on its own thread, wait in a selector (on a pipe nothing is written
   * to, whose reader it adds).
   *
   * @return the pipe; close both ends when done
   */
  public static Pipe waitInASelector(EventLoop loop) throws Exception {
    Pipe pipe = Pipe.open();
    CompletableFuture<Void> registered = new CompletableFuture<>();
    loop.callSoonThreadsafe(
        () -> {
          loop.addReader(pipe.source(), () -> {});
          registered.complete(null);
        });
    registered.get(10, TimeUnit.SECONDS);
    return pipe;
  }

  /**
   * Breaks the selector of {@code loop}, which waits in one on its own thread, wakes it into the
   * failure, and returns once it closed itself (at most 20 s: a hang guard).
   */
  public static void failWaitingLoop(EventLoop loop) throws Exception {
    breakSelector(loop);
    try {
      loop.callSoonThreadsafe(() -> {});
    } catch (IllegalStateException alreadyClosed) {
      // it died first
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!loop.isClosed()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the failed loop did not close in 20 s");
      }
      Thread.sleep(1);
    }
  }
}
