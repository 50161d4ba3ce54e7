package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.Coroutine;
import dev.coroutine.TestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that closes while we write: it reads a little, sends its last bytes (or a TLS
 * close_notify) and closes with our data unread, so its kernel resets the connection, and our next
 * write fails. What the peer sent before is still in our socket (found from outside, against
 * CPython's asyncio as the TLS peer: its clean close reached our reader as "Broken pipe"): the
 * reader gets it, as it would had the loop read it before the write. The loop does not run between
 * the steps here, so nothing is read before the failing write whatever the timing; the peers are
 * blocking JDK sockets on threads of their own.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WriteAfterPeerCloseTest extends TestBase {
  private static final byte[] CHUNK = new byte[64 * 1024];

  @Override
  protected <T> T run(Coroutine<T> c) {
    return loop.runUntilComplete(loop.createTask(c));
  }

  /** Opened by the test once its first write was drained: the peers close only then. */
  private final CountDownLatch firstWriteDone = new CountDownLatch(1);

  /**
   * Runs {@code first} on the accepted socket on a thread, then, once {@link #firstWriteDone}
   * opens, {@code last}, then closes the socket; the latch returned opens once it is closed.
   */
  private CountDownLatch serve(ServerSocket listener, PeerScript first, PeerScript last) {
    CountDownLatch closed = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              try (Socket s = listener.accept()) {
                first.run(s);
                firstWriteDone.await();
                last.run(s);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              } finally {
                closed.countDown();
              }
            },
            "closing peer");
    t.setDaemon(true);
    t.start();
    return closed;
  }

  interface PeerScript {
    void run(Socket s) throws IOException;
  }

  /**
   * Writes a first chunk and drains it, lets the peer go on (see {@link #serve}), then waits until
   * it closed and a moment more for its reset to arrive; the loop does not run meanwhile.
   */
  private void writeUntilThePeerIsGone(Connection c, CountDownLatch closed) throws Exception {
    c.writer().write(CHUNK);
    run(c.writer().drain());
    firstWriteDone.countDown();
    assertThat(closed.await(30, TimeUnit.SECONDS)).as("the peer closed").isTrue();
    Thread.sleep(200);
  }

  @Test
  void tcp_thePeersLastBytes_reachTheReader_afterTheWriteThatFoundItGone() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CountDownLatch closed =
          serve(
              listener,
              s -> s.getInputStream().readNBytes(10), // the rest stays unread: close resets
              s -> {
                OutputStream out = s.getOutputStream();
                out.write("goodbye\n".getBytes(StandardCharsets.UTF_8)); // while we do not read
                out.flush();
              });
      Connection c = run(Streams.openConnection("127.0.0.1", listener.getLocalPort()));
      writeUntilThePeerIsGone(c, closed);
      c.writer().write(CHUNK); // into the reset connection
      assertThatThrownBy(() -> run(c.writer().drain())).isInstanceOf(IOException.class);
      assertThat(new String(run(c.reader().read(100)), StandardCharsets.UTF_8))
          .isEqualTo("goodbye\n");
      assertThatThrownBy(() -> run(c.writer().waitClosed())).isInstanceOf(IOException.class);
      assertThat(c.writer().isClosing()).isTrue();
    }
  }

  /**
   * A reader that falls behind (its buffer limit reached, so reading paused) still gets all of a
   * long last response once it reads on: the transport stays open for it (found in review: pausing
   * closed it with the write's error, dropping what the kernel held).
   */
  @Test
  void tcp_aLongLastResponse_reachesAReaderThatFellBehind() throws Exception {
    int lines = 2_000;
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CountDownLatch closed =
          serve(
              listener,
              s -> s.getInputStream().readNBytes(10),
              s -> {
                StringBuilder tail = new StringBuilder();
                for (int i = 0; i < lines; i++) {
                  tail.append(String.format("line %08d%n", i));
                }
                s.getOutputStream().write(tail.toString().getBytes(StandardCharsets.UTF_8));
              });
      Connection c = run(Streams.openConnection("127.0.0.1", listener.getLocalPort(), 1024));
      writeUntilThePeerIsGone(c, closed);
      c.writer().write(CHUNK);
      assertThatThrownBy(() -> run(c.writer().drain())).isInstanceOf(IOException.class);
      for (int i = 0; i < lines; i++) {
        assertThat(run(c.reader().readLine())).isEqualTo(String.format("line %08d", i));
      }
      // then the end: the reset the peer's close made, or a clean end where the failed write
      // already took the reset's error (the kernel reports a reset once)
      String after;
      try {
        after = run(c.reader().readLine());
      } catch (IOException reset) {
        after = null;
      }
      assertThat(after).isNull();
      assertThat(c.writer().isClosing()).isTrue();
    }
  }

  /**
   * The peer read everything, answered and closed cleanly; our next writes find it gone. The reader
   * gets the answer and a clean end (found in review: it got the write's error instead), while
   * drains and {@code waitClosed()} report the failed write.
   */
  @Test
  void tcp_thePeersCleanEnd_staysCleanForTheReader_afterAWriteFoundItGone() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CountDownLatch closed =
          serve(
              listener,
              s -> s.getInputStream().readNBytes(CHUNK.length), // all of it: a clean close
              s -> s.getOutputStream().write("goodbye".getBytes(StandardCharsets.UTF_8)));
      Connection c = run(Streams.openConnection("127.0.0.1", listener.getLocalPort()));
      writeUntilThePeerIsGone(c, closed);
      c.writer().write(CHUNK); // arrives at a closed socket: the peer's kernel resets
      Thread.sleep(200);
      c.writer().write(CHUNK); // finds the reset
      assertThatThrownBy(() -> run(c.writer().drain())).isInstanceOf(IOException.class);
      assertThat(new String(run(c.reader().read(-1)), StandardCharsets.UTF_8)).isEqualTo("goodbye");
      assertThat(c.reader().atEof()).isTrue();
      assertThat(c.reader().exception()).isNull();
      assertThatThrownBy(() -> run(c.writer().waitClosed())).isInstanceOf(IOException.class);
    }
  }

  @Test
  void tls_thePeersCloseNotify_isACleanEndForTheReader_evenWhenAWriteFoundTheResetFirst()
      throws Exception {
    TestCerts certs = TestCerts.get();
    try (SSLServerSocket listener =
        (SSLServerSocket)
            certs
                .serverContext()
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CountDownLatch closed =
          serve(
              listener,
              s -> {
                ((SSLSocket) s).startHandshake();
                InputStream in = s.getInputStream();
                in.readNBytes(10); // then close: close_notify, and a reset for what is unread
              },
              s -> {});
      Connection c =
          run(Streams.openConnection("127.0.0.1", listener.getLocalPort(), certs.clientContext()));
      writeUntilThePeerIsGone(c, closed);
      c.writer().write(CHUNK);
      assertThatThrownBy(() -> run(c.writer().drain())).isInstanceOf(IOException.class);
      assertThat(c.writer().isClosing()).isTrue();
      // as asyncio's reader after the peer's close_notify: its end of stream, no error
      assertThat(run(c.reader().read(10))).isEmpty();
      assertThat(c.reader().atEof()).isTrue();
      assertThat(c.reader().exception()).isNull();
      run(c.writer().waitClosed());
    }
  }
}
