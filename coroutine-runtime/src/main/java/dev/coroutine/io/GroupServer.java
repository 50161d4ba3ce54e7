package dev.coroutine.io;

import dev.coroutine.EventLoop;
import dev.coroutine.EventLoopGroup;
import dev.coroutine.internal.RuntimeHandoff;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.net.ssl.SSLContext;

/**
 * A stream server that accepts on every loop of an {@link EventLoopGroup}: one {@link Server} per
 * loop, each serving its connections in tasks of its own loop (a connection never moves).
 *
 * <p>Two ways to spread the connections, chosen at {@link #start}:
 *
 * <ul>
 *   <li><b>{@code SO_REUSEPORT}</b> (Linux, the BSDs, macOS: where {@code ServerSocketChannel}
 *       supports {@link StandardSocketOptions#SO_REUSEPORT}, Java 9 and later): every loop has its
 *       own listening socket bound to the same address and port, and the kernel spreads incoming
 *       connections over them (on Linux by a hash of the connection's addresses and ports). No loop
 *       touches another's connections; an idle loop costs nothing.
 *   <li><b>One acceptor</b> (where the option is missing, or when asked): loop 0 listens and
 *       accepts, and hands each accepted connection to the group's loops in round-robin order
 *       through {@link EventLoop#callSoonThreadsafe}; the receiving loop serves it from then on
 *       (or, if it closes first, closes it).
 * </ul>
 *
 * <p>Invariant: {@link #servers}{@code .get(i)} belongs to loop {@code i} of the group and is only
 * touched on that loop's thread; this object itself is immutable and safe from any thread.
 */
public final class GroupServer {
  /** The group whose loops serve. */
  private final EventLoopGroup group;

  /** Server {@code i} runs on loop {@code i}. */
  private final List<Server> servers;

  /** The addresses listened on (the first loop's sockets, or the acceptor's). */
  private final List<InetSocketAddress> addresses;

  /** True if every loop listens itself ({@code SO_REUSEPORT}); false for one acceptor. */
  private final boolean reusesPort;

  private GroupServer(
      EventLoopGroup group,
      List<Server> servers,
      List<InetSocketAddress> addresses,
      boolean reusesPort) {
    this.group = group;
    this.servers = Collections.unmodifiableList(servers);
    this.addresses = Collections.unmodifiableList(addresses);
    this.reusesPort = reusesPort;
  }

  /**
   * Throws {@link java.net.BindException} if something listens at {@code at}: with {@code
   * SO_REUSEPORT} our sockets would join another program's (or another group's) sockets there and
   * share its connections instead of being refused, as {@code Streams.startServer} and asyncio's
   * {@code start_server} are. A socket without the option binds only a free port; it is let go at
   * once.
   */
  private static void refuseIfInUse(InetSocketAddress at) throws IOException {
    try (ServerSocketChannel probe = ServerSocketChannel.open()) {
      probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      probe.bind(at, 1);
    }
  }

  /**
   * True where this JDK and OS let several sockets listen on one port ({@code SO_REUSEPORT}).
   *
   * @return true if {@code ServerSocketChannel} supports {@code SO_REUSEPORT} here
   */
  public static boolean reusePortSupported() {
    try (ServerSocketChannel s = ServerSocketChannel.open()) {
      return s.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * {@link #start(EventLoopGroup, StreamHandler, String, int, boolean)} with {@code SO_REUSEPORT}
   * where the OS has it.
   *
   * @param group the loops that serve
   * @param handler serves each accepted connection, in a task of the loop that got it
   * @param host the address to listen on; null or empty for all interfaces
   * @param port the port; 0 for a free one (the same for every loop)
   * @return a future completed once every loop listens (or is ready to take connections)
   */
  public static CompletableFuture<GroupServer> start(
      EventLoopGroup group, StreamHandler handler, String host, int port) {
    return start(group, handler, host, port, true);
  }

  /**
   * Starts a server on every loop of {@code group}. The host is resolved and the sockets bound on
   * the calling thread (a host name is looked up there, blocking: call it off the loops, or pass an
   * IP literal); each loop then starts its {@link Server} on its own thread. Fails (the future
   * completes exceptionally, the sockets closed) if an address cannot be bound or a loop is closed.
   *
   * @param group the loops that serve
   * @param handler serves each accepted connection, in a task of the loop that got it
   * @param host the address to listen on; null or empty for all interfaces
   * @param port the port; 0 for a free one (the same for every loop)
   * @param reusePort true: a listening socket per loop with {@code SO_REUSEPORT} where the OS has
   *     it (else one acceptor); false: always one acceptor handing out connections round-robin
   * @return a future completed once every loop is ready
   */
  public static CompletableFuture<GroupServer> start(
      EventLoopGroup group, StreamHandler handler, String host, int port, boolean reusePort) {
    return start(group, handler, host, port, reusePort, null, TlsOptions.defaults());
  }

  /**
   * A TLS server on every loop ({@code Streams.startServer(handler, host, port, ssl)} on each),
   * with {@code SO_REUSEPORT} where the OS has it: each connection's handshake and handler run on
   * the loop that got it.
   *
   * @param group the loops that serve
   * @param handler serves each connection once its handshake is done, in a task of its loop
   * @param host the address to listen on; null or empty for all interfaces
   * @param port the port; 0 for a free one (the same for every loop)
   * @param ssl the server's context (its key and certificate)
   * @return a future completed once every loop is ready
   */
  public static CompletableFuture<GroupServer> start(
      EventLoopGroup group, StreamHandler handler, String host, int port, SSLContext ssl) {
    return start(group, handler, host, port, true, ssl, TlsOptions.defaults());
  }

  /**
   * {@link #start(EventLoopGroup, StreamHandler, String, int, boolean)} serving TLS when {@code
   * ssl} is not null, with {@code options} (handshake and shutdown time-outs, ALPN, client
   * authentication) as {@code Streams.startServer(handler, host, port, ssl, options)}.
   *
   * @param group the loops that serve
   * @param handler serves each connection (after its handshake, over TLS), in a task of its loop
   * @param host the address to listen on; null or empty for all interfaces
   * @param port the port; 0 for a free one (the same for every loop)
   * @param reusePort true: a listening socket per loop where the OS has {@code SO_REUSEPORT};
   *     false: one acceptor handing out connections round-robin (the handshake runs on the loop
   *     that gets the connection)
   * @param ssl the server's context, or null for plain TCP
   * @param options the TLS options (ignored without {@code ssl})
   * @return a future completed once every loop is ready
   */
  public static CompletableFuture<GroupServer> start(
      EventLoopGroup group,
      StreamHandler handler,
      String host,
      int port,
      boolean reusePort,
      SSLContext ssl,
      TlsOptions options) {
    return start(group, handler, host, port, reusePort, StreamReader.DEFAULT_LIMIT, ssl, options);
  }

  /**
   * {@link #start(EventLoopGroup, StreamHandler, String, int, boolean, SSLContext, TlsOptions)}
   * with each connection reader's buffer limit {@code limit}, as {@code
   * Streams.startServer(handler, host, port, limit, ssl, options)}.
   *
   * @param group the loops that serve
   * @param handler serves each connection (after its handshake, over TLS), in a task of its loop
   * @param host the address to listen on; null or empty for all interfaces
   * @param port the port; 0 for a free one (the same for every loop)
   * @param reusePort true: a listening socket per loop where the OS has {@code SO_REUSEPORT};
   *     false: one acceptor handing out connections round-robin
   * @param limit each connection reader's buffer limit in bytes
   * @param ssl the server's context, or null for plain TCP
   * @param options the TLS options (ignored without {@code ssl})
   * @return a future completed once every loop is ready
   */
  public static CompletableFuture<GroupServer> start(
      EventLoopGroup group,
      StreamHandler handler,
      String host,
      int port,
      boolean reusePort,
      int limit,
      SSLContext ssl,
      TlsOptions options) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    Streams.checkPort(port);
    StreamReader.checkLimit(limit);
    TlsTransport.checkOptions(ssl, options, true);
    if (group.isShutdown()) {
      // as submit(): its loops are closing, so a server there would be gone at once
      return CompletableFuture.failedFuture(
          new IllegalStateException("cannot start a server on " + group + ": it is shut down"));
    }
    boolean perLoop = reusePort && reusePortSupported();
    int n = group.size();
    List<List<ServerSocketChannel>> sockets = new ArrayList<>();
    try {
      InetAddress[] targets =
          host == null || host.isEmpty()
              ? new InetAddress[] {null}
              : InetAddress.getAllByName(host);
      int listeners = perLoop ? n : 1;
      for (int i = 0; i < listeners; i++) {
        sockets.add(new ArrayList<>());
      }
      int p = port;
      for (InetAddress a : targets) {
        if (perLoop && p != 0) {
          refuseIfInUse(a == null ? new InetSocketAddress(p) : new InetSocketAddress(a, p));
        }
        for (int i = 0; i < listeners; i++) {
          ServerSocketChannel s = ServerSocketChannel.open();
          sockets.get(i).add(s);
          s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
          if (perLoop) {
            s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
          }
          s.configureBlocking(false);
          s.bind(
              a == null ? new InetSocketAddress(p) : new InetSocketAddress(a, p), Streams.BACKLOG);
          p = s.socket().getLocalPort(); // port 0: the others bind the port the first one got
        }
      }
    } catch (IOException | RuntimeException e) {
      closeAll(sockets);
      return CompletableFuture.failedFuture(e);
    }
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (ServerSocketChannel s : sockets.get(0)) {
      try {
        addresses.add((InetSocketAddress) s.getLocalAddress());
      } catch (IOException e) {
        closeAll(sockets);
        return CompletableFuture.failedFuture(e);
      }
    }
    AtomicReferenceArray<Server> made = new AtomicReferenceArray<>(n); // written by each loop
    AtomicInteger cursor = new AtomicInteger();
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      EventLoop loop = group.loop(i);
      List<ServerSocketChannel> own =
          perLoop ? sockets.get(i) : i == 0 ? sockets.get(0) : new ArrayList<>();
      java.util.function.Consumer<SocketChannel> dispatch =
          perLoop || n == 1 ? null : ch -> handOut(group, made, cursor, ch);
      CompletableFuture<Void> r = new CompletableFuture<>();
      ready.add(r);
      RuntimeHandoff.handTo(
          loop,
          () -> {
            try {
              made.set(index, new Server(loop, own, handler, limit, ssl, options, null, dispatch));
              r.complete(null);
            } catch (Throwable t) {
              r.completeExceptionally(t);
            }
          },
          // the loop closed first: the start fails, its sockets closed
          () -> r.completeExceptionally(new IllegalStateException("event loop is closed")));
    }
    boolean finalPerLoop = perLoop;
    return CompletableFuture.allOf(ready.toArray(new CompletableFuture<?>[0]))
        .handle(
            (v, e) -> {
              if (e != null) {
                closeAll(sockets);
                throw new java.util.concurrent.CompletionException(
                    e instanceof java.util.concurrent.CompletionException ? e.getCause() : e);
              }
              List<Server> list = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                list.add(made.get(i));
              }
              return new GroupServer(group, list, addresses, finalPerLoop);
            });
  }

  /**
   * On the acceptor's loop: gives {@code ch} to the next loop in round-robin order; a loop that is
   * closed or whose server is not made yet passes its turn on (the acceptor keeps the connection if
   * no other loop takes it).
   */
  private static void handOut(
      EventLoopGroup group,
      AtomicReferenceArray<Server> servers,
      AtomicInteger cursor,
      SocketChannel ch) {
    int n = servers.length();
    Server acceptor = servers.get(0);
    for (int k = 0; k < n; k++) {
      int i = Math.floorMod(cursor.getAndIncrement(), n);
      if (i == 0) {
        break;
      }
      Server target = servers.get(i);
      if (target == null || group.loop(i).isClosed()) {
        continue; // its turn passes to the next turn, not to the acceptor
      }
      try {
        // the loop closes first: the connection is closed (it would have been with its others)
        group
            .loop(i)
            .callSoonThreadsafe(
                RuntimeHandoff.of(() -> target.adopt(ch), () -> IoFrames.closeQuietly(ch)));
        return;
      } catch (IllegalStateException closed) {
        // closed meanwhile: the next turn
      }
    }
    acceptor.adopt(ch);
  }

  private static void closeAll(List<List<ServerSocketChannel>> sockets) {
    for (List<ServerSocketChannel> list : sockets) {
      for (ServerSocketChannel s : list) {
        try {
          s.close();
        } catch (IOException ignored) {
          // failing anyway
        }
      }
    }
  }

  /**
   * The port listened on (useful after binding port 0).
   *
   * @return the port every loop's socket (or the acceptor's) is bound to
   */
  public int port() {
    return addresses.get(0).getPort();
  }

  /**
   * The addresses listened on.
   *
   * @return the bound addresses
   */
  public List<InetSocketAddress> addresses() {
    return addresses;
  }

  /**
   * True if every loop listens on its own socket ({@code SO_REUSEPORT}), false for one acceptor.
   *
   * @return true if the kernel spreads connections over the loops' sockets
   */
  public boolean reusesPort() {
    return reusesPort;
  }

  /**
   * The per-loop servers: {@code servers().get(i)} runs on loop {@code i} and, as every {@link
   * Server}, may only be used on that loop's thread.
   *
   * @return the servers, in loop order
   */
  public List<Server> servers() {
    return servers;
  }

  /**
   * Stops listening on every loop (each {@link Server#close()} runs on its own loop); connections
   * already accepted go on. Safe from any thread; a closed loop is skipped.
   *
   * @return a future completed once every open loop has closed its server
   */
  public CompletableFuture<Void> close() {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      Server s = servers.get(i);
      CompletableFuture<Void> d = new CompletableFuture<>();
      done.add(d);
      RuntimeHandoff.handTo(
          group.loop(i),
          () -> {
            s.close();
            d.complete(null);
          },
          () -> d.complete(null)); // a closed loop closed its channels when it closed
    }
    return CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0]));
  }

  @Override
  public String toString() {
    return "GroupServer["
        + addresses
        + ", "
        + servers.size()
        + " loops, "
        + (reusesPort ? "SO_REUSEPORT" : "one acceptor")
        + "]";
  }
}
