package dev.coroutine.io;

import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.net.SocketAddress;
import javax.net.ssl.SSLSession;

/**
 * One connection's byte pipe on the loop: asyncio's {@code Transport}. {@link StreamWriter} writes
 * to it, {@link Server} tracks and closes it, and it feeds what arrives to its {@link Protocol}
 * (for a plain connection, the {@link StreamReader}; for TLS, the {@link TlsTransport} layered on
 * top, which is itself the transport of the reader). A new kind of connection (TLS, Unix socket,
 * pipe) is one new implementation of this interface; nothing above it changes.
 *
 * <p>Package-private on purpose: every transport the runtime has lives in this package, and the
 * shape of the seam (a lent receive buffer, flow control by futures) is an implementation choice we
 * keep free to change. Users adapt other byte sources with {@link StreamReader#feedData}.
 *
 * <p>Contract: every method is called on the loop thread. Output is queued without limit; {@link
 * #mustDrain()} turns true above the high-water mark and {@link #drainFuture()} finishes once the
 * queue is down to the low-water mark. The protocol sees, in order: data, at most one {@link
 * Protocol#eofReceived()}, then exactly one {@link Protocol#connectionLost}; {@link #closed()}
 * completes right after that.
 */
interface Transport {
  /** The loop the transport runs on. */
  EventLoop loop();

  /**
   * Makes {@code p} the receiver of incoming bytes from now on (asyncio's {@code set_protocol});
   * the first call starts reading.
   */
  void setProtocol(Protocol p);

  /** Queues {@code b[off, off + len)} for sending (copied before returning). */
  void write(byte[] b, int off, int len);

  /** True if {@link #writeEof()} is supported (a TCP half-close; TLS cannot). */
  boolean canWriteEof();

  /** Sends the end of stream once the queue is flushed. */
  void writeEof();

  /** Stops reading, flushes the queue, then closes. Idempotent. */
  void close();

  /** Closes at once, discarding queued output. */
  void abort();

  /** True once {@link #close()} or {@link #abort()} was called or the connection was lost. */
  boolean isClosing();

  /** Stops delivering incoming data until {@link #resumeReading()}. */
  void pauseReading();

  /** Delivers incoming data again (possibly from a later loop iteration, never re-entrantly). */
  void resumeReading();

  /** The number of bytes queued, not yet handed to the socket. */
  int writeBufferSize();

  /** Sets the high- and low-water marks of the output queue. */
  void setWriteBufferLimits(int high, int low);

  /** The high-water mark. */
  int writeBufferHigh();

  /** The low-water mark. */
  int writeBufferLow();

  /** True while writers should wait in {@link #drainFuture()}: over the high mark, or lost. */
  boolean mustDrain();

  /** What a drain awaits now: a done future, a failed one, or one woken below the low mark. */
  Future<Void> drainFuture();

  /** Completed once the connection is closed: with null, or the error that ended it. */
  Future<Void> closed();

  /** The peer's address, or null if unknown. */
  SocketAddress remoteAddress();

  /** The local address, or null if unknown. */
  SocketAddress localAddress();

  /** The TLS session once a TLS handshake finished on this transport or below it, else null. */
  default SSLSession sslSession() {
    return null;
  }

  /** The ALPN protocol agreed in the TLS handshake, or null. */
  default String applicationProtocol() {
    return null;
  }

  /** True for a connection a {@link Server} accepted (the server side of a later STARTTLS). */
  boolean isServerSide();
}
