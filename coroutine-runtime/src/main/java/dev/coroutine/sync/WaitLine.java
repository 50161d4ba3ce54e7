package dev.coroutine.sync;

import dev.coroutine.Task;

/**
 * The tasks waiting in one line of a primitive (a queue's getters or putters), oldest first, each
 * with a datum (a put's item). A ring of (task, datum) pairs: adding and taking the oldest allocate
 * nothing once the ring has grown.
 *
 * <p>Invariant: the first {@link #woken} entries are the tasks woken and not yet run (woken in line
 * order), the others wait; a task appears at most once.
 */
final class WaitLine {
  /** Pairs (task, datum) from {@link #head}, {@link #count} of them, wrapping around. */
  private Object[] ring = new Object[8];

  /** Index of the first pair's task. */
  private int head;

  /** Pairs in the line. */
  private int count;

  /** The first this many pairs were woken. */
  private int woken;

  /** The datum of the pair {@link #remove} took out last. */
  Object lastDatum;

  /** Tasks waiting and not woken. */
  int waiting() {
    return count - woken;
  }

  /** True if no task is in the line, woken or not. */
  boolean isEmpty() {
    return count == 0;
  }

  void add(Task<?> t, Object datum) {
    if (2 * count == ring.length) {
      grow();
    }
    int i = (head + 2 * count) & (ring.length - 1);
    ring[i] = t;
    ring[i + 1] = datum;
    count++;
  }

  /** The first waiting task, not woken yet, or null: marks it woken. */
  Task<?> wakeNext() {
    if (woken == count) {
      return null;
    }
    Task<?> t = (Task<?>) ring[slot(woken)];
    woken++;
    return t;
  }

  /** Marks every waiting task woken; returns how many were waiting. */
  int wakeAll() {
    int n = count - woken;
    woken = count;
    return n;
  }

  /**
   * Takes {@code t} out of the line if it waits and was not woken: true if it did; false (the line
   * unchanged) if {@code t} was woken or is not in the line.
   */
  boolean removeIfWaiting(Task<?> t) {
    int k = indexOf(t);
    if (k < woken) {
      return false; // woken (or absent: -1)
    }
    remove(t);
    return true;
  }

  /** The task of pair {@code k} (0: the oldest). */
  Task<?> task(int k) {
    return (Task<?>) ring[slot(k)];
  }

  /**
   * Takes {@code t} out of the line: 1 if it had been woken, 0 if it was waiting, -1 if it is not
   * in the line. Its datum is left in {@link #lastDatum}.
   */
  int remove(Task<?> t) {
    int k = indexOf(t);
    if (k < 0) {
      return -1;
    }
    int s = slot(k);
    lastDatum = ring[s + 1];
    boolean wasWoken = k < woken;
    if (k == 0) {
      ring[s] = null;
      ring[s + 1] = null;
      head = (head + 2) & (ring.length - 1);
    } else {
      for (int j = k; j < count - 1; j++) { // close the gap: later pairs move one forward
        int to = slot(j);
        int from = slot(j + 1);
        ring[to] = ring[from];
        ring[to + 1] = ring[from + 1];
      }
      int last = slot(count - 1);
      ring[last] = null;
      ring[last + 1] = null;
    }
    count--;
    if (wasWoken) {
      woken--;
    }
    return wasWoken ? 1 : 0;
  }

  private int indexOf(Task<?> t) {
    for (int k = 0; k < count; k++) { // woken ones first: a resuming task is found at once
      if (ring[slot(k)] == t) {
        return k;
      }
    }
    return -1;
  }

  private int slot(int k) {
    return (head + 2 * k) & (ring.length - 1);
  }

  private void grow() {
    Object[] bigger = new Object[ring.length * 2];
    for (int k = 0; k < count; k++) {
      int s = slot(k);
      bigger[2 * k] = ring[s];
      bigger[2 * k + 1] = ring[s + 1];
    }
    ring = bigger;
    head = 0;
  }
}
