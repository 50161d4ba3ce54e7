package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A suspended coroutine keeps only its live values; a long loop of awaits keeps the heap flat. */
class MemoryTest {
  @Test
  void suspendedCoroutine_doesNotRetainAValueFromAFinishedScope() throws Throwable {
    assertReleasedWhileSuspended("retention", "len" + (4 << 20) + "ok");
  }

  @Test
  void suspendedCoroutine_doesNotRetainAStackValueAnEarlierAwaitSaved() throws Throwable {
    assertReleasedWhileSuspended("stackRetention", "len" + (4 << 20) + "ok");
  }

  @Test
  void suspendedCoroutine_doesNotRetainALocalAnotherGroupSaved() throws Throwable {
    assertReleasedWhileSuspended(
        "otherGroupRetention", "len" + (4 << 20) + ("len" + (4 << 20)).length() + "ok");
  }

  /**
   * Runs sample {@code method} up to its second await, where the 4 MB array it made is dead, and
   * asserts a GC can free the array while the coroutine is suspended there, then that it completes
   * with {@code result}.
   */
  @SuppressWarnings("unchecked")
  private static void assertReleasedWhileSuspended(String method, String result) throws Throwable {
    Class<?> c = Samples.load("Memory");
    WeakReference<Object>[] ref = new WeakReference[1];
    try (EventLoop loop = new EventLoop()) {
      Future<Void> reached = loop.createFuture();
      Future<String> gate = loop.createFuture();
      Task<?> task = loop.createTask(Samples.call(c, method, ref, reached, gate));
      loop.runUntilComplete(reached);
      assertThat(task.isDone()).isFalse();
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (ref[0].get() != null && System.nanoTime() < deadline) {
        System.gc();
        Thread.sleep(10);
      }
      assertThat(ref[0].get()).as("the dead local is still reachable from the frame").isNull();
      gate.setResult("ok");
      assertThat(loop.runUntilComplete(task)).isEqualTo(result);
    }
  }

  static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  @Test
  void millionSequentialYields_keepTheHeapFlat() throws Throwable {
    Class<?> c = Samples.load("Memory");
    List<Long> used = new ArrayList<>();
    Runnable probe = () -> used.add(usedAfterGc());
    int n = 1_000_000;
    Coroutine<?> co = Samples.call(c, "yields", n, probe);
    assertThat(Coroutines.run(co)).isEqualTo((long) n * (n - 1) / 2);
    assertThat(used).hasSize(2);
    long growth = used.get(1) - used.get(0);
    assertThat(growth).as("heap growth over a million awaits, bytes").isLessThan(16L << 20);
  }
}
