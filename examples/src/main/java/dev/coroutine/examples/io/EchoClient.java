package dev.coroutine.examples.io;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.waitFor;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.io.Connection;
import dev.coroutine.io.Streams;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * asyncio's TCP echo client: sends lines, reads each echo back under a timeout, closes.
 *
 * <pre>
 * java dev.coroutine.examples.io.EchoClient [host] [port] [message...]
 * </pre>
 */
public final class EchoClient {
  private EchoClient() {}

  /** Sends each message and returns the echoes, in order. */
  @Async
  static Coroutine<List<String>> echo(String host, int port, List<String> messages)
      throws IOException, TimeoutException {
    Connection c = await(Streams.openConnection(host, port));
    List<String> echoes = new ArrayList<>();
    try {
      for (String m : messages) {
        c.writer().write(m + "\n");
        await(c.writer().drain());
        String back = await(waitFor(c.reader().readLine(), Duration.ofSeconds(5)));
        if (back == null) {
          throw new IOException("the server closed the connection");
        }
        echoes.add(back);
      }
    } finally {
      c.writer().close();
    }
    await(c.writer().waitClosed());
    return done(echoes);
  }

  public static void main(String[] args) throws Exception {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8888;
    List<String> messages =
        args.length > 2 ? List.of(args).subList(2, args.length) : List.of("Hello World!", "bye");
    for (String line : run(echo(host, port, messages))) {
      System.out.println("Received: " + line);
    }
  }
}
