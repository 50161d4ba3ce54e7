package dev.coroutine.io;

import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Handle;
import dev.coroutine.internal.NeverFailingLogger;
import dev.coroutine.internal.RuntimeHandoff;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * TLS over any {@link Transport}: an {@link SSLEngine} between the transport below (ciphertext) and
 * the protocol above (plaintext, normally a {@link StreamReader}), as asyncio's {@code sslproto}
 * layers TLS over any transport and Netty's {@code SslHandler} over any channel. It is the protocol
 * of the transport below and the transport of the protocol above.
 *
 * <p>Invariant: {@link #netIn} holds ciphertext received and not yet unwrapped in {@code [0,
 * position)}; {@link #pending} holds plaintext written while the engine could not take it (before
 * the handshake finished, or during a renegotiation). Everything the engine produces is written
 * below at once, so back-pressure is the lower transport's: {@link #mustDrain()} and {@link
 * #drainFuture()} are its own. {@link #pump()} is the one place that drives the engine: it runs
 * delegated tasks, wraps, unwraps and finishes the handshake until nothing more can happen without
 * new input; it never re-enters (a nested call sets {@link #again}).
 *
 * <p>Closing ({@link #close()}) sends {@code close_notify} once pending plaintext is sent, then
 * reads until the peer's {@code close_notify} (or its end of stream) and closes the transport
 * below, so no unread input turns the close into a reset; past the shutdown timeout it aborts. As
 * in asyncio, a TLS connection does not half-close: the peer's {@code close_notify} (or its end of
 * stream) reaches the reader as the end of the stream and starts the same shutdown at once, and
 * later writes are dropped as on a lost connection.
 */
final class TlsTransport implements Transport, Protocol {
  private static final System.Logger LOG = NeverFailingLogger.of("dev.coroutine.io.tls");
  private static final byte[] NONE = new byte[0];
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  /** The loop. */
  private final EventLoop loop;

  /** The transport below, carrying ciphertext. */
  private final Transport inner;

  /** The TLS state machine. */
  private final SSLEngine engine;

  /** Timeouts and the delegated task executor. */
  private final TlsOptions options;

  /** Who the peer is, for messages: "host:port (address)" or "client address". */
  private final String peer;

  /** Receives plaintext; null until {@link #setProtocol}. */
  private Protocol app;

  /** Ciphertext received, not yet unwrapped, in [0, position). */
  private ByteBuffer netIn;

  /** What {@link SSLEngine#wrap} writes into; sent below at once. */
  private ByteBuffer netOut;

  /** Receives plaintext that arrives after close() (it is discarded), made when needed. */
  private ByteBuffer discard;

  /**
   * The engine's last result said a handshake is under way (once established: a renegotiation, or a
   * TLS 1.3 key update's answer): what the application writes then waits in {@link #pending} (see
   * {@link #write}). Taken from the results rather than asked of the engine, whose {@code
   * getHandshakeStatus()} takes a lock, on every write.
   */
  private boolean handshaking;

  /** Plaintext the engine has not taken yet: {@code pending[0, pendingLen)}. */
  private byte[] pending = NONE;

  /** Bytes in {@link #pending}. */
  private int pendingLen;

  /** Completed when the first handshake finished, or failed with the reason it did not. */
  private final Future<Void> handshake;

  /** Completed when the transport below is closed. */
  private final Future<Void> closed;

  /** The handshake or shutdown timer, or null. */
  private Handle timer;

  /** The first handshake finished. */
  private boolean established;

  /** The shutdown started: close() or abort() was called, or the peer closed its side. */
  private boolean closing;

  /** close() or abort() was called: writes are dropped from now on, as asyncio's. */
  private boolean userClosed;

  /** The transport below reported connectionLost: nothing more happens. */
  private boolean done;

  /** The reader above asked to stop receiving. */
  private boolean appPaused;

  /** The transport below sent its end of stream. */
  private boolean innerEof;

  /** Writes dropped because the connection was closed or lost ({@link IoFrames#droppedWrite}). */
  private int droppedWrites;

  /** The end of the stream was passed up (after close_notify or the transport's end). */
  private boolean eofSent;

  /**
   * The peer began a handshake after our close_notify went: the engine is given nothing more (see
   * {@link #unwrap}), and the close ends at the peer's end of stream.
   */
  private boolean handshakeAfterOurClose;

  /** Delegated tasks are running on the executor: the engine waits for them. */
  private boolean tasksRunning;

  /** Inside {@link #pump()}. */
  private boolean pumping;

  /** A nested {@link #pump()} was asked for while pumping: go round once more. */
  private boolean again;

  /** The error that ended the connection (a TLS failure), or null. */
  private Throwable failure;

  /** Runs {@link #pump()} from a later loop iteration. */
  private final Runnable pumpLater = this::pump;

  private TlsTransport(Transport inner, SSLEngine engine, TlsOptions options, String peer) {
    this.loop = inner.loop();
    this.inner = inner;
    this.engine = engine;
    this.options = options;
    this.peer = peer;
    SSLSession s = engine.getSession();
    this.netIn = ByteBuffer.allocate(s.getPacketBufferSize());
    this.netOut = ByteBuffer.allocate(s.getPacketBufferSize());
    this.handshake = loop.createFuture();
    this.closed = loop.createFuture();
  }

  /**
   * The client side of TLS over {@code inner}, connected to {@code host:port}: SNI and host name
   * verification use {@link TlsOptions#serverHostname()} or else {@code host}.
   */
  static TlsTransport client(Transport inner, SSLContext ctx, TlsOptions o, String host, int port) {
    String name = o.serverHostname() != null ? o.serverHostname() : host;
    SSLEngine e = name == null ? ctx.createSSLEngine() : ctx.createSSLEngine(name, port);
    e.setUseClientMode(true);
    SSLParameters p = e.getSSLParameters();
    if (o.checkHostname()) {
      if (name == null) {
        throw new IllegalArgumentException(
            "a TLS client needs the server's host name to check its certificate: give"
                + " TlsOptions.withServerHostname(name), or withCheckHostname(false)");
      }
      p.setEndpointIdentificationAlgorithm("HTTPS");
    }
    if (name != null && !Streams.isIpLiteral(name)) {
      try {
        p.setServerNames(List.of(new SNIHostName(name)));
      } catch (IllegalArgumentException notAHostName) {
        // no SNI for a name SNI cannot carry; the certificate check still uses it
      }
    }
    apply(e, p, o);
    String peer =
        (host != null ? host + ":" + port : "server")
            + (name != null && !name.equals(host) ? " as " + name : "")
            + " ("
            + inner.remoteAddress()
            + ")";
    return new TlsTransport(inner, e, o, peer);
  }

  /** The server side of TLS over {@code inner}. */
  static TlsTransport server(Transport inner, SSLContext ctx, TlsOptions o) {
    SSLEngine e = ctx.createSSLEngine();
    e.setUseClientMode(false);
    SSLParameters p = e.getSSLParameters();
    if (o.clientAuth() == TlsOptions.ClientAuth.NEED) {
      p.setNeedClientAuth(true);
    } else if (o.clientAuth() == TlsOptions.ClientAuth.WANT) {
      p.setWantClientAuth(true);
    }
    apply(e, p, o);
    String[] accepted = o.applicationProtocols();
    if (accepted != null) {
      // as asyncio's (OpenSSL's) server: the first of ours the client offers, and a client
      // offering none of them is served without ALPN rather than refused (the JDK's default
      // answers no_application_protocol and ends the handshake)
      e.setHandshakeApplicationProtocolSelector(
          (engine, offered) -> {
            for (String mine : accepted) {
              if (offered.contains(mine)) {
                return mine;
              }
            }
            return "";
          });
    }
    return new TlsTransport(inner, e, o, "client " + inner.remoteAddress());
  }

  /**
   * Refuses, at the call that takes them, options {@code ctx}'s engines do not support (a protocol
   * version they do not know, an empty application protocol name), which the engine would otherwise
   * refuse at every connection (asyncio refuses them when the context is configured).
   *
   * @throws IllegalArgumentException naming what was refused
   */
  static void checkOptions(SSLContext ctx, TlsOptions o, boolean server) {
    if (ctx == null) {
      return; // plain text
    }
    SSLEngine e = ctx.createSSLEngine();
    e.setUseClientMode(!server);
    apply(e, e.getSSLParameters(), o);
  }

  /**
   * Sets {@code p} with {@code o}'s protocols and application protocols on {@code e}.
   *
   * @throws IllegalArgumentException naming the options, if the engine refuses them
   */
  private static void apply(SSLEngine e, SSLParameters p, TlsOptions o) {
    try {
      configure(p, o);
      e.setSSLParameters(p);
    } catch (IllegalArgumentException refused) {
      throw new IllegalArgumentException(
          "TLS options that this SSLContext's engines refuse: "
              + refused.getMessage()
              + " (protocols "
              + java.util.Arrays.toString(o.protocols())
              + ", application protocols "
              + java.util.Arrays.toString(o.applicationProtocols())
              + ")",
          refused);
    }
  }

  private static void configure(SSLParameters p, TlsOptions o) {
    String[] alpn = o.applicationProtocols();
    if (alpn != null) {
      p.setApplicationProtocols(alpn);
    }
    String[] versions = o.protocols();
    if (versions != null) {
      p.setProtocols(versions);
    }
  }

  /**
   * Takes over the transport below and starts the handshake; {@code early} is ciphertext that
   * already arrived (STARTTLS: bytes read before the switch). Call after {@link #setProtocol}.
   */
  void start(byte[] early) {
    if (early.length > 0) {
      ensureIn(early.length);
      netIn.put(early);
    }
    // the Duration form saturates: a timeout of centuries (FOREVER) never fires, never overflows
    timer = loop.callLater(options.handshakeTimeout(), this::handshakeTimedOut);
    try {
      engine.beginHandshake();
    } catch (SSLException e) {
      fail(e);
      return;
    }
    inner.setProtocol(this);
    inner.resumeReading(); // a STARTTLS may come while the reader had paused the socket
    pump();
  }

  /** Completed when the first handshake finished, or failed ({@link SSLHandshakeException}). */
  Future<Void> handshake() {
    return handshake;
  }

  // ---- the engine --------------------------------------------------------------------------

  /** Drives the engine until it needs input it does not have. */
  private void pump() {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        step();
      } while (again && !done);
    } catch (SSLException e) {
      fail(e);
    } catch (RuntimeException | Error e) {
      // an Error too (out of memory for a reader's buffer, say): left to the loop, the pass that
      // resumed reading reported it and the read waited forever (found from outside)
      fail(new SSLException("TLS connection with " + peer + " failed: " + e, e));
    } finally {
      pumping = false;
    }
    if (!done && engine.isOutboundDone() && (engine.isInboundDone() || (closing && innerEof))) {
      inner.close(); // both close_notify went (or the peer is gone): flush and close below
    }
  }

  private void step() throws SSLException {
    while (!done && !tasksRunning) {
      HandshakeStatus hs = engine.getHandshakeStatus();
      switch (hs) {
        case NEED_TASK:
          runTasks();
          break;
        case NEED_WRAP:
          if (engine.isOutboundDone()) {
            return;
          }
          SSLEngineResult w = wrap(EMPTY);
          if (w.bytesProduced() == 0 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            return; // nothing to send after all: do not spin
          }
          break;
        case NEED_UNWRAP:
        case NEED_UNWRAP_AGAIN:
          if (!unwrap(hs)) {
            return;
          }
          break;
        default: // NOT_HANDSHAKING
          if (!established) {
            established();
            if (done) {
              return;
            }
          }
          if (pendingLen > 0 && !flushPending()) {
            if (engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
              return; // the engine takes nothing and wants nothing: wait for input
            }
            break; // a handshake message must go first
          }
          if (closing && !engine.isOutboundDone()) {
            engine.closeOutbound(); // then NEED_WRAP sends close_notify
            break;
          }
          if (!unwrap(hs)) {
            return;
          }
      }
    }
  }

  /** Runs the engine's delegated tasks on the loop, or hands them to the executor. */
  private void runTasks() {
    Executor ex = options.delegatedTaskExecutor();
    if (ex == null) {
      Runnable t;
      while ((t = engine.getDelegatedTask()) != null) {
        t.run(); // the engine keeps a task's failure and throws it from the next wrap/unwrap
      }
      return;
    }
    List<Runnable> tasks = new ArrayList<>();
    Runnable t;
    while ((t = engine.getDelegatedTask()) != null) {
      tasks.add(t);
    }
    tasksRunning = true;
    try {
      ex.execute(
          () -> {
            try {
              for (Runnable r : tasks) {
                r.run();
              }
            } finally {
              try {
                loop.callSoonThreadsafe(
                    (RuntimeHandoff)
                        () -> {
                          tasksRunning = false;
                          pump();
                        });
              } catch (IllegalStateException loopClosed) {
                // the loop closed its channels, this one's with them
              }
            }
          });
    } catch (RuntimeException rejected) {
      tasksRunning = false;
      for (Runnable r : tasks) {
        r.run(); // the executor refused (shut down): do the work here rather than hang
      }
    }
  }

  /** Wraps {@code src} into one record and sends it below. */
  private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
    while (true) {
      netOut.clear();
      SSLEngineResult r = engine.wrap(src, netOut);
      handshaking = isHandshaking(r);
      if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
        netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, packetSize()));
        continue;
      }
      if (netOut.position() > 0) {
        inner.write(netOut.array(), 0, netOut.position());
      }
      return r;
    }
  }

  /**
   * Unwraps one record from {@link #netIn} into the reader (or the discard buffer once closing);
   * false when nothing more can be unwrapped now (more ciphertext needed, reading paused, or the
   * inbound side is closed).
   */
  private boolean unwrap(HandshakeStatus hs) throws SSLException {
    if (engine.isInboundDone()) {
      return false;
    }
    if (handshakeAfterOurClose) {
      netIn.clear(); // the peer's close_notify among it: its end of stream closes (step's caller)
      return false;
    }
    boolean deliver = !closing && app != null;
    if (established && deliver && appPaused) {
      return false; // the reader is full: leave the records where they are
    }
    if (netIn.position() == 0 && hs != HandshakeStatus.NEED_UNWRAP_AGAIN) {
      checkInnerEof();
      return false;
    }
    int room = engine.getSession().getApplicationBufferSize();
    ByteBuffer dst = deliver ? app.getBuffer(room) : discardBuffer(room);
    int before = dst.position();
    SSLEngineResult r;
    netIn.flip();
    try {
      r = engine.unwrap(netIn, dst);
      handshaking = isHandshaking(r);
    } finally {
      netIn.compact();
    }
    int produced = dst.position() - before;
    if (produced > 0 && deliver) {
      app.bufferUpdated(produced);
    }
    if (handshaking && established && engine.isOutboundDone() && !engine.isInboundDone()) {
      // the peer asked for a handshake (a TLS 1.2 HelloRequest or ClientHello) as our close_notify
      // went: we can answer nothing now, and RFC 5246 7.4.1.1 lets the request be ignored. The
      // JDK's engine instead begins the handshake and then fails on the peer's close_notify
      // ("Received close_notify during handshake"): waitClosed() raised that after every byte had
      // gone. So the engine reads no more; the close ends at the peer's end of stream, or at the
      // shutdown timer
      handshakeAfterOurClose = true;
      netIn.clear();
      return false;
    }
    switch (r.getStatus()) {
      case BUFFER_UNDERFLOW:
        ensureIn(packetSize() - netIn.position()); // room for a whole record
        checkInnerEof();
        return false;
      case BUFFER_OVERFLOW:
        return true; // the session's buffer size changed: ask again with the new size
      case CLOSED:
        inboundClosed();
        return !engine.isOutboundDone(); // our close_notify goes next
      default:
        return r.bytesConsumed() > 0 || produced > 0 || r.getHandshakeStatus() != hs;
    }
  }

  /** The transport below ended and no whole record is left: this side can read no more. */
  private void checkInnerEof() throws SSLException {
    if (!innerEof || engine.isInboundDone()) {
      return;
    }
    if (!established) {
      throw new SSLHandshakeException("the peer closed the connection during the TLS handshake");
    }
    try {
      engine.closeInbound(); // no close_notify: the JDK calls it a possible truncation attack
    } catch (SSLException truncated) {
      LOG.log(System.Logger.Level.DEBUG, "{0}: end of stream without close_notify", peer);
    }
    inboundClosed();
  }

  /**
   * No more plaintext comes in: the reader sees the end of the stream, and the shutdown starts
   * (pending output, then our close_notify, then the transport below closes).
   */
  private void inboundClosed() {
    if (!eofSent) {
      eofSent = true;
      if (app != null && !closing) {
        app.eofReceived();
      }
    }
    if (!closing) {
      closing = true;
      startShutdownTimer();
      // the engine's step that found the end returns before our close_notify: one more step
      // sends it (else nothing drove the shutdown until its timer, 30 s later: a peer that
      // ended without close_notify kept the connection open that long)
      again = true;
    }
  }

  private void startShutdownTimer() {
    cancelTimer();
    timer = loop.callLater(options.shutdownTimeout(), this::shutdownTimedOut);
  }

  /**
   * Wraps {@link #pending}; false if the engine stopped taking it or a handshake began (its
   * messages go first).
   */
  private boolean flushPending() throws SSLException {
    ByteBuffer src = ByteBuffer.wrap(pending, 0, pendingLen);
    try {
      while (src.hasRemaining() && !done) {
        SSLEngineResult r = wrap(src);
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          throw new SSLException("TLS connection with " + peer + " closed while writing");
        }
        if (r.bytesConsumed() == 0 || (src.hasRemaining() && handshaking)) {
          return false; // the handshake's messages first (see write)
        }
      }
      return true;
    } finally {
      int left = src.remaining();
      System.arraycopy(pending, src.position(), pending, 0, left);
      pendingLen = left;
      if (left == 0 && pending.length > 1 << 20) {
        pending = NONE;
      }
    }
  }

  private void appendPending(byte[] b, int off, int len) {
    if (pending.length - pendingLen < len) {
      byte[] np = new byte[Math.max(Math.max(pending.length * 2, 16 * 1024), pendingLen + len)];
      System.arraycopy(pending, 0, np, 0, pendingLen);
      pending = np;
    }
    System.arraycopy(b, off, pending, pendingLen, len);
    pendingLen += len;
  }

  private int packetSize() {
    return engine.getSession().getPacketBufferSize();
  }

  /** Makes room for {@code n} more bytes in {@link #netIn}. */
  private void ensureIn(int n) {
    if (netIn.remaining() < n) {
      ByteBuffer b = ByteBuffer.allocate(Math.max(netIn.capacity() * 2, netIn.position() + n));
      netIn.flip();
      b.put(netIn);
      netIn = b;
    }
  }

  private ByteBuffer discardBuffer(int room) {
    if (discard == null || discard.capacity() < room) {
      discard = ByteBuffer.allocate(room);
    }
    discard.clear();
    return discard;
  }

  private void established() {
    established = true;
    cancelTimer();
    if (closing) {
      return;
    }
    handshake.setResult(null);
  }

  // ---- failures and timeouts ---------------------------------------------------------------

  /** A TLS error: tell the peer (the alert the engine prepared), fail the handshake, close. */
  private void fail(SSLException e) {
    if (done || failure != null) {
      return;
    }
    Throwable reported = established ? named(e) : handshakeFailed(e);
    failure = reported;
    try {
      engine.closeOutbound();
      for (int i = 0; i < 4 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
        wrap(EMPTY); // the alert, so the peer learns why
      }
    } catch (SSLException | RuntimeException ignored) {
      // the engine is broken: nothing more to send
    }
    if (!handshake.isDone()) {
      handshake.setException(reported);
      handshake.exception(); // the connector or server reads it; no "never retrieved" report
    }
    if (app != null && established) {
      app.connectionLost(reported); // the reader throws it at its next read
      app = null;
    }
    inner.close();
  }

  /**
   * A TLS error after the handshake (an alert, a damaged record), as the same kind of exception
   * naming the peer; a handshake alert that TLS 1.3 sends after the client thought it done (a
   * certificate the server required) reads as the handshake's failure.
   */
  private SSLException named(SSLException e) {
    if (e instanceof SSLHandshakeException) {
      return handshakeFailed(e);
    }
    String m = "TLS connection with " + peer + " failed: " + e.getMessage();
    SSLException n =
        e instanceof javax.net.ssl.SSLProtocolException
            ? new javax.net.ssl.SSLProtocolException(m)
            : e instanceof javax.net.ssl.SSLKeyException
                ? new javax.net.ssl.SSLKeyException(m)
                : e instanceof javax.net.ssl.SSLPeerUnverifiedException
                    ? new javax.net.ssl.SSLPeerUnverifiedException(m)
                    : new SSLException(m);
    n.initCause(e);
    return n;
  }

  private SSLHandshakeException handshakeFailed(Throwable cause) {
    StringBuilder m = new StringBuilder("TLS handshake with ").append(peer).append(" failed: ");
    m.append(cause.getMessage());
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
      if (root instanceof CertificateExpiredException) {
        m.append(" (the certificate has expired: ").append(root.getMessage()).append(')');
      } else if (root instanceof CertificateNotYetValidException) {
        m.append(" (the certificate is not valid yet: ").append(root.getMessage()).append(')');
      }
    }
    SSLHandshakeException e = new SSLHandshakeException(m.toString());
    e.initCause(cause);
    return e;
  }

  private void handshakeTimedOut() {
    timer = null;
    if (established || done) {
      return;
    }
    String m =
        "TLS handshake with "
            + peer
            + " did not finish within "
            + options.handshakeTimeout().toMillis()
            + " ms: connection aborted";
    SSLHandshakeException e = new SSLHandshakeException(m);
    e.initCause(new TimeoutException(m));
    failure = e;
    handshake.setException(e);
    handshake.exception();
    inner.abort();
  }

  private void shutdownTimedOut() {
    timer = null;
    if (!done) {
      // as asyncio's TimeoutError('SSL shutdown timed out'): waitClosed() says the close was cut
      failure =
          new java.net.SocketTimeoutException(
              "TLS shutdown with "
                  + peer
                  + " timed out: no close_notify within "
                  + options.shutdownTimeout().toMillis()
                  + " ms of ours; the connection was aborted");
      inner.abort();
    }
  }

  private void cancelTimer() {
    Handle t = timer;
    if (t != null) {
      timer = null;
      t.cancel();
    }
  }

  // ---- Protocol: ciphertext from below ------------------------------------------------------

  @Override
  public ByteBuffer getBuffer(int sizeHint) {
    ensureIn(sizeHint);
    return netIn;
  }

  @Override
  public void bufferUpdated(int n) {
    pump(); // the transport below advanced netIn's position
  }

  @Override
  public void eofReceived() {
    innerEof = true;
    pump();
  }

  @Override
  public void connectionLost(Throwable e) {
    if (done) {
      return;
    }
    done = true;
    cancelTimer();
    Throwable reason = failure != null ? failure : e;
    if (failure == null && eofSent && e instanceof java.io.IOException) {
      // the peer had ended the connection (its close_notify, or its end of stream: eofSent says
      // one of them came) and the reader has that end: what failed is the shutdown the end started
      // (our close_notify into a socket
      // the peer has reset, or a write racing the peer's close), not the stream, as in asyncio,
      // whose reader gets its end and whose wait_closed() returns
      LOG.log(System.Logger.Level.DEBUG, "{0}: after the peer's end: {1}", peer, e);
      reason = null;
    }
    if (!handshake.isDone()) {
      Throwable hf =
          reason != null
              ? (reason instanceof SSLHandshakeException ? reason : handshakeFailed(reason))
              : new SSLHandshakeException(
                  "TLS handshake with " + peer + " failed: the connection was closed");
      handshake.setException(hf);
      handshake.exception();
    }
    engine.closeOutbound();
    if (app != null) {
      app.connectionLost(reason);
    }
    if (reason == null) {
      closed.setResult(null);
    } else {
      closed.setException(reason);
      closed.exception(); // waitClosed() reports it; the future itself need not be read
    }
  }

  // ---- Transport: plaintext from above ------------------------------------------------------

  @Override
  public EventLoop loop() {
    return loop;
  }

  @Override
  public void setProtocol(Protocol p) {
    app = p;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (len == 0) {
      return;
    }
    if (done || failure != null || userClosed || (closing && engine.isOutboundDone())) {
      // lost, closed or closing (as asyncio's SSL transport once it flushes for its close): the
      // write is dropped; drain(), waitClosed() and the reader report a loss
      droppedWrites = IoFrames.droppedWrite(this, droppedWrites);
      return;
    }
    // mid-handshake (a renegotiation) plaintext waits for its end: the JDK's engine would wrap it
    // between the handshake's messages, where OpenSSL answers with a fatal unexpected_message
    if (!established || pendingLen > 0 || pumping || tasksRunning || handshaking) {
      appendPending(b, off, len);
      if (!pumping && established) {
        pump();
      }
      return;
    }
    ByteBuffer src = ByteBuffer.wrap(b, off, len);
    try {
      while (src.hasRemaining() && !done) {
        SSLEngineResult r = wrap(src);
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          throw new SSLException("TLS connection with " + peer + " closed while writing");
        }
        if (r.bytesConsumed() == 0 || (src.hasRemaining() && handshaking)) { // set by wrap()
          appendPending(b, src.position(), src.remaining()); // a key update or renegotiation
          break;
        }
      }
    } catch (SSLException e) {
      fail(e);
      return;
    }
    if (handshaking || pendingLen > 0) {
      pump();
    }
  }

  private static boolean isHandshaking(SSLEngineResult r) {
    HandshakeStatus s = r.getHandshakeStatus();
    return s != HandshakeStatus.NOT_HANDSHAKING && s != HandshakeStatus.FINISHED;
  }

  @Override
  public boolean canWriteEof() {
    return false;
  }

  @Override
  public void writeEof() {
    throw new UnsupportedOperationException(
        "a TLS connection cannot half-close (canWriteEof() is false); close() sends close_notify");
  }

  @Override
  public void close() {
    userClosed = true;
    if (closing || done) {
      return;
    }
    closing = true;
    if (!established) {
      inner.close(); // mid-handshake: nothing to say to the peer yet
      return;
    }
    if (appPaused) {
      appPaused = false;
      inner.resumeReading(); // the peer's close_notify must be read
    }
    startShutdownTimer();
    pump();
  }

  @Override
  public void abort() {
    userClosed = true;
    closing = true;
    inner.abort();
  }

  /** {@link #close()} or {@link #abort()} was called here (not the peer's end or a failure). */
  boolean closedByThisSide() {
    return userClosed;
  }

  @Override
  public boolean isClosing() {
    return closing || done || failure != null || inner.isClosing();
  }

  @Override
  public void pauseReading() {
    if (!appPaused) {
      appPaused = true;
      inner.pauseReading();
    }
  }

  @Override
  public void resumeReading() {
    if (appPaused) {
      appPaused = false;
      inner.resumeReading();
      if (netIn.position() > 0) {
        loop.callSoon(pumpLater); // never feed the reader from inside its own read
      }
    }
  }

  @Override
  public int writeBufferSize() {
    return inner.writeBufferSize() + pendingLen;
  }

  @Override
  public void setWriteBufferLimits(int high, int low) {
    inner.setWriteBufferLimits(high, low);
  }

  @Override
  public int writeBufferHigh() {
    return inner.writeBufferHigh();
  }

  @Override
  public int writeBufferLow() {
    return inner.writeBufferLow();
  }

  @Override
  public boolean mustDrain() {
    return failure != null || inner.mustDrain();
  }

  @Override
  public Future<Void> drainFuture() {
    if (failure != null) {
      return IoFrames.failed(loop, failure);
    }
    return inner.drainFuture();
  }

  @Override
  public Future<Void> closed() {
    return closed;
  }

  @Override
  public SocketAddress remoteAddress() {
    return inner.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return inner.localAddress();
  }

  @Override
  public SSLSession sslSession() {
    return established ? engine.getSession() : null;
  }

  @Override
  public String applicationProtocol() {
    String p = established ? engine.getApplicationProtocol() : null;
    return p == null || p.isEmpty() ? null : p;
  }

  @Override
  public boolean isServerSide() {
    return inner.isServerSide();
  }

  @Override
  public String toString() {
    return "TlsTransport["
        + peer
        + (established ? " " + engine.getSession().getProtocol() : " handshaking")
        + (done ? " closed" : closing ? " closing" : "")
        + (failure != null ? " failed=" + failure.getMessage() : "")
        + "]";
  }
}
