package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.invoke.MethodHandles;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JVM never passes hidden classes to agents, so an {@code await} in a hidden class that nobody
 * rewrote before defining it cannot work: the error says that, not "see the agent's log" (which
 * never heard of the class). Found from outside with {@code Lookup.defineHiddenClass}.
 */
class HiddenClassAwaitTest {
  private static final String SOURCE =
      "package dev.coroutine.transform;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "public class HiddenAwaiter {\n"
          + "  public static Object go() { return await(sleep(1)); }\n"
          + "}\n";

  @Test
  void awaitInAHiddenClassThatWasNotRewritten_saysTheAgentCannotSeeIt() throws Exception {
    byte[] bytes =
        InMemoryCompiler.compile(Map.of("dev.coroutine.transform.HiddenAwaiter", SOURCE), "17")
            .get("dev.coroutine.transform.HiddenAwaiter");
    Class<?> hidden = MethodHandles.lookup().defineHiddenClass(bytes, true).lookupClass();
    assertThat(hidden.isHidden()).isTrue();

    Throwable t = catchThrowable(() -> hidden.getMethod("go").invoke(null));

    assertThat(t.getCause())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("HiddenAwaiter/0x")
        .hasMessageContaining("hidden class")
        .hasMessageContaining("does not pass hidden classes to agents");
  }
}
