package dev.coroutine.io;

import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.internal.RuntimeChannelCallback;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A transport over one selectable channel of the loop: asyncio's {@code _SelectorTransport}. It
 * reads into its {@link Protocol}'s buffer when the channel is readable and writes what was queued
 * when it is writable. The channel's type decides the directions: a socket has both, a pipe's
 * source only input, its sink only output. Subclasses add only what differs (addresses, how the
 * output half is shut down, the name).
 *
 * <p>Invariant: a reader callback is registered exactly while there is input, a protocol, and
 * reading is neither paused, at its end of stream, closing nor closed; a writer callback exactly
 * while the {@link WriteQueue} is not empty. A write goes straight to the channel when nothing is
 * queued; above the queue's high-water mark {@link StreamWriter#drain()} waits until its low-water
 * mark. {@link #close} stops reading, flushes, then closes. {@link #writeEof} sends the end of
 * stream once flushed; once both directions have ended the transport closes. Whatever ends the
 * transport ends it through {@link #closeNow}, which tells the protocol (end of stream, or the
 * error), the drainers and {@link #closed} exactly once.
 */
abstract class SelectorTransport implements Transport {
  /** The least free room asked of the protocol's buffer before reading from the channel. */
  private static final int MIN_READ = 8192;

  /** The loop. */
  final EventLoop loop;

  /** The channel: registered with the loop's selector, closed by {@link #closeNow}. */
  final SelectableChannel channel;

  /** {@link #channel} as input, or null if it cannot be read (a pipe's sink). */
  private final ReadableByteChannel in;

  /** {@link #channel} as output, or null if it cannot be written (a pipe's source). */
  private final WritableByteChannel out;

  /** Output the channel has not taken yet, with its flow control; null without output. */
  private final WriteQueue queue;

  /** Completed when the channel is closed: with null, or the error that closed it. */
  private final Future<Void> closed;

  /** Reader readiness callback. */
  private final Runnable onReadable = (RuntimeChannelCallback) this::readReady;

  /** Writer readiness callback. */
  private final Runnable onWritable = (RuntimeChannelCallback) this::writeReady;

  /** Where incoming bytes go; null until {@link #setProtocol}. */
  private Protocol protocol;

  /** The protocol is full: not reading from the channel. */
  private boolean readingPaused;

  /** The peer sent its end of stream. */
  private boolean readEof;

  /**
   * {@link #close()} was called, or the transport is closed: writes are dropped (a socket closing
   * with output queued still takes them, as asyncio's).
   */
  private boolean closing;

  /** {@link #writeEof()} was called and the output is not flushed yet. */
  private boolean eofPending;

  /** The output half was shut down (end of stream sent). */
  private boolean outputShut;

  /** The channel is closed. */
  private boolean isClosed;

  /** The error that ended the transport, or null. */
  private Throwable lost;

  /**
   * Writes dropped because the transport was closed or lost (see {@link IoFrames#droppedWrite}).
   */
  private int droppedWrites;

  /**
   * A transport over {@code channel}, non-blocking; reading starts at {@link #setProtocol}. It has
   * input if the channel is a {@link ReadableByteChannel}, output if a {@link WritableByteChannel}.
   */
  SelectorTransport(EventLoop loop, SelectableChannel channel) {
    this.loop = loop;
    this.channel = channel;
    this.in = channel instanceof ReadableByteChannel r ? r : null;
    this.out = channel instanceof WritableByteChannel w ? w : null;
    this.queue = out == null ? null : new WriteQueue(loop);
    this.closed = loop.createFuture();
    if (in == null) {
      // a write-only channel (a pipe's sink) has no reader and a writer only while output is
      // queued: registered now, idle, so that closing the loop closes it (the loop closes the
      // channels of its selector), as it closes a socket's (an idle child's stdin stayed open)
      loop.addWriter(channel, onWritable);
      loop.removeWriter(channel);
    }
  }

  /**
   * Shuts down the output half, input staying open: called once the queue is flushed after {@link
   * #writeEof()} on a transport with input.
   */
  abstract void shutdownOutput() throws IOException;

  /** What the transport is over, for {@link #toString()}. */
  abstract String describe();

  @Override
  public EventLoop loop() {
    return loop;
  }

  @Override
  public void setProtocol(Protocol p) {
    boolean first = protocol == null;
    protocol = p;
    if (first && in != null && !isClosed && !readingPaused && !closing) {
      loop.addReader(channel, onReadable);
    }
  }

  // ---- input -------------------------------------------------------------------------------

  private void readReady() {
    if (isClosed || readingPaused || readEof || closing) {
      return;
    }
    Protocol p = protocol;
    int n;
    try {
      n = in.read(WriteQueue.capped(p.getBuffer(MIN_READ)));
    } catch (IOException e) {
      // a reset or a broken pipe: reported to reads, drains and waitClosed (a write that failed
      // first keeps its error, which drains have already reported)
      closeNow(lost != null ? lost : e);
      return;
    } catch (Throwable e) {
      fatalError(e, "protocol.getBuffer() or the read failed");
      return;
    }
    try {
      if (n > 0) {
        p.bufferUpdated(n);
      } else if (n < 0) {
        readEof = true;
        loop.removeReader(channel);
        p.eofReceived(); // a half-close: the output side, if any, stays open
        if (lost != null) {
          // the output failed before, the input ended cleanly: the reader has its end (and its
          // buffered data) without the write's error; drains and waitClosed keep reporting it
          closeNow(lost, null);
        } else if (out == null || outputShut) {
          endedByBothSides = true;
          closeNow(null); // both directions are done
        }
      }
    } catch (Throwable e) {
      fatalError(e, "the protocol failed to take the data read");
    }
  }

  /**
   * A write failed because the peer reset the connection or is gone. What the peer sent before it
   * went may still be waiting in the socket (the kernel keeps it readable after a reset): its last
   * lines, a TLS peer's close_notify. The output ends now (later writes are dropped, drains raise
   * {@code e}), but the input stays registered, so the loop's next pass reads what is left into the
   * protocol, as it would have had it read before this write (found from outside: a TLS server's
   * clean close, arriving while we were writing, reached our reader as "Broken pipe" instead of its
   * end of stream); the read that finds the end or the reset closes the transport. If the input is
   * not being read (paused by its reader, ended, or the transport closing), it closes now.
   */
  private void writeFailed(IOException e) {
    if (in == null || readEof || closing || isClosed) {
      closeNow(e);
      return;
    }
    lost = e;
    loop.removeWriter(channel);
    queue.closed(e); // drops what is queued, wakes the drainers with the error
  }

  /**
   * Anything but an I/O error while reading (a protocol's failure, out of memory for the data):
   * reported, then the transport is closed with it, so pending reads fail with it (asyncio's {@code
   * _fatal_error}). Left registered, the channel would stay readable and each pass fail the same
   * way.
   */
  private void fatalError(Throwable e, String what) {
    closeNow(e);
    loop.callExceptionHandler(
        new EventLoop.ErrorContext("Fatal error on " + this + ": " + what, e, this));
  }

  @Override
  public void pauseReading() {
    if (in != null && !readingPaused) {
      readingPaused = true;
      if (!readEof && !isClosed && !closing) {
        loop.removeReader(channel);
      }
    }
  }

  @Override
  public void resumeReading() {
    if (in != null && readingPaused) {
      readingPaused = false;
      if (!readEof && !isClosed && !closing && protocol != null) {
        loop.addReader(channel, onReadable);
      }
    }
  }

  // ---- output ------------------------------------------------------------------------------

  @Override
  public void write(byte[] b, int off, int len) {
    requireOutput();
    if (in != null && (eofPending || outputShut)) { // asyncio's check comes first too
      throw new IllegalStateException("write() after writeEof() of " + this);
    }
    if (len == 0) {
      return;
    }
    if (lost != null || isClosed || (closing && in == null)) {
      // as asyncio: closed or lost (by close(), the peer, or a server's closeClients()), the
      // write is dropped and drain() raises; a socket closing with output queued takes it still
      droppedWrites = IoFrames.droppedWrite(this, droppedWrites);
      return;
    }
    try {
      if (queue.write(out, b, off, len)) {
        loop.addWriter(channel, onWritable);
      }
    } catch (IOException e) {
      writeFailed(e); // a reset, or a broken pipe: the reader has gone
    }
  }

  private void writeReady() {
    if (isClosed || queue.isEmpty()) {
      return;
    }
    boolean empty;
    try {
      empty = queue.flush(out);
    } catch (IOException e) {
      writeFailed(e);
      return;
    }
    if (empty) {
      loop.removeWriter(channel);
      if (closing) {
        closeNow(null);
      } else if (eofPending) {
        endOutput();
      }
    }
  }

  @Override
  public int writeBufferSize() {
    return queue == null ? 0 : queue.size();
  }

  @Override
  public int writeBufferHigh() {
    return requireOutput().high();
  }

  @Override
  public int writeBufferLow() {
    return requireOutput().low();
  }

  @Override
  public void setWriteBufferLimits(int high, int low) {
    requireOutput().setLimits(high, low);
  }

  @Override
  public boolean mustDrain() {
    return lost != null || (isClosed && !endedByBothSides) || (queue != null && queue.paused());
  }

  @Override
  public Future<Void> drainFuture() {
    // once closed, by whatever side, a drain fails as asyncio's: "Connection lost" unless an error
    // ended the connection (drainers already waiting when it closed are woken without one); not
    // after a clean end of both directions, where asyncio's transport would still be open
    Throwable why =
        lost != null
            ? lost
            : isClosed && !endedByBothSides ? new IOException("Connection lost") : null;
    return requireOutput().drainFuture(why, isClosed);
  }

  /** The output queue; throws if the channel cannot be written. */
  private WriteQueue requireOutput() {
    if (queue == null) {
      throw new UnsupportedOperationException(this + " is read-only: it has no output");
    }
    return queue;
  }

  /** True if the channel can be written. */
  @Override
  public boolean canWriteEof() {
    return out != null;
  }

  /**
   * Sends the end of stream once the queue is flushed. Without input nothing is left after it, so
   * it is {@link #close()} (as asyncio's write pipe: its end of file is its closing).
   */
  @Override
  public void writeEof() {
    requireOutput();
    if (in == null) {
      close();
      return;
    }
    if (closing || eofPending || outputShut || lost != null) {
      return; // as asyncio's write_eof: nothing to do once closing or ended
    }
    if (queue.isEmpty()) {
      endOutput();
    } else {
      eofPending = true;
    }
  }

  private void endOutput() {
    eofPending = false;
    outputShut = true;
    try {
      shutdownOutput();
    } catch (IOException e) {
      closeNow(e);
      return;
    }
    if (in == null || readEof) {
      endedByBothSides = true;
      closeNow(null); // both directions are done
    }
  }

  // ---- closing -----------------------------------------------------------------------------

  /**
   * Closed because both directions ended cleanly (the peer's end of file read, ours sent), and not
   * closed by its user since: nothing was lost, so a drain succeeds, as asyncio's on its transport
   * that stays open then (a server's {@code write; writeEof(); drain()} failed when the peer's end
   * of file came first).
   */
  private boolean endedByBothSides;

  @Override
  public void close() {
    endedByBothSides = false; // closed by its user too: later drains fail, as asyncio's
    if (closing) {
      return;
    }
    closing = true;
    if (in != null && !readEof && !readingPaused && !isClosed) {
      loop.removeReader(channel);
    }
    if (queue == null || queue.isEmpty()) {
      closeNow(null);
    }
  }

  @Override
  public void abort() {
    endedByBothSides = false;
    closing = true;
    if (queue != null) {
      queue.clear();
    }
    closeNow(null);
  }

  @Override
  public boolean isClosing() {
    return closing || lost != null; // a failed write: it closes once the input is read
  }

  @Override
  public Future<Void> closed() {
    return closed;
  }

  /**
   * The reader of this output went away (a child process whose stdin this is exited): the transport
   * ends without an error of its own, but what is written later is dropped and {@link
   * #drainFuture()} reports {@code why}, as for a lost connection (asyncio's write pipe closes with
   * no exception when its reader goes, and its drain raises ConnectionResetError), with that
   * message rather than a plain "Connection lost".
   */
  final void readerGone(IOException why) {
    if (isClosed) {
      return;
    }
    closeNow(null);
    lost = why;
  }

  /**
   * Closes the channel; {@code e} is the error that ended the transport, or null (then a write that
   * failed before, see {@link #writeFailed}, is what ended it).
   */
  final void closeNow(Throwable e) {
    if (e == null) {
      e = lost;
    }
    closeNow(e, e);
  }

  /**
   * Closes the channel with {@code e} for drains and {@link #closed()}, and {@code forProtocol}
   * told to the protocol (null: its input ended cleanly).
   */
  private void closeNow(Throwable e, Throwable forProtocol) {
    if (isClosed) {
      return;
    }
    isClosed = true;
    closing = true;
    lost = e;
    // cancels its key: the kernel closes the socket at the loop's next select or when its run ends
    // (IoPoller; asyncio too closes a transport's socket a callback later)
    IoFrames.closeQuietly(channel);
    if (protocol != null) {
      protocol.connectionLost(forProtocol);
    }
    if (queue != null) {
      queue.closed(e);
    }
    Runnable done =
        () -> {
          if (e == null) {
            closed.setResult(null);
          } else {
            closed.setException(e);
            closed.exception(); // waitClosed() reports it; the future itself need not be read
          }
        };
    if (loop.isClosed()) {
      done.run();
    } else {
      // a callback later, after the loop's next select has closed the socket in the kernel: as
      // asyncio's wait_closed() returns after connection_lost closed it, a waiter finds its
      // descriptor free (found from outside: a program out of descriptors could not open one)
      loop.callSoon(done);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "["
        + describe()
        + (isClosed ? " closed" : closing ? " closing" : "")
        + (lost != null ? " lost=" + lost : "")
        + (queue != null && !queue.isEmpty() ? ", " + queue.size() + " bytes queued" : "")
        + "]";
  }
}
