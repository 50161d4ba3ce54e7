package dev.coroutine.io;

import dev.coroutine.AsyncIterable;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.PullIterator;
import dev.coroutine.internal.Steps;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The reading half of a connection: asyncio's {@code StreamReader}. Bytes arrive from the socket
 * into a buffer; the read coroutines take them out, waiting when there are not enough.
 *
 * <p>Invariant: the buffered bytes are {@code buf[start, end)}; {@link #consumed} counts the bytes
 * taken out since creation, so a search position saved across a wait stays right even if another
 * read took bytes meanwhile. At most one coroutine waits for data at a time (asyncio's rule);
 * another one trying to wait gets {@link IllegalStateException}. When more than twice {@link
 * #limit()} bytes are buffered the connection stops reading from the socket (back-pressure on the
 * peer) and resumes once at most {@link #limit()} are left, or when a read needs more data.
 *
 * <p>A read returns what is buffered before it reports the end of the stream or the error the
 * connection failed with (a reset, ...): data that arrived is never dropped, and a failure is never
 * reported as a clean end of stream. Cancelling a waiting read (or its timeout) loses no data.
 * Every read coroutine is lazy and finishes without suspending or allocating beyond its frame and
 * result when the data is already there.
 */
public final class StreamReader {
  /** asyncio's default buffer limit: 64 KiB. */
  public static final int DEFAULT_LIMIT = 64 * 1024;

  private static final byte[] EMPTY = new byte[0];
  private static final byte[] NEWLINE = {'\n'};

  /** The least size the buffer grows to (twice a socket read's room). */
  private static final int MIN_CAPACITY = 16 * 1024;

  /** Returned by {@link #attempt} when the read must wait for more data. */
  private static final Object NOT_YET = new Object();

  private static final int READ = 0;
  private static final int READ_EXACTLY = 1;
  private static final int READ_UNTIL = 2;
  private static final int READ_LINE = 3;

  /** The loop the reader's futures belong to. */
  private final EventLoop loop;

  /** The buffer limit: longest line, and half the buffered amount that pauses reading. */
  private final int limit;

  /** The connection feeding this reader, or null for one fed by hand; replaced by STARTTLS. */
  private Transport transport;

  /** What the transport delivers to: this reader's buffer. */
  final Protocol feed = new Feed();

  /** The buffer; the data is {@code buf[start, end)}. */
  private byte[] buf = EMPTY;

  /** A view of {@link #buf} the transport reads into; replaced when the buffer grows. */
  private ByteBuffer view = ByteBuffer.wrap(buf);

  /** Start of the buffered data. */
  private int start;

  /** End of the buffered data. */
  private int end;

  /** Bytes taken out of the buffer since creation. */
  private long consumed;

  /** The end of the stream was fed. */
  private boolean eof;

  /** The error the stream failed with, or null. */
  private Throwable exception;

  /** The future a read waits on for more data, or null. */
  private Future<Void> waiter;

  /**
   * The writer of the same connection, weakly: its collection closes the connection ({@link
   * UnclosedWriters}); null for a reader without one (a pipe's).
   */
  private java.lang.ref.WeakReference<StreamWriter> writer;

  /**
   * The writer, held while a read waits: a task that awaits a read holds the reader, not always the
   * writer (a frame keeps only what it uses after the await, where asyncio's keeps every local),
   * and the connection must not be closed under the read because the writer was collected.
   */
  private StreamWriter writerWhileWaiting;

  /** Reading from the socket is paused because too much is buffered. */
  private boolean paused;

  /**
   * A reader fed by hand ({@link #feedData}, {@link #feedEof}) on {@code loop}.
   *
   * @param loop the loop whose tasks read from it
   */
  public StreamReader(EventLoop loop) {
    this(loop, DEFAULT_LIMIT, null);
  }

  /**
   * A reader fed by hand with buffer limit {@code limit}.
   *
   * @param loop the loop whose tasks read from it
   * @param limit the most bytes a line or separator search may span
   */
  public StreamReader(EventLoop loop, int limit) {
    this(loop, limit, null);
  }

  StreamReader(EventLoop loop, int limit, Transport transport) {
    checkLimit(limit);
    this.loop = Objects.requireNonNull(loop, "loop");
    this.limit = limit;
    this.transport = transport;
  }

  /** Refuses a buffer limit that is not positive, at the call that takes it. */
  static void checkLimit(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
  }

  // ---- reads -------------------------------------------------------------------------------

  /**
   * Reads up to {@code n} bytes: what is buffered (at most {@code n}), waiting for some if none is;
   * an empty array at the end of the stream. {@code n < 0} reads until the end of the stream;
   * {@code n == 0} returns an empty array at once.
   *
   * @param n the most bytes to read; negative: all until the end of the stream
   * @return a coroutine whose result is the bytes read (empty at the end of the stream)
   * @throws IOException not by this call: where the returned coroutine is awaited, if the stream
   *     failed; declared here so that a {@code catch} around the call compiles
   */
  public Coroutine<byte[]> read(int n) throws IOException {
    return op(READ, n, null);
  }

  /**
   * Reads exactly {@code n} bytes; {@link IncompleteReadException} if the stream ends first.
   *
   * @param n the number of bytes to read, zero or more
   * @return a coroutine whose result is exactly {@code n} bytes
   * @throws IOException not by this call: where the returned coroutine is awaited, if the stream
   *     failed or ended first ({@link IncompleteReadException}); declared here so that a {@code
   *     catch} around the call compiles
   */
  public Coroutine<byte[]> readExactly(int n) throws IOException {
    if (n < 0) {
      throw new IllegalArgumentException("readExactly size can not be less than zero: " + n);
    }
    return op(READ_EXACTLY, n, null);
  }

  /**
   * Reads up to and including {@code separator}. {@link IncompleteReadException} with the bytes
   * read if the stream ends first; {@link LimitOverrunException} if more than {@link #limit()}
   * bytes come before the separator (the data stays in the buffer).
   *
   * @param separator the bytes that end the read, at least one
   * @return a coroutine whose result is the bytes read, the separator included
   * @throws IOException not by this call: where the returned coroutine is awaited, if the stream
   *     failed or ended first, or the limit was overrun; declared here so that a {@code catch}
   *     around the call compiles
   */
  public Coroutine<byte[]> readUntil(byte[] separator) throws IOException {
    if (separator.length == 0) {
      throw new IllegalArgumentException("separator should be at least one-byte string");
    }
    return op(READ_UNTIL, 0, separator.clone());
  }

  /**
   * Reads a line and returns it decoded as UTF-8 without its terminator ({@code "\n"} or {@code
   * "\r\n"}). At the end of the stream it returns the unterminated last line if there is one, and
   * null after that (as {@link java.io.BufferedReader#readLine()}). A line longer than {@link
   * #limit()} is discarded and reported with {@link LimitOverrunException}.
   *
   * @return a coroutine whose result is the line without its terminator, or null after the last
   *     line
   * @throws IOException not by this call: where the returned coroutine is awaited, if the stream
   *     failed or the line overran the limit; declared here so that a {@code catch} around the call
   *     compiles
   */
  public Coroutine<String> readLine() throws IOException {
    return op(READ_LINE, 0, null);
  }

  /**
   * The lines, as {@link #readLine()} reads them (UTF-8, without terminators), until the end of the
   * stream: Python's {@code async for line in reader}. A failure of the stream (or a line over the
   * limit) is thrown at the {@code await(it.hasNext())}. Iterators share the reader: each reads the
   * lines after what was read before. Closing one leaves the stream open.
   *
   * @return the lines of the stream
   */
  public AsyncIterable<String> lines() {
    return () -> new Lines(this);
  }

  /** One iteration over the lines of a reader: ends at the null after the last line. */
  private static final class Lines extends PullIterator<String> {
    /** The reader. */
    private final StreamReader reader;

    Lines(StreamReader reader) {
      this.reader = reader;
    }

    @Override
    protected Awaitable<String> fetch() throws IOException {
      return reader.readLine();
    }

    @Override
    protected boolean isEnd(String line) {
      return line == null;
    }
  }

  private <T> Coroutine<T> op(int kind, int n, byte[] separator) {
    return new Read<T>(this, kind, n, separator).coroutine();
  }

  /**
   * One read, as a hand-written coroutine ({@code internal.Steps}): tries what is buffered, and
   * while that is not enough waits for data (a cancellation of the wait is thrown, losing nothing).
   */
  private static final class Read<T> extends Steps<T> {
    /** The reader. */
    final StreamReader reader;

    /** {@link #READ}, {@link #READ_EXACTLY}, {@link #READ_UNTIL} or {@link #READ_LINE}. */
    final int kind;

    /** The size (reads), or the absolute stream position searched up to (separators). */
    long n;

    /** The separator of {@link #READ_UNTIL}; null otherwise. */
    final byte[] separator;

    Read(StreamReader reader, int kind, int n, byte[] separator) {
      this.reader = reader;
      this.kind = kind;
      this.n = n;
      this.separator = separator;
    }

    @Override
    protected Object step(Object value, Throwable failure) throws Throwable {
      if (failure != null) {
        throw failure; // the wait for data was cancelled
      }
      Object v = reader.attempt(this);
      return v != NOT_YET ? v : await(reader.newWaiter(kind));
    }
  }

  /** Tries the read {@code f} on what is buffered: the result, or {@link #NOT_YET}. */
  private Object attempt(Read<?> f) throws Throwable {
    int kind = f.kind;
    int size = end - start;
    switch (kind) {
      case READ:
        {
          int n = (int) f.n;
          if (n == 0) {
            if (exception != null) {
              throw exception; // as asyncio: a failed stream fails read(0), which reads nothing
            }
            return EMPTY;
          }
          if (n < 0) {
            if (exception != null) {
              throw exception;
            }
            return eof ? take(size) : NOT_YET;
          }
          if (size > 0) {
            return take(Math.min(n, size));
          }
          if (exception != null) {
            throw exception;
          }
          return eof ? EMPTY : NOT_YET;
        }
      case READ_EXACTLY:
        {
          int n = (int) f.n;
          if (n == 0 && exception != null) {
            throw exception; // as read(0)
          }
          if (size >= n) {
            return take(n);
          }
          if (exception != null) {
            throw exception;
          }
          if (eof) {
            throw new IncompleteReadException(take(size), n);
          }
          return NOT_YET;
        }
      default:
        return attemptUntil(f, kind == READ_LINE);
    }
  }

  private Object attemptUntil(Read<?> f, boolean line) throws Throwable {
    byte[] sep = line ? NEWLINE : f.separator;
    int size = end - start;
    int from = start + (int) Math.max(0, Math.min(size, f.n - consumed));
    int at = indexOf(sep, from);
    if (at >= 0) {
      int chunk = at - start;
      if (chunk > limit) {
        int through = chunk + sep.length;
        if (line) {
          take(through);
        }
        // consumed: the bytes before the separator, as asyncio counts them
        throw new LimitOverrunException(
            "Separator is found, but chunk is longer than limit (" + limit + " bytes)", chunk);
      }
      return line ? lineOf(take(chunk + 1)) : take(chunk + sep.length);
    }
    if (size - sep.length + 1 > limit) {
      if (line) {
        take(size);
      }
      throw new LimitOverrunException(
          "Separator is not found, and chunk exceeds the limit (" + limit + " bytes)",
          size - sep.length + 1);
    }
    f.n = consumed + Math.max(0, size - sep.length + 1); // searched up to here
    if (exception != null) {
      throw exception;
    }
    if (eof) {
      byte[] partial = take(size);
      if (line) {
        return partial.length == 0 ? null : lineOf(partial);
      }
      throw new IncompleteReadException(partial, -1);
    }
    return NOT_YET;
  }

  private int indexOf(byte[] sep, int from) {
    byte first = sep[0];
    int last = end - sep.length;
    outer:
    for (int i = from; i <= last; i++) {
      i = indexOfByte(buf, i, last + 1, first);
      if (i < 0) {
        return -1;
      }
      for (int j = 1; j < sep.length; j++) {
        if (buf[i + j] != sep[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Reads 8 bytes of an array as one little-endian long. */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The index of the first {@code b} in {@code a[from, to)}, or -1: eight bytes per step (a word
   * XOR the byte repeated has a zero byte where they match; the lowest flagged byte is the first
   * match), so a 16 KiB line is searched several times faster than byte by byte.
   */
  static int indexOfByte(byte[] a, int from, int to, byte b) {
    long pattern = (b & 0xFFL) * ONES;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(a, i) ^ pattern;
      long found = (x - ONES) & ~x & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static String lineOf(byte[] b) {
    int n = b.length;
    if (n > 0 && b[n - 1] == '\n') {
      n--;
      if (n > 0 && b[n - 1] == '\r') {
        n--;
      }
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  /** Takes {@code n <= buffered()} bytes out of the buffer. */
  private byte[] take(int n) {
    if (n == 0) {
      return EMPTY;
    }
    byte[] out = Arrays.copyOfRange(buf, start, start + n);
    start += n;
    consumed += n;
    if (start == end) {
      start = end = 0;
    }
    if (paused && end - start <= limit) {
      paused = false;
      transport.resumeReading();
    }
    return out;
  }

  private Future<Void> newWaiter(long kind) {
    Future<Void> w = waiter;
    if (w != null && !w.isDone()) {
      String[] names = {"read", "readExactly", "readUntil", "readLine"};
      throw new IllegalStateException(
          names[(int) kind]
              + "() called while another coroutine is already waiting for incoming data");
    }
    if (paused) {
      paused = false; // a read needs more than is buffered: read on, past the limit
      transport.resumeReading();
    }
    java.lang.ref.WeakReference<StreamWriter> paired = writer;
    writerWhileWaiting = paired == null ? null : paired.get();
    return waiter = loop.createFuture();
  }

  /** {@code w} writes to the same connection (see {@link #writerWhileWaiting}). */
  void pairWith(StreamWriter w) {
    writer = new java.lang.ref.WeakReference<>(w);
  }

  private void wakeWaiter() {
    writerWhileWaiting = null;
    Future<Void> w = waiter;
    if (w != null) {
      waiter = null;
      if (!w.isDone()) {
        w.setResult(null);
      }
    }
  }

  // ---- feeding -----------------------------------------------------------------------------

  /**
   * Appends {@code data} to the buffer and wakes a waiting read.
   *
   * @param data the bytes that arrived (copied)
   */
  public void feedData(byte[] data) {
    feedData(data, 0, data.length);
  }

  /**
   * Appends {@code data[off, off + len)} to the buffer and wakes a waiting read.
   *
   * @param data holds the bytes that arrived (copied)
   * @param off where they start in {@code data}
   * @param len how many there are
   */
  public void feedData(byte[] data, int off, int len) {
    if (eof) {
      throw new IllegalStateException("feedData after feedEof");
    }
    if (len == 0) {
      return;
    }
    ensureRoom(len);
    System.arraycopy(data, off, buf, end, len);
    end += len;
    arrived();
  }

  /**
   * The reader as its transport's {@link Protocol}: the transport reads straight into {@link #buf}
   * through {@link #view}.
   */
  private final class Feed implements Protocol {
    @Override
    public ByteBuffer getBuffer(int sizeHint) {
      ensureRoom(sizeHint);
      ByteBuffer v = view;
      v.limit(buf.length).position(end);
      return v;
    }

    @Override
    public void bufferUpdated(int n) {
      end += n;
      arrived();
    }

    @Override
    public void eofReceived() {
      feedEof();
    }

    @Override
    public void connectionLost(Throwable e) {
      if (e == null) {
        feedEof();
      } else {
        setException(e);
      }
    }
  }

  /** The transport that feeds this reader. */
  Transport transport() {
    return transport;
  }

  /** Switches the transport that feeds this reader (STARTTLS). */
  void setTransport(Transport t) {
    transport = t;
  }

  /**
   * Takes out everything buffered (bytes that arrived before a STARTTLS belong to the TLS layer).
   */
  byte[] drainBuffered() {
    return take(end - start);
  }

  private void arrived() {
    wakeWaiter();
    if (transport != null && !paused && end - start > 2L * limit) { // a limit of 2^30 or more
      paused = true;
      transport.pauseReading();
    }
  }

  private void ensureRoom(int n) {
    if (buf.length - end >= n) {
      return;
    }
    int size = end - start;
    if (start > 0 && buf.length - size >= n && size <= buf.length / 2) {
      System.arraycopy(buf, start, buf, 0, size); // compact: cheaper than growing
    } else {
      int cap = Math.max(Math.max(buf.length * 2, MIN_CAPACITY), size + n);
      byte[] nb = new byte[cap];
      System.arraycopy(buf, start, nb, 0, size);
      buf = nb;
      view = ByteBuffer.wrap(nb);
    }
    start = 0;
    end = size;
  }

  /** Marks the end of the stream: reads return what is buffered, then report the end. */
  public void feedEof() {
    eof = true;
    wakeWaiter();
  }

  /**
   * Fails the stream: reads return what is buffered, then throw {@code e} (the same instance).
   *
   * @param e what reads throw once the buffer is empty
   */
  public void setException(Throwable e) {
    exception = Objects.requireNonNull(e, "exception");
    wakeWaiter();
  }

  // ---- state -------------------------------------------------------------------------------

  /**
   * The error the stream failed with (a reset, ...), or null.
   *
   * @return the stream's failure, or null
   */
  public Throwable exception() {
    return exception;
  }

  /**
   * True when the stream ended and everything buffered was read.
   *
   * @return true once the stream ended and nothing is left to read
   */
  public boolean atEof() {
    return eof && start == end;
  }

  /**
   * The number of bytes buffered, not read yet.
   *
   * @return the number of bytes buffered, not read yet
   */
  public int buffered() {
    return end - start;
  }

  /**
   * The buffer limit.
   *
   * @return the most bytes a line or separator search may span
   */
  public int limit() {
    return limit;
  }

  @Override
  public String toString() {
    return "StreamReader["
        + (end - start)
        + " bytes buffered"
        + (eof ? ", eof" : "")
        + (exception != null ? ", exception=" + exception : "")
        + (paused ? ", paused" : "")
        + (waiter != null && !waiter.isDone() ? ", waiting" : "")
        + "]";
  }
}
