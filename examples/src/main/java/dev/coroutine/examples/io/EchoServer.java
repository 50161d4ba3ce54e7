package dev.coroutine.examples.io;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.io.Server;
import dev.coroutine.io.StreamReader;
import dev.coroutine.io.StreamWriter;
import dev.coroutine.io.Streams;
import java.io.IOException;

/**
 * asyncio's TCP echo server, on the streams: each connection gets its own task that echoes lines
 * back until the client closes. Run it, then {@link EchoClient} (or {@code nc 127.0.0.1 8888}).
 *
 * <pre>
 * java dev.coroutine.examples.io.EchoServer [port]
 * </pre>
 */
public final class EchoServer {
  private EchoServer() {}

  /** Serves one connection: echoes each line until end of stream. */
  @Async
  static Coroutine<Void> handle(StreamReader reader, StreamWriter writer) throws IOException {
    String line;
    while ((line = await(reader.readLine())) != null) {
      writer.write(line + "\n");
      await(writer.drain()); // waits only when the client reads slower than we write
    }
    writer.close();
    await(writer.waitClosed());
    return done();
  }

  /** Listens on {@code port} until cancelled. */
  @Async
  static Coroutine<Void> serve(int port) throws IOException {
    Server server = await(Streams.startServer(EchoServer::handle, "127.0.0.1", port));
    System.out.println("serving on " + server.addresses());
    await(server.serveForever());
    return done();
  }

  public static void main(String[] args) throws IOException {
    run(serve(args.length > 0 ? Integer.parseInt(args[0]) : 8888));
  }
}
