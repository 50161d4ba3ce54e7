package dev.coroutine.maven;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

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

  /**
   * Writes {@code bytes} to a temporary file beside {@code target}, then moves it over. The file
   * keeps {@code target}'s permissions, or has those any new file gets (the umask's) when there was
   * none: a temporary file's own (owner only) made the rewritten classes, and the jar built from
   * them, unreadable to other users (found from outside).
   */
  static void write(Path target, byte[] bytes) throws IOException {
    Path tmp = newTemporaryFile(target.getParent());
    try {
      Files.write(tmp, bytes);
      keepPermissions(target, tmp);
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

  /** A new empty file in {@code dir} named as a temporary file, with a new file's permissions. */
  private static Path newTemporaryFile(Path dir) throws IOException {
    while (true) {
      long n = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
      Path tmp = dir.resolve(PREFIX + n + SUFFIX);
      try {
        return Files.createFile(tmp); // not createTempFile: that one is owner-only
      } catch (FileAlreadyExistsException taken) {
        // another name
      }
    }
  }

  /** Gives {@code tmp} the POSIX permissions of {@code target}, if it exists and has any. */
  private static void keepPermissions(Path target, Path tmp) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
    if (view == null || !Files.exists(target)) {
      return;
    }
    Files.setPosixFilePermissions(tmp, view.readAttributes().permissions());
  }
}
