package dev.coroutine.io;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * NIO pipes whose far end a child process can be given by path, so that the loop's selector serves
 * the child's stdin, stdout and stderr with no thread per pipe.
 *
 * <p>Why: the JDK's process pipes are blocking streams, and Java offers no selectable channel over
 * an arbitrary file descriptor. {@link Pipe#open()} does give selectable pipe ends, and a {@link
 * ProcessBuilder} redirect to a file is opened by the parent in Java; on Linux {@code
 * /proc/self/fd/N} opens the pipe behind descriptor {@code N} afresh. So the child is redirected to
 * {@code /proc/self/fd/N} of the end it should hold and the loop keeps the other end. What Java
 * does not tell is {@code N}: it is found in {@code /proc/self/fd}.
 *
 * <p>Invariant of {@link #open}: an end is only handed out once it is proven to be ours. Under one
 * lock, the directory is listed, the pipes are opened while that listing is still open (so none of
 * our descriptors can take the number of one the listing saw), and it is listed again; the numbers
 * that are new and link to {@code pipe:[inode]} are candidates. They must form exactly as many
 * pipes as we opened, each with one read-only and one write-only end (the permissions of the link).
 * Then each of our pipes is told apart, and proven ours, by the blocking mode of its read end: set
 * through the Java channel, one pipe at a time, and read back from {@code /proc/self/fdinfo} (see
 * {@link #match}). Anything else (another thread opening and closing descriptors at the same
 * moment) discards the pipes and tries again; a few failures in a row, or a system without {@code
 * /proc/self/fd}, make {@link #open} return null and the caller pumps the JDK's pipes with a thread
 * each (see {@code Subprocess}).
 *
 * <p>Cost: two directory listings, a link and an {@code lstat} per new descriptor and {@code max(2,
 * pipes) x pipes} reads of {@code fdinfo} per child (about a millisecond on a busy two-core
 * machine), under a lock; no thread.
 */
final class ChildPipes {
  /** Where the descriptors of this process are listed. */
  private static final Path FD_DIR = Path.of("/proc/self/fd");

  /** Where their flags are. */
  private static final Path FDINFO_DIR = Path.of("/proc/self/fdinfo");

  /** Attempts before giving up on identifying the pipes. */
  private static final int ATTEMPTS = 8;

  /** Index of the read end in a found pipe's descriptors. */
  private static final int RDONLY = 0;

  /** Index of the write end. */
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
        int mode = accessMode(fd);
        String[] ends = byInode.computeIfAbsent(link, x -> new String[2]);
        if (mode < 0 || ends[mode] != null) {
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
   * Which found pipe is which of ours, proven by the blocking mode of the read ends: in state
   * {@code s} only our pipe {@code s}'s source is non-blocking (one pipe: non-blocking, then
   * blocking), and each candidate read end's {@code fdinfo} flags are read in every state. A
   * candidate is our pipe {@code i} if its flags followed exactly that pattern: the one bit that
   * changes ({@code O_NONBLOCK}, learnt, not assumed: its value depends on the architecture) is set
   * in state {@code i} only, and nothing else changes. Returns, per pipe, its {read, write}
   * descriptors, or null.
   */
  private static String[][] match(Pipe[] pipes, List<String[]> found) throws IOException {
    int k = pipes.length;
    int states = Math.max(2, k);
    int[][] flags = new int[found.size()][states];
    for (int st = 0; st < states; st++) {
      for (int i = 0; i < k; i++) {
        pipes[i].source().configureBlocking(i != st);
      }
      for (int j = 0; j < found.size(); j++) {
        flags[j][st] = flags(found.get(j)[RDONLY]);
        if (flags[j][st] < 0) {
          return null;
        }
      }
    }
    int changed = 0;
    for (int st = 1; st < states; st++) {
      changed |= flags[0][0] ^ flags[0][st];
    }
    if (Integer.bitCount(changed) != 1) {
      return null;
    }
    String[][] order = new String[k][];
    for (int j = 0; j < found.size(); j++) {
      int owner = -1;
      for (int st = 0; st < states; st++) {
        if (((flags[j][st] ^ flags[j][0]) & ~changed) != 0) {
          return null; // something else changed: not a pattern we set
        }
        if ((flags[j][st] & changed) != 0) {
          if (owner >= 0) {
            return null;
          }
          owner = st;
        }
      }
      if (owner < 0 || owner >= k || order[owner] != null) {
        return null; // this descriptor did not follow one of our channels: not ours
      }
      order[owner] = found.get(j);
    }
    for (Pipe p : pipes) { // back to blocking: the transports choose later
      p.source().configureBlocking(true);
    }
    return order;
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

  /**
   * {@link #RDONLY} or {@link #WRONLY} for descriptor {@code fd}, from the permissions of its link
   * in {@code /proc/self/fd} (they are its open mode; cheaper to read than {@code fdinfo}), or -1.
   */
  private static int accessMode(String fd) {
    try {
      Set<PosixFilePermission> p =
          Files.readAttributes(
                  FD_DIR.resolve(fd), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .permissions();
      boolean r = p.contains(PosixFilePermission.OWNER_READ);
      boolean w = p.contains(PosixFilePermission.OWNER_WRITE);
      return r && !w ? RDONLY : w && !r ? WRONLY : -1;
    } catch (IOException | UnsupportedOperationException e) {
      return -1; // closed meanwhile
    }
  }

  /**
   * The open flags of descriptor {@code fd} ({@code fdinfo}'s octal "flags:" line), or -1. Read
   * with one small read and parsed by hand: this runs several times per child.
   */
  private static int flags(String fd) {
    byte[] b = new byte[256];
    int n = 0;
    try (FileInputStream in = new FileInputStream(FDINFO_DIR.resolve(fd).toString())) {
      int r;
      while (n < b.length && (r = in.read(b, n, b.length - n)) > 0) {
        n += r;
      }
    } catch (IOException e) {
      return -1; // closed meanwhile
    }
    for (int i = 0; i + 6 <= n; i++) {
      if ((i == 0 || b[i - 1] == '\n')
          && b[i] == 'f'
          && b[i + 5] == ':'
          && new String(b, i, 6, StandardCharsets.US_ASCII).equals("flags:")) {
        int v = 0;
        int j = i + 6;
        while (j < n && (b[j] == ' ' || b[j] == '\t')) {
          j++;
        }
        int start = j;
        while (j < n && b[j] >= '0' && b[j] <= '7') {
          v = v * 8 + (b[j++] - '0');
        }
        return j > start ? v : -1;
      }
    }
    return -1; // a format we do not know: not identifiable
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
