package dev.coroutine.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coroutine.examples.io.EchoDemo;
import dev.coroutine.examples.io.GracefulShutdown;
import dev.coroutine.examples.io.HttpGet;
import dev.coroutine.examples.io.Pipeline;
import dev.coroutine.examples.io.TlsEcho;
import dev.coroutine.examples.io.UdpEcho;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs every example's {@code main} in this JVM (classes rewritten by the Maven plugin) and checks
 * what it printed: exactly where the seed's semantics fix the output, within loose bounds where it
 * depends on the clock (a noisy two-core machine must pass).
 */
class ExamplesTest {

  private static final String CLOCK = "\\d\\d:\\d\\d:\\d\\d";

  @Test
  void sayAfter_sequentialAwaitsTakeThreeSeconds_tasksTakeTwo() throws Exception {
    Captured c = Captured.run(SayAfter::main);

    List<String> l = c.lines();
    assertThat(l).hasSize(10);
    assertThat(l.get(0)).isEqualTo("-- sequential awaits (expect ~3 s)");
    assertThat(l.get(1)).matches("started at " + CLOCK);
    assertThat(l.subList(2, 4)).containsExactly("hello", "world");
    assertThat(l.get(4)).matches("finished at " + CLOCK + " \\(took [\\d.]+ s\\)");
    assertThat(l.get(5)).isEqualTo("-- two tasks (expect ~2 s)");
    assertThat(l.get(6)).matches("started at " + CLOCK);
    assertThat(l.subList(7, 9)).containsExactly("hello", "world");
    assertThat(l.get(9)).matches("finished at " + CLOCK + " \\(took [\\d.]+ s\\)");
    List<Double> took = c.numbers("\\(took ([\\d.]+) s\\)");
    assertThat(took.get(0)).as("sequential: 1 s + 2 s").isBetween(2.9, 6.0);
    assertThat(took.get(1)).as("two tasks: max(1 s, 2 s)").isBetween(1.9, 4.5);
  }

  @Test
  void gatherFactorial_interleavesExactlyAsTheSeedsExpectedOutput() throws Exception {
    Captured c = Captured.run(GatherFactorial::main);

    assertThat(c.lines()).containsExactlyElementsOf(Expected.GATHER_FACTORIAL);
    assertThat(c.err()).as("standard error").isEmpty();
    assertThat(c.seconds()).as("three rounds of 1 s, concurrently").isBetween(2.9, 6.0);
  }

  @Test
  void taskCallback_printsTaskPendingThenFinished_callbackReadsResult() throws Exception {
    Captured c = Captured.run(TaskCallback::main);

    assertThat(c.lines()).containsExactlyElementsOf(Expected.TASK_CALLBACK);
    assertThat(c.err()).as("standard error").isEmpty();
  }

  @Test
  void runMain_sleepsOneSecondThenPrintsHello() throws Exception {
    Captured c = Captured.run(RunMain::main);

    assertThat(c.lines()).containsExactly("hello");
    assertThat(c.seconds()).isBetween(0.95, 4.0);
  }

  @Test
  void createTask_tasksRunConcurrently_loopApiWorks_runningLoopRefusesToRunAgain()
      throws Exception {
    Captured c = Captured.run(CreateTask::main);

    assertThat(c.lines()).containsExactlyElementsOf(Expected.CREATE_TASK);
    assertThat(c.err()).as("standard error").isEmpty();
  }

  @Test
  void simpleWait_returnsDoneAndPendingSets() throws Exception {
    Captured c = Captured.run(SimpleWait::main);

    assertThat(c.lines()).containsExactlyElementsOf(Expected.SIMPLE_WAIT);
    assertThat(c.err()).as("standard error").isEmpty();
  }

  @Test
  void debugMode_reportsNeverAwaitedSlowCallbacksWrongThreadAndLostExceptions() throws Exception {
    Captured c = Captured.run(DebugMode::main);
    String out = c.out();

    assertThat(c.lines().get(0)).isEqualTo("debug mode: true");
    // 1. the forgotten await, with where the coroutine was created (the @Async method's stub
    // has no line: it runs none of the method's lines; the caller's line says where)
    assertThat(out)
        .containsPattern(
            "coroutine dev\\.coroutine\\.examples\\.DebugMode\\.sayAfter was never awaited;"
                + " created at:\\s+at dev\\.coroutine\\.examples\\.DebugMode\\.sayAfter\\("
                + "DebugMode\\.java\\)\\s+at dev\\.coroutine\\.examples\\.DebugMode\\.main\\("
                + "DebugMode\\.java:\\d+\\)");
    assertThat(out).doesNotContain("never printed");
    // 2. a slow callback and a coroutine step that blocked the loop
    assertThat(out).containsPattern("WARNING Executing Handle\\[.*\\] took 0\\.1\\d\\d seconds");
    assertThat(out)
        .containsPattern("WARNING Executing Task<Task-\\d+ .*> took 0\\.1\\d\\d seconds");
    // 3. callSoon from a foreign thread is refused; callSoonThreadsafe runs on the loop
    assertThat(out)
        .contains("refused: Non-thread-safe operation callSoon")
        .contains("called from other-thread")
        .containsPattern("callSoonThreadsafe from another thread: ran on (?!other-thread)");
    // 4. a task exception nobody retrieved
    assertThat(out)
        .contains("Task exception was never retrieved")
        .contains("IllegalArgumentException: nobody looks at this exception");
    assertThat(out).doesNotContain("(no report");
  }

  @Test
  void threads_threadsafeEntryPoints_andBlockingCodeOffTheLoop() throws Exception {
    Captured c = Captured.run(Threads::main);
    String out = c.out();

    assertThat(out)
        .containsPattern("loop thread \\S+ got: computed on worker-thread")
        .contains("the other future was cancelled from the worker: true")
        .containsPattern("\\S+ read the result of a coroutine run on the event-loop thread: 42")
        .contains("runInExecutor: 500 ms of blocking work done on an executor thread")
        .contains("ms): it was never blocked")
        .contains("toThread: 500 ms of blocking work done on an executor thread");
    // the loop kept running its 50 ms ticker while the blocking work ran elsewhere
    assertThat(c.number("ticker (\\d+) times \\(every")).isGreaterThanOrEqualTo(3);
    assertThat(c.number("ticker ran (\\d+) times meanwhile")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void crawler_fetchesEveryPage_concurrentlyMuchFasterThanSequentially() throws Exception {
    Captured c = Captured.run(Crawler::main);
    assertCrawled(c, "");
    double seqRate = c.number("sequential: .* = (\\d+) pages/s");
    double concRate = c.number("concurrent: .* = (\\d+) pages/s");
    assertThat(concRate).isGreaterThan(seqRate);
  }

  @Test
  void crawler_streamsMode_fetchesEveryPageOverTheRuntimesOwnSockets() throws Exception {
    Captured c = Captured.run(Crawler::main, "--mode=streams");
    assertThat(c.out()).contains("mode: streams").doesNotContain("mode: httpclient");
    assertCrawled(c, "/streams");
  }

  @Test
  void crawler_streamsTlsMode_fetchesEveryPageOfAnHttpsSite_overTheRuntimesOwnTls()
      throws Exception {
    // a smaller site than main's: every page is a TLS handshake on both sides, slow under load
    dev.coroutine.examples.io.SelfSigned cert = dev.coroutine.examples.io.SelfSigned.get();
    Captured c =
        Captured.run(
            args -> {
              try (Crawler.Site site = new Crawler.Site(20, cert.serverContext())) {
                System.out.println("site at " + site.home());
                Crawler.crawlTwice(site, Crawler.Mode.STREAMS_TLS, null, cert.clientContext());
              }
            });
    assertThat(c.out())
        .contains("site at https://")
        .contains("mode: streams-tls")
        .containsPattern("sequential/streams-tls: 20 pages .* 0 failed, max 1 in flight")
        .containsPattern("concurrent/streams-tls: 20 pages .* 0 failed");
    assertThat(c.number("sequential/streams-tls: .* (\\d+) retries")).isGreaterThan(0); // a 503
  }

  /**
   * Both crawls of one mode (its labels end with {@code mode}: "" or "/streams") fetched every
   * page, within the concurrency limit, with retries and timeouts (the site makes some pages fail
   * or stall on their first request), progress lines, a speed-up of 3x or more, in modest time.
   */
  private static void assertCrawled(Captured c, String mode) {
    int pages = Crawler.PAGES;
    assertThat(c.out())
        .containsPattern("sequential" + mode + ": " + pages + " pages .* 0 failed, max 1 in flight")
        .containsPattern(
            "concurrent"
                + mode
                + ": "
                + pages
                + " pages .* 0 failed, max "
                + Crawler.CONCURRENCY
                + " in flight")
        .contains(
            "(" + pages + " of " + pages + " pages; concurrency " + Crawler.CONCURRENCY + ")");
    assertThat(c.number("sequential" + mode + ": .* (\\d+) retries")).isGreaterThan(0);
    assertThat(c.number("concurrent" + mode + ": .*\\((\\d+) timeouts\\)")).isGreaterThan(0);
    assertThat(c.linesStartingWith("  [concurrent" + mode + "]")).as("progress lines").isNotEmpty();
    assertThat(c.number("speed-up" + mode + ": ([\\d.]+)x")).isGreaterThanOrEqualTo(3.0);
    assertThat(c.seconds()).as("the crawler stays modest").isLessThan(30.0);
  }

  @Test
  void crawler_refusesUnknownModes() {
    assertThat(Crawler.modes(new String[0])).containsExactly(Crawler.Mode.HTTPCLIENT);
    assertThat(Crawler.modes(new String[] {"--mode=both"}))
        .containsExactly(Crawler.Mode.HTTPCLIENT, Crawler.Mode.STREAMS);
    assertThat(Crawler.modes(new String[] {"--mode=streams-tls"}))
        .containsExactly(Crawler.Mode.STREAMS_TLS);
    assertThatThrownBy(() -> Crawler.modes(new String[] {"--mode=carrier-pigeon"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown mode carrier-pigeon");
  }

  @Test
  void echoDemo_withoutArguments_everyClientGetsEveryLineBack() throws Exception {
    Captured c = Captured.run(EchoDemo::main);

    assertThat(c.lines()).hasSize(1);
    assertThat(c.lines().get(0))
        .matches("100 clients x 10 messages: 1000 echoes checked in [\\d.]+ s");
    assertThat(c.seconds()).isLessThan(20.0);
  }

  @Test
  void httpGet_localTls_fetchesOverHttpsFromItsOwnTlsServer_checkingTheName() throws Exception {
    Captured c = Captured.run(HttpGet::main, "--local-tls");

    assertThat(c.lines())
        .containsExactly(
            "200 OK",
            "content-type: text/html",
            "transfer-encoding: chunked",
            "",
            "<h1>hello from the streams</h1>",
            "<p>you asked for /secure.html</p>");
  }

  @Test
  void httpGet_httpsUrl_untrustedLocalServer_failsWithTheHandshakeError() throws Exception {
    // an https:// URL trusts the JDK's default CAs: a local server's own certificate is refused
    javax.net.ssl.SSLContext serverTls = dev.coroutine.examples.io.SelfSigned.get().serverContext();
    try (java.net.ServerSocket ss =
        serverTls
            .getServerSocketFactory()
            .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread peer =
          new Thread(
              () -> {
                try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ss.accept()) {
                  s.startHandshake();
                } catch (java.io.IOException expected) {
                  // the client refused our certificate
                }
              });
      peer.start();
      assertThatThrownBy(
              () ->
                  dev.coroutine.Coroutines.run(
                      HttpGet.get("https://localhost:" + ss.getLocalPort() + "/")))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
          .hasMessageContaining("TLS handshake with localhost:" + ss.getLocalPort())
          .hasMessageContaining("PKIX");
      peer.join(30_000);
    }
  }

  @Test
  void httpGet_withoutArguments_fetchesAChunkedPageFromItsOwnServer() throws Exception {
    Captured c = Captured.run(HttpGet::main);

    assertThat(c.lines())
        .containsExactly(
            "200 OK",
            "content-type: text/html",
            "transfer-encoding: chunked",
            "",
            "<h1>hello from the streams</h1>",
            "<p>you asked for /index.html</p>");
    assertThat(c.seconds()).isLessThan(20.0);
  }

  @Test
  void tlsEcho_overTls13_everyLineComesBack_thenCloses() throws Exception {
    Captured c = Captured.run(TlsEcho::main, "Hello World!", "bye");

    assertThat(c.lines())
        .containsExactly(
            "connected: TLSv1.3, server certificate for CN=localhost",
            "sent Hello World!, received Hello World!",
            "sent bye, received bye",
            "closed");
  }

  @Test
  void udpEcho_eachDatagramComesBack_inOrder_noneDropped() throws Exception {
    Captured c = Captured.run(UdpEcho::main);

    assertThat(c.lines())
        .containsExactly(
            "client sends:  hello 0",
            "server echoes: hello 0",
            "client got:    hello 0",
            "client sends:  hello 1",
            "server echoes: hello 1",
            "client got:    hello 1",
            "client sends:  hello 2",
            "server echoes: hello 2",
            "client got:    hello 2",
            "server echoed 3 datagrams, dropped 0");
  }

  @Test
  void pipeline_feedsOneProgramsLinesToAnother_andReadsEachAnswer() throws Exception {
    Captured c = Captured.run(Pipeline::main);

    assertThat(c.lines())
        .containsExactly(
            "seq says 1, the shell answers 1",
            "seq says 2, the shell answers 4",
            "seq says 3, the shell answers 9",
            "seq says 4, the shell answers 16",
            "seq says 5, the shell answers 25",
            "seq exited 0, the shell exited 0 leaving 0 bytes unread");
  }

  @Test
  void gracefulShutdown_sigtermWhileAJobRuns_theJobFinishesThenTheServerCloses() throws Exception {
    // a build started in the background of a non-interactive shell ignores SIGINT, and the JVM
    // never delivers a signal ignored at start: the example refuses to install its handlers
    assumeFalse(
        ignoresIntOrTerm(),
        "SIGINT or SIGTERM is ignored by this test JVM (started with it ignored)");
    Captured c = Captured.run(GracefulShutdown::main, "--demo");

    assertThat(c.lines())
        .containsExactly(
            "serving",
            "client: job sent; sending SIGTERM to the server",
            "SIGTERM: not accepting any more, waiting for 1 connection(s)",
            "client: got 'done: slow-job'",
            "server closed, bye");
  }

  @Test
  void asyncGenerators_tickerEarlyBreakFailureCancellationAndBackPressure() throws Exception {
    Captured c = Captured.run(AsyncGenerators::main);

    assertThat(c.lines()).containsExactlyElementsOf(Expected.ASYNC_GENERATORS);
    assertThat(c.err()).as("standard error").isEmpty();
  }

  @Test
  void tour_runsTheChosenExamplesUnderBanners() throws Exception {
    Captured c = Captured.run(Tour::main, "TaskCallback", "SimpleWait");

    assertThat(c.lines())
        .startsWith("", "=== TaskCallback (seed 2.3 task callbacks)")
        .containsSubsequence(Expected.TASK_CALLBACK)
        .containsSubsequence(Expected.SIMPLE_WAIT)
        .contains("=== SimpleWait (seed 2.5 simple waiting)");
    assertThat(c.lines().get(c.lines().size() - 1))
        .matches("Tour finished: 2 examples in [\\d.]+ s");
  }

  @Test
  void tour_knowsEveryExample_andRefusesUnknownNames() {
    assertThat(Tour.STOPS.keySet())
        .containsExactly(
            "SayAfter",
            "CreateTask",
            "GatherFactorial",
            "TaskCallback",
            "RunMain",
            "SimpleWait",
            "DebugMode",
            "Threads",
            "Crawler",
            "AsyncGenerators");
    assertThatThrownBy(() -> Tour.main(new String[] {"Nope"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no example named Nope");
  }

  /** Whether this process ignores SIGINT or SIGTERM (the SigIgn mask of /proc/self/status). */
  private static boolean ignoresIntOrTerm() throws IOException {
    Path status = Path.of("/proc/self/status");
    long intAndTerm = (1L << (2 - 1)) | (1L << (15 - 1));
    return Files.exists(status)
        && Files.readAllLines(status).stream()
            .filter(l -> l.startsWith("SigIgn:"))
            .anyMatch(l -> (Long.parseUnsignedLong(l.substring(7).trim(), 16) & intAndTerm) != 0);
  }
}
