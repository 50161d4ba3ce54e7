package dev.coroutine.io;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.LazyCoroutine;
import dev.coroutine.internal.Steps;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;

/**
 * The writing half of a connection: asyncio's {@code StreamWriter}. {@link #write} never blocks: it
 * sends what the socket takes at once and queues the rest; {@link #drain()} is where a writer waits
 * for the queue to go down (flow control with high and low water marks, by default 64 KiB and 16
 * KiB). Write, then await {@code drain()}:
 *
 * <pre>{@code
 * w.write(bytes);
 * await(w.drain());
 * }</pre>
 *
 * <p>A connection that is lost (reset by the peer, broken pipe) is reported by {@code drain()}, by
 * {@link #waitClosed()} and by the reads of the paired {@link StreamReader}. As in asyncio, once
 * the connection is closed (by {@link #close()}, {@link #abort()}, the peer or a server's {@link
 * Server#closeClients()}) or lost, writes are dropped (the fifth is logged, once: asyncio logs each
 * one from the fifth on) and {@code drain()} throws {@link IOException} ("Connection lost", or the
 * error that ended it), after yielding to the loop once while the close is under way (but not when
 * {@link #writeEof()} met the peer's end of file, which ends the connection cleanly: a drain then
 * returns, as asyncio's on its still open transport, until {@link #close()}); writing after {@link
 * #writeEof()} throws {@link IllegalStateException}, and a second {@code writeEof()} or one after
 * {@code close()} does nothing (on TLS, which cannot half-close, {@code writeEof()} always throws,
 * as asyncio's).
 */
public final class StreamWriter {
  /** The connection; replaced by a TLS transport over it on STARTTLS. */
  private Transport transport;

  /** Closes the connection if this writer is collected unclosed (a socket's), or null. */
  UnclosedWriters.Watch watch;

  /** The reader of the same connection. */
  private final StreamReader reader;

  /** The host name a client connected to (the default name a STARTTLS checks), or null. */
  private final String host;

  /** The port a client connected to, or 0. */
  private final int port;

  StreamWriter(Transport transport, StreamReader reader, String host, int port) {
    this.transport = transport;
    this.reader = reader;
    this.host = host;
    this.port = port;
  }

  /** The transport this writer writes to. */
  Transport transport() {
    return transport;
  }

  /** Switches the transport (STARTTLS). */
  void setTransport(Transport t) {
    transport = t;
    if (watch != null) {
      watch.moved(t);
    }
  }

  /**
   * Queues {@code data} for sending (copied, the array may be reused at once).
   *
   * @param data the bytes to send (copied)
   */
  public void write(byte[] data) {
    transport.write(data, 0, data.length);
  }

  /**
   * Queues {@code data[off, off + len)} for sending.
   *
   * @param data holds the bytes to send (copied)
   * @param off where they start in {@code data}
   * @param len how many there are
   */
  public void write(byte[] data, int off, int len) {
    if (off < 0 || len < 0 || off + len > data.length) {
      throw new IndexOutOfBoundsException("off=" + off + " len=" + len + " of " + data.length);
    }
    transport.write(data, off, len);
  }

  /**
   * Queues {@code text} encoded as UTF-8.
   *
   * @param text the text to send, encoded as UTF-8
   */
  public void write(String text) {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Waits until the output queue is at or below the low-water mark, if it went over the high-water
   * mark; otherwise finishes at once. Throws the error that ended the connection if it was lost.
   * Decided when awaited, not when called, as asyncio's coroutine; a write-and-drain loop allocates
   * nothing for it.
   *
   * @return a coroutine that finishes once the queue is low enough
   * @throws IOException not by this call: where the returned coroutine is awaited, if the
   *     connection was lost; declared here so that a {@code catch} around the call compiles
   */
  public Coroutine<Void> drain() throws IOException {
    DrainCall d = drainCall;
    if (d == null || !d.again()) {
      d = new DrainCall();
      drainCall = d;
    }
    return d;
  }

  /** The last {@link #drain()} handed out: handed out again once it was awaited. */
  private DrainCall drainCall;

  /** {@link #drain()}: looks at the connection when awaited. */
  private final class DrainCall extends LazyCoroutine<Void> {
    DrainCall() {
      super(StreamWriter.this, "drain");
    }

    /** {@link #reuse()}, for the writer. */
    boolean again() {
      return reuse();
    }

    @Override
    public String toString() {
      return "StreamWriter.drain()";
    }

    @Override
    protected Object start(AsyncFrame<?> caller) throws Throwable {
      Transport t = transport;
      if (t.isClosing()) {
        return AsyncFrame.await(new ClosingDrain(t).coroutine(), caller);
      }
      return t.mustDrain() ? AsyncFrame.await(IoFrames.lazy(t::drainFuture), caller) : null;
    }
  }

  /**
   * A drain while the connection closes: yields to the loop once first, as asyncio's drain does, so
   * that the close can finish and a write-and-drain loop learns of it (its writes are dropped
   * meanwhile) instead of spinning on the loop thread. Once woken from the queue's wait it is done,
   * as asyncio's: the close that flushed the queue meanwhile is no failure of this drain (found
   * from outside: woken at the low mark, it looked again after the last bytes went and the socket
   * closed, and raised "Connection lost" where asyncio returns).
   */
  private static final class ClosingDrain extends Steps<Void> {
    private final Transport transport;
    private int stage; // 0: not started; 1: yielded once; 2: waited for the queue

    ClosingDrain(Transport transport) {
      this.transport = transport;
    }

    @Override
    protected Object step(Object value, Throwable failure) throws Throwable {
      if (failure != null) {
        throw failure;
      }
      switch (stage++) {
        case 0:
          return await(Coroutines.sleep(0));
        case 1:
          return transport.mustDrain() ? await(transport.drainFuture()) : null;
        default:
          return null;
      }
    }
  }

  /**
   * Sets the high- and low-water marks of the output queue (asyncio's defaults: 64 KiB, 16 KiB).
   *
   * @param high above this many queued bytes, {@link #drain()} waits
   * @param low {@link #drain()} waits until the queue is at or below this
   */
  public void setWriteBufferLimits(int high, int low) {
    transport.setWriteBufferLimits(high, low);
  }

  /**
   * The high-water mark.
   *
   * @return the high-water mark, in bytes
   */
  public int getWriteBufferHighWater() {
    return transport.writeBufferHigh();
  }

  /**
   * The low-water mark.
   *
   * @return the low-water mark, in bytes
   */
  public int getWriteBufferLowWater() {
    return transport.writeBufferLow();
  }

  /**
   * The number of bytes queued, not yet handed to the socket.
   *
   * @return the number of bytes queued
   */
  public int getWriteBufferSize() {
    return transport.writeBufferSize();
  }

  /** Sends the end of stream (a TCP half-close) once the queue is flushed; reading goes on. */
  public void writeEof() {
    transport.writeEof();
  }

  /**
   * True if the connection can half-close: a socket can, TLS cannot.
   *
   * @return true if {@link #writeEof()} is supported
   */
  public boolean canWriteEof() {
    return transport.canWriteEof();
  }

  /**
   * Closes the connection: stops reading, flushes the queue, then closes the socket. Await {@link
   * #waitClosed()} to know it is closed.
   */
  public void close() {
    transport.close();
  }

  /** Closes the socket at once, discarding queued output. */
  public void abort() {
    transport.abort();
  }

  /**
   * True once {@link #close()} or {@link #abort()} was called or the connection was lost.
   *
   * @return true once the writer is closing or closed
   */
  public boolean isClosing() {
    return transport.isClosing();
  }

  /**
   * Finishes when the socket is closed; throws the error that ended the connection if it was lost
   * (asyncio's {@code wait_closed}). Cancelling a waiter does not affect the connection.
   *
   * @return a coroutine that finishes once the socket is closed
   * @throws IOException not by this call: where the returned coroutine is awaited, if the
   *     connection was lost; declared here so that a {@code catch} around the call compiles
   */
  public Coroutine<Void> waitClosed() throws IOException {
    return IoFrames.lazy(() -> IoFrames.follow(transport.loop(), transport.closed()));
  }

  /**
   * The reader of the same connection.
   *
   * @return the reader of this connection
   */
  public StreamReader reader() {
    return reader;
  }

  /**
   * The peer's address, or null if it is not known (any more).
   *
   * @return the peer's address, or null
   */
  public SocketAddress remoteAddress() {
    return transport.remoteAddress();
  }

  /**
   * The local address, or null if it is not known (any more).
   *
   * @return the local address, or null
   */
  public SocketAddress localAddress() {
    return transport.localAddress();
  }

  /**
   * Upgrades the connection to TLS (STARTTLS, asyncio's {@code StreamWriter.start_tls}): from the
   * await on, this writer and its reader carry plaintext over TLS. A connection a {@link Server}
   * accepted takes the server side; one made by {@link Streams#openConnection} the client side,
   * checking the certificate against the host name it connected to. Call it once the plaintext
   * exchange is over (after the peer agreed to start TLS and the output was drained); bytes the
   * peer sent after that point and that were already read are handed to the TLS layer.
   *
   * @param ssl the context (trust material for clients, key material for servers)
   * @return a coroutine that finishes when the handshake finished
   * @throws IOException not by this call: where the returned coroutine is awaited, {@link
   *     javax.net.ssl.SSLHandshakeException} if the handshake failed or timed out, naming the peer;
   *     declared here so that a {@code catch} around the call compiles
   */
  public Coroutine<Void> startTls(SSLContext ssl) throws IOException {
    return startTls(ssl, TlsOptions.defaults());
  }

  /**
   * {@link #startTls(SSLContext)} with options (server host name, handshake timeout, ALPN, ...).
   *
   * @param ssl the context
   * @param options how the handshake is done
   * @return a coroutine that finishes when the handshake finished
   * @throws IOException not by this call: where the returned coroutine is awaited, if the handshake
   *     failed; declared here so that a {@code catch} around the call compiles
   */
  public Coroutine<Void> startTls(SSLContext ssl, TlsOptions options) throws IOException {
    Objects.requireNonNull(ssl, "ssl");
    Objects.requireNonNull(options, "options");
    return IoFrames.lazy(
        () -> {
          Transport below = transport;
          if (below.sslSession() != null || below instanceof TlsTransport) {
            throw new IllegalStateException("startTls(): the connection already uses TLS");
          }
          if (below.isClosing()) {
            throw new IllegalStateException("startTls(): the connection is closing");
          }
          if (reader == null) {
            throw new IllegalStateException("startTls(): a one-way pipe cannot carry TLS");
          }
          TlsTransport tls =
              below.isServerSide()
                  ? TlsTransport.server(below, ssl, options)
                  : TlsTransport.client(below, ssl, options, host, port);
          tls.setProtocol(reader.feed);
          setTransport(tls);
          reader.setTransport(tls);
          tls.start(reader.drainBuffered());
          return tls.handshake();
        });
  }

  /**
   * The TLS session once the handshake finished (peer certificates, cipher suite, protocol
   * version), or null for a plain connection: asyncio's {@code get_extra_info("ssl_object")}.
   *
   * @return the TLS session, or null
   */
  public SSLSession sslSession() {
    return transport.sslSession();
  }

  /**
   * The application protocol agreed by ALPN ({@link TlsOptions#withApplicationProtocols}), or null
   * if none was.
   *
   * @return the ALPN protocol, or null
   */
  public String applicationProtocol() {
    return transport.applicationProtocol();
  }

  @Override
  public String toString() {
    return "StreamWriter[" + transport + ", " + transport.writeBufferSize() + " bytes queued]";
  }
}
