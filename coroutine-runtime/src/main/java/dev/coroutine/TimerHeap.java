package dev.coroutine;

import java.util.Arrays;

/**
 * The loop's timers in deadline order: a binary min-heap with O(log n) removal, plus a FIFO run for
 * the common case of deadlines that only grow (every {@code sleep(1 s)} started after the previous
 * one ends no sooner). An entry that is no earlier than the run's last one is appended to the run,
 * and the earliest timer is the first of the run or the top of the heap. Firing from the run is a
 * read and an increment instead of a sift-down through a heap of a million entries, each step of
 * which touches another entry's memory.
 *
 * <p>The run is two parallel rings, deadlines and entries, and an entry there is a {@link
 * TimerEntry} or a sleeping {@link Task} itself: a task whose {@code sleep(d)} joins the run keeps
 * no timer object (12 bytes a sleeper in the rings instead of a 32-byte entry and its slot). Such a
 * task's place in the run is in its {@link Task#suspendedAt} while its {@link Task#waitingOn} is
 * {@link Sleep#SLEEPING}.
 *
 * <p>Positions are kept in {@link TimerEntry#heapIndex}: {@code i >= 0} in the heap, {@code -2 - (j
 * & RUN_INDEX_BITS)} at index {@code j} of the run, {@link TimerEntry#NOT_SCHEDULED} in neither (a
 * sleeping task keeps {@code j & RUN_INDEX_BITS}). Run indexes are unmasked (slot {@code j &
 * (capacity - 1)}) and only ever grow, so growing the rings moves no entry to another index: a
 * resize copies the slots and touches no entry (a million sleepers are not all written again). An
 * entry removed from the middle of the run leaves a null slot, skipped when the run's head reaches
 * it; when such slots outnumber the live entries the run is compacted, so cancelled timers behind a
 * long-lived one (a pending one-hour timer, then millions of cancelled timeouts) do not keep their
 * slots.
 *
 * <p>Equal deadlines fire in the order they were scheduled ({@link TimerEntry#seq}). Entries of the
 * run carry no sequence: the run is in scheduling order, and between the run and the heap the order
 * follows from when the run began ({@link #runSeq}). An entry goes to the heap only if it is
 * earlier than the run's last one (or ties with an entry that overflowed the full run), so no later
 * entry of the run can tie with a heap entry scheduled while the run was growing: such a heap entry
 * comes after every run entry of its deadline; one scheduled before the run began comes before them
 * all.
 */
final class TimerHeap {
  private static final int MIN_CAPACITY = 64;

  /**
   * The low bits of a run index kept in an entry: the ring's capacity never exceeds 2^30, so these
   * bits give the slot, and the encoded position stays negative whatever the unmasked index.
   */
  private static final int RUN_INDEX_BITS = (1 << 30) - 1;

  /** The run's largest ring; past it entries go to the heap (which has no such limit). */
  private static final int MAX_RUN_CAPACITY = RUN_INDEX_BITS + 1;

  /** The heap array; entries [0, heapSize) are live. */
  private TimerEntry[] heap = new TimerEntry[MIN_CAPACITY];

  /** Number of entries in the heap. */
  private int heapSize;

  /**
   * The run's entries, {@link TimerEntry}s and sleeping {@link Task}s: a ring whose capacity is a
   * power of two; live entries or null slots in [head, tail).
   */
  private Object[] run = new Object[MIN_CAPACITY];

  /** The deadline of each slot of {@link #run}. */
  private long[] runWhen = new long[MIN_CAPACITY];

  /** Index (unmasked) of the run's first slot. */
  private int head;

  /** Index (unmasked) after the run's last slot. */
  private int tail;

  /** Deadline of the run's last entry added: an entry joins the run if not before. */
  private long lastWhen;

  /**
   * An entry due at {@link #lastWhen} went to the heap because the run was full: entries due then
   * must follow it there (the run takes only later ones), so equal deadlines keep their order.
   */
  private boolean lastWhenClosed;

  /** Sequence of the entry that began the run (appended while it was empty). */
  private int runSeq;

  /** Number of live entries in the run (slots in [head, tail) that are not null). */
  private int runSize;

  int size() {
    return heapSize + runSize;
  }

  /** The deadline of the earliest entry; the queue must not be empty. */
  long firstWhen() {
    if (runSize == 0) {
      return heap[0].when;
    }
    long r = runWhen[runHeadSlot()];
    return heapSize == 0 || runFirst(r, heap[0]) ? r : heap[0].when;
  }

  /** The earliest entry (a TimerEntry or a sleeping Task), or null if there is none. */
  Object peek() {
    if (runSize == 0) {
      return heapSize == 0 ? null : heap[0];
    }
    int slot = runHeadSlot();
    return heapSize == 0 || runFirst(runWhen[slot], heap[0]) ? run[slot] : heap[0];
  }

  /** The run's first entry, due at {@code when}, comes before the heap's top {@code h}. */
  private boolean runFirst(long when, TimerEntry h) {
    return when < h.when || (when == h.when && h.seq - runSeq > 0);
  }

  void add(TimerEntry e) {
    if (!appendIfInOrder(e, e.when, e.seq)) { // earlier than the run's last entry, or it is full
      if (heapSize == heap.length) {
        heap = Arrays.copyOf(heap, heapSize * 2);
      }
      siftUp(heapSize++, e);
    }
  }

  /**
   * Appends {@code t}, sleeping until {@code when}, to the run if its deadline keeps the run in
   * order (its place goes to {@link Task#suspendedAt}); false if it does not, and then the task
   * needs a timer entry in the heap.
   *
   * @param seq its sequence, from the same counter as the entries'
   */
  boolean addSleeper(Task<?> t, long when, int seq) {
    return appendIfInOrder(t, when, seq);
  }

  /** Removes and returns the earliest entry if it is due at {@code end}, else null. */
  Object pollDue(long end) {
    Object e;
    if (runSize == 0) {
      if (heapSize == 0 || heap[0].when > end) {
        return null;
      }
      e = heap[0];
    } else {
      int slot = runHeadSlot();
      long when = runWhen[slot];
      if (heapSize == 0 || runFirst(when, heap[0])) {
        if (when > end) {
          return null;
        }
        e = run[slot];
      } else {
        if (heap[0].when > end) {
          return null;
        }
        e = heap[0];
      }
    }
    if (e instanceof Task) {
      removeSleeper((Task<?>) e);
    } else {
      remove((TimerEntry) e);
    }
    return e;
  }

  /** Removes and returns the earliest entry; the queue must not be empty. */
  Object poll() {
    return pollDue(Long.MAX_VALUE);
  }

  void remove(TimerEntry e) {
    int i = e.heapIndex;
    if (i >= 0) {
      if (i < heapSize && heap[i] == e) {
        removeAt(i);
      }
    } else if (i != TimerEntry.NOT_SCHEDULED) {
      if (removeFromRun(e, -2 - i)) {
        e.heapIndex = TimerEntry.NOT_SCHEDULED;
      }
    }
  }

  /**
   * Takes {@code t}, added by {@link #addSleeper}, out of the run; false if it is not there (it
   * fired, or the timers were cleared).
   */
  boolean removeSleeper(Task<?> t) {
    return removeFromRun(t, t.suspendedAt);
  }

  /** The deadline of {@code t}, added by {@link #addSleeper}, or -1 if it is no longer there. */
  long sleeperWhen(Task<?> t) {
    Object[] r = run; // task dumps may read from another thread: one consistent pair, or -1
    long[] w = runWhen;
    int slot = t.suspendedAt & (r.length - 1);
    return r.length == w.length && r[slot] == t ? w[slot] : -1;
  }

  void clear() {
    for (int i = 0; i < heapSize; i++) {
      heap[i].heapIndex = TimerEntry.NOT_SCHEDULED;
      heap[i] = null;
    }
    heapSize = 0;
    for (int i = head; i != tail; i++) {
      Object e = run[i & (run.length - 1)];
      if (e instanceof TimerEntry) {
        ((TimerEntry) e).heapIndex = TimerEntry.NOT_SCHEDULED;
      }
    }
    Arrays.fill(run, null);
    runSize = 0;
    resetRun();
  }

  // ---- the run -----------------------------------------------------------------------------

  private boolean appendIfInOrder(Object e, long when, int seq) {
    if (runSize == 0) {
      runSeq = seq; // a new run: every heap entry was scheduled before it
    } else if (when < lastWhen || (when == lastWhen && lastWhenClosed)) {
      return false;
    }
    if (tail - head == MAX_RUN_CAPACITY && !(runSize < MAX_RUN_CAPACITY / 2 && compactRun())) {
      lastWhen = when; // full: this one goes to the heap, and the run takes only later ones
      lastWhenClosed = true;
      return false;
    }
    Object[] r = run;
    if (tail - head == r.length) {
      r = resizeRun(r.length * 2);
    }
    int index = tail++;
    int slot = index & (r.length - 1);
    r[slot] = e;
    runWhen[slot] = when;
    int position = index & RUN_INDEX_BITS;
    if (e instanceof TimerEntry) {
      ((TimerEntry) e).heapIndex = -2 - position;
    } else {
      ((Task<?>) e).suspendedAt = position;
    }
    lastWhen = when;
    lastWhenClosed = false;
    runSize++;
    return true;
  }

  /** Empties the slot of {@code e} at run position {@code position}, if {@code e} is there. */
  private boolean removeFromRun(Object e, int position) {
    int slot = position & (run.length - 1);
    if (run[slot] != e) {
      return false;
    }
    run[slot] = null;
    runSize--;
    if (runSize == 0) {
      resetRun();
    } else if (tail - head >= MIN_CAPACITY && tail - head - runSize > runSize) {
      compactRun(); // more than half the slots are removed entries: give them back
    } else {
      runHeadSlot(); // drop the null slots at the head
    }
    return true;
  }

  /** The slot of the run's first live entry, after dropping null slots at the head; runSize > 0. */
  private int runHeadSlot() {
    Object[] r = run;
    int mask = r.length - 1;
    while (r[head & mask] == null) {
      head++;
    }
    return head & mask;
  }

  /**
   * Moves the run's live entries to the front of a ring sized for them (their run indexes change):
   * a live entry at the head no longer keeps every removed slot behind it. Called when removed
   * slots outnumber live entries, so its cost, linear in the slots, is paid for by those removals
   * (asyncio compacts its heap at the same ratio). Returns true if it made room.
   */
  private boolean compactRun() {
    Object[] r = run;
    long[] w = runWhen;
    int capacity = MIN_CAPACITY;
    while (capacity < runSize * 2 && capacity < MAX_RUN_CAPACITY) {
      capacity <<= 1;
    }
    Object[] b = new Object[capacity];
    long[] bw = new long[capacity];
    int mask = r.length - 1;
    int k = 0;
    for (int j = head; j != tail; j++) {
      Object e = r[j & mask];
      if (e != null) {
        b[k] = e;
        bw[k] = w[j & mask];
        if (e instanceof TimerEntry) {
          ((TimerEntry) e).heapIndex = -2 - k;
        } else {
          ((Task<?>) e).suspendedAt = k;
        }
        k++;
      }
    }
    run = b;
    runWhen = bw;
    head = 0;
    tail = k;
    return k < capacity;
  }

  /** Slots in the run's ring (for tests: memory must come back after removals). */
  int runCapacity() {
    return run.length;
  }

  /** Slots in the heap array (for tests). */
  int heapCapacity() {
    return heap.length;
  }

  private void resetRun() {
    head = tail = 0;
    if (run.length > MIN_CAPACITY * 64) {
      run = new Object[MIN_CAPACITY]; // drained after a burst: give the memory back
      runWhen = new long[MIN_CAPACITY];
    }
  }

  /** Copies the run to rings of {@code capacity}: each index keeps its entry (and null slots). */
  private Object[] resizeRun(int capacity) {
    Object[] r = run;
    long[] w = runWhen;
    Object[] b = new Object[capacity];
    long[] bw = new long[capacity];
    int oldMask = r.length - 1;
    int newMask = capacity - 1;
    for (int j = head; j != tail; j++) {
      b[j & newMask] = r[j & oldMask];
      bw[j & newMask] = w[j & oldMask];
    }
    run = b;
    runWhen = bw;
    return b;
  }

  // ---- the heap ----------------------------------------------------------------------------

  private void removeAt(int i) {
    TimerEntry removed = heap[i];
    removed.heapIndex = TimerEntry.NOT_SCHEDULED;
    int lastIndex = --heapSize;
    TimerEntry moved = heap[lastIndex];
    heap[lastIndex] = null;
    if (i != lastIndex) {
      siftDown(i, moved);
      if (heap[i] == moved) {
        siftUp(i, moved);
      }
    }
    if (heap.length > MIN_CAPACITY && heapSize < heap.length / 4) {
      heap = Arrays.copyOf(heap, heap.length / 2);
    }
  }

  private void siftUp(int i, TimerEntry e) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      TimerEntry p = heap[parent];
      if (!e.before(p)) {
        break;
      }
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = e;
    e.heapIndex = i;
  }

  private void siftDown(int i, TimerEntry e) {
    int half = heapSize >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      TimerEntry c = heap[child];
      int right = child + 1;
      if (right < heapSize && heap[right].before(c)) {
        child = right;
        c = heap[child];
      }
      if (!c.before(e)) {
        break;
      }
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = e;
    e.heapIndex = i;
  }
}
