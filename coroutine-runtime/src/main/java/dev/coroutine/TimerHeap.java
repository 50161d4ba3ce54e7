package dev.coroutine;

import java.util.Arrays;

/** A binary min-heap of {@link TimerEntry}, with O(log n) removal of a cancelled entry. */
final class TimerHeap {
  /** The heap array; entries [0, size) are live. */
  private TimerEntry[] heap = new TimerEntry[64];
  /** Number of live entries. */
  private int size;

  int size() {
    return size;
  }

  TimerEntry peek() {
    return size == 0 ? null : heap[0];
  }

  void add(TimerEntry e) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    int i = size++;
    siftUp(i, e);
  }

  TimerEntry poll() {
    TimerEntry top = heap[0];
    removeAt(0);
    return top;
  }

  void remove(TimerEntry e) {
    int i = e.heapIndex;
    if (i >= 0 && i < size && heap[i] == e) {
      removeAt(i);
    }
  }

  void clear() {
    for (int i = 0; i < size; i++) {
      heap[i].heapIndex = -1;
      heap[i] = null;
    }
    size = 0;
  }

  private void removeAt(int i) {
    TimerEntry removed = heap[i];
    removed.heapIndex = -1;
    int last = --size;
    TimerEntry moved = heap[last];
    heap[last] = null;
    if (i != last) {
      siftDown(i, moved);
      if (heap[i] == moved) {
        siftUp(i, moved);
      }
    }
    if (heap.length > 64 && size < heap.length / 4) {
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
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      TimerEntry c = heap[child];
      int right = child + 1;
      if (right < size && heap[right].before(c)) {
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
