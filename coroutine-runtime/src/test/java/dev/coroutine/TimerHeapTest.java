package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The timer queue against a reference (a sorted set by deadline, then sequence): seeded random
 * operations that mix growing deadlines (the FIFO run), earlier ones (the heap), equal ones (FIFO
 * ties), removals anywhere, and bursts that grow and drain both structures.
 */
class TimerHeapTest {

  /** A bare timer entry. */
  static final class Entry extends TimerEntry {
    final int id;

    Entry(int id, long when, int seq) {
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

  @Test
  void randomOperations_matchASortedSet() {
    for (long seed = 1; seed <= 200; seed++) {
      runSeed(seed);
    }
  }

  private static void runSeed(long seed) {
    Random rnd = new Random(seed);
    TimerHeap q = new TimerHeap();
    TreeSet<Entry> ref = new TreeSet<>((a, b) -> a.before(b) ? -1 : b.before(a) ? 1 : 0);
    List<Entry> live = new ArrayList<>();
    int seq = Integer.MAX_VALUE - 500; // sequence numbers wrap around in the middle of the run
    long clock = 0;
    int ops = 2_000 + rnd.nextInt(3_000);
    for (int k = 0; k < ops; k++) {
      int op = rnd.nextInt(100);
      if (op < 50) {
        long when;
        switch (rnd.nextInt(4)) {
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
          default:
            when = clock + 500 - rnd.nextInt(20); // a little earlier than the run's tail
        }
        Entry e = new Entry(k, when, seq++);
        q.add(e);
        ref.add(e);
        live.add(e);
        assertThat(e.isScheduled()).isTrue();
      } else if (op < 70 && !live.isEmpty()) {
        Entry e = live.remove(rnd.nextInt(live.size()));
        q.remove(e);
        ref.remove(e);
        assertThat(e.isScheduled()).as("seed %d", seed).isFalse();
        q.remove(e); // removing twice is harmless
      } else if (op < 95 && !ref.isEmpty()) {
        Entry expected = ref.pollFirst();
        assertThat(q.peek()).as("seed %d op %d", seed, k).isSameAs(expected);
        assertThat(q.poll()).isSameAs(expected);
        assertThat(expected.isScheduled()).isFalse();
        live.remove(expected);
      } else {
        // drain everything in order, as a loop whose clock jumped far ahead
        while (!ref.isEmpty()) {
          Entry expected = ref.pollFirst();
          assertThat(q.poll()).as("seed %d drain", seed).isSameAs(expected);
        }
        live.clear();
      }
      assertThat(q.size()).as("seed %d size", seed).isEqualTo(ref.size());
      if (ref.isEmpty()) {
        assertThat(q.peek()).isNull();
      } else {
        assertThat(q.peek()).as("seed %d peek after op %d", seed, k).isSameAs(ref.first());
      }
    }
    List<Entry> left = new ArrayList<>(live);
    q.clear();
    assertThat(q.size()).isZero();
    assertThat(q.peek()).isNull();
    for (Entry e : left) {
      assertThat(e.isScheduled()).isFalse();
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
    List<TimerEntry> polled = new ArrayList<>();
    while (q.size() > 0) {
      polled.add(q.poll());
    }
    assertThat(polled).containsExactlyElementsOf(expected);
  }
}
