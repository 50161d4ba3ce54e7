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
 * <p>Positions are kept in {@link TimerEntry#heapIndex}: {@code i >= 0} in the heap, {@code -2 - (j
 * & RUN_INDEX_BITS)} at index {@code j} of the run, {@link TimerEntry#NOT_SCHEDULED} in neither.
 * Run indexes are unmasked (slot {@code j & (capacity - 1)}) and only ever grow, so growing the
 * ring moves no entry to another index: a resize copies the slots and touches no entry (a million
 * sleepers' entries are not all written again). An entry removed from the middle of the run leaves
 * a null slot, skipped when the run's head reaches it; when such slots outnumber the live entries
 * the run is compacted, so cancelled timers behind a long-lived one (a pending one-hour timer, then
 * millions of cancelled timeouts) do not keep their slots.
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
   * The run: a ring whose capacity is a power of two; live entries or null slots in [head, tail).
   */
  private TimerEntry[] run = new TimerEntry[MIN_CAPACITY];

  /** Index (unmasked) of the run's first slot. */
  private int head;

  /** Index (unmasked) after the run's last slot. */
  private int tail;

  /** Deadline and sequence of the run's last entry added: an entry joins the run if not before. */
  private long lastWhen;

  private int lastSeq;

  /** Number of live entries in the run (slots in [head, tail) that are not null). */
  private int runSize;

  int size() {
    return heapSize + runSize;
  }

  /** The earliest entry, or null if there is none. */
  TimerEntry peek() {
    TimerEntry r = runSize == 0 ? null : runHead();
    if (heapSize == 0) {
      return r;
    }
    TimerEntry h = heap[0];
    return r != null && r.before(h) ? r : h;
  }

  void add(TimerEntry e) {
    if ((runSize == 0 || e.when > lastWhen || (e.when == lastWhen && e.seq - lastSeq >= 0))
        && (tail - head < MAX_RUN_CAPACITY || (runSize < MAX_RUN_CAPACITY / 2 && compactRun()))) {
      append(e);
    } else { // earlier than the run's last entry, or the run is full: the heap
      if (heapSize == heap.length) {
        heap = Arrays.copyOf(heap, heapSize * 2);
      }
      siftUp(heapSize++, e);
    }
  }

  /** Removes and returns the earliest entry; the queue must not be empty. */
  TimerEntry poll() {
    TimerEntry e = peek();
    remove(e);
    return e;
  }

  void remove(TimerEntry e) {
    int i = e.heapIndex;
    if (i >= 0) {
      if (i < heapSize && heap[i] == e) {
        removeAt(i);
      }
    } else if (i != TimerEntry.NOT_SCHEDULED) {
      int slot = (-2 - i) & (run.length - 1);
      if (run[slot] == e) {
        run[slot] = null;
        e.heapIndex = TimerEntry.NOT_SCHEDULED;
        runSize--;
        if (runSize == 0) {
          resetRun();
        } else if (tail - head >= MIN_CAPACITY && tail - head - runSize > runSize) {
          compactRun(); // more than half the slots are removed entries: give them back
        } else {
          runHead(); // drop the null slots at the head
        }
      }
    }
  }

  void clear() {
    for (int i = 0; i < heapSize; i++) {
      heap[i].heapIndex = TimerEntry.NOT_SCHEDULED;
      heap[i] = null;
    }
    heapSize = 0;
    for (int i = head; i != tail; i++) {
      TimerEntry e = run[i & (run.length - 1)];
      if (e != null) {
        e.heapIndex = TimerEntry.NOT_SCHEDULED;
      }
    }
    Arrays.fill(run, null);
    runSize = 0;
    resetRun();
  }

  // ---- the run -----------------------------------------------------------------------------

  private void append(TimerEntry e) {
    TimerEntry[] r = run;
    if (tail - head == r.length) {
      r = resizeRun(r.length * 2);
    }
    int index = tail++;
    r[index & (r.length - 1)] = e;
    e.heapIndex = -2 - (index & RUN_INDEX_BITS);
    lastWhen = e.when;
    lastSeq = e.seq;
    runSize++;
  }

  /** The run's first live entry, after dropping null slots at the head; runSize must be > 0. */
  private TimerEntry runHead() {
    TimerEntry[] r = run;
    int mask = r.length - 1;
    TimerEntry e;
    while ((e = r[head & mask]) == null) {
      head++;
    }
    return e;
  }

  /**
   * Moves the run's live entries to the front of a ring sized for them (their run indexes change):
   * a live entry at the head no longer keeps every removed slot behind it. Called when removed
   * slots outnumber live entries, so its cost, linear in the slots, is paid for by those removals
   * (asyncio compacts its heap at the same ratio). Returns true if it made room.
   */
  private boolean compactRun() {
    TimerEntry[] r = run;
    int capacity = MIN_CAPACITY;
    while (capacity < runSize * 2 && capacity < MAX_RUN_CAPACITY) {
      capacity <<= 1;
    }
    TimerEntry[] b = new TimerEntry[capacity];
    int mask = r.length - 1;
    int k = 0;
    for (int j = head; j != tail; j++) {
      TimerEntry e = r[j & mask];
      if (e != null) {
        b[k] = e;
        e.heapIndex = -2 - k;
        k++;
      }
    }
    run = b;
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
      run = new TimerEntry[MIN_CAPACITY]; // drained after a burst: give the memory back
    }
  }

  /** Copies the run to a ring of {@code capacity}: each index keeps its entry (and null slots). */
  private TimerEntry[] resizeRun(int capacity) {
    TimerEntry[] r = run;
    TimerEntry[] b = new TimerEntry[capacity];
    int oldMask = r.length - 1;
    int newMask = capacity - 1;
    for (int j = head; j != tail; j++) {
      b[j & newMask] = r[j & oldMask];
    }
    run = b;
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
