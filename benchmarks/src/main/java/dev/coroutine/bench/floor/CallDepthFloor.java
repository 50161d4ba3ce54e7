package dev.coroutine.bench.floor;

/**
 * W6's floor: nested calls each awaiting the next, the innermost suspending once, with the least
 * any stackless coroutine does per level, in plain Java with no runtime. Per level: a frame object
 * (the state that outlives the Java frame), a call down through the body's interface (one body for
 * every level, so the call site sees one class), the suspension marker returned back up with the
 * resume point stored, then a resume loop that calls each level's body with its child's result,
 * boxed (a {@code Coroutine<Integer>}'s result is an object). No task, no loop, no queue, no
 * inline-depth limit, no debug or context bookkeeping.
 */
public final class CallDepthFloor {
  private CallDepthFloor() {}

  /** What a body returns when it suspends. */
  private static final Object SUSPEND = new Object();

  /** A resumable body. */
  private interface Body {
    Object resume(Frame f, Object resumeValue);
  }

  /** The least a level keeps: resume point, its argument, its caller, its body. */
  private static final class Frame {
    int label;
    int depth;
    Frame caller;
    final Body body;

    Frame(Body body, int depth, Frame caller) {
      this.body = body;
      this.depth = depth;
      this.caller = caller;
    }
  }

  /** The chain's innermost frame once it suspended. */
  private static Frame innermost;

  private static final Body NEST = CallDepthFloor::nest;

  private static Object nest(Frame f, Object resumeValue) {
    if (f.label == 1) { // resumed: the child's value (the innermost: its sleep's, none)
      return f.depth == 0 ? 0 : (Integer) resumeValue + 1;
    }
    if (f.depth == 0) {
      f.label = 1;
      innermost = f;
      return SUSPEND;
    }
    Frame child = new Frame(NEST, f.depth - 1, f);
    Object r = child.body.resume(child, null);
    if (r == SUSPEND) {
      f.label = 1;
      return SUSPEND;
    }
    return (Integer) r + 1;
  }

  /**
   * {@code reps} times, a chain of {@code depth} nested calls suspended at the bottom and resumed;
   * returns {@code reps * depth}, as W6's other systems do.
   *
   * @param reps how many chains
   * @param depth the levels of a chain
   * @return {@code reps * depth}
   */
  public static long callDepth(int reps, int depth) {
    long sum = 0;
    for (int r = 0; r < reps; r++) {
      Frame top = new Frame(NEST, depth, null);
      Object v = top.body.resume(top, null);
      if (v == SUSPEND) {
        v = null;
        for (Frame f = innermost; f != null; f = f.caller) {
          v = f.body.resume(f, v);
          f.label = -1;
        }
      }
      innermost = null;
      sum += (Integer) v;
    }
    return sum;
  }
}
