package dev.coroutine.maven;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Replaces files so that a reader sees either the old bytes or the new ones, never a torn file. */
final class AtomicFiles {
  private AtomicFiles() {}

  /** The name prefix of the temporary files. */
  private static final String PREFIX = ".coroutine-";

  /** The name suffix of the temporary files. */
  private static final String SUFFIX = ".tmp";

  /** True for a temporary file of {@link #write} (left behind if the process was killed). */
  static boolean isLeftover(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && Files.isRegularFile(file);
  }

  /** Writes {@code bytes} to a temporary file beside {@code target}, then moves it over. */
  static void write(Path target, byte[] bytes) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), PREFIX, SUFFIX);
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
