package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A class rewritten by the transformer of marker version 1 (a real class file it made, {@code
 * marker1/Waits.class.bin}; how it was made: {@code marker1/README.txt}) runs on this runtime and
 * its task dumps keep their lines: its body stores its own labels ({@code group << 16 | index}) and
 * calls the two-argument {@code AsyncFrame.await}, and its describe table has the earlier format,
 * which {@link AsyncFrame#describe} still reads.
 */
class MarkerVersion1Test {
  @Test
  void aClassRewrittenByMarkerVersion1_runs_andReportsEachAwaitsLine() throws Exception {
    byte[] bytes = resource("marker1/Waits.class.bin");
    Class<?> c =
        new ClassLoader(getClass().getClassLoader()) {
          Class<?> define() {
            return defineClass("marker1.Waits", bytes, 0, bytes.length);
          }
        }.define();
    List<String> source =
        new String(resource("marker1/Waits.java.txt"), StandardCharsets.UTF_8).lines().toList();
    Method m = c.getMethod("three", Future.class, Future.class, Future.class);
    try (EventLoop loop = new EventLoop()) {
      List<Future<String>> futures =
          List.of(loop.createFuture(), loop.createFuture(), loop.createFuture());
      AsyncFrame<?> frame =
          (AsyncFrame<?>) m.invoke(null, futures.get(0), futures.get(1), futures.get(2));
      assertThat(frame.location().getLineNumber())
          .as("not started: the method's first line")
          .isEqualTo(line(source, "String out = \"\";"));
      @SuppressWarnings("unchecked")
      Task<String> task = loop.createTask((Coroutine<String>) frame);
      String[] markers = {"// @first", "// @second", "// @third"};
      for (int i = 0; i < 3; i++) {
        loop.callSoon(loop::stop);
        loop.runForever(); // the task runs up to await number i and suspends there
        assertThat(frame.location().getLineNumber())
            .as(markers[i])
            .isEqualTo(line(source, markers[i]));
        futures.get(i).setResult("v" + i);
      }
      assertThat(loop.runUntilComplete(task)).isEqualTo("v0sv17v2t");
    }
  }

  private static int line(List<String> source, String text) {
    for (int i = 0; i < source.size(); i++) {
      if (source.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line with " + text);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = MarkerVersion1Test.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
