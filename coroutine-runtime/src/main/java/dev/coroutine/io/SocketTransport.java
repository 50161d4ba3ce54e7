package dev.coroutine.io;

import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;

/**
 * One connected, non-blocking socket on the loop: asyncio's selector socket transport. It reads
 * into its {@link Protocol}'s buffer when the socket is readable and writes what was queued when
 * it is writable.
 *
 * <p>Invariant: the queued output is {@code wbuf[wstart, wend)}; a writer callback is registered
 * exactly while it is not empty. A write goes straight to the socket when nothing is queued. Once
 * more than {@link #high} bytes are queued, {@link StreamWriter#drain()} waits until at most
 * {@link #low} are left. Closing ({@link #close}) stops reading, flushes, then closes the socket;
 * whatever ends the connection ends it through {@link #closeNow}, which tells the protocol (end of
 * stream, or the error), the drainers and {@link #closed} exactly once.
 */
final class SocketTransport implements Transport {
  private static final byte[] EMPTY = new byte[0];
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
  /** Queued output. */
  private byte[] wbuf = EMPTY;
  /** A view of {@link #wbuf} for channel writes. */
  private ByteBuffer wview = ByteBuffer.wrap(wbuf);
  /** Start of the queued output. */
  private int wstart;
  /** End of the queued output. */
  private int wend;
  /** High-water mark of the output queue. */
  private int high = 64 * 1024;
  /** Low-water mark of the output queue. */
  private int low = 16 * 1024;
  /** More than {@link #high} bytes were queued and not yet flushed down to {@link #low}. */
  private boolean writingPaused;
  /** Futures of drains waiting for {@link #writingPaused} to end, or null. */
  private ArrayList<Future<Void>> drainers;
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
      n = channel.read(p.getBuffer(MIN_READ));
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
    if (wstart == wend) {
      int n;
      try {
        n = channel.write(ByteBuffer.wrap(b, off, len));
      } catch (IOException e) {
        closeNow(e);
        return;
      }
      if (n == len) {
        return;
      }
      off += n;
      len -= n;
      append(b, off, len);
      loop.addWriter(channel, onWritable);
    } else {
      append(b, off, len);
    }
    if (!writingPaused && wend - wstart > high) {
      writingPaused = true;
    }
  }

  private void append(byte[] b, int off, int len) {
    if (wbuf.length - wend < len) {
      int size = wend - wstart;
      if (wbuf.length - size >= len && size <= wbuf.length / 2) {
        System.arraycopy(wbuf, wstart, wbuf, 0, size);
      } else {
        byte[] nb = new byte[Math.max(Math.max(wbuf.length * 2, 16 * 1024), size + len)];
        System.arraycopy(wbuf, wstart, nb, 0, size);
        wbuf = nb;
        wview = ByteBuffer.wrap(nb);
      }
      wstart = 0;
      wend = size;
    }
    System.arraycopy(b, off, wbuf, wend, len);
    wend += len;
  }

  private void writeReady() {
    if (isClosed || wstart == wend) {
      return;
    }
    int n;
    try {
      wview.limit(wend).position(wstart);
      n = channel.write(wview);
    } catch (IOException e) {
      closeNow(e);
      return;
    }
    wstart += n;
    if (wstart == wend) {
      wstart = wend = 0;
      if (wbuf.length > 1 << 20) {
        wbuf = EMPTY; // do not keep a large burst's buffer for the connection's lifetime
        wview = ByteBuffer.wrap(wbuf);
      }
      loop.removeWriter(channel);
    }
    if (writingPaused && wend - wstart <= low) {
      writingPaused = false;
      wakeDrainers(null);
    }
    if (wstart == wend) {
      if (closing) {
        closeNow(null);
      } else if (eofPending) {
        shutdownOutput();
      }
    }
  }

  @Override
  public int writeBufferSize() {
    return wend - wstart;
  }

  @Override
  public int writeBufferHigh() {
    return high;
  }

  @Override
  public int writeBufferLow() {
    return low;
  }

  @Override
  public void setWriteBufferLimits(int high, int low) {
    if (high < low || low < 0) {
      throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") >= 0");
    }
    this.high = high;
    this.low = low;
    if (!writingPaused && wend - wstart > high) {
      writingPaused = true;
    } else if (writingPaused && wend - wstart <= low) {
      writingPaused = false;
      wakeDrainers(null);
    }
  }

  @Override
  public boolean mustDrain() {
    return writingPaused || lost != null;
  }

  @Override
  public Future<Void> drainFuture() {
    if (lost != null) {
      return IoFrames.failed(loop, lost);
    }
    if (!writingPaused || isClosed) {
      return IoFrames.completed(loop, null);
    }
    Future<Void> f = loop.createFuture();
    if (drainers == null) {
      drainers = new ArrayList<>();
    }
    drainers.add(f);
    return f;
  }

  private void wakeDrainers(Throwable e) {
    ArrayList<Future<Void>> ds = drainers;
    if (ds == null) {
      return;
    }
    drainers = null;
    for (Future<Void> f : ds) {
      if (!f.isDone()) {
        if (e == null) {
          f.setResult(null);
        } else {
          f.setException(e);
        }
      }
    }
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
    if (wstart == wend) {
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
    if (wstart == wend) {
      closeNow(null);
    }
  }

  @Override
  public void abort() {
    closing = true;
    wstart = wend = 0;
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
    wstart = wend = 0;
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing more can be done with it
    }
    if (protocol != null) {
      protocol.connectionLost(e);
    }
    writingPaused = false;
    wakeDrainers(e);
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
