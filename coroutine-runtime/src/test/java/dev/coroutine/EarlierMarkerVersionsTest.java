package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Classes rewritten by earlier transformers (real class files they made, {@code
 * markerN/Waits.class.bin}; how each was made: {@code markerN/README.txt}) run on this runtime and
 * their task dumps keep their lines. Marker version 1's body stores its own labels ({@code group <<
 * 16 | index}), calls the two-argument {@code AsyncFrame.await}, and has a describe table in the
 * earlier format; marker version 2's await call records the label and its table has one line per
 * label; both bind their bodies with {@code LambdaMetafactory} directly and answer a describe query
 * from their own default branch, which {@link AsyncFrame#location()} still calls when no bootstrap
 * kept a table for the body. Marker version 3's stub binds its body through {@code AsyncFrame.body}
 * (which keeps the table) and creates the frame itself.
 */
class EarlierMarkerVersionsTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void aClassRewrittenByAnEarlierTransformer_runs_andReportsEachAwaitsLine(int version)
      throws Exception {
    String pkg = "marker" + version;
    byte[] bytes = resource(pkg + "/Waits.class.bin");
    Class<?> c =
        new ClassLoader(getClass().getClassLoader()) {
          Class<?> define() {
            return defineClass(pkg + ".Waits", bytes, 0, bytes.length);
          }
        }.define();
    List<String> source =
        new String(resource(pkg + "/Waits.java.txt"), StandardCharsets.UTF_8).lines().toList();
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
    try (InputStream in = EarlierMarkerVersionsTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
