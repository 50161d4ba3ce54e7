package dev.coroutine.io;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * NIO pipes whose far end a child process can be given by path, so that the loop's selector
 * serves the child's stdin, stdout and stderr with no thread per pipe.
 *
 * <p>Why: the JDK's process pipes are blocking streams, and Java offers no selectable channel over
 * an arbitrary file descriptor. {@link Pipe#open()} does give selectable pipe ends, and a {@link
 * ProcessBuilder} redirect to a file is opened by the parent in Java; on Linux {@code
 * /proc/self/fd/N} opens the pipe behind descriptor {@code N} afresh. So the child is redirected to
 * {@code /proc/self/fd/N} of the end it should hold and the loop keeps the other end. What Java does
 * not tell is {@code N}: it is found in {@code /proc/self/fd}.
 *
 * <p>Invariant of {@link #open}: an end is only handed out once it is proven to be ours. Under one
 * lock, the directory is listed, the pipes are opened while that listing is still open (so none of
 * our descriptors can take the number of one the listing saw), and it is listed again; the numbers
 * that are new and link to {@code pipe:[inode]} are candidates. They must form exactly as many
 * pipes as we opened, each with one read-only and one write-only end ({@code fdinfo} flags). Then
 * each of our pipes is told apart, and proven ours, by the blocking mode of its two ends: a
 * two-bit code per pipe is set through the Java channels and read back from {@code
 * /proc/self/fdinfo}, then its complement is set and read back. Anything else (another thread
 * opening and closing descriptors at the same moment) discards the pipes and tries again; a few
 * failures in a row, or a system without {@code /proc/self/fd}, make {@link #open} return null and
 * the caller pumps the JDK's pipes with a thread each (see {@code Subprocess}).
 *
 * <p>Cost: two directory listings and a few small reads per child, under a lock; no thread.
 */
final class ChildPipes {
  /** Where the descriptors of this process are listed. */
  private static final Path FD_DIR = Path.of("/proc/self/fd");
  /** Where their flags are. */
  private static final Path FDINFO_DIR = Path.of("/proc/self/fdinfo");
  /** Attempts before giving up on identifying the pipes. */
  private static final int ATTEMPTS = 8;
  /** {@code O_ACCMODE}, {@code O_RDONLY} and {@code O_WRONLY}: the same on every Linux. */
  private static final int ACCMODE = 3;

  private static final int RDONLY = 0;
  private static final int WRONLY = 1;

  /**
   * True where child pipes can be passed by path: Linux with {@code /proc} mounted, unless {@code
   * -Dcoroutine.subprocess.pipes=threads} asks for the portable way.
   */
  static final boolean SUPPORTED =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
          && !"threads".equals(System.getProperty("coroutine.subprocess.pipes"))
          && Files.isDirectory(FD_DIR)
          && Files.isDirectory(FDINFO_DIR);

  /** Guards the listings: our own opens never race with each other. */
  private static final Object LOCK = new Object();

  private ChildPipes() {}

  /**
   * One pipe: the loop keeps {@link #pipe}'s end on its side; the child is redirected to {@link
   * #childPath}, the path of the other end.
   *
   * @param pipe the pipe; its loop-side end stays open, the child-side end is closed once the child
   *     started
   * @param childWrites true if the child writes (stdout, stderr), false if it reads (stdin)
   * @param childPath {@code /proc/self/fd/N} of the end the child gets
   */
  record Link(Pipe pipe, boolean childWrites, String childPath) {
    /** Closes the end the child got a copy of: after the start, only the child holds it. */
    void closeChildEnd() {
      IoFrames.closeQuietly(childWrites ? pipe.sink() : pipe.source());
    }

    /** Closes both ends. */
    void closeAll() {
      IoFrames.closeQuietly(pipe.sink());
      IoFrames.closeQuietly(pipe.source());
    }
  }

  /**
   * Opens one pipe per element of {@code childWrites} and finds the path of each child end; null if
   * that cannot be done here (the caller falls back to the JDK's pipes).
   *
   * @param childWrites for each pipe, whether the child writes to it
   * @return the pipes, in the same order, or null
   * @throws IOException if a pipe cannot be opened at all (out of descriptors)
   */
  static List<Link> open(boolean[] childWrites) throws IOException {
    if (!SUPPORTED || childWrites.length == 0) {
      return SUPPORTED ? List.of() : null;
    }
    if (childWrites.length > 3) {
      throw new IllegalArgumentException("at most 3 pipes: " + childWrites.length);
    }
    synchronized (LOCK) {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        List<Link> links = tryOpen(childWrites);
        if (links != null) {
          return links;
        }
      }
    }
    return null;
  }

  /** One attempt: the pipes, or null (and nothing left open) if they could not be identified. */
  private static List<Link> tryOpen(boolean[] childWrites) throws IOException {
    int k = childWrites.length;
    Pipe[] pipes = new Pipe[k];
    Set<String> before;
    try {
      try (DirectoryStream<Path> listing = Files.newDirectoryStream(FD_DIR)) {
        before = names(listing);
        for (int i = 0; i < k; i++) {
          pipes[i] = Pipe.open(); // while the listing's own descriptors are still open
        }
      }
      Set<String> after;
      try (DirectoryStream<Path> listing = Files.newDirectoryStream(FD_DIR)) {
        after = names(listing);
      }
      after.removeAll(before);
      // inode -> {read end, write end}, from the new descriptors that are pipes
      Map<String, String[]> byInode = new HashMap<>();
      for (String fd : after) {
        String link = readLink(fd);
        if (link == null || !link.startsWith("pipe:[")) {
          continue;
        }
        int flags = flags(fd);
        int mode = flags & ACCMODE;
        String[] ends = byInode.computeIfAbsent(link, x -> new String[2]);
        if (flags < 0 || (mode != RDONLY && mode != WRONLY) || ends[mode] != null) {
          return discard(pipes);
        }
        ends[mode] = fd;
      }
      if (byInode.size() != k) {
        return discard(pipes);
      }
      List<String[]> found = new ArrayList<>(byInode.values());
      for (String[] ends : found) {
        if (ends[RDONLY] == null || ends[WRONLY] == null) {
          return discard(pipes);
        }
      }
      String[][] order = match(pipes, found);
      if (order == null) {
        return discard(pipes);
      }
      List<Link> out = new ArrayList<>(k);
      for (int i = 0; i < k; i++) {
        String childFd = childWrites[i] ? order[i][WRONLY] : order[i][RDONLY];
        out.add(new Link(pipes[i], childWrites[i], FD_DIR.resolve(childFd).toString()));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      discard(pipes);
      throw e;
    }
  }

  /**
   * Which found pipe is which of ours: pipe {@code i} gets code {@code i + 1} (bit 0: its source
   * is non-blocking, bit 1: its sink is), read back from every candidate; then the complement, read
   * back again. The {@code O_NONBLOCK} bit is learnt from the difference, not assumed (its value
   * depends on the architecture). Returns, per pipe, its {read, write} descriptors, or null.
   */
  private static String[][] match(Pipe[] pipes, List<String[]> found) throws IOException {
    int k = pipes.length;
    int[][] first = readFlags(pipes, found, false);
    int[][] second = readFlags(pipes, found, true);
    if (first == null || second == null) {
      return null;
    }
    int nonBlockingBit = first[0][0] ^ second[0][0];
    if (Integer.bitCount(nonBlockingBit) != 1) {
      return null;
    }
    String[][] order = new String[k][];
    for (int j = 0; j < k; j++) {
      int code = 0;
      for (int end = 0; end < 2; end++) {
        if ((first[j][end] ^ second[j][end]) != nonBlockingBit) {
          return null; // this descriptor did not follow our channel's mode: not ours
        }
        if ((first[j][end] & nonBlockingBit) != 0) {
          code |= 1 << end;
        }
      }
      int i = code - 1;
      if (i < 0 || i >= k || order[i] != null) {
        return null;
      }
      order[i] = found.get(j);
    }
    for (Pipe p : pipes) { // back to blocking: the transports choose later
      p.source().configureBlocking(true);
      p.sink().configureBlocking(true);
    }
    return order;
  }

  /**
   * Sets pipe {@code i}'s ends to code {@code i + 1} (or its complement) and reads the flags of
   * each candidate's {read, write} descriptors; null if one vanished.
   */
  private static int[][] readFlags(Pipe[] pipes, List<String[]> found, boolean complement)
      throws IOException {
    for (int i = 0; i < pipes.length; i++) {
      int code = complement ? ~(i + 1) : i + 1;
      pipes[i].source().configureBlocking((code & 1) == 0);
      pipes[i].sink().configureBlocking((code & 2) == 0);
    }
    int[][] out = new int[found.size()][2];
    for (int j = 0; j < found.size(); j++) {
      for (int end = 0; end < 2; end++) {
        out[j][end] = flags(found.get(j)[end]);
        if (out[j][end] < 0) {
          return null;
        }
      }
    }
    return out;
  }

  private static Set<String> names(DirectoryStream<Path> listing) {
    Set<String> out = new HashSet<>();
    for (Path p : listing) {
      out.add(p.getFileName().toString());
    }
    return out;
  }

  /** Where descriptor {@code fd} links to, or null if it was closed meanwhile. */
  private static String readLink(String fd) {
    try {
      return Files.readSymbolicLink(FD_DIR.resolve(fd)).toString();
    } catch (IOException e) {
      return null;
    }
  }

  /** The open flags of descriptor {@code fd} ({@code fdinfo}'s octal "flags:"), or -1. */
  private static int flags(String fd) {
    try {
      for (String line : Files.readAllLines(FDINFO_DIR.resolve(fd))) {
        if (line.startsWith("flags:")) {
          return Integer.parseInt(line.substring(6).trim(), 8);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // closed meanwhile, or a format we do not know: not identifiable
    }
    return -1;
  }

  private static List<Link> discard(Pipe[] pipes) {
    for (Pipe p : pipes) {
      if (p != null) {
        IoFrames.closeQuietly(p.sink());
        IoFrames.closeQuietly(p.source());
      }
    }
    return null;
  }
}
