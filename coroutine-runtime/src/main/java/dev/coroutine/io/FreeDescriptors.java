package dev.coroutine.io;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileReader;
import java.io.IOException;
import java.util.List;

/**
 * Whether the process has the file descriptors a child's start needs, where Linux's {@code /proc}
 * tells. The JDK's process start takes about a dozen (the pipes, its own fail and environment
 * pipes, the redirected files), and when one of them fails with EMFILE its native cleanup closes a
 * descriptor number it never opened (often 0, or a socket that reused it) and leaks a pipe (found
 * from outside on JDK 17 and 25; asyncio has no such fault). So a start is refused beforehand, with
 * an error that says why, when fewer than {@link #CHILD_START} are free. Read with {@code java.io}:
 * a first use of {@code java.nio.file} out of descriptors breaks it for the life of the process.
 */
final class FreeDescriptors {
  /** Free descriptors a child's start asks for: its dozen, and a margin. */
  static final int CHILD_START = 16;

  private static final File FD_DIR = new File("/proc/self/fd");
  private static final File LIMITS = new File("/proc/self/limits");

  /** The soft limit once read (it cannot change from Java), or 0 before. */
  private static volatile long softLimit;

  private FreeDescriptors() {}

  /**
   * Throws if fewer than {@link #CHILD_START} descriptors are free; nothing where {@code /proc}
   * does not tell, or with no limit.
   *
   * @param argv the program, for the error
   * @throws IOException saying how many are free of the limit, and why a start needs more
   */
  static void requireForChild(List<String> argv) throws IOException {
    if (!FD_DIR.isDirectory()) {
      return;
    }
    long limit = softLimit();
    String[] open = FD_DIR.list(); // null if even this finds no descriptor free
    if (limit < 0 || (open != null && limit - open.length >= CHILD_START)) {
      return;
    }
    String free = open == null || limit == 0 ? "no" : (limit - open.length) + " of " + limit;
    throw new IOException(
        "cannot start "
            + argv.get(0)
            + ": too many open files ("
            + free
            + " file descriptors free; starting a child safely takes "
            + CHILD_START
            + ": the JDK's process start, short of them, closes descriptors it does not own)");
  }

  /** The soft limit on open files; -1 for none or unknown, 0 if it could not be read now. */
  private static long softLimit() {
    long known = softLimit;
    if (known != 0) {
      return known;
    }
    if (!LIMITS.isFile()) {
      return softLimit = -1;
    }
    try (BufferedReader r = new BufferedReader(new FileReader(LIMITS))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return softLimit = soft.equals("unlimited") ? -1 : Long.parseLong(soft);
        }
      }
      return softLimit = -1;
    } catch (IOException e) {
      return 0; // no descriptor free to read it: none for a child either
    } catch (RuntimeException e) {
      return softLimit = -1; // a format this does not know: no check
    }
  }
}
