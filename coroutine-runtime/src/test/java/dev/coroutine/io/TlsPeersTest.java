package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.TestBase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our TLS streams against peers we did not write: the JDK's blocking {@code SSLSocket} (on a thread
 * of its own) and {@code openssl s_server} / {@code s_client} (Debian's openssl package; those
 * tests are skipped, saying why, where no {@code openssl} is on the PATH). Each peer also updates
 * its keys mid-stream (TLS 1.3 KeyUpdate) or renegotiates (TLS 1.2), and each side's close_notify
 * is checked to arrive.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsPeersTest extends TestBase {
  static final String HOST = "127.0.0.1";
  static TestCerts certs;

  /** What our handlers saw, in order. */
  final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void makeCertificates() {
    certs = TestCerts.get();
  }

  @Override
  protected <T> T run(Coroutine<T> c) {
    return loop.runUntilComplete(loop.createTask(c));
  }

  /** Runs the loop in short slices until {@code done} holds (a hang guard of 60 s). */
  void spinUntil(BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      run(Coroutines.sleep(Duration.ofMillis(20)));
    }
  }

  Coroutine<Void> echo(StreamReader r, StreamWriter w) {
    return new Machine<Void>() {
      @Override
      protected Object step(Object v, Throwable e) throws Throwable {
        if (e != null) {
          events.add("failed: " + e);
          throw e;
        }
        if (state == 1) {
          if (v == null) {
            events.add("eof");
            w.close();
            state = 2;
            return await(w.waitClosed());
          }
          w.write(v + "\n");
          state = 0;
          return await(w.drain());
        }
        if (state == 2) {
          events.add("closed");
          return null;
        }
        state = 1;
        return await(r.readLine());
      }
    }.coroutine();
  }

  String roundTrip(Connection c, String line) throws Exception {
    c.writer().write(line + "\n");
    run(c.writer().drain());
    return run(c.reader().readLine());
  }

  // ---- the JDK's SSLSocket -----------------------------------------------------------------

  /**
   * A blocking SSLSocket server on a thread: echoes lines; on "REKEY" it calls startHandshake() (a
   * KeyUpdate in TLS 1.3, a renegotiation in TLS 1.2) before answering; at the end of the stream
   * (our close_notify) it closes, sending its own.
   */
  CompletableFuture<List<String>> jdkServer(SSLServerSocket ss) {
    return CompletableFuture.supplyAsync(
        () -> {
          List<String> seen = new ArrayList<>();
          try (SSLSocket s = (SSLSocket) ss.accept()) {
            BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8);
            String line;
            while ((line = in.readLine()) != null) {
              seen.add(line);
              if (line.equals("REKEY")) {
                s.startHandshake();
                seen.add("rekeyed " + s.getSession().getProtocol());
              }
              out.write(line + "\n");
              out.flush();
            }
            seen.add("eof");
          } catch (IOException e) {
            seen.add("failed: " + e);
          }
          return seen;
        });
  }

  /**
   * A peer that never answers our close_notify (it stops reading): past the shutdown timeout the
   * connection is aborted and waitClosed() says so, as asyncio's TimeoutError('SSL shutdown timed
   * out') (CPython 3.11-3.13); it completed as a clean close (found from outside).
   */
  @Test
  void closeNotifyNeverAnswered_waitClosedThrowsTheShutdownTimeout() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (SSLServerSocket ss =
        (SSLServerSocket)
            certs
                .serverContext()
                .getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getByName(HOST))) {
      CompletableFuture<Void> server =
          CompletableFuture.runAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                  s.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                  s.getOutputStream().flush();
                  release.await(); // reads nothing more: our close_notify is never answered
                } catch (IOException | InterruptedException e) {
                  // ending anyway
                }
              });
      Connection c =
          run(
              Streams.openConnection(
                  HOST,
                  ss.getLocalPort(),
                  certs.clientContext(),
                  TlsOptions.defaults().withShutdownTimeout(Duration.ofMillis(300))));
      assertThat(run(c.reader().readLine())).isEqualTo("hello");
      c.writer().close();
      assertThatThrownBy(() -> run(c.writer().waitClosed()))
          .isInstanceOf(java.net.SocketTimeoutException.class)
          .hasMessageContaining("TLS shutdown with")
          .hasMessageContaining("timed out");
      release.countDown();
      server.get(20, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  void ourClient_againstJdkServer(String protocol) throws Exception {
    try (SSLServerSocket ss =
        (SSLServerSocket)
            certs
                .serverContext()
                .getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getByName(HOST))) {
      ss.setEnabledProtocols(new String[] {protocol});
      CompletableFuture<List<String>> server = jdkServer(ss);
      Connection c = run(Streams.openConnection(HOST, ss.getLocalPort(), certs.clientContext()));
      assertThat(c.writer().sslSession().getProtocol()).isEqualTo(protocol);
      assertThat(roundTrip(c, "one")).isEqualTo("one");
      assertThat(roundTrip(c, "REKEY")).isEqualTo("REKEY");
      for (int i = 0; i < 50; i++) {
        assertThat(roundTrip(c, "after " + i)).isEqualTo("after " + i); // the new keys work
      }
      c.writer().close();
      run(c.writer().waitClosed()); // finished: the server's close_notify came back
      spinUntil(server::isDone, "the SSLSocket server to end");
      List<String> seen = server.get();
      assertThat(seen).startsWith("one", "REKEY", "rekeyed " + protocol);
      assertThat(seen).endsWith("after 49", "eof"); // it read our close_notify as the end
    }
  }

  /**
   * A peer that ends the TCP connection without close_notify right after the handshake: our line,
   * written after its end, draws a reset from its kernel, and our close_notify (the shutdown its
   * end starts) then fails with "Broken pipe". That failure is our shutdown's, not the stream's:
   * the reader sees the end of the stream and waitClosed() returns, as CPython's (found from
   * outside: ours threw "Broken pipe" from read() and waitClosed() every time).
   */
  @Test
  void peerEndsWithoutCloseNotify_ourShutdownsFailedWrite_isNotTheReadersError() throws Exception {
    try (java.net.ServerSocket plain =
        new java.net.ServerSocket(0, 10, InetAddress.getByName(HOST))) {
      CompletableFuture<Void> peer =
          CompletableFuture.runAsync(
              () -> {
                try (java.net.Socket tcp = plain.accept()) {
                  javax.net.ssl.SSLSocket tls =
                      (javax.net.ssl.SSLSocket)
                          certs.serverContext().getSocketFactory().createSocket(tcp, null, false);
                  tls.setUseClientMode(false);
                  tls.startHandshake();
                  tls.getOutputStream().flush();
                  // closes the TCP socket under the TLS one: a FIN, no close_notify
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Connection c = run(Streams.openConnection(HOST, plain.getLocalPort(), certs.clientContext()));
      peer.get(20, TimeUnit.SECONDS);
      // the loop is idle between runs: the peer's FIN waits unread, our line goes out after it
      Thread.sleep(200);
      c.writer().write("too late\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      Thread.sleep(200); // the reset our line draws is here
      assertThat(run(c.reader().read(100))).as("the end of the stream").isEmpty();
      run(c.writer().waitClosed()); // returns: nothing failed but our close_notify
    }
  }

  @Test
  void ourClient_jdkSslServerSocket_tls13_keyUpdateMidStream_andCloseNotify() throws Exception {
    ourClient_againstJdkServer("TLSv1.3");
  }

  @Test
  void ourClient_jdkSslServerSocket_tls12_renegotiationMidStream_andCloseNotify() throws Exception {
    ourClient_againstJdkServer("TLSv1.2");
  }

  @Test
  void jdkSslSocketClient_ourServer_keyUpdate_thenHalfCloseGetsOurCloseNotify() throws Exception {
    Server s = run(Streams.startServer(this::echo, HOST, 0, certs.serverContext()));
    CompletableFuture<List<String>> client =
        CompletableFuture.supplyAsync(
            () -> {
              List<String> seen = new ArrayList<>();
              try (SSLSocket sock =
                  (SSLSocket)
                      certs.clientContext().getSocketFactory().createSocket(HOST, s.port())) {
                javax.net.ssl.SSLParameters p = sock.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                sock.setSSLParameters(p);
                BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = sock.getOutputStream();
                for (int i = 0; i < 20; i++) {
                  if (i == 10) {
                    sock.startHandshake(); // TLS 1.3: a KeyUpdate from the client
                    seen.add("rekeyed");
                  }
                  out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                  out.flush();
                  seen.add(in.readLine());
                }
                sock.shutdownOutput(); // TLS 1.3 half-close: our close_notify
                seen.add(in.readLine() == null ? "eof" : "more data"); // theirs comes back
              } catch (Exception e) {
                seen.add("failed: " + e);
              }
              return seen;
            });
    spinUntil(client::isDone, "the SSLSocket client to end");
    List<String> seen = client.get();
    assertThat(seen).contains("line 0", "rekeyed", "line 19").endsWith("eof");
    spinUntil(() -> events.contains("closed"), "the handler to close");
    assertThat(events).containsExactly("eof", "closed");
    s.close();
    run(s.waitClosed());
  }

  /**
   * A client whose last handshake flight, a line and its close_notify reach our server in one read
   * (the JDK's SSLEngine, its records held back and written at once): the handshake ends and the
   * peer's close arrives in the same step. asyncio runs the handler, which reads the line and the
   * end (CPython 3.11 and 3.13, 10 of 10); ours dropped the connection without a word and the line
   * with it, the handler never started (found from outside: 0-5 of 10 ran).
   */
  @Test
  void handshakeDataAndCloseNotifyInOneRead_theHandlerStillRuns_andReadsTheLineAndTheEnd()
      throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    StreamHandler reading =
        (r, w) ->
            new Machine<Void>() {
              @Override
              protected Object step(Object v, Throwable e) throws Throwable {
                if (e != null) {
                  seen.add("failed: " + e);
                  throw e;
                }
                if (state == 0) {
                  state = 1;
                  return await(r.read(-1));
                }
                seen.add("read " + new String((byte[]) v, StandardCharsets.UTF_8).trim());
                w.close();
                return null;
              }
            }.coroutine();
    Server s = run(Streams.startServer(reading, HOST, 0, certs.serverContext()));
    int clients = 5;
    CompletableFuture<Void> sending =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < clients; i++) {
                sendCoalesced(s.port(), "hello " + i + "\n");
              }
            });
    spinUntil(() -> sending.isDone() && seen.size() == clients, clients + " handlers to read");
    sending.get();
    assertThat(seen)
        .containsExactly(
            "read hello 0", "read hello 1", "read hello 2", "read hello 3", "read hello 4");
    s.close();
    run(s.waitClosed());
  }

  /**
   * Handshakes with the JDK's SSLEngine over a blocking channel, holding back its last flight; then
   * writes that flight, {@code line} and close_notify in one write, and reads to the end.
   */
  static void sendCoalesced(int port, String line) {
    try (java.nio.channels.SocketChannel ch =
        java.nio.channels.SocketChannel.open(new java.net.InetSocketAddress(HOST, port))) {
      javax.net.ssl.SSLEngine engine = certs.clientContext().createSSLEngine(HOST, port);
      engine.setUseClientMode(true);
      int packet = engine.getSession().getPacketBufferSize();
      ByteBuffer in = ByteBuffer.allocate(4 * packet);
      ByteBuffer app = ByteBuffer.allocate(4 * engine.getSession().getApplicationBufferSize());
      ByteBuffer out = ByteBuffer.allocate(4 * packet);
      java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();
      engine.beginHandshake();
      javax.net.ssl.SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
      while (hs != javax.net.ssl.SSLEngineResult.HandshakeStatus.FINISHED
          && hs != javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
        switch (hs) {
          case NEED_WRAP -> {
            out.clear();
            hs = engine.wrap(ByteBuffer.allocate(0), out).getHandshakeStatus();
            held.write(out.array(), 0, out.position());
          }
          case NEED_TASK -> {
            Runnable t;
            while ((t = engine.getDelegatedTask()) != null) {
              t.run();
            }
            hs = engine.getHandshakeStatus();
          }
          default -> { // NEED_UNWRAP: what we hold goes out first, then the server's answer
            if (held.size() > 0) {
              ch.write(ByteBuffer.wrap(held.toByteArray()));
              held.reset();
            }
            in.flip();
            javax.net.ssl.SSLEngineResult r = engine.unwrap(in, app);
            in.compact();
            if (r.getStatus() == javax.net.ssl.SSLEngineResult.Status.BUFFER_UNDERFLOW
                && ch.read(in) < 0) {
              throw new IOException("the server closed during the handshake");
            }
            hs = engine.getHandshakeStatus();
          }
        }
      }
      out.clear();
      engine.wrap(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), out);
      engine.closeOutbound();
      while (!engine.isOutboundDone()) {
        engine.wrap(ByteBuffer.allocate(0), out);
      }
      held.write(out.array(), 0, out.position());
      ch.write(ByteBuffer.wrap(held.toByteArray())); // the last flight, the line, close_notify
      while (ch.read(in.clear()) >= 0) {
        // the server's answer and close_notify: not looked at
      }
    } catch (Exception e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }

  // ---- openssl s_server / s_client ---------------------------------------------------------

  static boolean hasOpenssl() {
    try {
      Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** A peer process whose output lines are collected by a thread. */
  static final class Peer implements AutoCloseable {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Writer stdin;

    /** Copies the process's output into {@link #lines} until it ends. */
    private final Thread reader;

    Peer(List<String> cmd) throws IOException {
      Assumptions.assumeTrue(
          hasOpenssl(),
          "openssl is not on the PATH: install Debian's openssl package (README, requirements)");
      List<String> full = new ArrayList<>();
      if (new java.io.File("/usr/bin/stdbuf").canExecute()) {
        full.addAll(List.of("/usr/bin/stdbuf", "-o0")); // openssl's BIO output is block-buffered
      }
      full.addAll(cmd);
      process = new ProcessBuilder(full).redirectErrorStream(true).start();
      stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String l;
                  while ((l = r.readLine()) != null) {
                    lines.add(l);
                  }
                } catch (IOException ignored) {
                  // the process ended
                }
              },
              "openssl-output");
      reader.setDaemon(true);
      reader.start();
    }

    /**
     * Waits, running the test's loop (the server's side of the handshake), for the process to exit
     * and for {@link #lines} to hold all it printed: the reader may still be copying the last lines
     * when the process is gone.
     */
    int awaitExit(TlsPeersTest test) throws InterruptedException {
      test.spinUntil(() -> !process.isAlive(), "openssl to exit: " + lines);
      reader.join(TimeUnit.SECONDS.toMillis(60));
      return process.exitValue();
    }

    boolean printed(String s) {
      return lines.stream().anyMatch(l -> l.contains(s));
    }

    void send(String line) throws IOException {
      stdin.write(line + "\n");
      stdin.flush();
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    }
  }

  /** {@code openssl s_server} on {@code port} for one connection, with our server certificate. */
  Peer opensslServer(int port, String... options) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("openssl", "s_server"));
    cmd.addAll(List.of(options));
    cmd.addAll(
        List.of(
            "-accept",
            HOST + ":" + port,
            "-naccept",
            "1",
            "-cert",
            certs.serverChainPem.toString(),
            "-key",
            certs.serverKeyPem.toString()));
    return new Peer(cmd);
  }

  @Test
  void ourClient_opensslServer_keyUpdateRequested_andCloseNotifyBothWays() throws Exception {
    int port = freePort();
    try (Peer server = opensslServer(port)) {
      spinUntil(() -> server.printed("ACCEPT"), "s_server to listen: " + server.lines);
      Connection c = run(Streams.openConnection(HOST, port, certs.clientContext()));
      assertThat(c.writer().sslSession().getProtocol()).isEqualTo("TLSv1.3");
      c.writer().write("ping from java\n");
      run(c.writer().drain());
      spinUntil(() -> server.printed("ping from java"), "s_server to print our line");
      server.send("K"); // s_server: a KeyUpdate asking us to update ours too
      // s_server takes a whole read of its input as the command: the next line must come later
      spinUntil(() -> server.printed("SSL_do_handshake -> 1"), "s_server's KeyUpdate");
      server.send("pong from openssl");
      assertThat(run(c.reader().readLine())).isEqualTo("pong from openssl");
      c.writer().write("after the key update\n");
      run(c.writer().drain());
      spinUntil(() -> server.printed("after the key update"), "s_server to read with the new keys");
      c.writer().close();
      run(c.writer().waitClosed()); // s_server answered our close_notify with its own
      server.awaitExit(this); // -naccept 1: it ends; and its last lines are read (a fresh-clone
      // build failed once here: the process had exited, its output not read yet)
      assertThat(server.lines).anyMatch(l -> l.contains("DONE") || l.contains("shut down"));
    }
  }

  /**
   * s_server renegotiates a TLS 1.2 connection (its "r" command) while our client keeps writing:
   * nothing of ours may reach it between the handshake's messages. Found from outside: our
   * transport wrapped application data whenever the engine took it, the JDK's engine takes it in
   * the middle of a renegotiation, and OpenSSL 3 answers such a record with a fatal
   * unexpected_message alert.
   */
  @Test
  void ourClient_opensslServer_tls12_renegotiationWhileWeWrite_losesNothing() throws Exception {
    int port = freePort();
    try (Peer server = opensslServer(port, "-tls1_2")) {
      spinUntil(() -> server.printed("ACCEPT"), "s_server to listen: " + server.lines);
      Connection c = run(Streams.openConnection(HOST, port, certs.clientContext()));
      assertThat(c.writer().sslSession().getProtocol()).isEqualTo("TLSv1.2");
      int count = 4000;
      for (int i = 0; i < count; i++) {
        c.writer().write("line " + i + "\n");
        run(c.writer().drain());
        if (i % 400 == 20) {
          server.send("r"); // s_server: renegotiate, while we go on writing (ten times: a race)
        }
      }
      spinUntil(
          () -> server.printed("line " + (count - 1)) || !server.process.isAlive(),
          "s_server to print our last line: " + server.lines);
      assertThat(server.lines)
          .as("s_server's output")
          .anyMatch(l -> l.contains("SSL_do_handshake -> 1"))
          .noneMatch(l -> l.contains("unexpected") || l.contains("error"));
      for (int i = 0; i < count; i++) {
        assertThat(server.printed("line " + i)).as("line " + i).isTrue();
      }
      c.writer().close();
      run(c.writer().waitClosed());
    }
  }

  /**
   * The peer asks for a handshake (TLS 1.2's HelloRequest, "r"; TLS 1.3's KeyUpdate asking for
   * ours, "K") just as we close: the request is still in our socket when our close_notify goes. RFC
   * 5246 7.4.1.1 lets a client ignore it; the JDK's engine begins a handshake it can no longer
   * answer and then fails on the peer's close_notify ("Received close_notify during handshake"):
   * waitClosed() raised it after every byte had gone (a fresh-clone CI run failed so). Made certain
   * here by keeping the loop still until s_server has sent the request.
   */
  @ParameterizedTest
  @CsvSource({"-tls1_2, r", "-tls1_3, K"})
  void theServerAsksForAHandshake_asWeClose_theCloseIsClean(String version, String command)
      throws Exception {
    int port = freePort();
    try (Peer server = opensslServer(port, version)) {
      spinUntil(() -> server.printed("ACCEPT"), "s_server to listen: " + server.lines);
      Connection c = run(Streams.openConnection(HOST, port, certs.clientContext()));
      c.writer().write("the last line\n");
      run(c.writer().drain());
      spinUntil(() -> server.printed("the last line"), "s_server to print our line");
      server.send(command);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!server.printed("SSL_do_handshake -> 1")) { // the loop stays still: nothing read
        assertThat(System.nanoTime())
            .as("s_server's request: " + server.lines)
            .isLessThan(deadline);
        Thread.sleep(5);
      }
      c.writer().close();
      run(c.writer().waitClosed());
      server.awaitExit(this);
      assertThat(server.lines).as("s_server's output").noneMatch(l -> l.contains("error"));
    }
  }

  /**
   * The server's side of the same race: s_client renegotiates ("R") as our handler closes. The
   * handler holds the loop until s_client has sent its ClientHello, so the request waits in our
   * socket behind our close_notify. s_client, inside its handshake, answers our close_notify only
   * by ending when its input ends: the handler's close must then end cleanly, not at the shutdown
   * timer and not with the handshake's failure.
   */
  @Test
  void theClientRenegotiates_asOurServerCloses_theCloseIsClean() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Peer> peer =
        new java.util.concurrent.atomic.AtomicReference<>();
    Server s =
        run(
            Streams.startServer(
                (r, w) ->
                    new Machine<Void>() {
                      @Override
                      protected Object step(Object v, Throwable e) throws Throwable {
                        if (e != null) {
                          events.add("failed: " + e);
                          throw e;
                        }
                        if (state == 0) {
                          state = 1;
                          return await(r.readLine());
                        }
                        if (state == 1) {
                          events.add("read " + v);
                          Peer client = peer.get();
                          client.send("R"); // blocking the loop: nothing of the request is read
                          while (!client.printed("RENEGOTIATING")) {
                            Thread.sleep(5);
                          }
                          Thread.sleep(50); // its ClientHello on the way
                          events.add("closing");
                          w.close();
                          state = 2;
                          return await(w.waitClosed());
                        }
                        events.add("closed");
                        return null;
                      }
                    }.coroutine(),
                HOST,
                0,
                certs.serverContext()));
    List<String> cmd = List.of("openssl", "s_client", "-tls1_2", "-connect", HOST + ":" + s.port());
    try (Peer client = new Peer(cmd)) {
      peer.set(client);
      client.send("hello");
      spinUntil(() -> events.contains("closing"), "the handler to close: " + events);
      run(Coroutines.sleep(Duration.ofMillis(300)));
      client.stdin.close(); // s_client, in its handshake, answers nothing until its input ends
      spinUntil(
          () -> events.contains("closed") || events.stream().anyMatch(x -> x.startsWith("failed")),
          "the handler to end: " + events);
      assertThat(events).containsExactly("read hello", "closing", "closed");
      client.awaitExit(this);
    }
    s.close();
    run(s.waitClosed());
  }

  /** {@code openssl s_client} to our server on {@code port}, checking our certificate and name. */
  Peer verifyingClient(int port) throws IOException {
    return new Peer(
        List.of(
            "openssl",
            "s_client",
            "-connect",
            HOST + ":" + port,
            "-CAfile",
            certs.caPem.toString(),
            "-verify_return_error",
            "-verify_hostname",
            "localhost",
            "-servername",
            "localhost"));
  }

  @Test
  void opensslClient_ourServer_verifiesUs_keyUpdate_andCloseNotifyBothWays() throws Exception {
    Server s = run(Streams.startServer(this::echo, HOST, 0, certs.serverContext()));
    try (Peer client = verifyingClient(s.port())) {
      client.send("hello from openssl");
      spinUntil(
          () -> client.lines.stream().filter(l -> l.equals("hello from openssl")).count() >= 1,
          "our echo in s_client's output: " + client.lines);
      client.send("K"); // s_client: a KeyUpdate asking us to update ours
      spinUntil(() -> client.printed("KEYUPDATE"), "s_client to send a KeyUpdate: " + client.lines);
      client.send("after the key update");
      spinUntil(
          () -> client.lines.stream().filter(l -> l.equals("after the key update")).count() >= 1,
          "the echo after the key update: " + client.lines + " " + events);
      client.stdin.close(); // s_client sends close_notify at the end of its input
      assertThat(client.awaitExit(this)).as("s_client's exit status: " + client.lines).isZero();
      assertThat(client.lines).anyMatch(l -> l.contains("Verify return code: 0 (ok)"));
      assertThat(client.lines).anyMatch(l -> l.contains("TLSv1.3"));
      spinUntil(() -> events.contains("closed"), "the handler to close");
      assertThat(events).containsExactly("eof", "closed");
    }
    s.close();
    run(s.waitClosed());
  }

  @Test
  void opensslClientKilled_noCloseNotify_ourServerClosesAtOnce_notAtItsShutdownTimeout()
      throws Exception {
    // a peer that ends without close_notify (killed, crashed): the end of the stream starts our
    // shutdown, and nothing drove it until the shutdown timer, 30 s by default, kept the
    // connection (found from outside against CPython's ssl; here the timer is an hour, so only the
    // end of the stream can close it within spinUntil's minute)
    Server s =
        run(
            Streams.startServer(
                this::echo,
                HOST,
                0,
                certs.serverContext(),
                TlsOptions.defaults().withShutdownTimeout(Duration.ofHours(1))));
    try (Peer client = verifyingClient(s.port())) {
      client.send("hello before the end");
      spinUntil(
          () -> client.lines.stream().anyMatch(l -> l.equals("hello before the end")),
          "our echo in s_client's output: " + client.lines);
      client.process.destroyForcibly(); // SIGKILL: the kernel ends the stream, no close_notify
      spinUntil(() -> events.contains("closed"), "the handler to close: " + events);
      assertThat(events).containsExactly("eof", "closed");
    }
    s.close();
    run(s.waitClosed());
  }

  @Test
  void opensslClient_withoutOurCa_failsVerification_andTheServerServesOthers() throws Exception {
    Server s = run(Streams.startServer(this::echo, HOST, 0, certs.serverContext()));
    try (Peer client =
        new Peer(
            List.of(
                "openssl",
                "s_client",
                "-connect",
                HOST + ":" + s.port(),
                "-no-CAfile",
                "-no-CApath",
                "-no-CAstore",
                "-verify_return_error"))) {
      client.stdin.close();
      assertThat(client.awaitExit(this)).as("s_client's exit status").isNotZero();
      assertThat(client.lines).anyMatch(l -> l.contains("verify error"));
    }
    Connection c = run(Streams.openConnection(HOST, s.port(), certs.clientContext()));
    assertThat(roundTrip(c, "still serving")).isEqualTo("still serving");
    c.writer().close();
    run(c.writer().waitClosed());
    s.close();
    run(s.waitClosed());
  }
}
