package dev.coroutine.examples.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway self-signed certificate for the examples' local TLS servers, made at run time with
 * the JDK's {@code keytool} (so no private key lives in the repository): valid for {@code
 * localhost} and {@code 127.0.0.1} for two days. {@link #serverContext()} presents it; {@link
 * #clientContext()} trusts it and nothing else.
 */
public final class SelfSigned {
  private static final String PASSWORD = "changeit";
  private static SelfSigned instance;

  /** The key and certificate. */
  private final KeyStore keys;

  private SelfSigned(KeyStore keys) {
    this.keys = keys;
  }

  /**
   * The certificate of this JVM, made on first use (a second or two: keytool runs once).
   *
   * @return the certificate
   */
  public static synchronized SelfSigned get() {
    if (instance == null) {
      try {
        instance = new SelfSigned(generate());
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot make a self-signed certificate: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while making a certificate", e);
      }
    }
    return instance;
  }

  private static KeyStore generate()
      throws IOException, GeneralSecurityException, InterruptedException {
    Path dir = Files.createTempDirectory("coroutine-examples-tls-");
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
                      "SAN=dns:localhost,ip:127.0.0.1",
                      "-validity",
                      "2",
                      "-keystore",
                      store.toString(),
                      "-storetype",
                      "PKCS12",
                      "-storepass",
                      PASSWORD))
              .redirectErrorStream(true)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool failed: " + new String(out, StandardCharsets.UTF_8));
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, PASSWORD.toCharArray());
      }
      return ks;
    } finally {
      Files.deleteIfExists(store);
      Files.deleteIfExists(dir);
    }
  }

  /**
   * A server context presenting the certificate.
   *
   * @return the server's TLS context
   */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASSWORD.toCharArray());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A client context trusting the certificate (and nothing else).
   *
   * @return the client's TLS context
   */
  public SSLContext clientContext() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("server", keys.getCertificate("server"));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
