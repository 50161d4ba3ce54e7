package dev.coroutine.sync;

import java.util.Comparator;
import java.util.Objects;

/**
 * A {@link Queue} that hands out the smallest item first: asyncio's {@code PriorityQueue}. Items
 * are ordered by their natural order or by the comparator given; {@code null} items are refused.
 * Items that compare equal come out in no particular order (as with asyncio's heap); add a sequence
 * number to the item to make it FIFO.
 *
 * @param <T> the item type
 */
public class PriorityQueue<T> extends Queue<T> {
  /** An unbounded priority queue in natural order. */
  public PriorityQueue() {
    this(0);
  }

  /**
   * A priority queue of at most {@code maxsize} items, in natural order.
   *
   * @param maxsize the capacity; zero or less for unbounded
   */
  public PriorityQueue(int maxsize) {
    this(maxsize, null);
  }

  /**
   * A priority queue of at most {@code maxsize} items, ordered by {@code comparator}.
   *
   * @param maxsize the capacity; zero or less for unbounded
   * @param comparator orders the items; the least comes out first
   */
  @SuppressWarnings("unchecked")
  public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
    super(maxsize, new java.util.PriorityQueue<>((Comparator<Object>) comparator), false);
  }

  @Override
  Object checkItem(T item) {
    return Objects.requireNonNull(item, "a PriorityQueue refuses null items");
  }
}
