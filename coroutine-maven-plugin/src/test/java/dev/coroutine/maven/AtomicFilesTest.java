package dev.coroutine.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found from outside: the plugin's rewritten classes were owner-only ({@code rw-------}, a
 * temporary file's mode), so the jar built from them failed with {@code ClassNotFoundException} for
 * any other user. A replaced file keeps its permissions; a new one gets those of any new file.
 */
class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacedFile_keepsItsPermissions() throws Exception {
    assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null);
    for (String mode : new String[] {"rw-r--r--", "rw-rw-r--", "r--r-----"}) {
      Path target = dir.resolve("A" + mode.hashCode() + ".class");
      Files.write(target, new byte[] {1});
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(mode));

      AtomicFiles.write(target, new byte[] {2, 3});

      assertThat(Files.readAllBytes(target)).containsExactly(2, 3);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
          .isEqualTo(mode);
    }
  }

  @Test
  void newFile_getsTheModeOfAnyNewFile_andNoTemporaryFileIsLeft() throws Exception {
    assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null);
    Path plain = Files.createFile(dir.resolve("plain"));
    Path target = dir.resolve("instrument.state");

    AtomicFiles.write(target, new byte[] {4});

    assertThat(Files.getPosixFilePermissions(target))
        .isEqualTo(Files.getPosixFilePermissions(plain));
    try (var files = Files.list(dir)) {
      assertThat(files.filter(AtomicFiles::isLeftover)).isEmpty();
    }
  }
}
