package dev.coroutine.examples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.waitFor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.examples.io.HttpGet;
import dev.coroutine.examples.io.SelfSigned;
import dev.coroutine.sync.Semaphore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The seed's motivating use case (section 1: "in a web crawler, after sending a request we wait for
 * the response; meanwhile the program can do many other things"): a concurrent crawler on one event
 * loop thread.
 *
 * <p>The example starts its own web site: the JDK's {@code com.sun.net.httpserver} serves {@value
 * #PAGES} generated pages that link to each other, each answered after 20 to 40 ms of artificial
 * latency (scheduled on a timer, so no server thread is blocked while a page "loads"). A few pages
 * misbehave on their first request, answering 503 or stalling for two seconds, so that the
 * crawler's retries and timeouts have work to do.
 *
 * <p>The crawler follows every link from the home page. Each page is a task ({@code createTask}); a
 * fetch awaits the JDK's {@code HttpClient.sendAsync} {@code CompletableFuture} directly with
 * {@code await(...)}, under a concurrency limit (the runtime's {@link Semaphore}, asyncio's {@code
 * Semaphore}), with a per-request timeout ({@code waitFor}) and up to {@value #ATTEMPTS} attempts
 * with backoff. A progress task reports while it runs. It crawls the site twice, at concurrency 1
 * (one request at a time, the sequential crawl) and at concurrency {@value #CONCURRENCY}, and
 * prints pages per second for both and the speed-up.
 *
 * <p>Two fetchers, chosen by {@code --mode}: {@code httpclient} (the default) awaits the JDK's
 * {@code HttpClient}; {@code streams} fetches with {@link HttpGet}, a small HTTP/1.1 client written
 * on the runtime's own sockets ({@code dev.coroutine.io} streams: one connection per request, no
 * thread but the loop's); {@code streams-tls} does the same over the runtime's TLS against the site
 * served over HTTPS (a certificate made at start-up); {@code both} runs the httpclient and streams
 * crawls in turn.
 *
 * <pre>
 * java dev.coroutine.examples.Crawler [--mode=httpclient|streams|streams-tls|both]
 * </pre>
 */
public final class Crawler {
  private Crawler() {}

  /** Pages on the site. */
  static final int PAGES = 200;

  /** Requests in flight at most in the concurrent crawl. */
  static final int CONCURRENCY = 32;

  /** Per-request timeout. */
  static final Duration TIMEOUT = Duration.ofMillis(300);

  /**
   * Per-request timeout over TLS: a request there includes a full handshake (key agreement and
   * certificate checks on both sides, here and in the JDK's HTTPS server), and 32 of them at once
   * on a loaded 2-core machine take seconds. So over TLS a stalling page (two seconds) is only
   * slow, not timed out.
   */
  static final Duration TLS_TIMEOUT = Duration.ofMillis(5000);

  /** Attempts per page before giving up on it. */
  static final int ATTEMPTS = 3;

  /** Backoff before the second attempt; doubled before each next one. */
  static final long BACKOFF_MILLIS = 50;

  /** How pages are fetched. */
  enum Mode {
    /** The JDK's {@code java.net.http.HttpClient}, its futures awaited on the loop. */
    HTTPCLIENT("httpclient", ""),
    /** {@link HttpGet}: HTTP/1.1 on the runtime's streams, on the loop thread itself. */
    STREAMS("streams", "/streams"),
    /**
     * {@link HttpGet} over the runtime's own TLS ({@code https://}, a handshake per page) to the
     * site served over HTTPS with a certificate made at start-up.
     */
    STREAMS_TLS("streams-tls", "/streams-tls");

    /** The name on the command line. */
    final String arg;

    /** Appended to the crawls' labels, so that both modes' lines can be told apart. */
    final String suffix;

    Mode(String arg, String suffix) {
      this.arg = arg;
      this.suffix = suffix;
    }
  }

  /** The modes {@code args} ask for: {@code --mode=httpclient} (the default), streams or both. */
  static List<Mode> modes(String[] args) {
    List<Mode> modes = List.of(Mode.HTTPCLIENT);
    for (String a : args) {
      if (!a.startsWith("--mode=")) {
        throw new IllegalArgumentException(
            "unknown argument "
                + a
                + "; usage: Crawler [--mode=httpclient|streams|streams-tls|both]");
      }
      String m = a.substring("--mode=".length());
      if (m.equals("both")) {
        modes = List.of(Mode.HTTPCLIENT, Mode.STREAMS);
      } else {
        modes = null;
        for (Mode mode : Mode.values()) {
          if (mode.arg.equals(m)) {
            modes = List.of(mode);
          }
        }
        if (modes == null) {
          throw new IllegalArgumentException(
              "unknown mode " + m + "; the modes are httpclient, streams, streams-tls and both");
        }
      }
    }
    return modes;
  }

  /** A fetched page: its status code and body, whichever client fetched it. */
  record Page(int status, String body) {}

  // ---- the site ----------------------------------------------------------------------------

  /**
   * A generated web site on a local port. Page {@code n} links to pages {@code 3n+1..3n+3} (so
   * every page is reachable from page 0) and to two pseudo-random others; its latency is 20 to 40
   * ms. Every 29th page (from 7) answers 503 to its first request; every 61st (from 13) answers its
   * first request only after two seconds, beyond the crawler's timeout. {@code /warmup} answers at
   * once.
   */
  static final class Site implements AutoCloseable {
    private static final Pattern PAGE_PATH = Pattern.compile("/page/(\\d+)");

    /** The number of pages. */
    final int pages;

    /** The HTTP server (an HTTPS server when the site has a TLS context). */
    private final HttpServer server;

    /** "http" or "https". */
    private final String scheme;

    /** Threads that run the handlers; they never block. */
    private final ExecutorService handlers;

    /** Sends the answers after their latency. */
    private final ScheduledExecutorService latency;

    /** Requests per page since the last {@link #reset()}. */
    private final Map<Integer, AtomicInteger> hits = new ConcurrentHashMap<>();

    /** Requests served in all. */
    final AtomicInteger requests = new AtomicInteger();

    Site(int pages, SSLContext tls) throws IOException {
      this.pages = pages;
      this.scheme = tls == null ? "http" : "https";
      // headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and the
      // client's delayed ACK add ~40 ms to every response (read once, when the server starts)
      System.setProperty("sun.net.httpserver.nodelay", "true");
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      if (tls == null) {
        server = HttpServer.create(address, 512);
      } else {
        HttpsServer https = HttpsServer.create(address, 512);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      }
      handlers = Executors.newFixedThreadPool(4, daemon("site-http"));
      latency = Executors.newScheduledThreadPool(2, daemon("site-latency"));
      server.setExecutor(handlers);
      server.createContext("/", this::handle);
      server.start();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
      AtomicInteger n = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, name + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }

    /** The home page. */
    URI home() {
      InetSocketAddress a = server.getAddress();
      return URI.create(scheme + "://" + a.getHostString() + ":" + a.getPort() + "/page/0");
    }

    /** The page that is served at once, without latency: for warming up. */
    URI warmup() {
      return home().resolve("/warmup");
    }

    /** Forgets past requests, so that the next crawl meets the same failures. */
    void reset() {
      hits.clear();
    }

    static int latencyMillis(int page) {
      return 20 + (page * 37) % 21;
    }

    static boolean failsFirst(int page) {
      return page % 29 == 7;
    }

    static boolean stallsFirst(int page) {
      return page % 61 == 13;
    }

    /** The pages page {@code n} links to. */
    List<Integer> links(int n) {
      List<Integer> out = new ArrayList<>();
      for (int k = 3 * n + 1; k <= 3 * n + 3 && k < pages; k++) {
        out.add(k);
      }
      out.add((n * 7 + 5) % pages);
      out.add((n * 13 + 1) % pages);
      return out;
    }

    private void handle(HttpExchange exchange) {
      requests.incrementAndGet();
      Matcher m = PAGE_PATH.matcher(exchange.getRequestURI().getPath());
      if (exchange.getRequestURI().getPath().equals("/warmup")) {
        respond(exchange, 200, "ok");
        return;
      }
      int page = m.matches() ? Integer.parseInt(m.group(1)) : -1;
      if (page < 0 || page >= pages) {
        latency.execute(() -> respond(exchange, 404, "<h1>Not found</h1>"));
        return;
      }
      int hit = hits.computeIfAbsent(page, p -> new AtomicInteger()).incrementAndGet();
      long delay = latencyMillis(page);
      int status = 200;
      if (hit == 1 && stallsFirst(page)) {
        delay = 2000;
      } else if (hit == 1 && failsFirst(page)) {
        status = 503;
      }
      String body = status == 200 ? render(page) : "<h1>Service unavailable, try again</h1>";
      int s = status;
      // answer later without holding a server thread: the handler returns at once
      latency.schedule(() -> respond(exchange, s, body), delay, TimeUnit.MILLISECONDS);
    }

    private String render(int page) {
      StringBuilder b = new StringBuilder(1024);
      b.append("<html><head><title>Page ").append(page).append("</title></head><body>\n");
      b.append("<h1>Page ").append(page).append("</h1>\n<ul>\n");
      for (int k : links(page)) {
        b.append("<li><a href=\"/page/").append(k).append("\">page ").append(k).append("</a>\n");
      }
      b.append("</ul>\n<p>");
      for (int i = 0; i < 20; i++) {
        b.append("Lorem ipsum dolor sit amet, page ").append(page).append(". ");
      }
      return b.append("</p></body></html>\n").toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      try (exchange) {
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      } catch (IOException e) {
        // the client gave up on this request (a timeout): nothing to answer
      }
    }

    @Override
    public void close() {
      server.stop(0);
      latency.shutdownNow();
      handlers.shutdownNow();
    }
  }

  // ---- the crawler -------------------------------------------------------------------------

  /** One crawl of the site. All its state is touched only by the loop thread: no locks. */
  static final class Crawl {
    private static final Pattern LINK = Pattern.compile("href=\"(/page/\\d+)\"");

    /** The label printed on progress lines. */
    final String name;

    /** The shared HTTP client ({@link Mode#HTTPCLIENT}). */
    final HttpClient client;

    /** How pages are fetched. */
    final Mode mode;

    /** The concurrency limit: permits for requests in flight. */
    final Semaphore limit;

    /** URLs already scheduled. */
    final Set<URI> seen = new HashSet<>();

    /** Pages fetched. */
    int fetched;

    /** Requests repeated after a failure or timeout. */
    int retries;

    /** Requests that timed out. */
    int timeouts;

    /** Pages given up on after {@link #ATTEMPTS} attempts. */
    int failures;

    /** Requests in flight right now. */
    int inFlight;

    /** Most requests in flight at once. */
    int maxInFlight;

    /** Bytes of page bodies received. */
    long bytes;

    /** Wall time of the crawl, once finished. */
    double seconds;

    /** Time between progress lines. */
    final long progressMillis;

    /** The client's TLS context ({@link Mode#STREAMS_TLS}), or null. */
    final SSLContext tls;

    Crawl(
        String name,
        Mode mode,
        HttpClient client,
        SSLContext tls,
        int concurrency,
        long progressMillis) {
      this.name = name;
      this.mode = mode;
      this.client = client;
      this.tls = tls;
      this.limit = new Semaphore(concurrency);
      this.progressMillis = progressMillis;
    }

    /** The per-request timeout of this crawl's mode. */
    Duration timeout() {
      return mode == Mode.STREAMS_TLS ? TLS_TIMEOUT : TIMEOUT;
    }

    /** Crawls from {@code home} until no new link is left; reports progress meanwhile. */
    @Async
    Coroutine<Void> crawl(URI home) {
      long start = System.nanoTime();
      Task<Void> progress = createTask(progress(start));
      seen.add(home);
      await(visit(home));
      progress.cancel();
      seconds = (System.nanoTime() - start) / 1e9;
      return done();
    }

    /** Fetches one page, then visits the pages it links to, concurrently, as tasks. */
    @Async
    Coroutine<Void> visit(URI url) {
      String body = await(fetch(url));
      if (body == null) {
        return done(); // given up on; its links stay unknown
      }
      List<Task<Void>> children = new ArrayList<>();
      Matcher m = LINK.matcher(body);
      while (m.find()) {
        URI link = url.resolve(m.group(1));
        if (seen.add(link)) {
          children.add(createTask(visit(link)));
        }
      }
      for (Task<Void> child : children) {
        await(child);
      }
      return done();
    }

    /**
     * GETs {@code url} under the concurrency limit: each attempt is bounded by {@link #TIMEOUT}
     * ({@link #TLS_TIMEOUT} over TLS); an error status, an I/O error or a timeout is retried after
     * a backoff. Returns the body, or null after {@link #ATTEMPTS} failed attempts.
     */
    @Async
    Coroutine<String> fetch(URI url) {
      await(limit.acquire());
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        long backoff = BACKOFF_MILLIS;
        for (int attempt = 1; ; attempt++) {
          String problem;
          try {
            Page page = await(waitFor(get(url), timeout()));
            if (page.status() == 200) {
              fetched++;
              bytes += page.body().length();
              return done(page.body());
            }
            problem = "HTTP " + page.status();
          } catch (TimeoutException e) {
            timeouts++;
            problem = "timed out after " + timeout().toMillis() + " ms";
          } catch (IOException e) {
            problem = e.toString();
          }
          if (attempt == ATTEMPTS) {
            failures++;
            System.out.println("  [" + name + "] giving up on " + url.getPath() + ": " + problem);
            return done(null);
          }
          retries++;
          await(sleep(backoff));
          backoff *= 2;
        }
      } finally {
        inFlight--;
        limit.release();
      }
    }

    /**
     * One request. {@link Mode#HTTPCLIENT}: the JDK client's CompletableFuture, awaited like any
     * awaitable. {@link Mode#STREAMS}: {@link HttpGet#get}, a coroutine on the loop's own sockets
     * (cancelled by the timeout, it closes its connection).
     */
    @Async
    Coroutine<Page> get(URI url) throws IOException {
      if (mode != Mode.HTTPCLIENT) {
        HttpGet.Response response = await(HttpGet.get(url.toString(), tls));
        return done(new Page(response.status(), response.text()));
      }
      HttpRequest request = HttpRequest.newBuilder(url).GET().build();
      HttpResponse<String> response =
          await(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      return done(new Page(response.statusCode(), response.body()));
    }

    /** The progress line, every {@link #progressMillis} until cancelled. */
    @Async
    Coroutine<Void> progress(long start) {
      while (true) {
        await(sleep(progressMillis));
        System.out.println(
            String.format(
                Locale.ROOT,
                "  [%s] %5.2f s: %3d pages fetched, %3d in flight, %d retries",
                name,
                (System.nanoTime() - start) / 1e9,
                fetched,
                inFlight,
                retries));
      }
    }

    String summary() {
      return String.format(
          Locale.ROOT,
          "%s: %d pages (%d KB) in %.2f s = %.0f pages/s; %d retries (%d timeouts), %d failed,"
              + " max %d in flight",
          name,
          fetched,
          bytes / 1024,
          seconds,
          fetched / seconds,
          retries,
          timeouts,
          failures,
          maxInFlight);
    }
  }

  /** Warms up the streams fetcher (and the JIT) on the page served without latency. */
  @Async
  static Coroutine<Void> warmUpStreams(URI warmup, int times, SSLContext tls) throws IOException {
    for (int i = 0; i < times; i++) {
      await(HttpGet.get(warmup.toString(), tls));
    }
    return done();
  }

  public static void main(String[] args) throws Exception {
    List<Mode> modes = modes(args);
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    for (Mode mode : modes) {
      SelfSigned cert = mode == Mode.STREAMS_TLS ? SelfSigned.get() : null;
      try (Site site = new Site(PAGES, cert == null ? null : cert.serverContext())) {
        System.out.println(
            "site: " + site.pages + " pages at " + site.home() + ", 20-40 ms latency each");
        crawlTwice(site, mode, client, cert == null ? null : cert.clientContext());
      }
    }
  }

  /** Crawls {@code site} sequentially, then concurrently, with {@code mode}'s fetcher. */
  static void crawlTwice(Site site, Mode mode, HttpClient client, SSLContext tls) throws Exception {
    if (mode != Mode.HTTPCLIENT) {
      System.out.println(
          mode == Mode.STREAMS
              ? "mode: streams (HTTP/1.1 on dev.coroutine.io, one connection per page)"
              : "mode: streams-tls (HTTPS on dev.coroutine.io's TLS, one connection and"
                  + " handshake per page)");
      run(warmUpStreams(site.warmup(), tls == null ? 50 : 10, tls)); // TLS: a handshake each
    } else {
      System.out.println("mode: httpclient (java.net.http.HttpClient.sendAsync)");
      // warm up the client, the server and the JIT, so the first crawl does not pay for it all
      HttpRequest warmup = HttpRequest.newBuilder(site.warmup()).build();
      for (int i = 0; i < 50; i++) {
        client.send(warmup, HttpResponse.BodyHandlers.ofString());
      }
    }

    site.reset();
    Crawl sequential = new Crawl("sequential" + mode.suffix, mode, client, tls, 1, 1000);
    run(sequential.crawl(site.home()));
    System.out.println(sequential.summary());

    site.reset();
    Crawl concurrent = new Crawl("concurrent" + mode.suffix, mode, client, tls, CONCURRENCY, 200);
    run(concurrent.crawl(site.home()));
    System.out.println(concurrent.summary());

    System.out.println(
        String.format(
            Locale.ROOT,
            "speed-up%s: %.1fx (%d of %d pages; concurrency %d)",
            mode.suffix,
            sequential.seconds / concurrent.seconds,
            concurrent.fetched,
            site.pages,
            CONCURRENCY));
  }
}
