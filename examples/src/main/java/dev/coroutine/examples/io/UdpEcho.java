package dev.coroutine.examples.io;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.io.Datagram;
import dev.coroutine.io.DatagramEndpoint;
import dev.coroutine.io.Datagrams;
import java.nio.charset.StandardCharsets;

/**
 * asyncio's UDP echo server and client (the {@code create_datagram_endpoint} examples of its
 * documentation) in one loop: the server echoes each datagram to its sender until it is closed; the
 * client sends a few messages and waits for each echo.
 *
 * <pre>
 * java dev.coroutine.examples.io.UdpEcho [messages]
 * </pre>
 */
public final class UdpEcho {
  private UdpEcho() {}

  /** The server: each datagram goes back where it came from; ends when the endpoint closes. */
  @Async
  static Coroutine<Integer> serve(DatagramEndpoint server) throws Exception {
    int echoed = 0;
    Datagram d;
    while ((d = await(server.receive())) != null) { // null: the endpoint was closed
      System.out.println("server echoes: " + new String(d.data(), StandardCharsets.UTF_8));
      server.sendTo(d.data(), d.sender());
      echoed++;
    }
    return done(echoed);
  }

  /** The client: sends each message to the server and waits for its echo. */
  @Async
  static Coroutine<Void> client(int port, int messages) throws Exception {
    DatagramEndpoint client = await(Datagrams.connect("127.0.0.1", port));
    for (int i = 0; i < messages; i++) {
      String m = "hello " + i;
      System.out.println("client sends:  " + m);
      client.send(m.getBytes(StandardCharsets.UTF_8));
      Datagram echo = await(client.receive());
      System.out.println("client got:    " + new String(echo.data(), StandardCharsets.UTF_8));
    }
    client.close();
    return done();
  }

  @Async
  static Coroutine<Void> demo(int messages) throws Exception {
    DatagramEndpoint server = await(Datagrams.bind("127.0.0.1", 0));
    Task<Integer> serving = createTask(serve(server));
    await(client(server.localAddress().getPort(), messages));
    server.close();
    int echoed = await(serving);
    System.out.println("server echoed " + echoed + " datagrams, dropped " + server.droppedCount());
    return done();
  }

  public static void main(String[] args) throws Exception {
    run(demo(args.length > 0 ? Integer.parseInt(args[0]) : 3));
  }
}
