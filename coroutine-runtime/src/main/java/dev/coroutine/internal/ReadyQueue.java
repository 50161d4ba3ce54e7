package dev.coroutine.internal;

import java.util.Arrays;

/**
 * The loop's FIFO of ready callbacks and tasks: a ring buffer whose capacity is a power of two, so
 * an add or a poll is a store, a mask and an increment. It shrinks back after a burst (a million
 * tasks scheduled at once must not keep a million slots forever). Loop thread only.
 *
 * <p>Plumbing of the event loop's core (public for it, not exported by the module).
 */
public final class ReadyQueue {
  /** The smallest ring, and the one a drained queue shrinks back to after a burst. */
  private static final int MIN_CAPACITY = 256;

  /** The ring; slots outside [head, tail) are null. */
  private Object[] items = new Object[MIN_CAPACITY];

  /** Index (unmasked) of the first item. */
  private int head;

  /** Index (unmasked) after the last item. */
  private int tail;

  /**
   * The number of items.
   *
   * @return how many items wait
   */
  public int size() {
    return tail - head;
  }

  /**
   * True if no item waits.
   *
   * @return true if empty
   */
  public boolean isEmpty() {
    return tail == head;
  }

  /**
   * Adds {@code o} at the end.
   *
   * @param o a callback or a task
   */
  public void add(Object o) {
    Object[] a = items;
    if (tail - head == a.length) {
      a = resize(a.length * 2);
    }
    a[tail++ & (a.length - 1)] = o;
  }

  /**
   * Takes the first item.
   *
   * @return the first item, or null if empty
   */
  public Object poll() {
    if (head == tail) {
      return null;
    }
    Object[] a = items;
    int i = head++ & (a.length - 1);
    Object o = a[i];
    a[i] = null;
    if (head == tail && a.length > MIN_CAPACITY * 64) {
      items = new Object[MIN_CAPACITY]; // drained after a burst: give the memory back
      head = tail = 0;
    }
    return o;
  }

  /** Drops every item. */
  public void clear() {
    Arrays.fill(items, null);
    head = tail = 0;
  }

  private Object[] resize(int capacity) {
    Object[] a = items;
    Object[] b = new Object[capacity];
    int n = tail - head;
    for (int k = 0; k < n; k++) {
      b[k] = a[(head + k) & (a.length - 1)];
    }
    items = b;
    head = 0;
    tail = n;
    return b;
  }
}
