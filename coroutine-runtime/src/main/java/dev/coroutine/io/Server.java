package dev.coroutine.io;

import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import dev.coroutine.internal.NeverFailingLogger;
import dev.coroutine.internal.RuntimeChannelCallback;
import dev.coroutine.internal.Steps;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLContext;

/**
 * A listening server made by {@link Streams#startServer}: asyncio's {@code Server}. Each accepted
 * connection gets a {@link StreamReader}/{@link StreamWriter} pair and a task running the {@link
 * StreamHandler}.
 *
 * <p>{@link #close()} stops listening; connections already accepted go on until they close (or
 * {@link #closeClients()}). {@link #waitClosed()} finishes once the server is closed and all its
 * connections are closed (asyncio 3.12). {@link #serveForever()} waits until the server is closed,
 * and ends with a cancellation, as asyncio's; cancelling it closes the server.
 */
public final class Server {
  /** Where failed TLS handshakes of clients are logged. */
  private static final System.Logger TLS_LOG = NeverFailingLogger.of("dev.coroutine.io.tls");

  /** Connections accepted per readiness event at most, so that one server cannot hog the loop. */
  private static final int ACCEPT_BATCH = 100;

  /** Seconds a server stops accepting after accept() failed (asyncio's ACCEPT_RETRY_DELAY). */
  static final double ACCEPT_RETRY_SECONDS = 1.0;

  /** The loop. */
  private final EventLoop loop;

  /** The listening sockets. */
  private final List<ServerSocketChannel> sockets;

  /** Runs for each connection. */
  private final StreamHandler handler;

  /** Buffer limit of each connection's reader. */
  private final int limit;

  /** The TLS context of a TLS server, or null. */
  private final SSLContext ssl;

  /** How TLS handshakes are done (unused without {@link #ssl}). */
  private final TlsOptions tlsOptions;

  /** The connections accepted and not closed yet. */
  private final LinkedHashSet<Transport> clients = new LinkedHashSet<>();

  /** What the running {@link #serveForever()} waits on (cancelled by {@link #close()}), or null. */
  private Future<Void> servingForever;

  /** Waiters of {@link #waitClosed()}. */
  private final ArrayList<Future<Void>> closeWaiters = new ArrayList<>();

  /** {@link #close()} was called. */
  private boolean closed;

  /** The socket file of a Unix domain server (removed by {@link #close()}), or null. */
  private final UnixSockets.SocketFile socketFile;

  /**
   * Where accepted connections go instead of being served here (a {@link GroupServer}'s single
   * acceptor hands them to the group's loops), or null to serve them on this loop.
   */
  private final java.util.function.Consumer<SocketChannel> dispatch;

  Server(EventLoop loop, List<ServerSocketChannel> sockets, StreamHandler handler, int limit) {
    this(loop, sockets, handler, limit, null, null);
  }

  Server(
      EventLoop loop,
      List<ServerSocketChannel> sockets,
      StreamHandler handler,
      int limit,
      UnixSockets.SocketFile socketFile) {
    this(loop, sockets, handler, limit, socketFile, null);
  }

  Server(
      EventLoop loop,
      List<ServerSocketChannel> sockets,
      StreamHandler handler,
      int limit,
      UnixSockets.SocketFile socketFile,
      java.util.function.Consumer<SocketChannel> dispatch) {
    this(loop, sockets, handler, limit, null, TlsOptions.defaults(), socketFile, dispatch);
  }

  Server(
      EventLoop loop,
      List<ServerSocketChannel> sockets,
      StreamHandler handler,
      int limit,
      SSLContext ssl,
      TlsOptions tlsOptions,
      UnixSockets.SocketFile socketFile,
      java.util.function.Consumer<SocketChannel> dispatch) {
    this.loop = loop;
    this.sockets = sockets;
    this.handler = handler;
    this.limit = limit;
    this.ssl = ssl;
    this.tlsOptions = tlsOptions;
    this.socketFile = socketFile;
    this.dispatch = dispatch;
    for (ServerSocketChannel s : sockets) {
      loop.addReader(s, (RuntimeChannelCallback) () -> acceptReady(s));
    }
  }

  /**
   * The addresses the server listens on.
   *
   * @return the bound addresses, one per listening socket; empty for a Unix domain server
   */
  public List<InetSocketAddress> addresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (ServerSocketChannel s : sockets) {
      try {
        if (s.getLocalAddress() instanceof InetSocketAddress) {
          out.add((InetSocketAddress) s.getLocalAddress());
        }
      } catch (IOException e) {
        // closed
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The port of the first listening socket (useful after binding port 0).
   *
   * @return the port of the first listening socket; -1 for a Unix domain server
   */
  public int port() {
    return socketFile != null ? -1 : sockets.get(0).socket().getLocalPort();
  }

  /**
   * The socket file of a server made by {@link Streams#startUnixServer}, else null.
   *
   * @return the path the server listens on, or null for a TCP server
   */
  public Path path() {
    return socketFile == null ? null : socketFile.path();
  }

  /**
   * True until {@link #close()}.
   *
   * @return true until the server is closed
   */
  public boolean isServing() {
    return !closed;
  }

  /**
   * The number of accepted connections not closed yet.
   *
   * @return the number of accepted connections still open
   */
  public int clientCount() {
    return clients.size();
  }

  private void acceptReady(ServerSocketChannel s) {
    for (int i = 0; i < ACCEPT_BATCH && !closed; i++) {
      SocketChannel ch;
      try {
        ch = s.accept();
      } catch (IOException e) {
        backOff(s, e);
        return;
      }
      if (ch == null) {
        return;
      }
      try {
        ch.configureBlocking(false);
        if (socketFile == null) {
          ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
      } catch (IOException e) {
        IoFrames.closeQuietly(ch); // gone before it could be set up: not the listener's fault
        continue;
      }
      if (dispatch != null) {
        dispatch.accept(ch);
      } else {
        adopt(ch);
      }
    }
  }

  /**
   * Serves {@code ch}, a connection accepted (here or by another loop's acceptor) and configured
   * non-blocking, on this server's loop: on the loop thread.
   */
  void adopt(SocketChannel ch) {
    SocketTransport t = new SocketTransport(loop, ch, true);
    if (ssl == null) {
      accepted(t, Streams.attach(t, limit, null, 0));
    } else {
      acceptedTls(t);
    }
  }

  /**
   * accept() failed, typically out of file descriptors ({@code EMFILE}): the pending connection
   * stays in the backlog, so the socket stays ready and retrying at once would spin the loop. As
   * asyncio does, stop accepting on {@code s}, report it once, and listen again after {@link
   * #ACCEPT_RETRY_SECONDS}; the waiting clients are accepted then, if resources were freed.
   */
  private void backOff(ServerSocketChannel s, IOException e) {
    loop.removeReader(s);
    loop.callExceptionHandler(
        new EventLoop.ErrorContext(
            "socket.accept() failed (out of file descriptors or another system resource?): "
                + "not accepting on "
                + localAddress(s)
                + " for "
                + ACCEPT_RETRY_SECONDS
                + " s",
            e,
            this));
    loop.callLater(
        ACCEPT_RETRY_SECONDS,
        () -> {
          if (!closed && s.isOpen()) {
            loop.addReader(s, (RuntimeChannelCallback) () -> acceptReady(s));
          }
        });
  }

  private static String localAddress(ServerSocketChannel s) {
    try {
      return String.valueOf(s.getLocalAddress());
    } catch (IOException e) {
      return String.valueOf(s);
    }
  }

  /** Tracks {@code t} until it closes and serves it. */
  private void accepted(Transport t, Connection conn) {
    track(t);
    start(t, conn);
  }

  private void track(Transport t) {
    clients.add(t);
    t.closed().addDoneCallback(f -> detach(t));
  }

  /**
   * Runs the TLS handshake over {@code s}, then the handler. A failed handshake closes only this
   * connection (asyncio logs it in debug mode; we log it at DEBUG level).
   */
  private void acceptedTls(SocketTransport s) {
    TlsTransport t;
    try {
      t = TlsTransport.server(s, ssl, tlsOptions);
    } catch (RuntimeException e) {
      report(e, s);
      return;
    }
    track(t);
    Connection conn = Streams.attach(t, limit, null, 0);
    t.start(new byte[0]);
    t.handshake()
        .addDoneCallback(
            h -> {
              if (h.exception() != null) {
                TLS_LOG.log(System.Logger.Level.DEBUG, "{0}", h.exception().getMessage());
              } else if (!t.closedByThisSide()) {
                // also when the peer's close or end came in the handshake's last read: its data
                // and the end are in the reader, and the handler is owed them (asyncio runs it)
                start(t, conn);
              }
            });
  }

  private void start(Transport t, Connection conn) {
    Coroutine<?> c;
    try {
      c = handler.handle(conn.reader(), conn.writer());
    } catch (Throwable e) {
      report(e, t);
      return;
    }
    if (c == null) {
      return; // a plain callback (asyncio allows one): it started what serves the connection
    }
    Task<?> task = loop.createTask(c);
    StreamWriter writer = conn.writer();
    task.addDoneCallback(
        d -> {
          // held by the handler's task until it is done, as asyncio's handler frame holds its
          // arguments: a handler that no longer uses its writer after an await (it only keeps the
          // connection open) must not have it collected, and the connection closed, meanwhile
          java.lang.ref.Reference.reachabilityFence(writer);
          if (d.isCancelled()) {
            t.close(); // as asyncio 3.13: a server's shutdown must not wait for its connection
          } else if (d.exception() != null) {
            report(d.exception(), t);
          }
        });
  }

  private void report(Throwable e, Transport t) {
    loop.callExceptionHandler(
        new EventLoop.ErrorContext("Unhandled exception in client connection handler", e, t));
    t.close(); // as asyncio: what the handler wrote is sent first
  }

  /** Called once a connection closed. */
  private void detach(Transport t) {
    clients.remove(t);
    wakeIfClosed();
  }

  /**
   * Stops listening: closes the listening sockets (and removes a Unix domain server's socket file).
   * Connections already accepted are left open; close them with {@link #closeClients()}.
   * Idempotent.
   */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ServerSocketChannel s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // nothing more to do
      }
      loop.removeReader(s); // after the close: its deregistration frees the port now (IoPoller)
    }
    if (socketFile != null) {
      socketFile.remove(); // asyncio 3.13's cleanup_socket
    }
    Future<Void> serving = servingForever;
    if (serving != null) {
      servingForever = null;
      serving.cancel(); // as asyncio: serveForever() ends with the cancellation
    }
    wakeIfClosed();
  }

  /** Closes every accepted connection (each flushes its output first). */
  public void closeClients() {
    for (Transport t : new ArrayList<>(clients)) {
      t.close();
    }
  }

  /** Closes every accepted connection at once, discarding queued output. */
  public void abortClients() {
    for (Transport t : new ArrayList<>(clients)) {
      t.abort();
    }
  }

  /**
   * Finishes once the server is closed and all its connections are closed.
   *
   * @return a coroutine that finishes once the server and all its connections are closed
   */
  public Coroutine<Void> waitClosed() {
    return IoFrames.lazy(
        () -> {
          if (closed && clients.isEmpty()) {
            return IoFrames.completed(loop, null);
          }
          Future<Void> f = loop.createFuture();
          closeWaiters.add(f);
          return f;
        });
  }

  /**
   * Serves until the server is closed (asyncio 3.12's {@code serve_forever}): ends with {@link
   * CancellationException} when {@link #close()} is called or the awaiting task is cancelled, after
   * closing the server and waiting for its connections to close ({@link #waitClosed()}). One at a
   * time: a second one while the first runs, or one on a closed server, throws {@link
   * IllegalStateException}.
   *
   * @return a coroutine that ends only with a cancellation
   */
  public Coroutine<Void> serveForever() {
    return new ServeForever().coroutine();
  }

  /** The steps of {@link #serveForever()}: wait; on cancellation close, wait closed, rethrow. */
  private final class ServeForever extends Steps<Void> {
    /** 0: not started; 1: serving; 2: waiting for the connections to close. */
    private int stage;

    /** The cancellation that ended the serving, thrown once the server is closed. */
    private Throwable cancelled;

    @Override
    protected Object step(Object value, Throwable failure) throws Throwable {
      switch (stage) {
        case 0:
          if (servingForever != null) {
            throw new IllegalStateException(
                "server " + Server.this + " is already being awaited on serveForever()");
          }
          if (closed) {
            throw new IllegalStateException("server " + Server.this + " is closed");
          }
          servingForever = loop.createFuture();
          stage = 1;
          return await(servingForever);
        case 1:
          servingForever = null; // the wait ends only by a cancellation: close(), or the task's
          cancelled = failure != null ? failure : new CancellationException();
          close();
          stage = 2;
          return await(waitClosed());
        default:
          throw failure != null ? failure : cancelled; // a second cancellation, or the first
      }
    }
  }

  private void wakeIfClosed() {
    if (closed && clients.isEmpty() && !closeWaiters.isEmpty()) {
      for (Future<Void> f : closeWaiters) {
        if (!f.isDone()) {
          f.setResult(null);
        }
      }
      closeWaiters.clear();
    }
  }

  @Override
  public String toString() {
    return "Server["
        + (socketFile != null ? socketFile.path() : addresses())
        + (closed ? " closed" : "")
        + ", "
        + clients.size()
        + " clients]";
  }
}
