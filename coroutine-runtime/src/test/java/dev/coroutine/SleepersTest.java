package dev.coroutine;

import static dev.coroutine.Coroutines.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sleeping tasks leave the loop's list of live tasks for the timers' {@link Sleepers} and come back
 * when they wake or are cancelled: the loop still lists every pending task, oldest first, and dumps
 * still say when each sleep ends, for gaps between sleepers that need more than an int of
 * nanoseconds too (on a virtual clock, so the numbers are exact).
 */
class SleepersTest {

  @Test
  void sleepingTasks_areListedOldestFirst_andComeBackWhenWokenOrCancelled() {
    try (EventLoop loop = EventLoop.withVirtualTime()) {
      Future<String> gate = loop.createFuture();
      Task<?> a =
          loop.createTask(
              Co.seq(v -> Co.await(sleep(Duration.ofSeconds(10))), v -> Co.await(gate)), "a");
      Task<?> b = loop.createTask(Co.awaiting(gate), "b");
      Task<?> c = loop.createTask(Co.awaiting(sleep(Duration.ofSeconds(5))), "c"); // an entry
      Task<?> d = loop.createTask(Co.awaiting(sleep(Duration.ofSeconds(20))), "d");
      Task<?> e = loop.createTask(Co.awaiting(sleep(Duration.ofSeconds(3_000))), "e"); // far gap
      Task<?> f = loop.createTask(Co.awaiting(sleep(Duration.ofSeconds(3_000))), "f"); // a tie
      loop.callLater(1.0, loop::stop);
      loop.runForever();
      assertThat(loop.pendingTasks()).containsExactly(a, b, c, d, e, f);

      d.cancel(); // between two sleepers: e's gap becomes that of d and e together
      assertThat(loop.pendingTasks()).containsExactly(a, b, c, d, e, f); // d: not resumed yet
      loop.callLater(1.0, loop::stop);
      loop.runForever();
      assertThat(d.isCancelled()).isTrue();
      assertThat(loop.pendingTasks()).containsExactly(a, b, c, e, f);
      String dump = loop.dumpTasks();
      assertThat(dump)
          .contains("\"a\" sleeping until 10.000 s (8.000 s left)\n")
          .contains("\"c\" sleeping until 5.000 s (3.000 s left)\n")
          .contains("\"e\" sleeping until 3000.000 s (2998.000 s left)\n")
          .contains("\"f\" sleeping until 3000.000 s (2998.000 s left)\n");

      loop.callLater(8.5, loop::stop); // a wakes and waits again, c wakes and ends
      loop.runForever();
      assertThat(c.isDone()).isTrue();
      assertThat(loop.pendingTasks()).containsExactly(a, b, e, f);

      Task<?> g = loop.createTask(Co.awaiting(sleep(Duration.ofSeconds(100))), "g"); // an entry
      Task<?> h = loop.createTask(Co.awaiting(sleep(Duration.ofNanos(Long.MAX_VALUE))), "h");
      e.cancel(); // the first sleeper: f, tied with it, is first now
      loop.callLater(1.0, loop::stop);
      loop.runForever();
      assertThat(loop.pendingTasks()).containsExactly(a, b, f, g, h);
      assertThat(loop.dumpTasks())
          .contains("\"f\" sleeping until 3000.000 s (2988.500 s left)\n")
          .contains("\"h\" sleeping forever\n");

      gate.setResult("open");
      loop.runUntilComplete(f);
      assertThat(loop.time()).isEqualTo(3000.0);
      List<Task<?>> left = loop.pendingTasks();
      assertThat(left).containsExactly(h);
      h.cancel();
      loop.runUntilComplete(sleep(0));
      assertThat(loop.pendingTasks()).isEmpty();
    }
  }

  /**
   * Oldest first, across the task counter's wrap-around: a task made before 2^31 others and the
   * ones made after (an outside review found the list out of order, then the sort throwing, since
   * ids compared by difference are not transitive that far apart).
   */
  @Test
  void pendingTasks_areOldestFirst_acrossTheIdWrapAround() {
    try (EventLoop loop = EventLoop.withVirtualTime()) {
      List<Task<?>> made = new java.util.ArrayList<>();
      made.add(loop.createTask(Co.awaiting(sleep(Duration.ofSeconds(1))))); // an old one
      loop.taskCounter += Integer.MAX_VALUE - 10; // as if that many were made (and ended) since
      for (int i = 0; i < 40; i++) { // ids past Integer.MAX_VALUE, wrapping to negative
        made.add(loop.createTask(Co.awaiting(sleep(Duration.ofSeconds(1 + i % 3)))));
        made.add(loop.createTask(Co.awaiting(loop.createFuture())));
      }
      loop.runUntilComplete(sleep(0));
      assertThat(loop.pendingTasks()).containsExactlyElementsOf(made);
      assertThat(made.get(1).getName()).isEqualTo("Task-" + (Integer.MAX_VALUE - 8));
      assertThat(made.get(made.size() - 1).getName()).startsWith("Task--");
    }
    try (EventLoop loop = EventLoop.withVirtualTime()) {
      // an old one with every later task more than 2^31 younger than it
      Task<?> old = loop.createTask(Co.awaiting(loop.createFuture()));
      loop.taskCounter += Integer.MAX_VALUE + 10;
      List<Task<?>> young = new java.util.ArrayList<>(List.of(old));
      for (int i = 0; i < 5; i++) {
        young.add(loop.createTask(Co.awaiting(loop.createFuture())));
      }
      assertThat(young.get(1).id - old.id).isNegative(); // 2^31 apart: a difference misleads
      loop.runUntilComplete(sleep(0));
      assertThat(loop.pendingTasks()).containsExactlyElementsOf(young);
    }
  }
}
