package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.AsyncFrame;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * A suspended frame tells where it is (the DESCRIBE branch the transformer generates), and its name
 * is its method's.
 */
class LocationTest {
  @Test
  void suspendedFrame_reportsClassMethodFileAndLineOfItsAwait() throws Exception {
    TransformingClassLoader loader = new TransformingClassLoader();
    Class<?> c = loader.loadClass(TransformingClassLoader.SAMPLES + "Located");
    Method m = c.getMethod("twoAwaits", Future.class, Future.class);
    try (EventLoop loop = new EventLoop()) {
      Future<Integer> first = loop.createFuture();
      Future<Integer> second = loop.createFuture();
      AsyncFrame<?> frame = (AsyncFrame<?>) m.invoke(null, first, second);
      StackTraceElement start = frame.location();
      assertThat(start.getClassName()).isEqualTo(c.getName());
      assertThat(start.getMethodName()).isEqualTo("twoAwaits");
      assertThat(start.getFileName()).isEqualTo("Located.java");
      assertThat(start.getLineNumber()).isEqualTo(13);

      // its name is the method's, not its body's lambda class (a new user saw "coroutine
      // Coroutine<Diff$$Lambda$40/0x...> was already awaited" when it ran twice)
      assertThat(frame).hasToString("Coroutine<" + c.getName() + ".twoAwaits>");
      @SuppressWarnings("unchecked")
      Task<Integer> task = loop.createTask((dev.coroutine.Coroutine<Integer>) frame);
      @SuppressWarnings("unchecked")
      dev.coroutine.Coroutine<Integer> again = (dev.coroutine.Coroutine<Integer>) frame;
      assertThatThrownBy(() -> loop.createTask(again))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("coroutine Coroutine<" + c.getName() + ".twoAwaits>")
          .hasMessageContaining("runs at most once");
      loop.callSoon(() -> first.setResult(1));
      // stop two passes after `first` completes: the task, woken by it, has resumed and reached
      // line 14 by then (timers instead made this depend on the machine's load)
      first.addDoneCallback(f -> loop.callSoon(() -> loop.callSoon(loop::stop)));
      loop.runForever();
      assertThat(frame.location().getLineNumber()).isEqualTo(14);
      second.setResult(2);
      assertThat(loop.runUntilComplete(task)).isEqualTo(3);
      assertThat(frame.location()).isNull();
    }
  }
}
