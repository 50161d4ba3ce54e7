package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The timer queue against a reference (a sorted set by deadline, then sequence): seeded random
 * operations that mix growing deadlines (the FIFO run), earlier ones (the heap), equal ones (FIFO
 * ties), removals anywhere, and bursts that grow and drain both structures; among the entries,
 * sleeping tasks that wait in the {@link Sleepers} without a timer entry of their own (and, where
 * those do not take them, an entry, as {@code Sleep} does), with gaps between them that need more
 * than an int of nanoseconds.
 */
class TimerHeapTest {

  /** A bare timer entry. */
  static final class Entry extends TimerEntry {
    final int id;

    Entry(int id, long when, long seq) {
      this.id = id;
      this.when = when;
      this.seq = seq;
    }

    @Override
    void fire(LoopCore loop) {}

    @Override
    public String toString() {
      return "#" + id + "@" + when + "/" + seq;
    }
  }

  /** What the reference holds: an entry or a sleeping task, with its deadline and sequence. */
  private static final class Ref {
    final Object item;
    final long when;
    final long seq;

    Ref(Object item, long when, long seq) {
      this.item = item;
      this.when = when;
      this.seq = seq;
    }
  }

  private static int order(Ref a, Ref b) {
    return a.when != b.when ? Long.compare(a.when, b.when) : Long.compare(a.seq, b.seq);
  }

  @Test
  void randomOperations_matchASortedSet() {
    EventLoop loop = new EventLoop();
    try {
      List<Task<?>> tasks = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        Task<?> t = loop.createTask(Coroutines.done()); // never run: only its fields are used
        loop.unlinkTask(t); // a sleeper is in no other list
        tasks.add(t);
      }
      for (long seed = 1; seed <= 200; seed++) {
        runSeed(seed, tasks);
      }
    } finally {
      loop.close();
    }
  }

  private static boolean scheduled(TimerHeap q, Object item) {
    return item instanceof Task
        ? q.sleeperDeadlines(false).containsKey(item)
        : ((TimerEntry) item).isScheduled();
  }

  private static void runSeed(long seed, List<Task<?>> tasks) {
    Random rnd = new Random(seed);
    TimerHeap q = new TimerHeap();
    TreeSet<Ref> ref = new TreeSet<>(TimerHeapTest::order);
    List<Ref> live = new ArrayList<>();
    List<Task<?>> idle = new ArrayList<>(tasks); // tasks not sleeping now
    long seq = Integer.MAX_VALUE - 500L; // past an int in the middle of the run (no wrap-around)
    long clock = 0;
    int ops = 2_000 + rnd.nextInt(3_000);
    for (int k = 0; k < ops; k++) {
      int op = rnd.nextInt(100);
      if (op < 50) {
        long when;
        switch (rnd.nextInt(5)) {
          case 0:
            when = clock + 1_000; // same delay as the others: the run
            clock += rnd.nextInt(3);
            break;
          case 1:
            when = clock + rnd.nextInt(2_000); // anything
            break;
          case 2:
            when = clock; // ties
            break;
          case 3:
            // gaps that do not fit an int of nanoseconds, alone or once merged by a removal
            when = clock + 1_000 + rnd.nextInt(3) * 1_500_000_000L;
            break;
          default:
            when = clock + 500 - rnd.nextInt(20); // a little earlier than the run's tail
        }
        long s = seq++;
        Object item;
        if (rnd.nextBoolean() && !idle.isEmpty()) {
          Task<?> t = idle.remove(idle.size() - 1);
          if (q.takesSleeper(when)) {
            q.addSleeper(t, when, s);
            item = t;
          } else {
            idle.add(t); // the run does not take it: a timer entry in the heap, as Sleep's
            Entry e = new Entry(k, when, s);
            q.add(e);
            item = e;
          }
        } else {
          Entry e = new Entry(k, when, s);
          q.add(e);
          item = e;
        }
        Ref r = new Ref(item, when, s);
        ref.add(r);
        live.add(r);
        assertThat(scheduled(q, item)).isTrue();
      } else if (op < 70 && !live.isEmpty()) {
        Ref r = live.remove(rnd.nextInt(live.size()));
        remove(q, r.item, idle);
        ref.remove(r);
        assertThat(scheduled(q, r.item)).as("seed %d", seed).isFalse();
        if (r.item instanceof TimerEntry) {
          q.remove((TimerEntry) r.item); // removing twice is harmless
        } else {
          assertThat(q.removeSleeper((Task<?>) r.item)).isFalse();
        }
      } else if (op < 95 && !ref.isEmpty()) {
        Ref expected = ref.pollFirst();
        assertThat(q.firstWhen()).isEqualTo(expected.when);
        assertThat(q.peek()).as("seed %d op %d", seed, k).isSameAs(expected.item);
        if (rnd.nextBoolean()) {
          assertThat(q.poll()).isSameAs(expected.item);
        } else { // as the loop takes due timers
          assertThat(q.pollDue(expected.when - 1)).as("not due yet").isNull();
          assertThat(q.pollDue(expected.when)).isSameAs(expected.item);
        }
        assertThat(scheduled(q, expected.item)).isFalse();
        live.remove(expected);
        release(expected.item, idle);
      } else {
        // drain everything in order, as a loop whose clock jumped far ahead
        while (!ref.isEmpty()) {
          Ref expected = ref.pollFirst();
          assertThat(q.poll()).as("seed %d drain", seed).isSameAs(expected.item);
          release(expected.item, idle);
        }
        live.clear();
      }
      assertThat(q.size()).as("seed %d size", seed).isEqualTo(ref.size());
      if (k % 16 == 0) {
        Map<Task<?>, Long> deadlines = q.sleeperDeadlines(false);
        for (Ref r : ref) {
          if (r.item instanceof Task) {
            assertThat(deadlines.get(r.item)).as("seed %d deadline", seed).isEqualTo(r.when);
          }
        }
      }
      if (ref.isEmpty()) {
        assertThat(q.peek()).isNull();
      } else {
        assertThat(q.peek()).as("seed %d peek after op %d", seed, k).isSameAs(ref.first().item);
      }
    }
    List<Ref> left = new ArrayList<>(live);
    List<Task<?>> cleared = new ArrayList<>();
    q.clear(cleared::add);
    assertThat(cleared)
        .containsExactlyElementsOf(
            ref.stream()
                .filter(r -> r.item instanceof Task)
                .map(r -> (Task<?>) r.item)
                .collect(Collectors.toList()));
    assertThat(q.size()).isZero();
    assertThat(q.peek()).isNull();
    for (Ref r : left) {
      assertThat(scheduled(q, r.item)).isFalse();
      release(r.item, idle);
    }
  }

  private static void remove(TimerHeap q, Object item, List<Task<?>> idle) {
    if (item instanceof Task) {
      assertThat(q.removeSleeper((Task<?>) item)).isTrue();
    } else {
      q.remove((TimerEntry) item);
    }
    release(item, idle);
  }

  private static void release(Object item, List<Task<?>> idle) {
    if (item instanceof Task) {
      idle.add((Task<?>) item);
    }
  }

  /**
   * A sleeper waiting while more than 2^31 timers are scheduled still comes before a later entry of
   * its deadline (sequences were ints: after 2^31 of them the comparison wrapped, and entries
   * scheduled later ran before older sleepers; found by an outside review).
   */
  @Test
  void aSleeperOlderThan2To31Timers_comesBeforeALaterEntryOfItsDeadline() {
    EventLoop loop = new EventLoop();
    try {
      Task<?> older = loop.createTask(Coroutines.done());
      loop.unlinkTask(older);
      TimerHeap q = new TimerHeap();
      Entry before = new Entry(2, 100, 4); // scheduled before the sleepers began
      q.add(before);
      q.addSleeper(older, 100, 5);
      Entry e = new Entry(1, 100, 5 + (1L << 31) + 10);
      q.add(e);
      assertThat(q.poll()).isSameAs(before);
      assertThat(q.poll()).isSameAs(older);
      assertThat(q.poll()).isSameAs(e);
    } finally {
      loop.close();
    }
  }

  @Test
  void aMillionGrowingDeadlines_fireInOrder_andRemovalsInTheMiddleAreSkipped() {
    TimerHeap q = new TimerHeap();
    List<Entry> all = new ArrayList<>();
    for (int i = 0; i < 1_000_000; i++) {
      Entry e = new Entry(i, 1_000 + i / 10, i); // ten per deadline: ties broken by sequence
      q.add(e);
      all.add(e);
    }
    for (int i = 3; i < all.size(); i += 7) {
      q.remove(all.get(i));
    }
    int expectedSize = 1_000_000 - (1_000_000 - 3 + 6) / 7;
    assertThat(q.size()).isEqualTo(expectedSize);
    int previous = -1;
    int n = 0;
    while (q.size() > 0) {
      Entry e = (Entry) q.poll();
      assertThat(e.id % 7).isNotEqualTo(3);
      assertThat(e.id).isGreaterThan(previous);
      previous = e.id;
      n++;
    }
    assertThat(n).isEqualTo(expectedSize);
  }

  @Test
  void cancelledEntriesBehindALongLivedOne_areNotRetained() {
    TimerHeap q = new TimerHeap();
    Entry hour = new Entry(0, 3_600_000_000_000L, 0);
    q.add(hour); // the run's head for the whole test
    int seq = 1;
    for (int wave = 0; wave < 1_000; wave++) {
      List<Entry> batch = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        Entry e = new Entry(seq, hour.when + seq, seq); // later deadlines: appended to the run
        seq++;
        q.add(e);
        batch.add(e);
      }
      for (Entry e : batch) {
        q.remove(e); // cancelled, as a waitFor's timeout when the work finished first
        assertThat(e.isScheduled()).isFalse();
      }
      assertThat(q.size()).isEqualTo(1);
      assertThat(q.runCapacity()).isLessThanOrEqualTo(4_096); // not a million slots
    }
    assertThat(q.peek()).isSameAs(hour);
    Entry last = new Entry(-1, hour.when + seq, seq);
    q.add(last);
    assertThat(q.poll()).isSameAs(hour);
    assertThat(q.poll()).isSameAs(last);
    assertThat(q.size()).isZero();
  }

  @Test
  void compaction_keepsOrderAndPositions_ofSurvivors() {
    TimerHeap q = new TimerHeap();
    List<Entry> all = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      Entry e = new Entry(i, 1_000L + i, i);
      q.add(e);
      all.add(e);
    }
    List<Entry> kept = new ArrayList<>();
    for (Entry e : all) {
      if (e.id % 7 == 0) {
        kept.add(e);
      } else {
        q.remove(e); // compacts several times on the way
      }
    }
    assertThat(q.runCapacity()).isLessThan(10_000);
    for (int k = 0; k < kept.size(); k += 3) {
      q.remove(kept.get(k)); // positions rewritten by compaction must still find the entries
      assertThat(kept.get(k).isScheduled()).isFalse();
    }
    List<Entry> expected = new ArrayList<>();
    for (int k = 0; k < kept.size(); k++) {
      if (k % 3 != 0) {
        expected.add(kept.get(k));
      }
    }
    List<Object> polled = new ArrayList<>();
    while (q.size() > 0) {
      polled.add(q.poll());
    }
    assertThat(polled).containsExactlyElementsOf(expected);
  }
}
