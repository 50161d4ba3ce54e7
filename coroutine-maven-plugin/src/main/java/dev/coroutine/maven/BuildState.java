package dev.coroutine.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What the last successful run left behind: for each class file it processed (rewrote, or found
 * nothing to rewrite in), the size and modification time the file had afterwards. A class file
 * whose size and time still match is up to date and is not even read again. Refused classes are
 * never recorded, so their errors are reported again on every run.
 *
 * <p>Stored as a small text file in {@code target/}: a header naming the plugin version (another
 * version discards the state), then one {@code path<TAB>size<TAB>mtime-nanos} line per class.
 */
final class BuildState {
  /** The header's start; the plugin version follows. */
  private static final String HEADER = "# coroutine-maven-plugin state v1 ";

  /** Size and modification time of one class file. */
  record Stamp(long size, long modifiedNanos) {
    static Stamp of(Path file) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
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
          state.stamps.put(f[0], new Stamp(Long.parseLong(f[1]), Long.parseLong(f[2])));
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
                .append(s.modifiedNanos())
                .append('\n'));
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
  }
}
