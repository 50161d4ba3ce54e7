package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutines;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ten threads first-load the same async class through one fresh loader and run it at once. */
class ConcurrentLoadingTest {
  @Test
  void tenThreads_firstLoadingAndCallingTheSameAsyncClass_allGetTheRightResult() throws Exception {
    int threads = 10;
    TransformingClassLoader loader = new TransformingClassLoader();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Object[]>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = 3 + i;
        results.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  Class<?> c = loader.loadClass(TransformingClassLoader.SAMPLES + "Methods");
                  List<String> log = new ArrayList<>();
                  Object r;
                  try {
                    r = Coroutines.run(Samples.call(c, "fib", log, true, n));
                  } catch (Throwable t) {
                    throw new AssertionError(t);
                  }
                  return new Object[] {c, r, n, log.size()};
                }));
      }
      Class<?> first = null;
      for (Future<Object[]> f : results) {
        Object[] r = f.get(30, TimeUnit.SECONDS);
        first = first == null ? (Class<?>) r[0] : first;
        assertThat(r[0]).isSameAs(first);
        int n = (int) r[2];
        assertThat(r[1]).isEqualTo(fib(n));
        assertThat(r[3]).isEqualTo(fib(n + 1)); // one timer per leaf
      }
      assertThat(loader.diagnostics).isEmpty();
      assertThat(loader.rewritten).containsOnlyOnce(TransformingClassLoader.SAMPLES + "Methods");
    } finally {
      pool.shutdownNow();
    }
  }

  static int fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }
}
