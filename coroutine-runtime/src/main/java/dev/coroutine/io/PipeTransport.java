package dev.coroutine.io;

import dev.coroutine.EventLoop;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;

/**
 * One end of a pipe on the loop: asyncio's {@code _UnixReadPipeTransport} (over a {@link
 * Pipe.SourceChannel}, feeding a {@link StreamReader}) or {@code _UnixWritePipeTransport} (over a
 * {@link Pipe.SinkChannel}, written by a {@link StreamWriter}). A pipe carries one direction, so a
 * read transport refuses writes and a write transport has nothing to read; everything else is
 * {@link SelectorTransport}'s.
 *
 * <p>Invariant: the end of file closes a read transport; {@link #writeEof()} of a write transport
 * is {@link #close()} (a pipe has no half-close: closing is how its end of file is sent).
 */
final class PipeTransport extends SelectorTransport {
  PipeTransport(EventLoop loop, SelectableChannel end) throws IOException {
    super(loop, end);
    end.configureBlocking(false);
  }

  /** A reader of {@code source} (reading starts at once), with buffer limit {@code limit}. */
  static StreamReader reader(EventLoop loop, Pipe.SourceChannel source, int limit)
      throws IOException {
    PipeTransport t = new PipeTransport(loop, source);
    StreamReader r = new StreamReader(loop, limit, t);
    t.setProtocol(r.feed);
    return r;
  }

  /** A writer to {@code sink}; it has no reader. */
  static StreamWriter writer(EventLoop loop, Pipe.SinkChannel sink) throws IOException {
    return new StreamWriter(new PipeTransport(loop, sink), null, null, 0);
  }

  /**
   * Nothing: a pipe end carries one direction, so ending its output ends the transport, and the
   * close that follows sends the end of file. (The base's {@link #writeEof()} closes a write-only
   * transport directly.)
   */
  @Override
  void shutdownOutput() {}

  @Override
  String describe() {
    return channel instanceof Pipe.SourceChannel ? "read end" : "write end";
  }

  @Override
  public boolean isServerSide() {
    return false;
  }

  @Override
  public SocketAddress remoteAddress() {
    return null;
  }

  @Override
  public SocketAddress localAddress() {
    return null;
  }
}
