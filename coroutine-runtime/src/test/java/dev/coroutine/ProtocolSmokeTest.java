package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A hand-written coroutine speaking the protocol, as generated code will. */
class ProtocolSmokeTest {

  /** for (i in 0..n) { await(sleep(1)); log.add(i) } return n */
  static Coroutine<Integer> counter(List<Integer> log, int n) {
    AsyncFrame<Integer> f = AsyncFrame.create(ProtocolSmokeTest::counterBody, 1, 2);
    f.refs[0] = log;
    f.prims[0] = n;
    return f;
  }

  @SuppressWarnings("unchecked")
  static Object counterBody(AsyncFrame<?> f) throws Throwable {
    List<Integer> log = (List<Integer>) f.refs[0];
    int n = (int) f.prims[0];
    int i = (int) f.prims[1];
    if (f.label == 1) {
      f.resumed();
      log.add(i);
      i++;
    }
    for (; i < n; i++) {
      Object r = AsyncFrame.await(Coroutines.sleep(1), f);
      if (r == AsyncFrame.SUSPEND) {
        f.prims[1] = i;
        f.label = 1;
        return AsyncFrame.SUSPEND;
      }
      log.add(i);
    }
    return n;
  }

  @Test
  void handWrittenCoroutine_suspendsAndResumes() {
    List<Integer> log = new ArrayList<>();
    int r = Coroutines.run(counter(log, 5));
    assertThat(r).isEqualTo(5);
    assertThat(log).containsExactly(0, 1, 2, 3, 4);
  }
}
