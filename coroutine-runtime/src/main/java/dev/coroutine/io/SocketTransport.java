package dev.coroutine.io;

import dev.coroutine.EventLoop;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * One connected, non-blocking socket (TCP or Unix domain) on the loop: asyncio's {@code
 * _SelectorSocketTransport}. Reading, writing, flow control and closing are {@link
 * SelectorTransport}'s; a socket adds its addresses, its side, and a real half-close: {@link
 * #writeEof()} shuts down the output once flushed and the socket closes when the peer's end of
 * stream has come too.
 */
final class SocketTransport extends SelectorTransport {
  /** The socket. */
  private final SocketChannel socket;

  /** Accepted by a server (rather than connected by a client). */
  private final boolean serverSide;

  /**
   * The addresses, read once while the socket is open: asyncio keeps them in the transport's extra
   * info, so they still name the peer after the close (a log line on disconnect).
   */
  private final SocketAddress remote, local;

  /** A transport over connected {@code socket}; reading starts at {@link #setProtocol}. */
  SocketTransport(EventLoop loop, SocketChannel socket, boolean serverSide) {
    super(loop, socket);
    this.socket = socket;
    this.serverSide = serverSide;
    this.remote = address(socket, true);
    this.local = address(socket, false);
  }

  private static SocketAddress address(SocketChannel socket, boolean remote) {
    try {
      return remote ? socket.getRemoteAddress() : socket.getLocalAddress();
    } catch (IOException e) {
      return null; // closed already: the transport's first use reports it
    }
  }

  @Override
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  String describe() {
    return socket.toString();
  }

  @Override
  public boolean isServerSide() {
    return serverSide;
  }

  @Override
  public SocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public SocketAddress localAddress() {
    return local;
  }
}
