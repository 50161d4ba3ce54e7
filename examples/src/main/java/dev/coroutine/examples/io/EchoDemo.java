package dev.coroutine.examples.io;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.io.Server;
import dev.coroutine.io.Streams;
import java.util.ArrayList;
import java.util.List;

/**
 * The echo server and many echo clients in one loop, on one thread: starts {@link EchoServer}'s
 * handler on a free port, runs {@code clients} clients concurrently (each sends {@code messages}
 * lines and checks every echo), then closes the server and waits for its connections to end.
 *
 * <pre>
 * java dev.coroutine.examples.io.EchoDemo [clients] [messages]
 * </pre>
 */
public final class EchoDemo {
  private EchoDemo() {}

  @Async
  static Coroutine<Integer> demo(int clients, int messages) throws Exception {
    Server server = await(Streams.startServer(EchoServer::handle, "127.0.0.1", 0));
    long start = System.nanoTime();
    List<Task<List<String>>> tasks = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      List<String> lines = new ArrayList<>();
      for (int j = 0; j < messages; j++) {
        lines.add("client " + i + " message " + j);
      }
      tasks.add(createTask(EchoClient.echo("127.0.0.1", server.port(), lines)));
    }
    int echoed = 0;
    for (int i = 0; i < clients; i++) {
      List<String> back = await(tasks.get(i));
      for (int j = 0; j < messages; j++) {
        if (!back.get(j).equals("client " + i + " message " + j)) {
          throw new IllegalStateException("wrong echo: " + back.get(j));
        }
      }
      echoed += back.size();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    server.close();
    await(server.waitClosed());
    System.out.printf(
        "%d clients x %d messages: %d echoes checked in %.2f s%n", clients, messages, echoed, secs);
    return done(echoed);
  }

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    run(demo(clients, messages));
  }
}
