package dev.coroutine.io;

import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;

/**
 * One end of a pipe on the loop: asyncio's {@code _UnixReadPipeTransport} (over a {@link
 * Pipe.SourceChannel}, feeding a {@link StreamReader}) or {@code _UnixWritePipeTransport} (over a
 * {@link Pipe.SinkChannel}, written by a {@link StreamWriter}). A pipe carries one direction, so a
 * read transport refuses writes and a write transport has nothing to read.
 *
 * <p>Invariant: a read transport has a reader callback registered while it has a protocol, is not
 * paused and not closed; the end of file closes it. A write transport has a writer callback
 * registered exactly while its {@link WriteQueue} is not empty; {@link #writeEof()} is {@link
 * #close()} (a pipe has no half-close: closing is how its end of file is sent). Whatever ends the
 * transport ends it through {@link #closeNow}, which tells the protocol, the drainers and {@link
 * #closed} exactly once.
 */
final class PipeTransport implements Transport {
  /** The least free room asked of the protocol's buffer before reading. */
  private static final int MIN_READ = 8192;

  /** The loop. */
  private final EventLoop loop;

  /** The read end, or null for a write transport. */
  private final Pipe.SourceChannel source;

  /** The write end, or null for a read transport. */
  private final Pipe.SinkChannel sink;

  /** Output not yet taken by the pipe (write transports only). */
  private final WriteQueue queue;

  /** Completed when the pipe end is closed: with null, or the error that closed it. */
  private final Future<Void> closed;

  /** Where incoming bytes go, or null. */
  private Protocol protocol;

  /** Reader readiness callback. */
  private final Runnable onReadable = this::readReady;

  /** Writer readiness callback. */
  private final Runnable onWritable = this::writeReady;

  /** The protocol is full: not reading. */
  private boolean readingPaused;

  /** {@link #close()} was called, or the transport is closed. */
  private boolean closing;

  /** The pipe end is closed. */
  private boolean isClosed;

  /** The error that ended the transport, or null. */
  private Throwable lost;

  private PipeTransport(EventLoop loop, Pipe.SourceChannel source, Pipe.SinkChannel sink)
      throws IOException {
    this.loop = loop;
    this.source = source;
    this.sink = sink;
    this.queue = sink == null ? null : new WriteQueue(loop);
    this.closed = loop.createFuture();
    channel().configureBlocking(false);
  }

  /** A reader of {@code source} (reading starts at once), with buffer limit {@code limit}. */
  static StreamReader reader(EventLoop loop, Pipe.SourceChannel source, int limit)
      throws IOException {
    PipeTransport t = new PipeTransport(loop, source, null);
    StreamReader r = new StreamReader(loop, limit, t);
    t.setProtocol(r.feed);
    return r;
  }

  /** A writer to {@code sink}; it has no reader. */
  static StreamWriter writer(EventLoop loop, Pipe.SinkChannel sink) throws IOException {
    return new StreamWriter(new PipeTransport(loop, null, sink), null, null, 0);
  }

  private SelectableChannel channel() {
    return source != null ? source : sink;
  }

  @Override
  public EventLoop loop() {
    return loop;
  }

  @Override
  public void setProtocol(Protocol p) {
    boolean first = protocol == null;
    protocol = p;
    if (first && source != null && !isClosed && !readingPaused && !closing) {
      loop.addReader(source, onReadable);
    }
  }

  @Override
  public boolean isServerSide() {
    return false;
  }

  // ---- input -------------------------------------------------------------------------------

  private void readReady() {
    if (isClosed || readingPaused || closing) {
      return;
    }
    Protocol p = protocol;
    int n;
    try {
      n = source.read(WriteQueue.capped(p.getBuffer(MIN_READ)));
    } catch (IOException e) {
      closeNow(e);
      return;
    }
    if (n > 0) {
      p.bufferUpdated(n);
    } else if (n < 0) {
      p.eofReceived();
      closeNow(null); // a pipe's reader has nothing left to do after its end of file
    }
  }

  @Override
  public void pauseReading() {
    if (source != null && !readingPaused) {
      readingPaused = true;
      if (!isClosed && !closing) {
        loop.removeReader(source);
      }
    }
  }

  @Override
  public void resumeReading() {
    if (source != null && readingPaused) {
      readingPaused = false;
      if (!isClosed && !closing && protocol != null) {
        loop.addReader(source, onReadable);
      }
    }
  }

  // ---- output ------------------------------------------------------------------------------

  @Override
  public void write(byte[] b, int off, int len) {
    if (sink == null) {
      throw new UnsupportedOperationException("the read end of a pipe cannot be written: " + this);
    }
    if (lost != null) {
      return; // lost: drain() and waitClosed() report it
    }
    if (closing) {
      throw new IllegalStateException("write() after close() or writeEof() of " + this);
    }
    if (len == 0) {
      return;
    }
    try {
      if (queue.write(sink, b, off, len)) {
        loop.addWriter(sink, onWritable);
      }
    } catch (IOException e) {
      closeNow(e); // a broken pipe: the reader has gone
    }
  }

  private void writeReady() {
    if (isClosed) {
      return;
    }
    boolean empty;
    try {
      empty = queue.flush(sink);
    } catch (IOException e) {
      closeNow(e);
      return;
    }
    if (empty) {
      loop.removeWriter(sink);
      if (closing) {
        closeNow(null);
      }
    }
  }

  @Override
  public int writeBufferSize() {
    return queue == null ? 0 : queue.size();
  }

  @Override
  public void setWriteBufferLimits(int high, int low) {
    requireSink().setLimits(high, low);
  }

  @Override
  public int writeBufferHigh() {
    return requireSink().high();
  }

  @Override
  public int writeBufferLow() {
    return requireSink().low();
  }

  @Override
  public boolean mustDrain() {
    return lost != null || (queue != null && queue.paused());
  }

  @Override
  public Future<Void> drainFuture() {
    return requireSink().drainFuture(lost, isClosed);
  }

  private WriteQueue requireSink() {
    if (queue == null) {
      throw new UnsupportedOperationException("the read end of a pipe has no output: " + this);
    }
    return queue;
  }

  /** True: the end of file of a pipe is sent by closing it. */
  @Override
  public boolean canWriteEof() {
    return sink != null;
  }

  /** Closes the pipe once its queue is flushed: for a pipe that is the end of file. */
  @Override
  public void writeEof() {
    requireSink();
    close();
  }

  // ---- closing -----------------------------------------------------------------------------

  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    if (source != null) {
      if (!readingPaused && !isClosed) {
        loop.removeReader(source);
      }
      closeNow(null);
    } else if (queue.isEmpty()) {
      closeNow(null);
    }
  }

  @Override
  public void abort() {
    closing = true;
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
    return null;
  }

  @Override
  public SocketAddress localAddress() {
    return null;
  }

  /** Closes the pipe end; {@code e} is the error that ended it, or null. */
  private void closeNow(Throwable e) {
    if (isClosed) {
      return;
    }
    isClosed = true;
    closing = true;
    lost = e;
    IoFrames.closeQuietly(channel()); // also drops its registration with the selector
    if (protocol != null) {
      protocol.connectionLost(e);
    }
    if (queue != null) {
      queue.closed(e);
    }
    if (e == null) {
      closed.setResult(null);
    } else {
      closed.setException(e);
      closed.exception(); // waitClosed() reports it; the future itself need not be read
    }
  }

  @Override
  public String toString() {
    return "PipeTransport["
        + (source != null ? "read end" : "write end")
        + (isClosed ? " closed" : closing ? " closing" : "")
        + (lost != null ? " lost=" + lost : "")
        + (queue != null && !queue.isEmpty() ? ", " + queue.size() + " bytes queued" : "")
        + "]";
  }
}
