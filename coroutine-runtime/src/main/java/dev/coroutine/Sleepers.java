package dev.coroutine;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Tasks sleeping in deadline order, in a list through their own {@link Task#prevLive} and {@link
 * Task#nextLive} (a sleeping task leaves the loop's list of live tasks for this one, see {@link
 * EventLoop#pendingTasks()}), each with its deadline as the gap from the one before it in {@link
 * Task#suspendedAt}: a sleeper costs no memory beside its task (W3 of the benchmarks: a million
 * sleepers). Only sleeps that keep the order join (every {@code sleep(1 s)} started after the one
 * before it); others get a timer entry ({@link Sleep}) in the {@link TimerHeap}.
 *
 * <p>Gaps over {@link Integer#MAX_VALUE} nanoseconds (2.1 s between two consecutive sleepers, or
 * two merged by a removal between them) are kept in {@link #far}, the task's slot saying {@link
 * #FAR}.
 *
 * <p>Order among equal deadlines, with the timer entries (which carry a sequence): a sleeper comes
 * after the entries scheduled before the list began ({@link #seq}) and before those scheduled
 * since. That holds because a sleep joins only if its deadline is later than every entry's
 * scheduled since the list began ({@link #entriesSince}): no entry scheduled since then ties with a
 * later sleeper.
 */
final class Sleepers {
  /** {@link Task#suspendedAt} of a sleeper whose gap from the one before is in {@link #far}. */
  static final int FAR = -1;

  /**
   * {@link Task#suspendedAt} of a task taken out of the list because its deadline passed: it sleeps
   * no more but has not resumed yet ({@link Task#waitingOn} is still {@link Sleep#SLEEPING}).
   */
  static final int DUE = -2;

  /** The earliest sleeper, or null. */
  private Task<?> head;

  /** The latest sleeper, or null. */
  private Task<?> tail;

  /** Deadlines of {@link #head} and {@link #tail}. */
  private long headWhen, tailWhen;

  /** Number of sleepers in the list. */
  private int size;

  /** Timer sequence at which the list began (the first sleeper joined an empty list). */
  private long seq;

  /** Latest deadline of the timer entries scheduled since the list began. */
  private long entriesSince = Long.MIN_VALUE;

  /** Gaps that do not fit a task's slot, by task; null while there are none. */
  private IdentityHashMap<Task<?>, Long> far;

  int size() {
    return size;
  }

  /** The earliest sleeper, or null. */
  Task<?> first() {
    return head;
  }

  /** The deadline of {@link #first()}; the list must not be empty. */
  long firstWhen() {
    return headWhen;
  }

  /** The first sleeper, due at {@link #firstWhen()}, comes before entry {@code e}. */
  boolean firstBefore(TimerEntry e) {
    return headWhen < e.when || (headWhen == e.when && e.seq - seq > 0);
  }

  /** A timer entry due at {@code when} was scheduled: later sleeps must not tie with it. */
  void entryScheduled(long when) {
    if (size > 0 && when > entriesSince) {
      entriesSince = when;
    }
  }

  /** A sleep until {@code when} keeps the order (see the class comment). */
  boolean takes(long when) {
    return tail == null || (when >= tailWhen && when > entriesSince);
  }

  /**
   * Appends {@code t}, sleeping until {@code when}, which {@link #takes}; the task must be in no
   * list.
   *
   * @param seq its sequence, from the counter of the timer entries'
   */
  void add(Task<?> t, long when, long seq) {
    Task<?> last = tail;
    if (last == null) {
      this.seq = seq;
      head = tail = t;
      headWhen = tailWhen = when;
      t.prevLive = t.nextLive = null;
      t.suspendedAt = 0;
      size = 1;
      return;
    }
    setGap(t, when - tailWhen);
    t.prevLive = last;
    t.nextLive = null;
    last.nextLive = t;
    tail = t;
    tailWhen = when;
    size++;
  }

  /** Takes the first sleeper out (it becomes {@link #DUE}); the list must not be empty. */
  Task<?> poll() {
    Task<?> t = head;
    Task<?> n = t.nextLive;
    if (n == null) {
      reset();
    } else {
      headWhen += gap(n);
      n.suspendedAt = 0; // the head's slot is not read: headWhen says it
      n.prevLive = null;
      head = n;
      size--;
    }
    t.nextLive = null;
    t.suspendedAt = DUE;
    return t;
  }

  /**
   * Takes {@code t} out of the list, if it is there; false if it is not (its deadline passed, or
   * the list was cleared).
   */
  boolean remove(Task<?> t) {
    if (t == head) {
      poll();
      return true;
    }
    if (t.suspendedAt == DUE || t.prevLive == null) {
      return false;
    }
    long gap = gap(t);
    Task<?> p = t.prevLive;
    Task<?> n = t.nextLive;
    p.nextLive = n;
    if (n != null) {
      n.prevLive = p;
      setGap(n, gap + gap(n));
    } else {
      tail = p;
      tailWhen -= gap;
    }
    t.prevLive = t.nextLive = null;
    t.suspendedAt = DUE;
    size--;
    return true;
  }

  /**
   * Every sleeper's deadline, in one walk; the loop's thread, or another's with {@code racy}: then
   * a list changing meanwhile may give a partial map or throw.
   */
  Map<Task<?>, Long> deadlines(boolean racy) {
    IdentityHashMap<Task<?>, Long> m = new IdentityHashMap<>();
    long when = headWhen;
    int steps = size;
    for (Task<?> t = head; t != null && (!racy || steps-- > 0); t = t.nextLive) {
      if (t != head) {
        when += gap(t, false);
      }
      m.put(t, when);
    }
    return m;
  }

  /** Empties the list: each sleeper becomes {@link #DUE}, and is handed to {@code out}. */
  void clear(java.util.function.Consumer<Task<?>> out) {
    while (head != null) {
      out.accept(poll());
    }
  }

  private void reset() {
    head = tail = null;
    size = 0;
    entriesSince = Long.MIN_VALUE;
    far = null;
  }

  private long gap(Task<?> t) {
    return gap(t, true);
  }

  /** The gap of {@code t} from the sleeper before it; {@code take}: and forget a far one. */
  private long gap(Task<?> t, boolean take) {
    int g = t.suspendedAt;
    if (g != FAR) {
      return g;
    }
    Long v = take ? far.remove(t) : far.get(t);
    return v;
  }

  private void setGap(Task<?> t, long gap) {
    if (gap <= Integer.MAX_VALUE) {
      t.suspendedAt = (int) gap;
    } else {
      if (far == null) {
        far = new IdentityHashMap<>();
      }
      far.put(t, gap);
      t.suspendedAt = FAR;
    }
  }
}
