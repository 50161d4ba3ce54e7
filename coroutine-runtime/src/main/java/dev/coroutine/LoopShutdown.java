package dev.coroutine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * asyncio.run's end, for {@link Coroutines#run} and for each loop of an {@link EventLoopGroup}: the
 * tasks left are cancelled and run to the end of their {@code finally} blocks, round after round
 * while the cleanup makes new ones, the async generators still suspended are closed, the default
 * executor's jobs are waited for, and what those jobs submitted meanwhile is cancelled too.
 * Everything runs on the loop's thread with the loop stopped between the steps, so the last check
 * for pending tasks and the loop's close have no pass between them: a task cannot start unseen.
 */
final class LoopShutdown {
  /**
   * Rounds of cancellation before the loop closes with tasks still pending: a round cancels what is
   * pending and waits for it; a task created meanwhile (by cleanup code, or a connection a server
   * accepted) waits for the next round.
   */
  static final int ROUNDS = 16;

  private LoopShutdown() {}

  /**
   * Ends {@code loop}'s work as asyncio.run does before it closes the loop; {@code during} names
   * the shutdown in reports ("run()'s shutdown"). Call on the loop's thread, the loop not running.
   */
  static void finish(EventLoop loop, String during) {
    int round = cancelRemaining(loop, 1, during);
    Set<Task<?>> reported = round > 0 ? Set.of() : new HashSet<>(loop.pendingTasks());
    Future<Void> generators = loop.shutdownAsyncgens(); // asyncio.run's shutdown_asyncgens
    if (!generators.isDone()) {
      loop.runUntilComplete(generators);
    }
    loop.runUntilComplete(loop.shutdownDefaultExecutor(EventLoop.EXECUTOR_JOIN_TIMEOUT));
    // a job the loop waited for may have submitted a coroutine meanwhile (runCoroutineThreadsafe),
    // or a timer made one: cancelled too, in the rounds left; reported if none is left
    if (round > 0) {
      cancelRemaining(loop, round, during);
      return;
    }
    List<Task<?>> late = new ArrayList<>();
    for (Task<?> t : loop.pendingTasks()) {
      if (!reported.contains(t)) { // a set: a cleanup that never ends may leave many
        late.add(t);
      }
    }
    if (!late.isEmpty()) {
      reportStillPending(
          loop,
          late,
          during + ", started while it waited for the default executor's jobs (never cancelled)");
    }
  }

  /**
   * Cancels the loop's pending tasks round after round from {@code first}, at most up to {@link
   * #ROUNDS}; returns the round that found none pending, or 0 once it reported the rest.
   */
  private static int cancelRemaining(EventLoop loop, int first, String during) {
    // asyncio.run cancels what is left, lets it run its cleanup (finally blocks), and reports
    // tasks that failed with something other than the cancellation. A task the cleanup creates
    // waits for a next round: asyncio leaves it pending until its garbage collector closes the
    // coroutine (so its finally blocks run, at exit), which a Java frame cannot be
    for (int round = first; ; round++) {
      List<Task<?>> left = loop.pendingTasks();
      if (left.isEmpty()) {
        return round;
      }
      if (round > ROUNDS) {
        reportStillPending(loop, left, during + " (each round's cleanup made new ones)");
        return 0;
      }
      for (Task<?> t : left) {
        t.cancel();
      }
      loop.runUntilComplete(Coroutines.gatherOn(loop, true, left.toArray(new Awaitable<?>[0])));
      reportFailed(loop, left, during);
    }
  }

  /** Reports the tasks of a round that failed with something else than cancellation. */
  private static void reportFailed(EventLoop loop, List<Task<?>> round, String during) {
    for (Task<?> t : round) {
      if (t.state == Future.FAILED) {
        loop.callExceptionHandler(
            new EventLoop.ErrorContext(
                "unhandled exception during " + during + ": " + t,
                t.exception(),
                t,
                loop.getDebug() ? Debug.siteOf(t) : null));
      }
    }
  }

  /**
   * Reports the tasks still pending after {@link #ROUNDS} rounds of cancellation; {@code where}
   * names the shutdown and why they are left.
   */
  private static void reportStillPending(EventLoop loop, List<Task<?>> left, String where) {
    loop.callExceptionHandler(
        new EventLoop.ErrorContext(
            left.size()
                + " task(s) still pending after "
                + ROUNDS
                + " rounds of cancellation in "
                + where
                + "; the loop closes with them unfinished: "
                + left.subList(0, Math.min(3, left.size())),
            null,
            loop));
  }
}
