package dev.coroutine.bench.floor;

/**
 * W1''s floor: two coroutines yielding in turn, with the least a single-threaded scheduler of
 * stackless coroutines does per switch, in plain Java with no runtime. Per yield: the body stores
 * its resume point and its two live values in its frame and returns the suspension marker; the
 * scheduler puts the task at the end of a ring and takes the next one, whose body restores its
 * values and goes on. No context, cancellation, timers, I/O, thread-safe inbox, debug or task-dump
 * bookkeeping, and a scheduler loop with nothing else to check.
 */
public final class SwitchFloor {
  private SwitchFloor() {}

  /** What a body returns when it suspends. */
  private static final Object SUSPEND = new Object();

  /** A resumable body. */
  private interface Body {
    Object resume(Frame f);
  }

  /** The least a yielding loop keeps: resume point, its bound and its counter, its body. */
  private static final class Frame {
    int label;
    int n;
    int i;
    final Body body;

    Frame(Body body, int n) {
      this.body = body;
      this.n = n;
    }
  }

  private static final Body YIELDS = SwitchFloor::yields;

  /** {@code for (i = 0; i < n; i++) yield; return n}, resumable. */
  private static Object yields(Frame f) {
    int n = f.n;
    int i = f.label == 0 ? 0 : f.i + 1;
    if (i < n) {
      f.label = 1;
      f.i = i;
      return SUSPEND;
    }
    return n;
  }

  /**
   * Two coroutines of {@code n} yields each, run in turn from a ring until both finish; returns
   * {@code 2n}, as W1''s other systems do.
   *
   * @param n the yields of each coroutine
   * @return {@code 2n}
   */
  public static int yieldPair(int n) {
    Frame[] ring = new Frame[4];
    int head = 0;
    int tail = 0;
    ring[tail++ & 3] = new Frame(YIELDS, n);
    ring[tail++ & 3] = new Frame(YIELDS, n);
    int sum = 0;
    while (head != tail) {
      Frame f = ring[head & 3];
      ring[head++ & 3] = null;
      Object r = f.body.resume(f);
      if (r == SUSPEND) {
        ring[tail++ & 3] = f;
      } else {
        sum += (Integer) r;
      }
    }
    return sum;
  }
}
