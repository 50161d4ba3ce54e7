package dev.coroutine.examples.io;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.waitFor;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import dev.coroutine.io.Connection;
import dev.coroutine.io.Server;
import dev.coroutine.io.StreamReader;
import dev.coroutine.io.StreamWriter;
import dev.coroutine.io.Streams;
import dev.coroutine.io.Subprocesses;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Graceful shutdown on SIGTERM: a server whose loop handles SIGTERM (and Ctrl-C) by closing the
 * listening socket, letting the connections it has finish their work, and exiting normally; ones
 * still open after a grace period are closed.
 *
 * <p>{@code --demo} makes it its own client: a connection starts a slow job, the program sends
 * itself SIGTERM ({@code kill -TERM <pid>}, a real signal), and the job still completes before the
 * server closes. Without it, it serves on a port until someone sends the signal.
 *
 * <pre>
 * java dev.coroutine.examples.io.GracefulShutdown [--demo | port]
 * </pre>
 */
public final class GracefulShutdown {
  private GracefulShutdown() {}

  /**
   * One connection: each line is a job taking {@code 100 ms * its length}, answered "done: ...".
   */
  @Async
  static Coroutine<Void> handle(StreamReader reader, StreamWriter writer) throws IOException {
    String line;
    while ((line = await(reader.readLine())) != null) {
      await(sleep(100L * line.length()));
      writer.write("done: " + line + "\n");
      await(writer.drain());
    }
    writer.close();
    return done();
  }

  @Async
  static Coroutine<Void> serve(int port, boolean demo) throws Exception {
    EventLoop loop = getRunningLoop();
    Server server = await(Streams.startServer(GracefulShutdown::handle, "127.0.0.1", port));
    Future<String> stop = loop.createFuture();
    for (String sig : new String[] {"TERM", "INT"}) {
      loop.addSignalHandler(
          sig,
          () -> {
            if (!stop.isDone()) {
              stop.setResult("SIG" + sig);
            }
          });
    }
    long pid = ProcessHandle.current().pid();
    System.out.println(
        demo ? "serving" : "serving on port " + server.port() + "; kill -TERM " + pid + " to stop");
    Task<Void> client = demo ? createTask(demoClient(server.port(), pid)) : null;
    String why = await(stop);
    System.out.println(
        why + ": not accepting any more, waiting for " + server.clientCount() + " connection(s)");
    server.close();
    try {
      await(waitFor(server.waitClosed(), Duration.ofSeconds(10)));
    } catch (TimeoutException e) {
      System.out.println("grace period over: closing " + server.clientCount() + " connection(s)");
      server.closeClients();
    }
    if (client != null) {
      await(client);
    }
    System.out.println("server closed, bye");
    return done();
  }

  /** The demo's client: starts a slow job, has SIGTERM sent meanwhile, reads the job's answer. */
  @Async
  static Coroutine<Void> demoClient(int port, long pid) throws Exception {
    Connection c = await(Streams.openConnection("127.0.0.1", port));
    c.writer().write("slow-job\n"); // 800 ms of work
    await(c.writer().drain());
    await(sleep(100));
    System.out.println("client: job sent; sending SIGTERM to the server");
    await(await(Subprocesses.exec("kill", "-TERM", String.valueOf(pid))).waitFor());
    System.out.println("client: got '" + await(c.reader().readLine()) + "'");
    c.writer().close();
    return done();
  }

  public static void main(String[] args) throws Exception {
    boolean demo = args.length > 0 && args[0].equals("--demo");
    run(serve(demo || args.length == 0 ? 0 : Integer.parseInt(args[0]), demo));
  }
}
