package dev.coroutine.bench.io;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoopGroup;
import dev.coroutine.Task;
import dev.coroutine.io.Connection;
import dev.coroutine.io.GroupServer;
import dev.coroutine.io.Server;
import dev.coroutine.io.StreamReader;
import dev.coroutine.io.StreamWriter;
import dev.coroutine.io.Streams;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Echo round trips per second on loopback: a 32-byte line sent and its echo read back, by 1, 100
 * and 1,000 concurrent connections for a few seconds each. "ours": the server on one event loop
 * thread and the clients on another (dev.coroutine.io streams, @Async code); "vt": blocking
 * java.net sockets, one virtual thread per connection on each side (JDK 21+); "netty": Netty's NIO
 * event loop, one thread for the server and one for the clients ({@link NettyEcho}). The Python
 * asyncio twin is {@code benchmarks/io/echo_asyncio.py} (one process, one loop for both sides).
 *
 * <p>The TLS modes ({@code ours-tls}, {@code vt-tls}, {@code netty-tls}) do the same over TLS 1.3
 * with the JDK's provider on both sides (one self-signed EC certificate, {@link BenchCerts}; the
 * clients check the host name): ours with {@code Streams.startServer/openConnection(...,
 * SSLContext)}, virtual threads with {@code SSLServerSocket}/{@code SSLSocket}, Netty with an
 * {@code SslHandler} over the JDK's {@code SSLEngine} (delegated tasks on its event loop, as ours).
 * There every connection first completes its handshake and one round trip, uncounted; the clock
 * starts once all have ({@link #counting}), so the rate is of round trips, not handshakes.
 *
 * <p>Each point may first run for {@code warmup} seconds uncounted (the same point, its own
 * connections), then prints {@code RESULT mode=M connections=N round_trips_per_s=R}, the format
 * {@code harness.Compare} reads.
 *
 * <pre>
 * java -cp ... dev.coroutine.bench.io.EchoBench [seconds=3] [connections=1,100,1000]
 *      [modes=ours,vt,netty,ours-tls,vt-tls,netty-tls] [warmup=0]
 * </pre>
 */
public final class EchoBench {
  private EchoBench() {}

  /**
   * Bytes per message, newline included: {@code -Decho.size=N} (default 32, the line; the
   * harness also runs 16 KiB messages for throughput).
   */
  public static final int LINE_BYTES = Math.max(2, Integer.getInteger("echo.size", 32));

  /**
   * Event loops per side: {@code -Decho.loops=N} (default 1). With more than one, ours serves with
   * a {@link GroupServer} on an {@link EventLoopGroup} of N loops ({@code SO_REUSEPORT} where the
   * OS has it) and spreads its clients over another group of N loops; Netty gets N event-loop
   * threads on each side. The multi-core row (MC) compares 1 and 2.
   */
  public static final int LOOPS = Math.max(1, Integer.getInteger("echo.loops", 1));

  /** The message every client sends: {@link #LINE_BYTES} - 1 printable bytes and a newline. */
  static final byte[] LINE = line(LINE_BYTES);

  /**
   * A message of {@code size} bytes: printable ones, then a newline.
   *
   * @param size bytes, newline included
   * @return the message
   */
  public static byte[] line(int size) {
    byte[] b = new byte[size];
    String chars = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < size - 1; i++) {
      b[i] = (byte) chars.charAt(i % chars.length());
    }
    b[size - 1] = '\n';
    return b;
  }

  /** Set when a run's time is up. */
  static volatile boolean stop;

  /** TLS modes: round trips count only once this is set (every connection did its handshake). */
  static volatile boolean counting;

  /** TLS modes: connections that finished their handshake and first round trip. */
  static final java.util.concurrent.atomic.AtomicInteger ready =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Client connections of the current run that failed (they never become ready). */
  static final java.util.concurrent.atomic.AtomicInteger failed =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * TLS modes: waits until every connection is ready, then starts counting; returns the start.
   * Gives up (and counts anyway) after a minute, so a stuck run still ends and shows up slow.
   */
  static long startWhenReady(int connections) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (ready.get() + failed.get() < connections && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    counting = true;
    return System.nanoTime();
  }

  /** Resets the TLS start gate before a run. */
  static void resetGate(boolean tls) {
    ready.set(0);
    failed.set(0);
    counting = !tls;
  }

  // ---- ours --------------------------------------------------------------------------------

  @Async
  static Coroutine<Void> echo(StreamReader r, StreamWriter w) throws IOException {
    byte[] line;
    while ((line = await(r.readUntil(new byte[] {'\n'}))).length > 0) {
      w.write(line);
      await(w.drain());
    }
    w.close();
    return done();
  }

  @Async
  static Coroutine<Void> serve(
      CompletableFuture<Integer> port, CompletableFuture<Void> end, SSLContext tls)
      throws IOException {
    Server s = await(Streams.startServer(EchoBench::echoCatching, "127.0.0.1", 0, tls));
    port.complete(s.port());
    await(end);
    s.close();
    s.abortClients();
    return done();
  }

  @Async
  static Coroutine<Void> echoCatching(StreamReader r, StreamWriter w) {
    try {
      await(echo(r, w));
    } catch (java.util.concurrent.CancellationException e) {
      throw e; // the server's close cancels its handlers: let it end them
    } catch (IOException | RuntimeException e) {
      w.abort(); // the client went away at the end of a run
    }
    return done();
  }

  @Async
  static Coroutine<Long> client(int port, LongAdder count, SSLContext tls) throws IOException {
    Connection c;
    try {
      c = await(Streams.openConnection("127.0.0.1", port, tls));
    } catch (IOException e) {
      failed.incrementAndGet(); // never ready: the start gate must not wait for it
      throw e;
    }
    long n = 0;
    boolean first = true;
    while (!stop) {
      c.writer().write(LINE);
      await(c.writer().drain());
      await(c.reader().readUntil(new byte[] {'\n'}));
      if (counting) {
        n++;
      } else if (first) {
        ready.incrementAndGet();
      }
      first = false;
    }
    count.add(n);
    c.writer().close();
    return done(n);
  }

  @Async
  static Coroutine<Void> clients(int port, int connections, LongAdder count, SSLContext tls)
      throws IOException {
    List<Task<Long>> tasks = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      tasks.add(createTask(client(port, count, tls)));
    }
    for (Task<Long> t : tasks) {
      await(t);
    }
    return done();
  }

  static double ours(int connections, double seconds, boolean tls) throws Exception {
    if (LOOPS > 1 && !tls) {
      return oursGroup(connections, seconds, LOOPS);
    }
    CompletableFuture<Integer> port = new CompletableFuture<>();
    CompletableFuture<Void> end = new CompletableFuture<>();
    Coroutine<Void> serving = serve(port, end, tls ? BenchCerts.SERVER : null);
    Thread server = new Thread(() -> Coroutines.run(serving), "echo-server-loop");
    server.start();
    int p = port.get();
    LongAdder count = new LongAdder();
    stop = false;
    resetGate(tls);
    Coroutine<Void> driving = clients(p, connections, count, tls ? BenchCerts.CLIENT : null);
    Thread client = new Thread(() -> Coroutines.run(driving), "echo-client-loop");
    long t0 = System.nanoTime();
    client.start();
    if (tls) {
      t0 = startWhenReady(connections);
    }
    Thread.sleep((long) (seconds * 1000));
    stop = true;
    client.join();
    double secs = (System.nanoTime() - t0) / 1e9;
    end.complete(null);
    server.join();
    return count.sum() / secs;
  }

  /** Ours on {@code loops} loops per side: a group server, clients spread over a client group. */
  public static double oursGroup(int connections, double seconds, int loops) throws Exception {
    try (EventLoopGroup serverLoops = new EventLoopGroup(loops, "echo-server");
        EventLoopGroup clientLoops = new EventLoopGroup(loops, "echo-client")) {
      GroupServer server =
          GroupServer.start(serverLoops, EchoBench::echoCatching, "127.0.0.1", 0).get();
      LongAdder count = new LongAdder();
      stop = false;
      resetGate(false);
      List<CompletableFuture<Void>> sides = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < loops; i++) {
        int share = connections / loops + (i < connections % loops ? 1 : 0);
        if (share > 0) {
          sides.add(
              Coroutines.runCoroutineThreadsafe(
                  clients(server.port(), share, count, null), clientLoops.loop(i)));
        }
      }
      Thread.sleep((long) (seconds * 1000));
      stop = true;
      for (CompletableFuture<Void> f : sides) {
        f.get();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      server.close().get();
      return count.sum() / secs;
    } // close(): each loop cancels its handlers and closes its connections
  }

  // ---- virtual threads ---------------------------------------------------------------------

  static final MethodHandle START_VIRTUAL = startVirtual();

  private static MethodHandle startVirtual() {
    try {
      return MethodHandles.publicLookup()
          .findStatic(
              Thread.class,
              "startVirtualThread",
              MethodType.methodType(Thread.class, Runnable.class));
    } catch (ReflectiveOperationException e) {
      return null; // JDK 17
    }
  }

  static Thread virtual(Runnable r) throws Throwable {
    return (Thread) START_VIRTUAL.invokeExact(r);
  }

  static double vt(int connections, double seconds, boolean tls) throws Throwable {
    ServerSocket ss =
        tls
            ? BenchCerts.SERVER
                .getServerSocketFactory()
                .createServerSocket(0, 2048, InetAddress.getByName("127.0.0.1"))
            : new ServerSocket(0, 2048, InetAddress.getByName("127.0.0.1"));
    List<Socket> accepted = new ArrayList<>();
    virtual(
        () -> {
          try {
            while (true) {
              Socket s = ss.accept();
              s.setTcpNoDelay(true);
              synchronized (accepted) {
                accepted.add(s);
              }
              virtual(() -> echoBlocking(s));
            }
          } catch (Throwable e) {
            // closed at the end of the run
          }
        });
    LongAdder count = new LongAdder();
    stop = false;
    resetGate(tls);
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < connections; i++) {
      threads.add(
          virtual(
              () -> {
                try (Socket s = clientSocket(ss.getLocalPort(), tls)) {
                  s.setTcpNoDelay(true);
                  OutputStream out = s.getOutputStream();
                  BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                  long n = 0;
                  boolean first = true;
                  while (!stop) {
                    out.write(LINE);
                    in.readLine();
                    if (counting) {
                      n++;
                    } else if (first) {
                      ready.incrementAndGet();
                    }
                    first = false;
                  }
                  count.add(n);
                } catch (IOException e) {
                  failed.incrementAndGet();
                  throw new RuntimeException(e);
                }
              }));
    }
    if (tls) {
      t0 = startWhenReady(connections);
    }
    Thread.sleep((long) (seconds * 1000));
    stop = true;
    long joinDeadline = System.nanoTime() + 30_000_000_000L;
    for (Thread t : threads) {
      // a client stuck in a read (seen with 1,000 SSLSockets on 2 carriers under load) must not
      // hang the run: after 30 s it is given up and counted as failed; its socket closes below
      t.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
      if (t.isAlive()) {
        failed.incrementAndGet();
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    ss.close();
    synchronized (accepted) {
      for (Socket s : accepted) {
        s.close();
      }
    }
    return count.sum() / secs;
  }

  /** A client socket to {@code port}: plain, or TLS checking the host name as ours does. */
  static Socket clientSocket(int port, boolean tls) throws IOException {
    if (!tls) {
      return new Socket("127.0.0.1", port);
    }
    SSLSocket s = (SSLSocket) BenchCerts.CLIENT.getSocketFactory().createSocket("127.0.0.1", port);
    SSLParameters p = s.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    s.setSSLParameters(p);
    return s;
  }

  static void echoBlocking(Socket s) {
    try (s) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = s.getOutputStream();
      String line;
      while ((line = in.readLine()) != null) {
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      }
    } catch (IOException e) {
      // closed at the end of the run
    }
  }

  /**
   * Round trips per second of one mode ("ours", "vt", "netty", or one of them with "-tls") at one
   * connection count.
   */
  public static double measure(String mode, int connections, double seconds) throws Throwable {
    boolean tls = mode.endsWith("-tls");
    switch (tls ? mode.substring(0, mode.length() - 4) : mode) {
      case "ours":
        return ours(connections, seconds, tls);
      case "vt":
        if (START_VIRTUAL == null) {
          throw new UnsupportedOperationException("mode vt needs JDK 21+");
        }
        return vt(connections, seconds, tls);
      case "netty":
        return NettyEcho.run(connections, seconds, tls);
      case "floor":
        if (tls) {
          throw new IllegalArgumentException("the echo floor is plain TCP only");
        }
        return dev.coroutine.bench.floor.EchoFloor.run(connections, seconds, LINE);
      default:
        throw new IllegalArgumentException("mode " + mode);
    }
  }

  /** CPU time of this process in nanoseconds, or -1 where the JVM cannot tell. */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime()
        : -1;
  }

  public static void main(String[] args) throws Throwable {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    String[] conns = (args.length > 1 ? args[1] : "1,100,1000").split(",");
    String[] modes = (args.length > 2 ? args[2] : "ours,vt,netty").split(",");
    double warmup = args.length > 3 ? Double.parseDouble(args[3]) : 0;
    for (String c : conns) {
      int n = Integer.parseInt(c.trim());
      for (String m : modes) {
        if (m.startsWith("vt") && START_VIRTUAL == null) {
          System.err.println("vt skipped: needs JDK 21+");
          continue;
        }
        if (warmup > 0) {
          measure(m, n, warmup);
        }
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        double rate = measure(m, n, seconds);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpu = processCpuNanos() - cpu0;
        if (failed.get() > 0) {
          System.err.println(m + " at " + n + " connections: " + failed.get() + " clients failed");
        }
        // CPU per round trip (both sides, the whole process): what N loops on N free cores
        // divide among them; unlike the rate, a busy machine barely changes it
        System.out.printf(
            Locale.ROOT,
            "RESULT mode=%s connections=%d round_trips_per_s=%.0f cpu_us_per_round_trip=%.2f"
                + " failed_clients=%d%n",
            m,
            n,
            rate,
            cpu < 0 ? -1.0 : cpu / 1e3 / (rate * elapsed),
            failed.get());
      }
    }
  }
}
