package dev.coroutine.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildStateTest {
  @TempDir Path dir;

  @Test
  void writtenState_readsBack_forTheSameVersion() throws Exception {
    BuildState s = BuildState.empty();
    s.put("a/B.class", BuildState.Stamp.of(new byte[] {1, 2, 3}));
    Path file = dir.resolve("sub/instrument.state");

    s.write(file, "1.0");
    BuildState read = BuildState.read(file, "1.0");

    assertThat(read.size()).isEqualTo(1);
    assertThat(read.isUpToDate("a/B.class", BuildState.Stamp.of(new byte[] {1, 2, 3}))).isTrue();
    assertThat(read.isUpToDate("a/B.class", BuildState.Stamp.of(new byte[] {1, 2, 4})))
        .as("same size, other content")
        .isFalse();
    assertThat(read.isUpToDate("a/C.class", BuildState.Stamp.of(new byte[] {1, 2, 3}))).isFalse();
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void otherVersion_missingOrGarbage_giveAnEmptyState() throws Exception {
    BuildState s = BuildState.empty();
    s.put("a/B.class", BuildState.Stamp.of(new byte[10]));
    Path file = dir.resolve("instrument.state");
    s.write(file, "1.0");

    assertThat(BuildState.read(file, "2.0").size()).isZero();
    assertThat(BuildState.read(dir.resolve("missing"), "1.0").size()).isZero();
    Files.writeString(file, "# coroutine-maven-plugin state v2 1.0\na/B.class\tx\ty\n");
    assertThat(BuildState.read(file, "1.0").size()).isZero();
  }
}
