package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.conformance.Trace.log;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import dev.coroutine.Task;
import dev.coroutine.io.Connection;
import dev.coroutine.io.IncompleteReadException;
import dev.coroutine.io.LimitOverrunException;
import dev.coroutine.io.Server;
import dev.coroutine.io.StreamHandler;
import dev.coroutine.io.StreamReader;
import dev.coroutine.io.StreamWriter;
import dev.coroutine.io.Streams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/** Twins of src/test/python/streams.py: StreamReader fed by hand, and loopback connections. */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class StreamsScenarios {
  private StreamsScenarios() {}

  static final class Reset extends RuntimeException {
    Reset() {
      super("reset");
    }
  }

  static String txt(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** asyncio's {@code expected}: None when reading up to a separator. */
  static Long expected(IncompleteReadException e) {
    return e.expected() < 0 ? null : e.expected();
  }

  static StreamReader reader() {
    return new StreamReader(getRunningLoop());
  }

  static StreamReader reader(int limit) {
    return new StreamReader(getRunningLoop(), limit);
  }

  @Scenario("read_takes_what_is_buffered")
  @Async
  static Coroutine<Void> readBuffered() throws Exception {
    StreamReader r = reader();
    r.feedData(bytes("hello world"));
    log(txt(await(r.read(5))), txt(await(r.read(100))));
    r.feedEof();
    log("at eof", txt(await(r.read(10))), r.atEof());
    return done();
  }

  @Scenario("read_waits_for_data")
  @Async
  static Coroutine<Void> readWaits() throws Exception {
    StreamReader r = reader();
    Task<byte[]> t = createTask(r.read(10));
    await(sleep(0));
    log("waiting", t.isDone());
    r.feedData(bytes("abc"));
    r.feedData(bytes("def"));
    log("read", txt(await(t)));
    return done();
  }

  @Scenario("read_all_until_eof")
  @Async
  static Coroutine<Void> readAll() throws Exception {
    StreamReader r = reader();
    Task<byte[]> t = createTask(r.read(-1));
    for (String piece : List.of("ab", "cd", "ef")) {
      await(sleep(0));
      r.feedData(bytes(piece));
    }
    await(sleep(0));
    log("before eof", t.isDone());
    r.feedEof();
    log("all", txt(await(t)), r.atEof());
    return done();
  }

  @Scenario("read_zero_returns_at_once")
  @Async
  static Coroutine<Void> readZero() throws Exception {
    StreamReader r = reader();
    log("empty read(0)", txt(await(r.read(0))));
    r.feedData(bytes("x"));
    log("read(0) with data", txt(await(r.read(0))), txt(await(r.read(1))));
    return done();
  }

  @Scenario("readexactly_across_feeds")
  @Async
  static Coroutine<Void> readExactlyAcross() throws Exception {
    StreamReader r = reader();
    Task<byte[]> t = createTask(r.readExactly(6));
    await(sleep(0));
    r.feedData(bytes("abc"));
    await(sleep(0));
    log("after 3 bytes", t.isDone());
    r.feedData(bytes("defg"));
    log("exactly", txt(await(t)), txt(await(r.read(10))));
    return done();
  }

  @Scenario("readexactly_eof_gives_partial")
  @Async
  static Coroutine<Void> readExactlyEof() throws Exception {
    StreamReader r = reader();
    r.feedData(bytes("abc"));
    r.feedEof();
    try {
      await(r.readExactly(5));
    } catch (IncompleteReadException e) {
      log("incomplete", txt(e.partial()), expected(e), r.atEof());
    }
    return done();
  }

  @Scenario("readexactly_zero_and_negative")
  @Async
  static Coroutine<Void> readExactlyZeroNegative() throws Exception {
    StreamReader r = reader();
    log("zero", txt(await(r.readExactly(0))));
    try {
      await(r.readExactly(-1));
    } catch (IllegalArgumentException e) {
      log("negative", e);
    }
    return done();
  }

  @Scenario("readuntil_separator_across_feeds")
  @Async
  static Coroutine<Void> readUntilAcross() throws Exception {
    StreamReader r = reader();
    Task<byte[]> t = createTask(r.readUntil(bytes("\r\n")));
    await(sleep(0));
    r.feedData(bytes("ab\r"));
    await(sleep(0));
    log("half separator", t.isDone());
    r.feedData(bytes("\ncd\r\n"));
    log("until", txt(await(t)).replace("\r\n", "<CRLF>"));
    log("next", txt(await(r.readUntil(bytes("\r\n")))).replace("\r\n", "<CRLF>"));
    return done();
  }

  @Scenario("readuntil_eof_gives_partial")
  @Async
  static Coroutine<Void> readUntilEof() throws Exception {
    StreamReader r = reader();
    r.feedData(bytes("no separator"));
    r.feedEof();
    try {
      await(r.readUntil(bytes("\n")));
    } catch (IncompleteReadException e) {
      log("incomplete", txt(e.partial()), expected(e), r.atEof());
    }
    try {
      await(r.readUntil(bytes("\n")));
    } catch (IncompleteReadException e) {
      log("again", txt(e.partial()), expected(e));
    }
    return done();
  }

  @Scenario("readuntil_empty_separator_refused")
  @Async
  static Coroutine<Void> readUntilEmptySeparator() throws Exception {
    StreamReader r = reader();
    try {
      await(r.readUntil(new byte[0]));
    } catch (IllegalArgumentException e) {
      log("empty separator", e);
    }
    return done();
  }

  @Scenario("readuntil_limit_separator_found_late")
  @Async
  static Coroutine<Void> readUntilFoundLate() throws Exception {
    StreamReader r = reader(5);
    r.feedData(bytes("0123456789\nrest"));
    try {
      await(r.readUntil(bytes("\n")));
    } catch (LimitOverrunException e) {
      log("overrun", e.consumed());
    }
    log("data kept", txt(await(r.read(100))));
    return done();
  }

  @Scenario("readuntil_limit_separator_not_found")
  @Async
  static Coroutine<Void> readUntilNotFound() throws Exception {
    StreamReader r = reader(4);
    r.feedData(bytes("abcdefgh"));
    try {
      await(r.readUntil(bytes("\n")));
    } catch (LimitOverrunException e) {
      log("overrun", e.consumed());
    }
    log("data kept", txt(await(r.read(100))));
    return done();
  }

  @Scenario("readuntil_within_limit")
  @Async
  static Coroutine<Void> readUntilWithinLimit() throws Exception {
    StreamReader r = reader(5);
    r.feedData(bytes("0123\n"));
    log("fits", txt(await(r.readUntil(bytes("\n")))).strip());
    return done();
  }

  private static final String READ_LINE =
      "readLine() returns the line decoded as UTF-8 without its terminator and null at the end"
          + " of the stream (java.io.BufferedReader's contract); asyncio's readline() returns the"
          + " bytes with their b'\\n', and b'' at the end";

  @Scenario("readline_lines_then_eof")
  @Differs(
      reason = READ_LINE,
      asyncio = "[line1<LF>, line2<CR><LF>, rest, ]",
      ours = "[line1, line2, rest, null]")
  @Async
  static Coroutine<Void> readLineLines() throws Exception {
    StreamReader r = reader();
    r.feedData(bytes("line1\nline2\r\nrest"));
    r.feedEof();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      out.add(await(r.readLine()));
    }
    log(out);
    return done();
  }

  @Scenario("readline_longer_than_limit")
  @Differs(
      reason =
          "readLine() of a line longer than the limit throws LimitOverrunException (after"
              + " discarding the line, as asyncio does); asyncio's readline() turns it into a"
              + " ValueError",
      asyncio = "long line ValueError",
      ours = "long line LimitOverrunError")
  @Async
  static Coroutine<Void> readLineTooLong() throws Exception {
    StreamReader r = reader(4);
    r.feedData(bytes("toolongline\nok\n"));
    try {
      await(r.readLine());
    } catch (LimitOverrunException | IllegalArgumentException e) {
      log("long line", e);
    }
    log("next", await(r.readLine()).strip());
    return done();
  }

  @Scenario("exception_with_buffered_data")
  @Differs(
      reason =
          "a read returns the data buffered before the stream failed, then throws the error;"
              + " asyncio's reads raise it at once and the buffered data is lost",
      asyncio = "raised Reset",
      ours = "read abc")
  @Async
  static Coroutine<Void> exceptionWithBufferedData() throws Exception {
    StreamReader r = reader();
    r.feedData(bytes("abc"));
    r.setException(new Reset());
    log("exception()", r.exception());
    try {
      log("read", txt(await(r.read(10))));
    } catch (Reset e) {
      log("raised", e);
    }
    try {
      await(r.read(10));
    } catch (Reset e) {
      log("raised again", e);
    }
    return done();
  }

  @Scenario("exception_wakes_waiting_read")
  @Async
  static Coroutine<Void> exceptionWakesRead() throws Exception {
    StreamReader r = reader();
    Task<byte[]> t = createTask(r.readExactly(4));
    await(sleep(0));
    r.setException(new Reset());
    try {
      await(t);
    } catch (Reset e) {
      log("waiting read raised", e);
    }
    return done();
  }

  @Scenario("feed_eof_wakes_waiting_read")
  @Async
  static Coroutine<Void> feedEofWakesRead() throws Exception {
    StreamReader r = reader();
    Task<byte[]> t = createTask(r.read(10));
    await(sleep(0));
    r.feedEof();
    log("read at eof", txt(await(t)), r.atEof());
    return done();
  }

  @Scenario("at_eof_only_when_drained")
  @Async
  static Coroutine<Void> atEofWhenDrained() throws Exception {
    StreamReader r = reader();
    log("fresh", r.atEof());
    r.feedData(bytes("ab"));
    r.feedEof();
    log("eof fed, data left", r.atEof());
    await(r.read(1));
    log("one byte left", r.atEof());
    await(r.read(1));
    log("drained", r.atEof());
    log("read after eof", txt(await(r.read(5))), txt(await(r.read(-1))));
    return done();
  }

  @Scenario("second_waiting_reader_refused")
  @Async
  static Coroutine<Void> secondReaderRefused() throws Exception {
    StreamReader r = reader();
    Task<byte[]> t1 = createTask(r.read(5));
    await(sleep(0));
    try {
      await(r.readExactly(2));
    } catch (IllegalStateException e) {
      log("second reader", e);
    }
    r.feedData(bytes("xy"));
    log("first reader", txt(await(t1)));
    return done();
  }

  @Scenario("cancelled_read_loses_no_data")
  @Async
  static Coroutine<Void> cancelledReadKeepsData() throws Exception {
    StreamReader r = reader();
    Task<byte[]> t = createTask(r.readExactly(3));
    await(sleep(0));
    r.feedData(bytes("ab"));
    t.cancel();
    try {
      await(t);
    } catch (CancellationException e) {
      log("read cancelled");
    }
    r.feedData(bytes("c"));
    log("data kept", txt(await(r.readExactly(3))));
    return done();
  }

  // ---- over a real loopback connection ----------------------------------------------------

  @Async
  static Coroutine<Void> upper(StreamReader reader, StreamWriter writer) throws Exception {
    while (true) {
      byte[] line;
      try {
        line = await(reader.readUntil(bytes("\n")));
      } catch (IncompleteReadException e) {
        log("server: client ended", e.partial().length);
        break;
      }
      writer.write(txt(line).toUpperCase());
      await(writer.drain());
    }
    writer.close();
    return done();
  }

  @Scenario("socket_request_response_lines")
  @Async
  static Coroutine<Void> socketLines() throws Exception {
    Server server = await(Streams.startServer(StreamsScenarios::upper, "127.0.0.1", 0));
    Connection c = await(Streams.openConnection("127.0.0.1", server.port()));
    for (String word : List.of("one", "two", "three")) {
      c.writer().write(word + "\n");
      log("client got", txt(await(c.reader().readUntil(bytes("\n")))).strip());
    }
    c.writer().writeEof();
    log("client sees eof", txt(await(c.reader().read(-1))), c.reader().atEof());
    c.writer().close();
    server.close();
    await(server.waitClosed());
    return done();
  }

  @Async
  static Coroutine<Void> shortReply(StreamReader reader, StreamWriter writer) throws Exception {
    writer.write("abc");
    await(writer.drain());
    writer.close();
    return done();
  }

  @Scenario("socket_peer_closes_mid_readexactly")
  @Async
  static Coroutine<Void> socketPeerCloses() throws Exception {
    Server server = await(Streams.startServer(StreamsScenarios::shortReply, "127.0.0.1", 0));
    Connection c = await(Streams.openConnection("127.0.0.1", server.port()));
    try {
      await(c.reader().readExactly(10));
    } catch (IncompleteReadException e) {
      log("incomplete", txt(e.partial()), expected(e));
    }
    log("at eof", c.reader().atEof());
    c.writer().close();
    server.close();
    await(server.waitClosed());
    return done();
  }

  @Async
  static Coroutine<Void> counter(StreamReader reader, StreamWriter writer) throws Exception {
    byte[] data = await(reader.read(-1));
    writer.write(String.valueOf(data.length));
    writer.close();
    return done();
  }

  @Scenario("socket_read_until_eof_then_reply")
  @Async
  static Coroutine<Void> socketReadUntilEof() throws Exception {
    Server server = await(Streams.startServer(StreamsScenarios::counter, "127.0.0.1", 0));
    Connection c = await(Streams.openConnection("127.0.0.1", server.port()));
    c.writer().write("x".repeat(1000));
    c.writer().write("y".repeat(24));
    c.writer().writeEof();
    log("server counted", txt(await(c.reader().read(-1))));
    c.writer().close();
    server.close();
    await(server.waitClosed());
    return done();
  }

  @Async
  static Coroutine<Void> longLine(StreamReader reader, StreamWriter writer) throws Exception {
    writer.write("0123456789ABCDEF\nend\n");
    await(writer.drain());
    writer.close();
    return done();
  }

  @Scenario("socket_connection_limit")
  @Async
  static Coroutine<Void> socketLimit() throws Exception {
    Server server = await(Streams.startServer(StreamsScenarios::longLine, "127.0.0.1", 0));
    Connection c = await(Streams.openConnection("127.0.0.1", server.port(), 8));
    try {
      await(c.reader().readUntil(bytes("\n")));
    } catch (LimitOverrunException e) {
      log("overrun", e.consumed());
    }
    log("line kept", txt(await(c.reader().readExactly(17))).strip());
    log("then", txt(await(c.reader().readUntil(bytes("\n")))).strip());
    c.writer().close();
    server.close();
    await(server.waitClosed());
    return done();
  }

  @Scenario("readuntil_separator_at_start_and_empty_feed")
  @Async
  static Coroutine<Void> readUntilAtStart() throws Exception {
    StreamReader r = reader();
    r.feedData(new byte[0]);
    r.feedData(bytes(";a;"));
    log(txt(await(r.readUntil(bytes(";")))), txt(await(r.readUntil(bytes(";")))));
    return done();
  }

  @Scenario("readexactly_more_than_limit_is_fine")
  @Async
  static Coroutine<Void> readExactlyOverLimit() throws Exception {
    StreamReader r = reader(4);
    r.feedData(bytes("0123456789"));
    log("exactly", txt(await(r.readExactly(10))));
    return done();
  }

  @Scenario("socket_client_close_is_eof_for_the_server")
  @Async
  static Coroutine<Void> socketClientClose() throws Exception {
    Future<List<Object>> seen = getRunningLoop().createFuture();
    StreamHandler readToEof =
        (reader, writer) -> {
          byte[] data = await(reader.read(-1));
          seen.setResult(List.of(data.length, reader.atEof()));
          writer.close();
          return done();
        };
    Server server = await(Streams.startServer(readToEof, "127.0.0.1", 0));
    Connection c = await(Streams.openConnection("127.0.0.1", server.port()));
    c.writer().write("bye");
    log("closing", c.writer().isClosing());
    c.writer().close();
    log("closing", c.writer().isClosing());
    await(c.writer().waitClosed());
    log("server read", await(seen));
    server.close();
    await(server.waitClosed());
    return done();
  }

  @Async
  static Coroutine<Void> nothing(StreamReader reader, StreamWriter writer) {
    writer.close();
    return done();
  }

  @Scenario("socket_connect_after_server_closed_is_refused")
  @Async
  static Coroutine<Void> socketConnectRefused() throws Exception {
    Server server = await(Streams.startServer(StreamsScenarios::nothing, "127.0.0.1", 0));
    int port = server.port();
    server.close();
    await(server.waitClosed());
    try {
      await(Streams.openConnection("127.0.0.1", port));
      log("connected?");
    } catch (IOException e) {
      log("refused", true);
    }
    return done();
  }

  @Scenario("socket_write_after_close_is_dropped_and_drain_raises")
  @Async
  static Coroutine<Void> socketWriteAfterClose() throws Exception {
    Server server = await(Streams.startServer(StreamsScenarios::nothing, "127.0.0.1", 0));
    Connection c = await(Streams.openConnection("127.0.0.1", server.port()));
    c.writer().close();
    c.writer().write("x");
    log("write after close", "dropped");
    try {
      await(c.writer().drain());
      log("drain returned");
    } catch (IOException e) {
      log("drain raised", e.getMessage());
    }
    await(c.writer().waitClosed());
    c.writer().write("y");
    try {
      await(c.writer().drain());
      log("drain returned");
    } catch (IOException e) {
      log("drain raised again", e.getMessage());
    }
    server.close();
    await(server.waitClosed());
    return done();
  }

  @Scenario("socket_serve_forever_ends_cancelled_when_closed")
  @Async
  static Coroutine<Void> socketServeForeverClosed() throws Exception {
    Server server = await(Streams.startServer(StreamsScenarios::nothing, "127.0.0.1", 0));
    Task<Void> serving = createTask(server.serveForever());
    await(sleep(0));
    try {
      await(server.serveForever());
    } catch (IllegalStateException e) {
      log("second serve_forever refused");
    }
    server.close();
    try {
      await(serving);
      log("serve_forever returned");
    } catch (CancellationException e) {
      log("serve_forever cancelled", serving.isCancelled());
    }
    try {
      await(server.serveForever());
    } catch (IllegalStateException e) {
      log("serve_forever on a closed server refused");
    }
    return done();
  }

  @Async
  static Coroutine<Void> failing(StreamReader reader, StreamWriter writer) {
    writer.write(new byte[300_000]);
    throw new Reset();
  }

  @Scenario("socket_failing_handler_output_is_sent")
  @Async
  static Coroutine<Void> socketFailingHandler() throws Exception {
    getRunningLoop()
        .setExceptionHandler(
            (loop, context) -> log("loop error", context.exception().getClass().getSimpleName()));
    Server server = await(Streams.startServer(StreamsScenarios::failing, "127.0.0.1", 0));
    Connection c = await(Streams.openConnection("127.0.0.1", server.port()));
    byte[] data = await(c.reader().read(-1));
    log("client got", data.length, c.reader().atEof());
    c.writer().close();
    server.close();
    await(server.waitClosed());
    return done();
  }
}
