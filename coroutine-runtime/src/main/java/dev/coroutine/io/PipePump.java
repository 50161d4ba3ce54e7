package dev.coroutine.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * The portable fallback of {@link Subprocess}'s pipes: a daemon thread copying between one of the
 * JDK's blocking process streams and an NIO pipe whose other end the loop's selector serves. One
 * thread per piped stream, for as long as the stream is open; each ends at end of file, or when
 * either side is closed (the copy fails), closing both sides so the other one sees the end too.
 */
final class PipePump implements Runnable {
  /** Bytes copied per read. */
  private static final int CHUNK = 64 * 1024;

  /** Where the bytes come from: the child's stdout/stderr, or null. */
  private final InputStream fromChild;

  /** Where they go: the loop's pipe, or null. */
  private final Pipe.SinkChannel toLoop;

  /** Where the bytes come from: the loop's pipe, or null. */
  private final Pipe.SourceChannel fromLoop;

  /** Where they go: the child's stdin, or null. */
  private final OutputStream toChild;

  private PipePump(
      InputStream fromChild,
      Pipe.SinkChannel toLoop,
      Pipe.SourceChannel fromLoop,
      OutputStream toChild) {
    this.fromChild = fromChild;
    this.toLoop = toLoop;
    this.fromLoop = fromLoop;
    this.toChild = toChild;
  }

  /** Starts copying the child's {@code in} into {@code sink} (which must stay blocking). */
  static void fromChild(InputStream in, Pipe.SinkChannel sink, String threadName) {
    start(new PipePump(in, sink, null, null), threadName);
  }

  /** Starts copying {@code source} (which must stay blocking) into the child's {@code out}. */
  static void toChild(Pipe.SourceChannel source, OutputStream out, String threadName) {
    start(new PipePump(null, null, source, out), threadName);
  }

  private static void start(PipePump p, String name) {
    Thread t = new Thread(null, p, name, 64 * 1024); // a copy loop needs little stack
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void run() {
    try {
      if (fromChild != null) {
        byte[] b = new byte[CHUNK];
        ByteBuffer view = ByteBuffer.wrap(b);
        int n;
        while ((n = fromChild.read(b)) >= 0) {
          view.clear().limit(n);
          while (view.hasRemaining()) {
            toLoop.write(view);
          }
        }
      } else {
        ByteBuffer b = ByteBuffer.allocate(CHUNK);
        while (fromLoop.read(b.clear()) >= 0) {
          toChild.write(b.array(), 0, b.position());
          toChild.flush();
        }
      }
    } catch (IOException e) {
      // one side was closed: closing both below tells the other
    } finally {
      if (fromChild != null) {
        closeQuietly(fromChild);
        IoFrames.closeQuietly(toLoop);
      } else {
        IoFrames.closeQuietly(fromLoop);
        closeQuietly(toChild);
      }
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // ending anyway
    }
  }
}
