package dev.coroutine.examples.io;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.waitFor;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.io.Connection;
import dev.coroutine.io.Server;
import dev.coroutine.io.Streams;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * asyncio's echo server and client over TLS ({@code start_server(..., ssl=ctx)}, {@code
 * open_connection(..., ssl=ctx)}): the same {@link EchoServer#handle} serves each connection, the
 * runtime's TLS layer sits between it and the socket. The server presents a certificate made on the
 * spot ({@link SelfSigned}); the client trusts it and checks the host name, as clients do by
 * default.
 *
 * <pre>
 * java dev.coroutine.examples.io.TlsEcho [message...]
 * </pre>
 */
public final class TlsEcho {
  private TlsEcho() {}

  /** Starts the TLS echo server on a free port, echoes {@code messages} through it, closes. */
  @Async
  static Coroutine<Void> demo(List<String> messages) throws IOException, TimeoutException {
    SelfSigned cert = SelfSigned.get();
    Server server =
        await(Streams.startServer(EchoServer::handle, "127.0.0.1", 0, cert.serverContext()));
    try {
      Connection c =
          await(Streams.openConnection("localhost", server.port(), cert.clientContext()));
      System.out.println(
          "connected: "
              + c.writer().sslSession().getProtocol()
              + ", server certificate for "
              + c.writer().sslSession().getPeerPrincipal().getName());
      for (String m : messages) {
        c.writer().write(m + "\n");
        await(c.writer().drain());
        String back = await(waitFor(c.reader().readLine(), Duration.ofSeconds(5)));
        System.out.println("sent " + m + ", received " + back);
      }
      c.writer().close(); // close_notify, then the socket
      await(c.writer().waitClosed());
      System.out.println("closed");
    } finally {
      server.close();
      await(server.waitClosed());
    }
    return done();
  }

  public static void main(String[] args) throws Exception {
    run(demo(args.length > 0 ? List.of(args) : List.of("Hello World!", "bye")));
  }
}
