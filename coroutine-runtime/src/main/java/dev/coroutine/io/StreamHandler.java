package dev.coroutine.io;

import dev.coroutine.Coroutine;

/**
 * What a {@link Server} runs for each connection it accepts (asyncio's {@code
 * client_connected_cb}): typically an {@code @Async} method, {@code Server s =
 * await(Streams.startServer(MyServer::handle, "127.0.0.1", 8888));}. Each connection's coroutine
 * runs in its own task. If it fails, the error goes to the loop's exception handler and the
 * connection is closed (what was written is sent first, as asyncio does); if it returns, the
 * connection stays as the handler left it; if its task is cancelled, the connection is closed (as
 * in asyncio 3.13). A handler may also be a plain callback that returns null once it has started
 * what serves the connection (as asyncio's {@code client_connected_cb} may be a plain function).
 */
@FunctionalInterface
public interface StreamHandler {
  /**
   * The coroutine serving one connection.
   *
   * @param reader reads what the client sends
   * @param writer writes to the client
   * @return the coroutine that serves the connection, which the server runs as a task; or null
   * @throws Exception anything; it is reported to the loop's exception handler and the connection
   *     is closed
   */
  Coroutine<?> handle(StreamReader reader, StreamWriter writer) throws Exception;
}
