package dev.coroutine.bench.floor;

/**
 * W4''s floor: what a gather of children that finish without suspending costs with no runtime at
 * all, in plain Java, under asyncio's semantics of a task per child that runs in a later pass. Each
 * child gets the leanest task and frame one could have (24 bytes each: a state, a result, the
 * frame; a label, a saved value, the awaited result, the owner), all are created first (as gather
 * wraps them), then each is run in order (it reads its frame and the finished value, stores its
 * result and finishes) and the results are summed. No queue, no callbacks, no bookkeeping: any
 * system that keeps a task per child and runs it after the others are created does at least this,
 * so half of {@code CompletableFuture}'s time (which runs each child at once, while its objects are
 * in the cache) is below this floor if this takes more than that.
 */
public final class GatherFloor {
  private GatherFloor() {}

  /** The leanest frame: resume point, one saved value, the awaited result, its task. */
  static final class Frame {
    int label;
    int index;
    Object awaited;
    Task owner;
  }

  /** The leanest task: state, result, its frame. */
  static final class Task {
    byte state;
    Object result;
    Frame frame;
  }

  /**
   * Creates {@code n} children, each awaiting a finished value 0 and returning its index; runs them
   * in order; returns the sum of their results.
   *
   * @param n the number of children
   * @return {@code n * (n - 1) / 2}
   */
  public static long gatherFinished(int n) {
    Integer zero = 0;
    Task[] tasks = new Task[n];
    for (int i = 0; i < n; i++) {
      Frame f = new Frame();
      f.index = i;
      f.awaited = zero;
      Task t = new Task();
      t.frame = f;
      f.owner = t;
      tasks[i] = t;
    }
    for (Task t : tasks) {
      Frame f = t.frame;
      t.result = f.index + (Integer) f.awaited;
      t.state = 1;
      f.label = -1;
    }
    long sum = 0;
    for (Task t : tasks) {
      sum += (Integer) t.result;
    }
    return sum;
  }
}
