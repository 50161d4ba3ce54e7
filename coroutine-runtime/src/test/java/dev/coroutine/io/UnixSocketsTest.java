package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.Coroutine;
import dev.coroutine.TestBase;
import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Unix domain streams: our client and server, the JDK's blocking socket and Python as peers. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixSocketsTest extends TestBase {
  /** A fresh directory for the socket files of a test. */
  private Path dir;

  @BeforeEach
  void dir() throws IOException {
    dir = Files.createTempDirectory("unix-sockets");
  }

  @AfterEach
  void removeDir() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  <T> T await(Coroutine<T> c) {
    return loop.runUntilComplete(loop.createTask(c));
  }

  Server echoServer(Path path) throws IOException {
    return await(Streams.startUnixServer(StreamsTest::echoLines, path));
  }

  /**
   * A non-positive buffer limit is refused at the call (found in review: a server took it, then
   * every accepted connection failed in its accept and leaked; a client's connect hung).
   */
  @Test
  void nonPositiveLimit_isRefusedAtTheCall() {
    Path path = dir.resolve("limit.sock");
    assertThatThrownBy(() -> Streams.startUnixServer(StreamsTest::echoLines, path, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> Streams.openUnixConnection(path, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThat(path).doesNotExist();
  }

  @Test
  void echo_ourClientAndServer_sameStreamsAsTcp_socketFileRemovedOnClose() throws Exception {
    Path path = dir.resolve("echo.sock");
    Server s = echoServer(path);
    assertThat(s.path()).isEqualTo(path);
    assertThat(s.port()).isEqualTo(-1);
    assertThat(s.addresses()).isEmpty();
    assertThat(path).exists();
    Connection c = await(Streams.openUnixConnection(path));
    c.writer().write("hello\nover a file\n");
    assertThat(await(c.reader().readLine())).isEqualTo("hello");
    assertThat(await(c.reader().readLine())).isEqualTo("over a file");
    assertThat(c.writer().remoteAddress()).isEqualTo(UnixDomainSocketAddress.of(path));
    c.writer().writeEof(); // half-close works on Unix sockets too
    assertThat(await(c.reader().readLine())).isNull();
    c.writer().close();
    s.close();
    await(s.waitClosed());
    assertThat(path).doesNotExist();
  }

  @Test
  void server_servesTheJdksBlockingSocket() throws Exception {
    Path path = dir.resolve("jdk.sock");
    Server s = echoServer(path);
    String got =
        loop.runUntilComplete(
            loop.runInExecutor(
                () -> {
                  try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                    ch.write(ByteBuffer.wrap("from the jdk\n".getBytes(StandardCharsets.UTF_8)));
                    ch.shutdownOutput();
                    ByteBuffer b = ByteBuffer.allocate(100);
                    while (ch.read(b) >= 0) {
                      // until the server closes
                    }
                    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
                  }
                }));
    assertThat(got).isEqualTo("from the jdk\n");
    s.close();
  }

  @Test
  void server_servesPythonsSocketModule() throws Exception {
    Path path = dir.resolve("py.sock");
    Server s = echoServer(path);
    Subprocess py =
        await(
            Subprocesses.exec(
                SubprocessOptions.pipes(),
                "python3",
                "-c",
                "import socket, sys\n"
                    + "c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
                    + "c.connect(sys.argv[1])\n"
                    + "c.sendall(b'from python\\n')\n"
                    + "c.shutdown(socket.SHUT_WR)\n"
                    + "data = b''\n"
                    + "while chunk := c.recv(100): data += chunk\n"
                    + "sys.stdout.write(data.decode())\n",
                path.toString()));
    Subprocess.Output out = await(py.communicate()); // the loop serves Python meanwhile
    assertThat(new String(out.stderr(), StandardCharsets.UTF_8)).isEmpty();
    assertThat(new String(out.stdout(), StandardCharsets.UTF_8)).isEqualTo("from python\n");
    assertThat(out.exitCode()).isZero();
    s.close();
  }

  @Test
  void startUnixServer_replacesAStaleSocketFile_butRefusesAnyOtherFile() throws Exception {
    Path stale = staleSocket("stale.sock");
    assertThat(stale).exists();
    servesAt(stale);
    // a symbolic link to a stale socket: the link goes, as asyncio's os.stat follows it (found
    // from outside: refused as "a file that is not a socket")
    servesAt(Files.createSymbolicLink(dir.resolve("link.sock"), staleSocket("stale2.sock")));

    Path regular = dir.resolve("notes.txt");
    Files.writeString(regular, "keep me");
    assertThatThrownBy(() -> echoServer(regular))
        .isInstanceOf(BindException.class)
        .hasMessageContaining(regular.toString());
    assertThat(Files.readString(regular)).isEqualTo("keep me");
  }

  /**
   * A server that accepts nothing, its backlog full: the next connect fails at once saying so
   * (found from outside: the JDK's "Resource temporarily unavailable" alone).
   */
  @Test
  void openUnixConnection_backlogFull_failsSayingSo() throws Exception {
    Path path = dir.resolve("full.sock");
    List<Connection> queued = new java.util.ArrayList<>();
    try (ServerSocketChannel idle = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      idle.bind(UnixDomainSocketAddress.of(path), 1);
      Throwable refused = null;
      for (int i = 0; i < 64 && refused == null; i++) {
        try {
          queued.add(
              await(
                  dev.coroutine.Coroutines.waitFor(
                      Streams.openUnixConnection(path), java.time.Duration.ofSeconds(2))));
        } catch (IOException e) {
          refused = e;
        } catch (java.util.concurrent.TimeoutException pending) {
          org.junit.jupiter.api.Assumptions.abort(
              "this system leaves a connect to a full backlog pending (the waiting branch)");
        }
      }
      assertThat(refused).as("a full backlog refuses a connect").isNotNull();
      assertThat(refused.getMessage()).contains("backlog is full").contains(path.toString());
    } finally {
      for (Connection c : queued) {
        c.writer().close();
      }
    }
  }

  /** A socket file no server listens on, as a crashed server leaves it. */
  private Path staleSocket(String name) throws IOException {
    Path p = dir.resolve(name);
    ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    dead.bind(UnixDomainSocketAddress.of(p));
    dead.close(); // the file stays
    return p;
  }

  /** An echo server starts at {@code path} and answers a line there. */
  private void servesAt(Path path) throws Exception {
    Server s = echoServer(path);
    Connection c = await(Streams.openUnixConnection(path));
    c.writer().write("x\n");
    assertThat(await(c.reader().readLine())).isEqualTo("x");
    c.writer().close();
    s.close();
  }

  @Test
  void openUnixConnection_nothingListening_failsNamingThePath() {
    Path missing = dir.resolve("nobody.sock");
    assertThatThrownBy(() -> await(Streams.openUnixConnection(missing)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString());
  }

  /**
   * The JDK's limit on a socket path is 106 bytes (asyncio takes 107, what Linux's 108-byte {@code
   * sun_path} holds with its NUL): a server at 106 bytes serves; at 107 both the server and the
   * client fail at their await with an IOException that says so, and no file is left behind.
   */
  @Test
  void pathOf107Bytes_isRefusedSayingItIsTooLong_106Serves() throws Exception {
    Path longest = pathOfBytes(106);
    servesAt(longest);
    assertThat(longest).doesNotExist();

    Path tooLong = pathOfBytes(107);
    assertThatThrownBy(() -> echoServer(tooLong))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("too long")
        .hasMessageContaining(tooLong.toString());
    assertThatThrownBy(() -> await(Streams.openUnixConnection(tooLong)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("too long")
        .hasMessageContaining(tooLong.toString());
    assertThat(tooLong).doesNotExist();
  }

  /** A path in {@link #dir} of exactly {@code bytes} bytes. */
  private Path pathOfBytes(int bytes) {
    int name = bytes - dir.toString().length() - 1;
    assertThat(name).as("room for a file name in " + dir).isGreaterThan(0);
    Path p = dir.resolve("s".repeat(name));
    assertThat(p.toString().getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
    return p;
  }

  @Test
  void close_leavesAFileThatReplacedTheSocketAlone() throws Exception {
    Path path = dir.resolve("moved.sock");
    Server s = echoServer(path);
    Files.delete(path);
    Files.writeString(path, "someone else's");
    s.close();
    assertThat(Files.readString(path)).isEqualTo("someone else's");
  }
}
