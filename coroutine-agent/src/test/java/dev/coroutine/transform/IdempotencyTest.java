package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transformer is a pure function: idempotent and byte-for-byte reproducible. */
class IdempotencyTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Basics",
        "ControlFlow",
        "Exceptions",
        "Hierarchy",
        "Hierarchy$Upper",
        "Access",
        "Expressions",
        "Values",
        "Base",
        "Methods",
        "AsyncInterface",
        "Point",
        "Op",
        "Op$1",
        "Op$2",
        "Lambdas",
        "Semantics",
        "Traces",
        "Memory"
      })
  void transformTwice_secondReturnsUnchanged_andOutputIsReproducible(String sample) {
    byte[] original = TransformingClassLoader.read(TransformingClassLoader.SAMPLES + sample);
    byte[] once = Samples.TRANSFORMER.transform(original).bytes();
    assertThat(once).as("rewritten").isNotNull();
    TransformingClassLoader.verify(once);
    assertThat(CoroutineTransformer.isTransformed(once)).isTrue();
    assertThat(CoroutineTransformer.isTransformed(original)).isFalse();

    TransformResult twice = Samples.TRANSFORMER.transform(once);
    assertThat(twice.bytes()).as("transform(transform(x))").isNull();
    assertThat(twice.diagnostics()).isEmpty();

    byte[] again = Samples.TRANSFORMER.transform(original).bytes();
    assertThat(again).as("same input, same transformer").isEqualTo(once);
    CoroutineTransformer fresh =
        new CoroutineTransformer(ClassFileLocator.of(IdempotencyTest.class.getClassLoader()));
    assertThat(fresh.transform(original).bytes())
        .as("same input, fresh transformer")
        .isEqualTo(once);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Later", "Exceptions$Res", "Expressions$Box", "ControlFlow$1"})
  void classWithoutCoroutines_isReturnedUnchanged(String sample) {
    byte[] original = TransformingClassLoader.read(TransformingClassLoader.SAMPLES + sample);
    TransformResult r = Samples.TRANSFORMER.transform(original);
    assertThat(r.bytes()).isNull();
    assertThat(r.diagnostics()).isEmpty();
    assertThat(List.of(r.methodsRewritten())).containsExactly(0);
  }
}
