package dev.coroutine.examples.io;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.io.Connection;
import dev.coroutine.io.Server;
import dev.coroutine.io.StreamReader;
import dev.coroutine.io.StreamWriter;
import dev.coroutine.io.Streams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A tiny HTTP/1.1 GET client on the streams, over plain TCP ({@code http://}) or TLS ({@code
 * https://}, the runtime's own TLS layer: {@code Streams.openConnection(host, port, sslContext)},
 * the server's certificate checked against the host name): sends the request, parses the status
 * line and headers, and reads a body framed by {@code Content-Length}, by {@code chunked} transfer
 * encoding, or by the end of the connection. Without an argument it fetches from a small server it
 * starts itself, also written on the streams; {@code --local-tls} does the same over TLS, with a
 * certificate made on the spot.
 *
 * <pre>
 * java dev.coroutine.examples.io.HttpGet [http[s]://host[:port]/path | --local-tls]
 * </pre>
 */
public final class HttpGet {
  private HttpGet() {}

  /** A response: status code, headers (names lower-cased), body. */
  public record Response(int status, String reason, Map<String, String> headers, byte[] body) {
    /** The body decoded as UTF-8. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * GETs {@code url} ({@code http[s]://host[:port]/path?query}); {@code https} trusts what the
   * JDK's default context trusts.
   */
  @Async
  public static Coroutine<Response> get(String url) throws IOException {
    return get(url, null);
  }

  /**
   * GETs {@code url} ({@code http[s]://host[:port]/path?query}); {@code https} uses {@code tls}
   * (null: the JDK's default context).
   */
  @Async
  public static Coroutine<Response> get(String url, SSLContext tls) throws IOException {
    URI uri = URI.create(url);
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    if (!https && !"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("only http:// and https:// URLs: " + url);
    }
    String host = uri.getHost();
    int port = uri.getPort() < 0 ? (https ? 443 : 80) : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    Connection c = // the name resolves off the loop; https: the handshake is done when this returns
        await(
            https
                ? Streams.openConnection(host, port, tls != null ? tls : defaultContext())
                : Streams.openConnection(host, port));
    try {
      c.writer()
          .write(
              "GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + (uri.getPort() < 0 ? "" : ":" + port)
                  + "\r\nUser-Agent: coroutine-examples\r\nAccept: */*\r\nConnection: close\r\n\r\n");
      await(c.writer().drain());
      return done(await(readResponse(c.reader())));
    } finally {
      c.writer().close();
    }
  }

  /** Parses one response from {@code r}. */
  @Async
  static Coroutine<Response> readResponse(StreamReader r) throws IOException {
    String statusLine = await(r.readLine());
    if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x response: " + statusLine);
    }
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    String reason = parts.length > 2 ? parts[2] : "";
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while ((line = await(r.readLine())) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.merge(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
    }
    byte[] body;
    String length = headers.get("content-length");
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = await(readChunked(r));
    } else if (length != null) {
      body = await(r.readExactly(Integer.parseInt(length))); // IncompleteReadException if cut
    } else {
      body = await(r.read(-1)); // framed by the end of the connection
    }
    return done(new Response(status, reason, headers, body));
  }

  /** A {@code Transfer-Encoding: chunked} body. */
  @Async
  static Coroutine<byte[]> readChunked(StreamReader r) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = await(r.readLine());
      if (sizeLine == null) {
        throw new IOException("connection closed inside a chunked body");
      }
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        String trailer;
        while ((trailer = await(r.readLine())) != null && !trailer.isEmpty()) {
          // trailers are ignored
        }
        return done(body.toByteArray());
      }
      body.write(await(r.readExactly(size)));
      await(r.readExactly(2)); // the CRLF after the chunk
    }
  }

  // ---- a local server for the self-contained run --------------------------------------------

  /** Answers every request with a small chunked page naming the path asked for. */
  @Async
  static Coroutine<Void> serveOne(StreamReader r, StreamWriter w) throws IOException {
    String request = await(r.readLine());
    String line;
    while ((line = await(r.readLine())) != null && !line.isEmpty()) {
      // skip the request headers
    }
    String path = request == null ? "?" : request.split(" ")[1];
    String[] pieces = {"<h1>hello from the streams</h1>\n", "<p>you asked for " + path + "</p>\n"};
    w.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (String piece : pieces) {
      byte[] b = piece.getBytes(StandardCharsets.UTF_8);
      w.write(Integer.toHexString(b.length) + "\r\n");
      w.write(b);
      w.write("\r\n");
      await(w.drain());
    }
    w.write("0\r\n\r\n");
    w.close();
    await(w.waitClosed());
    return done();
  }

  private static SSLContext defaultContext() throws IOException {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IOException("no default TLS context: " + e, e);
    }
  }

  /** Starts the local server, fetches {@code /index.html} from it, prints the response. */
  @Async
  static Coroutine<Response> local() throws IOException {
    Server server = await(Streams.startServer(HttpGet::serveOne, "127.0.0.1", 0));
    try {
      Response resp = await(get("http://127.0.0.1:" + server.port() + "/index.html"));
      print(resp);
      return done(resp);
    } finally {
      server.close();
    }
  }

  /**
   * {@link #local()} over TLS: the server presents a certificate made on the spot for {@code
   * localhost}, the client trusts that certificate only and checks the name.
   */
  @Async
  static Coroutine<Response> localTls() throws IOException {
    SelfSigned cert = SelfSigned.get();
    Server server =
        await(Streams.startServer(HttpGet::serveOne, "127.0.0.1", 0, cert.serverContext()));
    try {
      Response resp =
          await(get("https://localhost:" + server.port() + "/secure.html", cert.clientContext()));
      print(resp);
      return done(resp);
    } finally {
      server.close();
    }
  }

  @Async
  static Coroutine<Response> fetchAndPrint(String url) throws IOException {
    Response resp = await(get(url));
    print(resp);
    return done(resp);
  }

  static void print(Response resp) {
    System.out.println(resp.status() + " " + resp.reason());
    resp.headers().forEach((k, v) -> System.out.println(k + ": " + v));
    System.out.println();
    System.out.print(resp.text());
  }

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      run(local());
    } else if (args[0].equals("--local-tls")) {
      run(localTls());
    } else {
      run(fetchAndPrint(args[0]));
    }
  }
}
