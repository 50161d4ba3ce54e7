package dev.coroutine.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.transform.InMemoryCompiler;
import dev.coroutine.transform.UnreadableSupertypesTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent's path for a class whose supertypes were defined from bytes by a custom loader: the
 * agent reads class files through that loader (which cannot serve them), and the rewritten class
 * still verifies and runs.
 */
class UnreadableSupertypesAgentTest {
  @Test
  void classOfACustomLoader_whoseSupertypesAreNotResources_isRewrittenAndRuns() throws Exception {
    Map<String, byte[]> compiled = InMemoryCompiler.compile(UnreadableSupertypesTest.SOURCES, "17");
    UnreadableSupertypesTest.BytesLoader loader =
        new UnreadableSupertypesTest.BytesLoader(compiled);
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    CoroutineClassFileTransformer agent =
        new CoroutineClassFileTransformer(
            AgentOptions.parse("failFast"),
            CoroutineClassFileTransformer.DEFAULT_REWRITER,
            new AgentLog(new PrintStream(logged, true, StandardCharsets.UTF_8)),
            status -> {
              throw new AssertionError("halted: " + logged);
            });

    byte[] rewritten = agent.transform(loader, "plug/User", null, null, compiled.get("plug.User"));

    assertThat(logged.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(rewritten).isNotNull();
    loader.put("plug.User", rewritten);
    for (String m : List.of("ternary", "ifElse", "onTheStack", "viaInterface")) {
      assertThat(UnreadableSupertypesTest.run(loader, m, true))
          .isEqualTo(UnreadableSupertypesTest.expected(m, true));
      assertThat(UnreadableSupertypesTest.run(loader, m, false))
          .isEqualTo(UnreadableSupertypesTest.expected(m, false));
    }
  }
}
