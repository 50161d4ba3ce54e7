package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BasicsTest {
  @Test
  void straightCode_suspendsAndResumes_withEveryPrimitive() throws Exception {
    TransformingClassLoader loader = new TransformingClassLoader();
    Class<?> c = loader.loadClass(TransformingClassLoader.SAMPLES + "Basics");
    assertThat(loader.diagnostics).isEmpty();
    Method m = c.getMethod("straight", List.class);
    List<String> log = new ArrayList<>();
    Coroutine<?> co = (Coroutine<?>) m.invoke(null, log);
    assertThat(log).isEmpty(); // lazy
    Object r = Coroutines.run(co);
    assertThat(r).isEqualTo("end 16");
    assertThat(log).containsExactly("start", "x=3", "y=13 big=10000000000 d=1.5 f=2.5 c=z");
  }
}
