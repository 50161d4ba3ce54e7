/**
 * Network I/O on the event loop, as asyncio's streams and {@code sock_*} functions: {@link
 * dev.coroutine.io.Streams#openConnection} and {@link dev.coroutine.io.Streams#startServer} give
 * {@link dev.coroutine.io.StreamReader}/{@link dev.coroutine.io.StreamWriter} pairs over
 * non-blocking sockets; {@link dev.coroutine.io.Sockets} has the low-level awaitables over {@link
 * java.nio.channels.SocketChannel}s. Readiness comes from the loop's selector ({@link
 * dev.coroutine.EventLoop#addReader}, {@link dev.coroutine.EventLoop#addWriter}).
 *
 * <p>Beside TCP: Unix domain sockets ({@link dev.coroutine.io.Streams#openUnixConnection}, {@link
 * dev.coroutine.io.Streams#startUnixServer}), UDP ({@link dev.coroutine.io.Datagrams}, asyncio's
 * {@code create_datagram_endpoint}) and subprocesses whose pipes are the same streams ({@link
 * dev.coroutine.io.Subprocesses}, asyncio's {@code create_subprocess_exec}/{@code _shell}).
 *
 * <p>Layers, as asyncio's transports and protocols: a package-private {@code Transport} (one per
 * connection: the socket, a pipe, or TLS over any transport) feeds a {@code Protocol} (the reader's
 * buffer, or the TLS layer above it); {@link dev.coroutine.io.StreamReader}, {@link
 * dev.coroutine.io.StreamWriter} and {@link dev.coroutine.io.Server} see only the interface. A new
 * kind of connection is one new {@code Transport} implementation in this package.
 *
 * <p>Everything here is loop-affine, like {@link dev.coroutine.Future}: use it on the thread
 * running the loop. Every I/O await can be cancelled and put under a timeout ({@link
 * dev.coroutine.Coroutines#waitFor}); cancelling a read loses no data.
 */
package dev.coroutine.io;
