package dev.coroutine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The future {@link Coroutines#gather} returns: asyncio's {@code _GatheringFuture}.
 *
 * <p>Invariant: {@link #remaining} counts children not yet finished. Cancelling the gather cancels
 * the children and does not finish the gather at once: it finishes when the children have, so a
 * task awaiting it resumes only after their cleanup ran. Without {@code returnExceptions}, the
 * first child failure (or cancellation) fails the gather at once; the other children keep running.
 * As in asyncio, a cancellation (of a child, or of the gather itself) ends the gather failed with a
 * {@link CancellationException}, not cancelled: awaiting it throws that exception, {@link
 * #isCancelled()} is false and {@link #exception()} returns it. Children already done when the
 * gather is made count at once (asyncio 3.12), so a gather of finished futures is finished when
 * returned.
 *
 * @param <T> the children's result type
 */
final class GatheringFuture<T> extends Future<List<T>> {
  /**
   * The children, one future per awaitable passed (coroutines wrapped in tasks), in the order of
   * the results. Kept until the gather ends, as asyncio keeps them (for {@link #cancel}); the
   * results are read from them then, so a child costs the gather no object of its own.
   */
  private final Future<?>[] children;

  /** Failures take the place of results instead of failing the gather. */
  private final boolean returnExceptions;

  /** Children not finished yet. */
  private int remaining;

  /** {@link #cancel(String)} was called: finish cancelled once the children are done. */
  private boolean cancelRequested;

  /** The message of that cancellation. */
  private String cancelMessage;

  /**
   * The gather's outcome is decided and {@link #finish} is scheduled: by the first failure (no
   * {@code returnExceptions}) or by the last child; later children are only counted.
   */
  private boolean finishing;

  /** The child whose failure fails the gather when {@link #finish} runs, or null. */
  private Future<?> firstFailure;

  GatheringFuture(EventLoop loop, Future<?>[] children, boolean returnExceptions) {
    super(loop);
    this.children = children;
    this.returnExceptions = returnExceptions;
    this.remaining = children.length;
    if (children.length == 0) {
      super.setResult(new ArrayList<>());
      return;
    }
    // asyncio 3.12: callbacks on the pending children first, then the children already done
    // count, in order (nothing runs in between, so "done" is the same in both loops)
    ChildCounter counter = new ChildCounter(this);
    for (Future<?> c : children) {
      if (!c.isDone()) {
        c.whenDone(counter);
      }
    }
    for (Future<?> c : children) {
      if (c.isDone()) {
        childFinished(c, true);
      }
    }
  }

  /**
   * The done-callback of every child of one gather (registered once per position, so a child passed
   * twice counts twice): the results are read from the children at the end, so a child needs no
   * callback of its own. The child's future calls it when the child finishes, not through the ready
   * queue (see {@link Future#scheduleOne}): counting a child has no effect anyone can see, and what
   * can be seen, the gather finishing, is scheduled for the pass where asyncio's done-callback
   * would run. Not the gather itself: no user code can register it elsewhere.
   */
  static final class ChildCounter implements Consumer<Future<?>> {
    /** The gather. */
    private final GatheringFuture<?> gather;

    ChildCounter(GatheringFuture<?> gather) {
      this.gather = gather;
    }

    @Override
    public void accept(Future<?> child) {
      gather.childFinished(child, false);
    }
  }

  /**
   * A child finished: counts it, and if that decides the gather (the first failure without {@code
   * returnExceptions}, or the last child), ends it. A child that finishes later has {@link #finish}
   * run on the next pass, where asyncio's done-callback would have ended the gather (so it ends,
   * and its waiters wake, exactly when they do in asyncio); one already done when the gather is
   * made ends it at once ({@code atOnce}: asyncio 3.12 calls the callback right there).
   */
  private void childFinished(Future<?> child, boolean atOnce) {
    remaining--;
    if (isDone() || finishing) {
      if (child.state == FAILED) {
        child.failure(); // the gather reports its first failure; later ones count as seen
      }
      return;
    }
    if (!returnExceptions && child.state != SUCCEEDED) {
      firstFailure = child; // a cancelled child too: the gather fails with the cancellation
    } else if (remaining > 0) {
      return;
    }
    finishing = true;
    if (atOnce) {
      finish();
    } else {
      loopForCallbacks().schedule((Runnable) this::finish);
    }
  }

  /** After the deciding child: the gather fails or completes, as asyncio's would. */
  private void finish() {
    if (isDone()) {
      return;
    }
    if (firstFailure != null) {
      super.setException(firstFailure.failure());
    } else {
      complete();
    }
  }

  /**
   * Every child is done (and none failed the gather): the results in order, failures in their
   * places with {@code returnExceptions}; or, if the gather was cancelled, the cancellation
   * whatever the children did. The results are taken either way, as asyncio's are: that marks the
   * children's failures as retrieved.
   */
  private void complete() {
    ArrayList<Object> results = new ArrayList<>(children.length);
    for (Future<?> c : children) {
      results.add(c.state == SUCCEEDED ? c.value : c.failure());
    }
    if (cancelRequested) {
      super.setException(new CancellationException(cancelMessage));
      return;
    }
    @SuppressWarnings("unchecked")
    List<T> list = (List<T>) results;
    super.setResult(list);
  }

  @Override
  public boolean cancel(String message) {
    if (isDone()) {
      return false;
    }
    boolean any = false;
    for (Future<?> c : children) {
      if (c.cancel(message)) {
        any = true;
      }
    }
    if (any) {
      cancelRequested = true;
      cancelMessage = message;
    }
    return any;
  }
}
