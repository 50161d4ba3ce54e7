package dev.coroutine.io;

import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.internal.RuntimeChannelCallback;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * asyncio's stream functions: {@link #openConnection} and {@link #startServer}. Host names are
 * resolved on the loop's executor ({@link EventLoop#runInExecutor}), so a slow resolver never
 * blocks the loop; IP literals are used as they are.
 *
 * <pre>{@code
 * Connection c = await(Streams.openConnection("example.org", 80));
 * c.writer().write("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n");
 * String status = await(c.reader().readLine());
 * }</pre>
 */
public final class Streams {
  /**
   * The listen backlog (the kernel caps it at {@code net.core.somaxconn}). asyncio's default is
   * 100, but a burst of connects beyond the accept queue makes Linux fall back to SYN cookies and
   * answer some of those connections with a reset: 1,000 clients connecting at once (the soak test,
   * the echo benchmark) lost connections with 100.
   */
  static final int BACKLOG = 1024;

  private Streams() {}

  /**
   * Connects to {@code host:port} (each resolved address in turn until one accepts) and returns the
   * connection's reader and writer.
   *
   * @param host a host name or IP literal
   * @param port the port, 1 to 65535
   * @return a coroutine whose result is the connection's reader and writer
   * @throws IOException not by this call: where the returned coroutine is awaited, if no address
   *     accepts the connection; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Connection> openConnection(String host, int port) throws IOException {
    return openConnection(host, port, StreamReader.DEFAULT_LIMIT);
  }

  /**
   * {@link #openConnection(String, int)} with the reader's buffer limit {@code limit}.
   *
   * @param host a host name or IP literal
   * @param port the port, 1 to 65535
   * @param limit the reader's buffer limit in bytes (see {@link StreamReader#limit()})
   * @return a coroutine whose result is the connection's reader and writer
   * @throws IOException not by this call: where the returned coroutine is awaited, if no address
   *     accepts the connection; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Connection> openConnection(String host, int port, int limit)
      throws IOException {
    return openConnection(host, port, limit, null, TlsOptions.defaults());
  }

  /**
   * Connects to {@code host:port} over TLS (asyncio's {@code open_connection(host, port,
   * ssl=context)}): the await finishes once the handshake did. The server's certificate must be
   * trusted by {@code ssl} and name {@code host}; see {@link TlsOptions} for another name, ALPN and
   * timeouts. {@code ssl == null} connects in plain text.
   *
   * <pre>{@code
   * Connection c = await(Streams.openConnection("example.org", 443, SSLContext.getDefault()));
   * }</pre>
   *
   * @param host a host name or IP literal; also the name the certificate must carry
   * @param port the port, 1 to 65535
   * @param ssl the TLS context (its trust managers judge the server), or null for plain text
   * @return a coroutine whose result is the connection's reader and writer
   * @throws IOException not by this call: where the returned coroutine is awaited, if no address
   *     accepts the connection, or {@link javax.net.ssl.SSLHandshakeException} naming the server if
   *     the handshake failed (untrusted or expired certificate, wrong host name, not TLS) or timed
   *     out; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Connection> openConnection(String host, int port, SSLContext ssl)
      throws IOException {
    return openConnection(host, port, ssl, TlsOptions.defaults());
  }

  /**
   * {@link #openConnection(String, int, SSLContext)} with options: the server host name to check
   * and send as SNI, the handshake and shutdown timeouts, ALPN.
   *
   * @param host a host name or IP literal
   * @param port the port, 1 to 65535
   * @param ssl the TLS context, or null for plain text
   * @param options how the TLS handshake is done
   * @return a coroutine whose result is the connection's reader and writer
   * @throws IOException not by this call: where the returned coroutine is awaited, if the
   *     connection or the handshake failed; declared here so that a {@code catch} around the call
   *     compiles
   */
  public static Coroutine<Connection> openConnection(
      String host, int port, SSLContext ssl, TlsOptions options) throws IOException {
    return openConnection(host, port, StreamReader.DEFAULT_LIMIT, ssl, options);
  }

  /**
   * {@link #openConnection(String, int, SSLContext, TlsOptions)} with the reader's buffer limit
   * {@code limit} (asyncio's {@code open_connection(host, port, limit=..., ssl=...)}).
   *
   * @param host a host name or IP literal
   * @param port the port, 1 to 65535
   * @param limit the reader's buffer limit in bytes
   * @param ssl the TLS context, or null for plain text
   * @param options how the TLS handshake is done
   * @return a coroutine whose result is the connection's reader and writer
   * @throws IOException not by this call: where the returned coroutine is awaited, if the
   *     connection or the handshake failed; declared here so that a {@code catch} around the call
   *     compiles
   */
  public static Coroutine<Connection> openConnection(
      String host, int port, int limit, SSLContext ssl, TlsOptions options) throws IOException {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(options, "options");
    checkPort(port);
    StreamReader.checkLimit(limit);
    TlsTransport.checkOptions(ssl, options, false);
    return IoFrames.lazy(
        () -> new Connector(EventLoop.running(), host, port, limit, ssl, options).start());
  }

  /**
   * Listens on {@code host:port} (every resolved address; {@code null} or {@code ""}: all
   * interfaces; port 0: a free port, see {@link Server#port()}) and runs {@code handler} in a new
   * task for each connection.
   *
   * @param handler serves each accepted connection, in a task of its own
   * @param host the address to listen on; null or empty for all interfaces
   * @param port the port; 0 for a free one
   * @return a coroutine whose result is the listening server
   * @throws IOException not by this call: where the returned coroutine is awaited, if a socket
   *     cannot be bound; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Server> startServer(StreamHandler handler, String host, int port)
      throws IOException {
    return startServer(handler, host, port, StreamReader.DEFAULT_LIMIT);
  }

  /**
   * {@link #startServer(StreamHandler, String, int)} with readers' buffer limit {@code limit}.
   *
   * @param handler serves each accepted connection, in a task of its own
   * @param host the address to listen on; null or empty for all interfaces
   * @param port the port; 0 for a free one
   * @param limit each connection reader's buffer limit in bytes
   * @return a coroutine whose result is the listening server
   * @throws IOException not by this call: where the returned coroutine is awaited, if a socket
   *     cannot be bound; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Server> startServer(
      StreamHandler handler, String host, int port, int limit) throws IOException {
    return startServer(handler, host, port, limit, null, TlsOptions.defaults());
  }

  /**
   * Listens on {@code host:port} for TLS connections (asyncio's {@code start_server(...,
   * ssl=context)}): each connection's handshake runs first, and {@code handler} gets the connection
   * only once it succeeded. A failed handshake (a client that does not trust the certificate,
   * speaks plain text, or stalls past the handshake timeout) closes that connection and is logged
   * at DEBUG level; the server goes on serving. {@code ssl == null} serves plain text.
   *
   * @param handler serves each connection once its handshake finished, in a task of its own
   * @param host the address to listen on; null or empty for all interfaces
   * @param port the port; 0 for a free one
   * @param ssl the TLS context holding the server's key and certificate, or null for plain text
   * @return a coroutine whose result is the listening server
   * @throws IOException not by this call: where the returned coroutine is awaited, if a socket
   *     cannot be bound; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Server> startServer(
      StreamHandler handler, String host, int port, SSLContext ssl) throws IOException {
    return startServer(handler, host, port, ssl, TlsOptions.defaults());
  }

  /**
   * {@link #startServer(StreamHandler, String, int, SSLContext)} with options: handshake and
   * shutdown timeouts, ALPN protocols accepted, client certificates.
   *
   * @param handler serves each connection once its handshake finished
   * @param host the address to listen on; null or empty for all interfaces
   * @param port the port; 0 for a free one
   * @param ssl the TLS context, or null for plain text
   * @param options how the TLS handshakes are done
   * @return a coroutine whose result is the listening server
   * @throws IOException not by this call: where the returned coroutine is awaited, if a socket
   *     cannot be bound; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Server> startServer(
      StreamHandler handler, String host, int port, SSLContext ssl, TlsOptions options)
      throws IOException {
    return startServer(handler, host, port, StreamReader.DEFAULT_LIMIT, ssl, options);
  }

  /**
   * {@link #startServer(StreamHandler, String, int, SSLContext, TlsOptions)} with each connection
   * reader's buffer limit {@code limit} (asyncio's {@code start_server(..., limit=..., ssl=...)}).
   *
   * @param handler serves each connection once its handshake finished
   * @param host the address to listen on; null or empty for all interfaces
   * @param port the port; 0 for a free one
   * @param limit each connection reader's buffer limit in bytes
   * @param ssl the TLS context, or null for plain text
   * @param options how the TLS handshakes are done
   * @return a coroutine whose result is the listening server
   * @throws IOException not by this call: where the returned coroutine is awaited, if a socket
   *     cannot be bound; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Server> startServer(
      StreamHandler handler, String host, int port, int limit, SSLContext ssl, TlsOptions options)
      throws IOException {
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    checkPort(port);
    StreamReader.checkLimit(limit);
    TlsTransport.checkOptions(ssl, options, true);
    return IoFrames.lazy(
        () -> {
          EventLoop loop = EventLoop.running();
          Future<Server> result = new OwnedResult<>(loop, Server::close);
          Future<InetAddress[]> addresses =
              host == null || host.isEmpty()
                  ? IoFrames.completed(loop, new InetAddress[] {null})
                  : resolve(loop, host);
          IoFrames.then(
              addresses,
              result,
              a ->
                  result.setResult(
                      new Server(loop, bind(a, port), handler, limit, ssl, options, null, null)));
          return result;
        });
  }

  /**
   * Connects to the Unix domain socket at {@code path} (asyncio's {@code open_unix_connection}):
   * the same reader and writer as over TCP.
   *
   * @param path the server's socket file
   * @return a coroutine whose result is the connection's reader and writer
   * @throws IOException not by this call: where the returned coroutine is awaited, if nothing
   *     listens there (naming the path: a {@link java.net.ConnectException} where a socket file is
   *     left with no server, a {@link java.net.SocketException} "No such file or directory" where
   *     there is no file, asyncio's {@code FileNotFoundError}); declared here so that a {@code
   *     catch} around the call compiles. Linux's abstract names (beginning with a NUL) cannot be
   *     given: a {@link Path} holds no NUL.
   */
  public static Coroutine<Connection> openUnixConnection(Path path) throws IOException {
    return openUnixConnection(path, StreamReader.DEFAULT_LIMIT);
  }

  /**
   * {@link #openUnixConnection(Path)} with the reader's buffer limit {@code limit}.
   *
   * @param path the server's socket file
   * @param limit the reader's buffer limit in bytes
   * @return a coroutine whose result is the connection's reader and writer
   * @throws IOException not by this call: where the returned coroutine is awaited, if nothing
   *     listens there; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Connection> openUnixConnection(Path path, int limit) throws IOException {
    UnixSockets.requirePath(path);
    StreamReader.checkLimit(limit);
    return IoFrames.lazy(() -> UnixSockets.connect(EventLoop.running(), path, limit));
  }

  /**
   * Listens on a Unix domain socket at {@code path} (asyncio's {@code start_unix_server}) and runs
   * {@code handler} in a new task for each connection. A socket file already at the path (left by a
   * server that died) is replaced; the server removes its file when it closes.
   *
   * @param handler serves each accepted connection, in a task of its own
   * @param path where the socket file goes
   * @return a coroutine whose result is the listening server ({@link Server#path()})
   * @throws IOException not by this call: where the returned coroutine is awaited, if the socket
   *     cannot be bound there; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Server> startUnixServer(StreamHandler handler, Path path)
      throws IOException {
    return startUnixServer(handler, path, StreamReader.DEFAULT_LIMIT);
  }

  /**
   * {@link #startUnixServer(StreamHandler, Path)} with readers' buffer limit {@code limit}.
   *
   * @param handler serves each accepted connection, in a task of its own
   * @param path where the socket file goes
   * @param limit each connection reader's buffer limit in bytes
   * @return a coroutine whose result is the listening server
   * @throws IOException not by this call: where the returned coroutine is awaited, if the socket
   *     cannot be bound there; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Server> startUnixServer(StreamHandler handler, Path path, int limit)
      throws IOException {
    Objects.requireNonNull(handler, "handler");
    UnixSockets.requirePath(path);
    StreamReader.checkLimit(limit);
    return IoFrames.lazy(
        () -> {
          EventLoop loop = EventLoop.running();
          try {
            return IoFrames.completed(
                loop, UnixSockets.listen(loop, handler, path, limit, BACKLOG));
          } catch (IOException e) {
            return IoFrames.failed(loop, e);
          }
        });
  }

  /**
   * A reader and writer over {@code t}; the reader becomes its protocol, so reading starts. {@code
   * host} and {@code port} are what a client connected to (null and 0 for a server's connection).
   */
  static Connection attach(Transport t, int limit, String host, int port) {
    StreamReader r = new StreamReader(t.loop(), limit, t);
    StreamWriter w = new StreamWriter(t, r, host, port);
    r.pairWith(w);
    t.setProtocol(r.feed);
    w.watch = UnclosedWriters.watch(w, t);
    return new Connection(r, w);
  }

  private static List<ServerSocketChannel> bind(InetAddress[] addresses, int port)
      throws IOException {
    List<ServerSocketChannel> out = new ArrayList<>();
    try {
      for (InetAddress a : addresses) {
        ServerSocketChannel s = ServerSocketChannel.open();
        out.add(s);
        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        s.configureBlocking(false);
        int p = port == 0 && out.size() > 1 ? out.get(0).socket().getLocalPort() : port;
        s.bind(a == null ? new InetSocketAddress(p) : new InetSocketAddress(a, p), BACKLOG);
      }
    } catch (IOException e) {
      for (ServerSocketChannel s : out) {
        try {
          s.close();
        } catch (IOException ignored) {
          // failing anyway
        }
      }
      throw e;
    }
    return out;
  }

  /** The addresses of {@code host}: at once for an IP literal, else on the loop's executor. */
  static Future<InetAddress[]> resolve(EventLoop loop, String host) {
    if (isIpLiteral(host)) {
      try {
        return IoFrames.completed(loop, new InetAddress[] {InetAddress.getByName(host)});
      } catch (IOException e) {
        return IoFrames.failed(loop, e);
      }
    }
    return loop.runInExecutor(() -> InetAddress.getAllByName(host));
  }

  /** True for an IPv4 dotted quad or an IPv6 literal (getByName does not look these up). */
  static boolean isIpLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true;
    }
    int dots = 0;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '.') {
        dots++;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return dots == 3;
  }

  static void checkPort(int port) {
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /**
   * One {@link #openConnection}: resolve, then try each address until a connect succeeds. Runs on
   * future callbacks; cancelling {@link #result} closes the socket being connected.
   */
  private static final class Connector implements RuntimeChannelCallback {
    private final EventLoop loop;
    private final String host;
    private final int port;
    private final int limit;

    /** The TLS context, or null for plain text. */
    private final SSLContext ssl;

    /** TLS options (unused for plain text). */
    private final TlsOptions options;

    /** The TLS layer once connected, or null. */
    private TlsTransport tls;

    /** The outcome. */
    private final Future<Connection> result;

    /** The resolved addresses. */
    private InetAddress[] addresses;

    /** The next address to try. */
    private int next;

    /** The socket being connected, or null. */
    private SocketChannel channel;

    /** The first connect failure (later ones are added as suppressed), or null. */
    private IOException failure;

    Connector(
        EventLoop loop, String host, int port, int limit, SSLContext ssl, TlsOptions options) {
      this.loop = loop;
      this.host = host;
      this.port = port;
      this.limit = limit;
      this.ssl = ssl;
      this.options = options;
      this.result = OwnedResult.connection(loop);
    }

    Future<Connection> start() {
      Future<InetAddress[]> r = resolve(loop, host);
      result.addDoneCallback(
          f -> {
            if (f.isCancelled()) {
              r.cancel();
              abandon();
              if (tls != null) {
                tls.abort();
              }
            }
          });
      IoFrames.then(
          r,
          result,
          a -> {
            addresses = a;
            tryNext();
          });
      return result;
    }

    private void tryNext() {
      while (next < addresses.length) {
        InetSocketAddress address = new InetSocketAddress(addresses[next++], port);
        try {
          channel = SocketChannel.open();
          channel.configureBlocking(false);
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          if (channel.connect(address)) {
            connected();
          } else {
            loop.addWriter(channel, this);
          }
          return;
        } catch (IOException e) {
          failed(e, address);
        }
      }
      result.setException(failure);
    }

    /** The connect finished (or failed). */
    @Override
    public void run() {
      if (result.isDone()) {
        return;
      }
      try {
        if (!channel.finishConnect()) {
          return;
        }
        loop.removeWriter(channel);
        connected();
      } catch (IOException e) {
        failed(e, channel.socket().getInetAddress());
        tryNext();
      }
    }

    private void connected() {
      SocketTransport t = new SocketTransport(loop, channel, false);
      channel = null;
      if (ssl == null) {
        result.setResult(attach(t, limit, host, port));
        return;
      }
      TlsTransport s;
      try {
        s = TlsTransport.client(t, ssl, options, host, port);
      } catch (RuntimeException e) {
        t.abort();
        result.setException(e);
        return;
      }
      tls = s;
      Connection c = attach(s, limit, host, port);
      s.start(new byte[0]);
      IoFrames.then(s.handshake(), result, h -> result.setResult(c));
    }

    private void failed(IOException e, Object address) {
      abandon();
      IOException wrapped =
          new IOException("connect to " + host + ":" + port + " (" + address + ") failed: " + e, e);
      if (e instanceof java.net.ConnectException) {
        wrapped = new java.net.ConnectException(wrapped.getMessage());
        wrapped.initCause(e);
      }
      if (failure == null) {
        failure = wrapped;
      } else {
        failure.addSuppressed(wrapped);
      }
    }

    private void abandon() {
      SocketChannel ch = channel;
      channel = null;
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // failing anyway
        }
      }
    }
  }
}
