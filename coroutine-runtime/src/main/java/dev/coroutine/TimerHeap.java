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
 * <p>Sleeping tasks whose {@code sleep(d)} keeps the order are a third source, the {@link Sleepers}
 * list through the tasks themselves (no timer object, no slot): the earliest timer is the earliest
 * of the three.
 *
 * <p>The run is two parallel rings, deadlines and entries. Positions are kept in {@link
 * TimerEntry#heapIndex}: {@code i >= 0} in the heap, {@code -2 - (j & RUN_INDEX_BITS)} at index
 * {@code j} of the run, {@link TimerEntry#NOT_SCHEDULED} in neither. Run indexes are unmasked (slot
 * {@code j & (capacity - 1)}) and only ever grow, so growing the rings moves no entry to another
 * index: a resize copies the slots and touches no entry (a million sleepers are not all written
 * again). An entry removed from the middle of the run leaves a null slot, skipped when the run's
 * head reaches it; when such slots outnumber the live entries the run is compacted, so cancelled
 * timers behind a long-lived one (a pending one-hour timer, then millions of cancelled timeouts) do
 * not keep their slots.
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
   * The run's entries: a ring whose capacity is a power of two; live entries or null slots in
   * [head, tail).
   */
  private TimerEntry[] run = new TimerEntry[MIN_CAPACITY];

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
  private long runSeq;

  /** Number of live entries in the run (slots in [head, tail) that are not null). */
  private int runSize;

  /** The sleeping tasks that keep no timer entry. */
  private final Sleepers sleepers = new Sleepers();

  int size() {
    return heapSize + runSize + sleepers.size();
  }

  /** The deadline of the earliest entry or sleeper; the queue must not be empty. */
  long firstWhen() {
    TimerEntry e = firstEntry();
    return e == null || (sleepers.size() > 0 && sleepers.firstBefore(e))
        ? sleepers.firstWhen()
        : e.when;
  }

  /** The earliest entry (a TimerEntry or a sleeping Task), or null if there is none. */
  Object peek() {
    TimerEntry e = firstEntry();
    return e == null || (sleepers.size() > 0 && sleepers.firstBefore(e)) ? sleepers.first() : e;
  }

  /** The earliest timer entry, of the run or the heap, or null. */
  private TimerEntry firstEntry() {
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
    sleepers.entryScheduled(e.when);
    if (!appendIfInOrder(e, e.when, e.seq)) { // earlier than the run's last entry, or it is full
      if (heapSize == heap.length) {
        heap = Arrays.copyOf(heap, heapSize * 2);
      }
      siftUp(heapSize++, e);
    }
  }

  /** A task sleeping until {@code when} may join the {@link Sleepers} (else it needs an entry). */
  boolean takesSleeper(long when) {
    return sleepers.takes(when);
  }

  /**
   * Adds {@code t}, sleeping until {@code when}, to the {@link Sleepers}, which {@link
   * #takesSleeper} it. The task must be in no list (out of the loop's live tasks).
   *
   * @param seq its sequence, from the same counter as the entries'
   */
  void addSleeper(Task<?> t, long when, long seq) {
    sleepers.add(t, when, seq);
  }

  /**
   * Removes and returns the earliest entry or sleeper if it is due at {@code end}, else null. A
   * sleeper taken out is {@link Sleepers#DUE}, in no list.
   */
  Object pollDue(long end) {
    TimerEntry e = firstEntry();
    if (sleepers.size() > 0 && (e == null || sleepers.firstBefore(e))) {
      return sleepers.firstWhen() > end ? null : sleepers.poll();
    }
    if (e == null || e.when > end) {
      return null;
    }
    remove(e);
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
   * Takes {@code t}, added by {@link #addSleeper}, out of the sleepers (in no list then); false if
   * it is not there (it is due, or the timers were cleared).
   */
  boolean removeSleeper(Task<?> t) {
    return sleepers.remove(t);
  }

  /** Number of the {@link Sleepers}. */
  int sleeperCount() {
    return sleepers.size();
  }

  /** The sleepers in order, see {@link Sleepers#first()}. */
  Task<?> firstSleeper() {
    return sleepers.first();
  }

  /** Every sleeper's deadline (see {@link Sleepers#deadlines}). */
  java.util.Map<Task<?>, Long> sleeperDeadlines(boolean racy) {
    return sleepers.deadlines(racy);
  }

  /** Empties the timers; each sleeper (then {@link Sleepers#DUE}) goes to {@code sleeperOut}. */
  void clear(java.util.function.Consumer<Task<?>> sleeperOut) {
    sleepers.clear(sleeperOut);
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

  private boolean appendIfInOrder(TimerEntry e, long when, long seq) {
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
    TimerEntry[] r = run;
    if (tail - head == r.length) {
      r = resizeRun(r.length * 2);
    }
    int index = tail++;
    int slot = index & (r.length - 1);
    r[slot] = e;
    runWhen[slot] = when;
    e.heapIndex = -2 - (index & RUN_INDEX_BITS);
    lastWhen = when;
    lastWhenClosed = false;
    runSize++;
    return true;
  }

  /** Empties the slot of {@code e} at run position {@code position}, if {@code e} is there. */
  private boolean removeFromRun(TimerEntry e, int position) {
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
    TimerEntry[] r = run;
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
    TimerEntry[] r = run;
    long[] w = runWhen;
    int capacity = MIN_CAPACITY;
    while (capacity < runSize * 2 && capacity < MAX_RUN_CAPACITY) {
      capacity <<= 1;
    }
    TimerEntry[] b = new TimerEntry[capacity];
    long[] bw = new long[capacity];
    int mask = r.length - 1;
    int k = 0;
    for (int j = head; j != tail; j++) {
      TimerEntry e = r[j & mask];
      if (e != null) {
        b[k] = e;
        bw[k] = w[j & mask];
        e.heapIndex = -2 - k;
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
      run = new TimerEntry[MIN_CAPACITY]; // drained after a burst: give the memory back
      runWhen = new long[MIN_CAPACITY];
    }
  }

  /** Copies the run to rings of {@code capacity}: each index keeps its entry (and null slots). */
  private TimerEntry[] resizeRun(int capacity) {
    TimerEntry[] r = run;
    long[] w = runWhen;
    TimerEntry[] b = new TimerEntry[capacity];
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
