package dev.coroutine.bench.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS echo's certificate: a self-signed EC P-256 key for {@code 127.0.0.1}, made once per JVM
 * with the JDK's {@code keytool} (no key in the repository). Every TLS system of {@link EchoBench}
 * uses the same two contexts, the JDK provider's.
 */
final class BenchCerts {
  private static final char[] PASSWORD = "changeit".toCharArray();

  /** The server's context (key and certificate). */
  static final SSLContext SERVER;

  /** The clients' context (trusts the certificate only). */
  static final SSLContext CLIENT;

  static {
    try {
      KeyStore ks = generate();
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD);
      SERVER = SSLContext.getInstance("TLS");
      SERVER.init(kmf.getKeyManagers(), null, null);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("server", ks.getCertificate("server"));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      CLIENT = SSLContext.getInstance("TLS");
      CLIENT.init(null, tmf.getTrustManagers(), null);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private BenchCerts() {}

  private static KeyStore generate() throws Exception {
    Path dir = Files.createTempDirectory("echo-tls-");
    Path store = dir.resolve("server.p12");
    try {
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process p =
          new ProcessBuilder(
                  List.of(
                      keytool.toString(),
                      "-genkeypair",
                      "-alias",
                      "server",
                      "-keyalg",
                      "EC",
                      "-groupname",
                      "secp256r1",
                      "-dname",
                      "CN=localhost",
                      "-ext",
                      "SAN=ip:127.0.0.1,dns:localhost",
                      "-validity",
                      "2",
                      "-keystore",
                      store.toString(),
                      "-storetype",
                      "PKCS12",
                      "-storepass",
                      "changeit"))
              .redirectErrorStream(true)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool failed: " + new String(out, StandardCharsets.UTF_8));
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, PASSWORD);
      }
      return ks;
    } finally {
      Files.deleteIfExists(store);
      Files.deleteIfExists(dir);
    }
  }
}
