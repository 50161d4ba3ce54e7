package dev.coroutine.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last successful run left behind: for each class file it processed (rewrote, or found
 * nothing to rewrite in), the size and SHA-256 of the bytes the file held afterwards. A class file
 * whose bytes still match is up to date and is not parsed again. Refused classes are never
 * recorded, so their errors are reported again on every run.
 *
 * <p>Content, not modification times: tools and file systems keep times at other precisions
 * (maven-jar-plugin 2.4 and many file systems truncate to milliseconds or seconds, copies reset
 * them), so a time written by one and read by another never matches and every class would be
 * rewritten on every build; and a class recompiled within a coarse time tick would look unchanged.
 * Hashing costs one read of each class file, far less than parsing it.
 *
 * <p>Stored as a small text file in {@code target/}: a header naming the plugin version (another
 * version discards the state), then one {@code path<TAB>size<TAB>sha256-hex} line per class.
 */
final class BuildState {
  /** The header's start; the plugin version follows. */
  private static final String HEADER = "# coroutine-maven-plugin state v2 ";

  /** Size and content hash of one class file. */
  record Stamp(long size, String sha256) {
    /** The stamp of a class file holding {@code bytes}. */
    static Stamp of(byte[] bytes) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        return new Stamp(bytes.length, HexFormat.of().formatHex(digest));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
  }

  /** Relative class file path to its stamp, sorted so the file is stable. */
  private final Map<String, Stamp> stamps;

  private BuildState(Map<String, Stamp> stamps) {
    this.stamps = stamps;
  }

  /** An empty state. */
  static BuildState empty() {
    return new BuildState(new TreeMap<>());
  }

  /**
   * Reads the state file; a missing, unreadable or foreign (other plugin version) file gives an
   * empty state, which only costs a full run.
   */
  static BuildState read(Path file, String pluginVersion) {
    BuildState state = empty();
    try {
      if (!Files.isRegularFile(file)) {
        return state;
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty() || !lines.get(0).equals(HEADER + pluginVersion)) {
        return state;
      }
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split("\t");
        if (f.length == 3) {
          state.stamps.put(f[0], new Stamp(Long.parseLong(f[1]), f[2]));
        }
      }
      return state;
    } catch (IOException | RuntimeException e) {
      return empty();
    }
  }

  /** True if {@code path} was processed by the last run and has not changed since. */
  boolean isUpToDate(String path, Stamp now) {
    return now.equals(stamps.get(path));
  }

  /** Records {@code path} as processed, as it is now. */
  void put(String path, Stamp stamp) {
    stamps.put(path, stamp);
  }

  /** How many classes are recorded. */
  int size() {
    return stamps.size();
  }

  /** Writes the state atomically (a temporary file moved over the old one). */
  void write(Path file, String pluginVersion) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append(pluginVersion).append('\n');
    stamps.forEach(
        (path, s) ->
            sb.append(path)
                .append('\t')
                .append(s.size())
                .append('\t')
                .append(s.sha256())
                .append('\n'));
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
  }
}
