package dev.coroutine.io;

import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * One connected, non-blocking socket on the loop: asyncio's selector socket transport. It reads
 * into its {@link Protocol}'s buffer when the socket is readable and writes what was queued when it
 * is writable.
 *
 * <p>Invariant: a writer callback is registered exactly while the {@link WriteQueue} is not empty.
 * A write goes straight to the socket when nothing is queued. Above the queue's high-water mark
 * {@link StreamWriter#drain()} waits until its low-water mark. Closing ({@link #close}) stops
 * reading, flushes, then closes the socket; whatever ends the connection ends it through {@link
 * #closeNow}, which tells the protocol (end of stream, or the error), the drainers and {@link
 * #closed} exactly once.
 */
final class SocketTransport implements Transport {
  /** The least free room asked of the protocol's buffer before reading from the socket. */
  private static final int MIN_READ = 8192;

  /** The loop. */
  final EventLoop loop;

  /** The socket. */
  final SocketChannel channel;

  /** Where incoming bytes go; null until {@link #setProtocol}. */
  private Protocol protocol;

  /** Accepted by a server (rather than connected by a client). */
  private final boolean serverSide;

  /** Completed when the socket is closed: with null, or the error that closed it. */
  private final Future<Void> closed;

  /** Reader readiness callback. */
  private final Runnable onReadable = this::readReady;

  /** Writer readiness callback. */
  private final Runnable onWritable = this::writeReady;

  /** The reader is full: not reading from the socket. */
  private boolean readingPaused;

  /** The peer sent its end of stream (or the reader was failed). */
  private boolean readEof;

  /** Output the socket has not taken yet, with its flow control. */
  private final WriteQueue queue;

  /** {@link #close()} was called: no more writes; the socket closes once flushed. */
  private boolean closing;

  /** {@link #writeEof()} was called and the output is not flushed yet. */
  private boolean eofPending;

  /** The output side was shut down (end of stream sent). */
  private boolean outputShut;

  /** The socket is closed. */
  private boolean isClosed;

  /** The error that ended the connection, or null. */
  private Throwable lost;

  /** A transport over connected {@code channel}; reading starts at {@link #setProtocol}. */
  SocketTransport(EventLoop loop, SocketChannel channel, boolean serverSide) {
    this.loop = loop;
    this.channel = channel;
    this.serverSide = serverSide;
    this.closed = loop.createFuture();
    this.queue = new WriteQueue(loop);
  }

  @Override
  public EventLoop loop() {
    return loop;
  }

  @Override
  public void setProtocol(Protocol p) {
    boolean first = protocol == null;
    protocol = p;
    if (first && !isClosed && !readingPaused && !closing) {
      loop.addReader(channel, onReadable);
    }
  }

  @Override
  public boolean isServerSide() {
    return serverSide;
  }

  // ---- input -------------------------------------------------------------------------------

  private void readReady() {
    if (isClosed || readingPaused || readEof) {
      return;
    }
    Protocol p = protocol;
    int n;
    try {
      n = channel.read(WriteQueue.capped(p.getBuffer(MIN_READ)));
    } catch (IOException e) {
      closeNow(e); // a reset: reported to reads, drains and waitClosed
      return;
    }
    if (n > 0) {
      p.bufferUpdated(n);
    } else if (n < 0) {
      readEof = true;
      loop.removeReader(channel);
      p.eofReceived(); // half-close: the output side stays open
      if (outputShut) {
        closeNow(null);
      }
    }
  }

  @Override
  public void pauseReading() {
    if (!readingPaused) {
      readingPaused = true;
      if (!readEof && !isClosed) {
        loop.removeReader(channel);
      }
    }
  }

  @Override
  public void resumeReading() {
    if (readingPaused) {
      readingPaused = false;
      if (!readEof && !isClosed && !closing && protocol != null) {
        loop.addReader(channel, onReadable);
      }
    }
  }

  // ---- output ------------------------------------------------------------------------------

  @Override
  public void write(byte[] b, int off, int len) {
    if (lost != null) {
      return; // connection lost: drain(), waitClosed() and the reader report it
    }
    if (closing) {
      throw new IllegalStateException("write() after close()");
    }
    if (eofPending || outputShut) {
      throw new IllegalStateException("write() after writeEof()");
    }
    if (len == 0) {
      return;
    }
    try {
      if (queue.write(channel, b, off, len)) {
        loop.addWriter(channel, onWritable);
      }
    } catch (IOException e) {
      closeNow(e);
    }
  }

  private void writeReady() {
    if (isClosed || queue.isEmpty()) {
      return;
    }
    boolean empty;
    try {
      empty = queue.flush(channel);
    } catch (IOException e) {
      closeNow(e);
      return;
    }
    if (empty) {
      loop.removeWriter(channel);
      if (closing) {
        closeNow(null);
      } else if (eofPending) {
        shutdownOutput();
      }
    }
  }

  @Override
  public int writeBufferSize() {
    return queue.size();
  }

  @Override
  public int writeBufferHigh() {
    return queue.high();
  }

  @Override
  public int writeBufferLow() {
    return queue.low();
  }

  @Override
  public void setWriteBufferLimits(int high, int low) {
    queue.setLimits(high, low);
  }

  @Override
  public boolean mustDrain() {
    return queue.paused() || lost != null;
  }

  @Override
  public Future<Void> drainFuture() {
    return queue.drainFuture(lost, isClosed);
  }

  @Override
  public boolean canWriteEof() {
    return true;
  }

  @Override
  public void writeEof() {
    if (closing) {
      throw new IllegalStateException("writeEof() after close()");
    }
    if (eofPending || outputShut || isClosed) {
      return;
    }
    if (queue.isEmpty()) {
      shutdownOutput();
    } else {
      eofPending = true;
    }
  }

  private void shutdownOutput() {
    eofPending = false;
    outputShut = true;
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      closeNow(e);
      return;
    }
    if (readEof) {
      closeNow(null); // both directions are done
    }
  }

  // ---- closing -----------------------------------------------------------------------------

  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    if (!readEof && !readingPaused && !isClosed) {
      loop.removeReader(channel);
    }
    if (queue.isEmpty()) {
      closeNow(null);
    }
  }

  @Override
  public void abort() {
    closing = true;
    queue.clear();
    closeNow(null);
  }

  @Override
  public boolean isClosing() {
    return closing;
  }

  @Override
  public Future<Void> closed() {
    return closed;
  }

  @Override
  public SocketAddress remoteAddress() {
    try {
      return channel.getRemoteAddress();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public SocketAddress localAddress() {
    try {
      return channel.getLocalAddress();
    } catch (IOException e) {
      return null;
    }
  }

  /** Closes the socket; {@code e} is the error that ended the connection, or null. */
  void closeNow(Throwable e) {
    if (isClosed) {
      return;
    }
    isClosed = true;
    closing = true;
    lost = e;
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing more can be done with it
    }
    if (protocol != null) {
      protocol.connectionLost(e);
    }
    queue.closed(e);
    if (e == null) {
      closed.setResult(null);
    } else {
      closed.setException(e);
      closed.exception(); // waitClosed() reports it; the future itself need not be read
    }
  }

  @Override
  public String toString() {
    return "SocketTransport["
        + channel
        + (isClosed ? " closed" : closing ? " closing" : "")
        + (lost != null ? " lost=" + lost : "")
        + "]";
  }
}
