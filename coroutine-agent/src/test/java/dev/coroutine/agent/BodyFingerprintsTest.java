package dev.coroutine.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.transform.ClassFileLocator;
import dev.coroutine.transform.CoroutineTransformer;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fingerprints guarding a HotSwap of a rewritten class (what the agent's ITs check through a
 * real JDWP redefinition) cover every body, however large.
 */
class BodyFingerprintsTest {
  /**
   * kotlinc's method of 555 awaits (see src/test/resources/kotlinc/README.md), rewritten into a
   * body of 38 KB: the fingerprint wrote the body again with ASM, which failed on it, and the agent
   * then left the class's redefinitions unguarded (a sibling of the transformer's long-jump
   * failure, found looking for one).
   */
  @Test
  void aBodyPast32KiB_hasAFingerprint() throws Exception {
    byte[] kotlinc;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("kotlinc/fz40/M_only_m15.class")) {
      kotlinc = in.readAllBytes();
    }
    byte[] rewritten =
        new CoroutineTransformer(ClassFileLocator.of(getClass().getClassLoader()))
            .transform(kotlinc)
            .bytes();

    Map<String, String> bodies = BodyFingerprints.of(rewritten);

    assertThat(bodies).containsOnlyKeys("m15");
    assertThat(BodyFingerprints.of(rewritten.clone())).isEqualTo(bodies);
  }
}
