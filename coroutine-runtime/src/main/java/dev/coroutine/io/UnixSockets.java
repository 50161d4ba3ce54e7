package dev.coroutine.io;

import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.internal.RuntimeChannelCallback;
import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;

/**
 * Unix domain sockets behind {@link Streams#openUnixConnection} and {@link Streams#startUnixServer}
 * (JDK 16+ {@link UnixDomainSocketAddress}): the same {@link SocketTransport}, {@link
 * StreamReader}/{@link StreamWriter} and {@link Server} as TCP.
 *
 * <p>The socket file, as in asyncio: a stale socket file at the path is removed before binding
 * (anything else there is refused), and the server removes its file when it closes, unless the path
 * meanwhile names another file (compared by file key: device and inode).
 */
final class UnixSockets {
  /** {@code S_IFMT} and {@code S_IFSOCK} of {@code st_mode}: the same on every Unix. */
  private static final int S_IFMT = 0170000;

  private static final int S_IFSOCK = 0140000;

  private UnixSockets() {}

  /**
   * The socket file a server made.
   *
   * @param path where it is
   * @param key its file key when the server bound it, or null if unknown
   */
  record SocketFile(Path path, Object key) {
    /** Removes the file if it is still the one the server made. */
    void remove() {
      try {
        Object now =
            Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
        if (key == null || key.equals(now)) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        // gone already, or not ours to remove
      }
    }
  }

  /** Connects to the socket at {@code path}: the connection, or the failure naming the path. */
  static Future<Connection> connect(EventLoop loop, Path path, int limit) {
    Future<Connection> result = OwnedResult.connection(loop);
    SocketChannel ch;
    try {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (IOException e) {
      result.setException(e);
      return result;
    }
    try {
      ch.configureBlocking(false);
      if (ch.connect(UnixDomainSocketAddress.of(path))) {
        result.setResult(Streams.attach(new SocketTransport(loop, ch, false), limit, null, 0));
        return result;
      }
    } catch (IOException e) {
      IoFrames.closeQuietly(ch);
      // Linux answers a connect to a server whose backlog is full with EAGAIN at once, which the
      // JDK words as "Resource temporarily unavailable" (the C library's text: under a locale
      // that translates it, the plain message stays): say what it means
      boolean full = "Resource temporarily unavailable".equals(e.getMessage());
      result.setException(
          failed(e, full ? "connect (the server's backlog is full) to" : "connect to", path));
      return result;
    }
    // a connect the system left pending (where a full backlog does not fail at once): wait
    loop.addWriter(
        ch,
        (RuntimeChannelCallback)
            () -> {
              if (result.isDone()) {
                return;
              }
              try {
                if (!ch.finishConnect()) {
                  return;
                }
                loop.removeWriter(ch);
                result.setResult(
                    Streams.attach(new SocketTransport(loop, ch, false), limit, null, 0));
              } catch (IOException e) {
                loop.removeWriter(ch);
                IoFrames.closeQuietly(ch);
                result.setException(failed(e, "connect to", path));
              }
            });
    result.addDoneCallback(
        f -> {
          if (f.isCancelled()) {
            loop.removeWriter(ch);
            IoFrames.closeQuietly(ch);
          }
        });
    return result;
  }

  /** Listens at {@code path}. */
  static Server listen(EventLoop loop, StreamHandler handler, Path path, int limit, int backlog)
      throws IOException {
    removeStaleSocket(path);
    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      s.configureBlocking(false);
      s.bind(UnixDomainSocketAddress.of(path), backlog);
    } catch (IOException e) {
      IoFrames.closeQuietly(s);
      throw failed(e, "listen at", path);
    }
    Object key = null;
    try {
      key =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .fileKey();
    } catch (IOException e) {
      // unknown: removed on close whatever is there then
    }
    return new Server(loop, List.of(s), handler, limit, new SocketFile(path, key));
  }

  /**
   * A socket file left at {@code path} by an earlier server is removed (a symbolic link to one: the
   * link, as asyncio's {@code os.stat}, which follows it); anything else stays.
   */
  private static void removeStaleSocket(Path path) throws IOException {
    Object mode;
    try {
      mode = Files.getAttribute(path, "unix:mode");
    } catch (java.nio.file.NoSuchFileException e) {
      return;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return; // no unix attributes here: bind reports what is in the way
    }
    if (mode instanceof Integer && (((Integer) mode) & S_IFMT) == S_IFSOCK) {
      Files.deleteIfExists(path);
    } else {
      throw new BindException(
          "cannot listen at " + path + ": a file that is not a socket is there");
    }
  }

  /** {@code e} as the same kind of exception, its message naming what was tried and the path. */
  private static IOException failed(IOException e, String what, Path path) {
    String msg = "cannot " + what + " " + path + ": " + e.getMessage();
    IOException out;
    if (e instanceof java.net.ConnectException) {
      out = new java.net.ConnectException(msg);
    } else if (e instanceof BindException) {
      out = new BindException(msg);
    } else if (e instanceof java.net.SocketException) {
      out = new java.net.SocketException(msg);
    } else {
      out = new IOException(msg);
    }
    out.initCause(e);
    return out;
  }

  static Path requirePath(Path path) {
    Objects.requireNonNull(path, "path");
    return path;
  }
}
