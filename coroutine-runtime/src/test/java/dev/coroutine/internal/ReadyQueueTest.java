package dev.coroutine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Stress;
import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The loop's ring buffer against {@link ArrayDeque}, an oracle we did not write: random runs of
 * adds, polls, clears and bursts (through growth past the ring, and the shrink after a drained
 * burst of more than 64 minimal rings) give the same items in the same order. Each run is one seed,
 * named in a failure; the number of runs scales with {@code -Dcoroutine.stress.scale}.
 */
class ReadyQueueTest {

  @Test
  void randomOperations_agreeWithArrayDeque() {
    int runs = Stress.scaled(20);
    for (int seed = 0; seed < runs; seed++) {
      Random r = new Random(seed);
      ReadyQueue q = new ReadyQueue();
      ArrayDeque<Object> expected = new ArrayDeque<>();
      int next = 0;
      for (int step = 0; step < 2_000; step++) {
        int op = r.nextInt(100);
        if (op < 50) {
          Object o = "item " + next++;
          q.add(o);
          expected.add(o);
        } else if (op < 97) {
          assertThat(q.poll()).as("seed %d step %d: poll", seed, step).isSameAs(expected.poll());
        } else if (op < 99) {
          q.clear();
          expected.clear();
        } else {
          // a burst: up to 40,000 items (past 64 * 256, where a drained ring is given back),
          // then drained in part or in full
          int burst = r.nextInt(40_000);
          for (int i = 0; i < burst; i++) {
            Object o = "item " + next++;
            q.add(o);
            expected.add(o);
          }
          int drain = r.nextBoolean() ? expected.size() : r.nextInt(expected.size() + 1);
          for (int i = 0; i < drain; i++) {
            Object got = q.poll();
            Object want = expected.poll();
            if (got != want) { // AssertJ only on a mismatch: a burst is many polls
              assertThat(got).as("seed %d step %d: drain %d", seed, step, i).isSameAs(want);
            }
          }
        }
        assertThat(q.size()).as("seed %d step %d: size", seed, step).isEqualTo(expected.size());
        assertThat(q.isEmpty())
            .as("seed %d step %d: isEmpty", seed, step)
            .isEqualTo(expected.isEmpty());
      }
      while (!expected.isEmpty()) {
        assertThat(q.poll()).as("seed %d: final drain", seed).isSameAs(expected.poll());
      }
      assertThat(q.poll()).as("seed %d: empty", seed).isNull();
    }
  }

  @Test
  void drainedAfterABurst_givesTheRingBack_andKeepsWorking() {
    ReadyQueue q = new ReadyQueue();
    for (int i = 0; i < 100_000; i++) {
      q.add(i);
    }
    for (int i = 0; i < 100_000; i++) {
      assertThat(q.poll()).isEqualTo(i);
    }
    assertThat(q.isEmpty()).isTrue();
    q.add("after");
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.poll()).isEqualTo("after");
    assertThat(q.poll()).isNull();
  }
}
