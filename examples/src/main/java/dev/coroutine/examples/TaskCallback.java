package dev.coroutine.examples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;

import com.sun.net.httpserver.HttpServer;
import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Seed section 2.3, task callbacks ({@code add_done_callback}): a coroutine object is wrapped in a
 * task, the task is printed while pending, the loop runs it to completion, and the task is printed
 * again with its result. A done callback receives the finished task and reads {@code result()} from
 * it, which is what the seed describes; as the seed notes, most code simply reads {@code
 * task.result()} after the task is done instead.
 *
 * <p>The seed's {@code request()} returns a status; here it is a real HTTP GET (the JDK's {@link
 * HttpClient}, awaited) to a server the example starts on a free local port, so the status and body
 * printed are what that server answered.
 *
 * <p>Like the seed this uses the low-level loop API ({@code get_event_loop()}, {@code
 * run_until_complete}) rather than {@code run}.
 */
public final class TaskCallback {
  private TaskCallback() {}

  /** {@code async def request()}: GETs {@code uri}, returns the status, the body and the path. */
  @Async
  static Coroutine<String> request(HttpClient client, URI uri) {
    HttpResponse<String> response =
        await(
            client.sendAsync(
                HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
    return done(response.statusCode() + " " + response.body() + " from " + uri.getPath());
  }

  /** The done callback: called with the task once it is done. */
  static void callback(Future<String> task) {
    System.out.println("Callback: " + task.result());
  }

  public static void main(String[] args) throws IOException {
    HttpServer server = statusServer();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/status");
      Coroutine<String> coroutine = request(HttpClient.newHttpClient(), uri);
      // nothing has run yet: calling an @Async method only creates the coroutine object
      EventLoop loop = new EventLoop();
      try {
        Task<String> task = loop.createTask(coroutine); // asyncio.ensure_future(coroutine)
        task.addDoneCallback(TaskCallback::callback);
        System.out.println("Task: " + task);

        loop.runUntilComplete(task);

        System.out.println("Task: " + task);
        System.out.println("Task Result: " + task.result());
      } finally {
        loop.close();
      }
    } finally {
      server.stop(0);
    }
  }

  /** A local HTTP server, on a free port, that answers {@code GET /status} with 200 and "OK". */
  static HttpServer statusServer() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/status",
        exchange -> {
          byte[] body = "OK".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
  }
}
