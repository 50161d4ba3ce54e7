package dev.coroutine.io;

import java.util.Objects;

/**
 * How {@link Datagrams#createEndpoint} sets up a UDP endpoint: asyncio's {@code
 * create_datagram_endpoint} keyword arguments {@code local_addr}, {@code remote_addr}, {@code
 * reuse_port} and {@code allow_broadcast}, plus the receive queue's capacity (see {@link
 * DatagramEndpoint} for what happens when it is full). Immutable: each method returns a changed
 * copy.
 *
 * <pre>{@code
 * DatagramOptions o = DatagramOptions.defaults().local("0.0.0.0", 9999).allowBroadcast(true);
 * }</pre>
 */
public final class DatagramOptions {
  /** The receive queue's capacity by default, in datagrams. */
  public static final int DEFAULT_RECEIVE_CAPACITY = 1024;

  private static final DatagramOptions DEFAULTS =
      new DatagramOptions(null, 0, null, 0, false, false, false, DEFAULT_RECEIVE_CAPACITY);

  /** The host to bind to, or null: any (port 0 with no local port: a free one). */
  private final String localHost;

  /** The port to bind to; 0 for a free one. */
  private final int localPort;

  /** The peer to connect to, or null for an unconnected endpoint. */
  private final String remoteHost;

  /** The peer's port. */
  private final int remotePort;

  /** SO_REUSEADDR. */
  private final boolean reuseAddress;

  /** SO_REUSEPORT: several sockets may bind the same address and port. */
  private final boolean reusePort;

  /** SO_BROADCAST: datagrams may go to a broadcast address. */
  private final boolean allowBroadcast;

  /** Datagrams held for {@link DatagramEndpoint#receive()} at most. */
  private final int receiveCapacity;

  private DatagramOptions(
      String localHost,
      int localPort,
      String remoteHost,
      int remotePort,
      boolean reuseAddress,
      boolean reusePort,
      boolean allowBroadcast,
      int receiveCapacity) {
    this.localHost = localHost;
    this.localPort = localPort;
    this.remoteHost = remoteHost;
    this.remotePort = remotePort;
    this.reuseAddress = reuseAddress;
    this.reusePort = reusePort;
    this.allowBroadcast = allowBroadcast;
    this.receiveCapacity = receiveCapacity;
  }

  /**
   * Nothing set: an unconnected endpoint on a free port of every interface.
   *
   * @return the default options
   */
  public static DatagramOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The local address to bind (asyncio's {@code local_addr}).
   *
   * @param host a host name or IP literal; null or empty for every interface
   * @param port the port; 0 for a free one
   * @return a copy with that local address
   */
  public DatagramOptions local(String host, int port) {
    checkPort(port);
    return new DatagramOptions(
        host == null || host.isEmpty() ? null : host,
        port,
        remoteHost,
        remotePort,
        reuseAddress,
        reusePort,
        allowBroadcast,
        receiveCapacity);
  }

  /**
   * The peer to connect to (asyncio's {@code remote_addr}): then only its datagrams are received
   * and {@link DatagramEndpoint#send(byte[])} sends to it.
   *
   * @param host a host name or IP literal
   * @param port the port, 1 to 65535
   * @return a copy with that remote address
   */
  public DatagramOptions remote(String host, int port) {
    Objects.requireNonNull(host, "host");
    checkPort(port);
    if (port == 0) {
      throw new IllegalArgumentException("remote port 0");
    }
    return new DatagramOptions(
        localHost, localPort, host, port, reuseAddress, reusePort, allowBroadcast, receiveCapacity);
  }

  /**
   * SO_REUSEADDR on the socket.
   *
   * @param on whether to set it
   * @return a copy with that setting
   */
  public DatagramOptions reuseAddress(boolean on) {
    return new DatagramOptions(
        localHost,
        localPort,
        remoteHost,
        remotePort,
        on,
        reusePort,
        allowBroadcast,
        receiveCapacity);
  }

  /**
   * SO_REUSEPORT (asyncio's {@code reuse_port}): sockets that all set it may bind the same address
   * and port, and the kernel spreads the datagrams among them. Where the OS lacks it the endpoint
   * fails with {@link UnsupportedOperationException}.
   *
   * @param on whether to set it
   * @return a copy with that setting
   */
  public DatagramOptions reusePort(boolean on) {
    return new DatagramOptions(
        localHost,
        localPort,
        remoteHost,
        remotePort,
        reuseAddress,
        on,
        allowBroadcast,
        receiveCapacity);
  }

  /**
   * SO_BROADCAST (asyncio's {@code allow_broadcast}): datagrams may be sent to a broadcast address.
   *
   * @param on whether to set it
   * @return a copy with that setting
   */
  public DatagramOptions allowBroadcast(boolean on) {
    return new DatagramOptions(
        localHost, localPort, remoteHost, remotePort, reuseAddress, reusePort, on, receiveCapacity);
  }

  /**
   * The most datagrams held for {@link DatagramEndpoint#receive()}; more arriving while it is full
   * are dropped and counted ({@link DatagramEndpoint#droppedCount()}).
   *
   * @param datagrams the capacity, positive
   * @return a copy with that capacity
   */
  public DatagramOptions receiveCapacity(int datagrams) {
    if (datagrams <= 0) {
      throw new IllegalArgumentException("receive capacity must be positive: " + datagrams);
    }
    return new DatagramOptions(
        localHost,
        localPort,
        remoteHost,
        remotePort,
        reuseAddress,
        reusePort,
        allowBroadcast,
        datagrams);
  }

  String localHost() {
    return localHost;
  }

  int localPort() {
    return localPort;
  }

  String remoteHost() {
    return remoteHost;
  }

  int remotePort() {
    return remotePort;
  }

  boolean reuseAddressSet() {
    return reuseAddress;
  }

  boolean reusePortSet() {
    return reusePort;
  }

  boolean allowBroadcastSet() {
    return allowBroadcast;
  }

  int receiveCapacity() {
    return receiveCapacity;
  }

  private static void checkPort(int port) {
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  @Override
  public String toString() {
    return "DatagramOptions[local="
        + (localHost == null ? "*" : localHost)
        + ":"
        + localPort
        + (remoteHost != null ? ", remote=" + remoteHost + ":" + remotePort : "")
        + (reuseAddress ? ", reuseAddress" : "")
        + (reusePort ? ", reusePort" : "")
        + (allowBroadcast ? ", allowBroadcast" : "")
        + ", receiveCapacity="
        + receiveCapacity
        + "]";
  }
}
