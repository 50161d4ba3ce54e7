package dev.coroutine.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for the TLS tests, made at run time with the JDK's {@code keytool} (no private key
 * is committed): a test CA, a server certificate it signed for {@code localhost} and {@code
 * 127.0.0.1}, and one that expired days ago. Made once per JVM in a temporary directory removed at
 * exit; PEM copies are written for {@code openssl}.
 */
final class TestCerts {
  static final char[] PASSWORD = "changeit".toCharArray();
  private static TestCerts instance;

  /** The directory holding every file. */
  final Path dir;

  /** The CA certificate, PEM. */
  final Path caPem;

  /** The server's chain (leaf, CA), PEM. */
  final Path serverChainPem;

  /** The server's private key, PKCS#8 PEM. */
  final Path serverKeyPem;

  /** The CA certificate. */
  final X509Certificate ca;

  /** The server's key and chain. */
  final KeyStore server;

  /** An expired server key and chain (signed by the same CA). */
  final KeyStore expired;

  private TestCerts(Path dir) throws Exception {
    this.dir = dir;
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=coroutine test CA",
        "-ext",
        "bc:c",
        "-validity",
        "3",
        "-keystore",
        "ca.p12");
    KeyStore caStore = load(dir.resolve("ca.p12"));
    ca = (X509Certificate) caStore.getCertificate("ca");
    server = leaf("server", "3", null);
    expired = leaf("expired", "2", "-10d");
    caPem = dir.resolve("ca.pem");
    Files.writeString(caPem, pem("CERTIFICATE", ca.getEncoded()));
    serverChainPem = dir.resolve("server-chain.pem");
    StringBuilder chain = new StringBuilder();
    for (Certificate c : server.getCertificateChain("server")) {
      chain.append(pem("CERTIFICATE", c.getEncoded()));
    }
    Files.writeString(serverChainPem, chain);
    serverKeyPem = dir.resolve("server-key.pem");
    Files.writeString(
        serverKeyPem, pem("PRIVATE KEY", server.getKey("server", PASSWORD).getEncoded()));
  }

  /** The certificates of this JVM, made on first use. */
  static synchronized TestCerts get() {
    if (instance == null) {
      try {
        Path dir = Files.createTempDirectory("coroutine-tls-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        instance = new TestCerts(dir);
      } catch (Exception e) {
        throw new IllegalStateException("cannot make the test certificates with keytool: " + e, e);
      }
    }
    return instance;
  }

  /**
   * A key pair {@code alias} whose certificate the CA signs, valid {@code days} from {@code start}
   * (keytool's {@code -startdate}, null for now), with the chain (leaf, CA) set in memory.
   */
  private KeyStore leaf(String alias, String days, String start) throws Exception {
    String store = alias + ".p12";
    keytool(
        "-genkeypair",
        "-alias",
        alias,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-validity",
        days,
        "-keystore",
        store);
    keytool("-certreq", "-alias", alias, "-keystore", store, "-file", alias + ".csr");
    List<String> gencert =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-infile",
                alias + ".csr",
                "-outfile",
                alias + ".crt",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                days));
    if (start != null) {
      gencert.add("-startdate");
      gencert.add(start);
    }
    keytool(gencert.toArray(new String[0]));
    KeyStore ks = load(dir.resolve(store));
    PrivateKey key = (PrivateKey) ks.getKey(alias, PASSWORD);
    X509Certificate cert;
    try (InputStream in = Files.newInputStream(dir.resolve(alias + ".crt"))) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore out = KeyStore.getInstance("PKCS12");
    out.load(null, null);
    out.setKeyEntry("server", key, PASSWORD, new Certificate[] {cert, ca});
    return out;
  }

  /** A server context presenting {@code keys}. */
  static SSLContext serverContext(KeyStore keys) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** The context of the good server certificate. */
  SSLContext serverContext() throws Exception {
    return serverContext(server);
  }

  /** A server context that also trusts the CA (to check client certificates). */
  SSLContext mutualServerContext() throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(server, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), trustCa(), null);
    return ctx;
  }

  /** A client context trusting only the test CA. */
  SSLContext clientContext() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, trustCa(), null);
    return ctx;
  }

  /** A client context trusting the test CA and presenting the server's key as its own. */
  SSLContext clientContextWithKey() throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(server, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), trustCa(), null);
    return ctx;
  }

  private javax.net.ssl.TrustManager[] trustCa() throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    return tmf.getTrustManagers();
  }

  private KeyStore load(Path p) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p)) {
      ks.load(in, PASSWORD);
    }
    return ks;
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storepass", "changeit", "-storetype", "PKCS12", "-noprompt"));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(
          "keytool "
              + String.join(" ", args)
              + " failed: "
              + new String(out, StandardCharsets.UTF_8));
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory: best effort
    }
  }
}
