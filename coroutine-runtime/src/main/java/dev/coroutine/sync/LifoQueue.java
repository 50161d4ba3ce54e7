package dev.coroutine.sync;

import java.util.ArrayDeque;
import java.util.Collections;

/**
 * A last-in first-out {@link Queue}: asyncio's {@code LifoQueue}.
 *
 * @param <T> the item type
 */
public class LifoQueue<T> extends Queue<T> {
  /** An unbounded LIFO queue. */
  public LifoQueue() {
    this(0);
  }

  /**
   * A LIFO queue of at most {@code maxsize} items ({@code <= 0}: unbounded).
   *
   * @param maxsize the capacity; zero or less for unbounded
   */
  public LifoQueue(int maxsize) {
    super(maxsize, Collections.asLifoQueue(new ArrayDeque<>()), true);
  }
}
