package dev.coroutine.io;

import java.net.InetSocketAddress;

/**
 * One datagram received by a {@link DatagramEndpoint}: asyncio's {@code datagram_received(data,
 * addr)} arguments.
 *
 * @param data the payload (the endpoint's own copy)
 * @param sender where it came from
 */
public record Datagram(byte[] data, InetSocketAddress sender) {}
