package dev.coroutine.io;

import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.Objects;

/**
 * UDP on the running loop: asyncio's {@code loop.create_datagram_endpoint}. The result is a {@link
 * DatagramEndpoint}, which receives with an awaitable per datagram.
 *
 * <pre>{@code
 * DatagramEndpoint server = await(Datagrams.bind("127.0.0.1", 9999));
 * DatagramEndpoint client = await(Datagrams.connect("127.0.0.1", 9999));
 * client.send("ping".getBytes());
 * Datagram d = await(server.receive());
 * }</pre>
 *
 * <p>Host names are resolved on the loop's executor, as for {@link Streams}; IP literals are used
 * as they are.
 */
public final class Datagrams {
  private Datagrams() {}

  /**
   * An unconnected endpoint bound to {@code host:port}.
   *
   * @param host the address to bind; null or empty for every interface
   * @param port the port; 0 for a free one
   * @return a coroutine whose result is the bound endpoint
   * @throws IOException not by this call: where the returned coroutine is awaited, if the socket
   *     cannot be bound; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<DatagramEndpoint> bind(String host, int port) throws IOException {
    return createEndpoint(DatagramOptions.defaults().local(host, port));
  }

  /**
   * An endpoint connected to {@code host:port}, bound to a free local port.
   *
   * @param host the peer's host name or IP literal
   * @param port the peer's port
   * @return a coroutine whose result is the connected endpoint
   * @throws IOException not by this call: where the returned coroutine is awaited, if the socket
   *     cannot be connected; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<DatagramEndpoint> connect(String host, int port) throws IOException {
    return createEndpoint(DatagramOptions.defaults().remote(host, port));
  }

  /**
   * An endpoint as {@code options} say: bound to the local address (a free port of every interface
   * if none), connected to the remote one if given, with the socket options set.
   *
   * @param options the addresses, socket options and receive queue capacity
   * @return a coroutine whose result is the endpoint
   * @throws IOException not by this call: where the returned coroutine is awaited, if the socket
   *     cannot be set up; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<DatagramEndpoint> createEndpoint(DatagramOptions options)
      throws IOException {
    Objects.requireNonNull(options, "options");
    return IoFrames.lazy(
        () -> {
          EventLoop loop = EventLoop.running();
          Future<DatagramEndpoint> result = new OwnedResult<>(loop, DatagramEndpoint::close);
          Future<InetAddress[]> remote =
              options.remoteHost() == null
                  ? IoFrames.completed(loop, new InetAddress[] {null})
                  : Streams.resolve(loop, options.remoteHost());
          IoFrames.then(
              remote,
              result,
              r -> {
                Future<InetAddress[]> local =
                    options.localHost() == null
                        ? IoFrames.completed(loop, new InetAddress[] {null})
                        : Streams.resolve(loop, options.localHost());
                IoFrames.then(
                    local,
                    result,
                    l -> {
                      InetAddress[] pair = pair(l, r);
                      result.setResult(open(loop, options, pair[0], pair[1]));
                    });
              });
          return result;
        });
  }

  /**
   * The local and remote address to use among the resolved ones (null: none given): the first
   * remote one with a local one of its family, as asyncio's {@code create_datagram_endpoint} pairs
   * them ({@code localhost} resolving to {@code ::1} first does not fail against an IPv4 remote);
   * the first of each when no pair matches (then refused, naming both).
   */
  static InetAddress[] pair(InetAddress[] local, InetAddress[] remote) {
    for (InetAddress r : remote) {
      for (InetAddress l : local) {
        if (r == null || l == null || (l instanceof Inet6Address) == (r instanceof Inet6Address)) {
          return new InetAddress[] {l, r};
        }
      }
    }
    return new InetAddress[] {local[0], remote[0]};
  }

  private static DatagramEndpoint open(
      EventLoop loop, DatagramOptions o, InetAddress localAddr, InetAddress remoteAddr)
      throws IOException {
    if (localAddr != null
        && remoteAddr != null
        && (localAddr instanceof Inet6Address) != (remoteAddr instanceof Inet6Address)) {
      // one socket has one family: asyncio refuses it too ("can not get address information")
      throw new IllegalArgumentException(
          "cannot make a UDP socket bound to "
              + localAddr.getHostAddress()
              + " and connected to "
              + remoteAddr.getHostAddress()
              + ": the local and remote addresses are of different families (IPv4 and IPv6)");
    }
    InetAddress familyOf = remoteAddr != null ? remoteAddr : localAddr;
    ProtocolFamily family =
        familyOf instanceof Inet6Address
            ? StandardProtocolFamily.INET6
            : StandardProtocolFamily.INET;
    DatagramChannel ch = familyOf == null ? DatagramChannel.open() : DatagramChannel.open(family);
    try {
      if (o.reuseAddressSet()) {
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      }
      if (o.reusePortSet()) {
        if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
          throw new UnsupportedOperationException("SO_REUSEPORT is not supported on this system");
        }
        ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      }
      if (o.allowBroadcastSet()) {
        ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
      }
      InetSocketAddress bindTo =
          localAddr == null
              ? new InetSocketAddress(o.localPort())
              : new InetSocketAddress(localAddr, o.localPort());
      try {
        ch.bind(bindTo);
      } catch (IOException e) {
        throw rethrow(e, "bind UDP socket to " + bindTo);
      }
      InetSocketAddress remote = null;
      if (remoteAddr != null) {
        remote = new InetSocketAddress(remoteAddr, o.remotePort());
        try {
          ch.connect(remote);
        } catch (IOException e) {
          throw rethrow(e, "connect UDP socket to " + remote);
        }
      }
      return new DatagramEndpoint(loop, ch, remote, o.receiveCapacity());
    } catch (IOException | RuntimeException e) {
      IoFrames.closeQuietly(ch);
      throw e;
    }
  }

  /** {@code e} of the same class where it can be, its message saying what was tried. */
  private static IOException rethrow(IOException e, String what) {
    IOException out =
        e instanceof java.net.BindException
            ? new java.net.BindException("cannot " + what + ": " + e.getMessage())
            : new IOException("cannot " + what + ": " + e.getMessage());
    out.initCause(e);
    return out;
  }
}
