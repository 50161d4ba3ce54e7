package dev.coroutine;

/**
 * An entry of the loop's timer heap: a timer {@link Handle}, or a task's sleep. Entries are ordered
 * by deadline, then by the order they were scheduled (FIFO for equal deadlines).
 */
abstract class TimerEntry {
  /** Deadline in loop nanoseconds; before scheduling a sleep it holds the delay. */
  long when;

  /**
   * Scheduling order, breaks ties between equal deadlines: a long, so that it never wraps around
   * (an int did after 2^31 timers, and a sleeper waiting since then came after later entries).
   */
  long seq;

  /** {@link #heapIndex} of an entry that is not scheduled. */
  static final int NOT_SCHEDULED = -1;

  /** Position in the loop's timers (see {@link TimerHeap}), or {@link #NOT_SCHEDULED}. */
  int heapIndex = NOT_SCHEDULED;

  /** True while the entry waits in the loop's timers. */
  final boolean isScheduled() {
    return heapIndex != NOT_SCHEDULED;
  }

  /** Called on the loop thread when the deadline passes: puts the work on the ready queue. */
  abstract void fire(LoopCore loop);

  final boolean before(TimerEntry o) {
    return when < o.when || (when == o.when && seq - o.seq < 0);
  }
}
