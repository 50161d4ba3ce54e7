package dev.coroutine.io;

import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;

/**
 * The output side of a transport over a non-blocking channel: bytes the channel did not take yet,
 * and asyncio's flow control over them (high- and low-water marks, drain futures).
 *
 * <p>Invariant: the queued bytes are {@code buf[start, end)}. {@link #paused} turns true when more
 * than {@link #high} bytes are queued and false once at most {@link #low} are left, which completes
 * the {@link #drainers}. The owner registers its writer callback exactly while {@link #isEmpty()}
 * is false, and calls {@link #flush} from it.
 */
final class WriteQueue {
  private static final byte[] EMPTY = new byte[0];

  /**
   * The most bytes handed to one channel read or write. The JDK copies a heap buffer's whole
   * remainder into a temporary direct buffer on every call, however little the channel takes: a 100
   * MB queue flushed 64 KiB at a time into a pipe copied 100 MB per call (quadratic; a 100 MB
   * subprocess echo took minutes). A pipe takes at most 64 KiB per call anyway; a socket gets
   * several slices per readiness event while it takes them whole.
   */
  static final int MAX_IO = 256 * 1024;

  /** A burst's buffer larger than this is dropped once flushed, not kept for the channel's life. */
  private static final int KEEP_MAX = 1 << 20;

  /** The loop the drain futures belong to. */
  private final EventLoop loop;

  /** Queued output. */
  private byte[] buf = EMPTY;

  /** A view of {@link #buf} for channel writes. */
  private ByteBuffer view = ByteBuffer.wrap(buf);

  /** Start of the queued output. */
  private int start;

  /** End of the queued output. */
  private int end;

  /** High-water mark. */
  private int high = 64 * 1024;

  /** Low-water mark. */
  private int low = 16 * 1024;

  /** Over {@link #high} and not yet back to {@link #low}: writers should drain. */
  private boolean paused;

  /** Futures of drains waiting for {@link #paused} to end, or null. */
  private ArrayList<Future<Void>> drainers;

  WriteQueue(EventLoop loop) {
    this.loop = loop;
  }

  boolean isEmpty() {
    return start == end;
  }

  int size() {
    return end - start;
  }

  int high() {
    return high;
  }

  int low() {
    return low;
  }

  boolean paused() {
    return paused;
  }

  /**
   * Writes {@code b[off, off + len)} to {@code ch} at once if nothing is queued, and queues what it
   * did not take: true if the queue went from empty to not empty (the caller registers its writer).
   */
  boolean write(WritableByteChannel ch, byte[] b, int off, int len) throws IOException {
    boolean wasEmpty = start == end;
    if (wasEmpty) {
      int n = writeSlices(ch, ByteBuffer.wrap(b, off, len), off + len);
      if (n == len) {
        return false;
      }
      off += n;
      len -= n;
    }
    append(b, off, len);
    if (!paused && end - start > high) {
      paused = true;
    }
    return wasEmpty;
  }

  private void append(byte[] b, int off, int len) {
    if (buf.length - end < len) {
      int size = end - start;
      if (buf.length - size >= len && size <= buf.length / 2) {
        System.arraycopy(buf, start, buf, 0, size);
      } else {
        byte[] nb = new byte[Math.max(Math.max(buf.length * 2, 16 * 1024), size + len)];
        System.arraycopy(buf, start, nb, 0, size);
        buf = nb;
        view = ByteBuffer.wrap(nb);
      }
      start = 0;
      end = size;
    }
    System.arraycopy(b, off, buf, end, len);
    end += len;
  }

  /**
   * Writes what {@code ch} takes now; wakes the drainers once down to the low mark. True once the
   * queue is empty (the caller removes its writer).
   */
  boolean flush(WritableByteChannel ch) throws IOException {
    if (start != end) {
      view.limit(end).position(start);
      start += writeSlices(ch, view, end);
    }
    boolean empty = start == end;
    if (empty) {
      start = end = 0;
      if (buf.length > KEEP_MAX) {
        buf = EMPTY;
        view = ByteBuffer.wrap(buf);
      }
    }
    if (paused && end - start <= low) {
      paused = false;
      wake(null);
    }
    return empty;
  }

  /**
   * Writes {@code b} from its position up to {@code to} in slices of at most {@link #MAX_IO}, while
   * the channel takes each slice whole: the number of bytes written.
   */
  private static int writeSlices(WritableByteChannel ch, ByteBuffer b, int to) throws IOException {
    int total = 0;
    while (b.position() < to) {
      int slice = Math.min(MAX_IO, to - b.position());
      b.limit(b.position() + slice);
      int n = ch.write(b);
      total += n;
      if (n < slice) {
        break;
      }
    }
    return total;
  }

  /**
   * {@code b} with at most {@link #MAX_IO} bytes of room: a transport's read buffer (see there).
   */
  static ByteBuffer capped(ByteBuffer b) {
    if (b.remaining() > MAX_IO) {
      b.limit(b.position() + MAX_IO);
    }
    return b;
  }

  /** Drops everything queued (the channel is gone). */
  void clear() {
    start = end = 0;
  }

  void setLimits(int high, int low) {
    if (high < low || low < 0) {
      throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") >= 0");
    }
    this.high = high;
    this.low = low;
    if (!paused && end - start > high) {
      paused = true;
    } else if (paused && end - start <= low) {
      paused = false;
      wake(null);
    }
  }

  /**
   * What a drain awaits: failed with {@code lost} if the channel was lost, done if not paused (or
   * {@code closed}), else a future woken below the low mark.
   */
  Future<Void> drainFuture(Throwable lost, boolean closed) {
    if (lost != null) {
      return IoFrames.failed(loop, lost);
    }
    if (!paused || closed) {
      return IoFrames.completed(loop, null);
    }
    Future<Void> f = loop.createFuture();
    if (drainers == null) {
      drainers = new ArrayList<>();
    }
    drainers.add(f);
    return f;
  }

  /** The channel closed: wakes every drainer, with {@code e} if it was lost. */
  void closed(Throwable e) {
    clear();
    paused = false;
    wake(e);
  }

  private void wake(Throwable e) {
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
}
