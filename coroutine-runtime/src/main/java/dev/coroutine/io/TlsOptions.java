package dev.coroutine.io;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a TLS connection is set up, beside its {@link javax.net.ssl.SSLContext}: what asyncio's
 * {@code server_hostname}, {@code ssl_handshake_timeout} and {@code ssl_shutdown_timeout} arguments
 * and the context's ALPN and verification settings give. Immutable; each {@code with} method
 * returns a copy:
 *
 * <pre>{@code
 * TlsOptions o = TlsOptions.defaults()
 *     .withServerHostname("example.org")
 *     .withApplicationProtocols("h2", "http/1.1")
 *     .withHandshakeTimeout(Duration.ofSeconds(10));
 * Connection c = await(Streams.openConnection("203.0.113.7", 443, ctx, o));
 * }</pre>
 *
 * <p>Defaults: the host name is the one connected to; it is checked against the server's
 * certificate (the JDK's {@code HTTPS} endpoint identification) and sent as SNI unless it is an IP
 * literal; handshake timeout 60 s and shutdown timeout 30 s (asyncio's); no ALPN; the context's
 * protocol versions; no client certificate asked; the engine's delegated tasks (certificate checks,
 * key agreement) run on the loop thread, as Netty's {@code SslHandler} does by default.
 */
public final class TlsOptions {
  private static final TlsOptions DEFAULTS =
      new TlsOptions(
          null,
          true,
          Duration.ofSeconds(60),
          Duration.ofSeconds(30),
          null,
          null,
          ClientAuth.NONE,
          null);

  /** Whether a server asks the client for a certificate. */
  public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** A client certificate is asked for; the handshake goes on without one. */
    WANT,
    /** A client certificate is required; the handshake fails without a valid one. */
    NEED
  }

  /** The name to verify and send as SNI (clients), or null for the host connected to. */
  private final String serverHostname;

  /** Clients verify the server's certificate against {@link #serverHostname}. */
  private final boolean checkHostname;

  /** How long a handshake may take before the connection is aborted. */
  private final Duration handshakeTimeout;

  /** How long a close waits for the peer's close_notify before aborting. */
  private final Duration shutdownTimeout;

  /** ALPN protocol names, most preferred first, or null for no ALPN. */
  private final String[] applicationProtocols;

  /** Enabled protocol versions ("TLSv1.3", "TLSv1.2"), or null for the context's. */
  private final String[] protocols;

  /** Client certificate policy of servers. */
  private final ClientAuth clientAuth;

  /** Runs the engine's delegated tasks, or null to run them on the loop thread. */
  private final Executor delegatedTaskExecutor;

  private TlsOptions(
      String serverHostname,
      boolean checkHostname,
      Duration handshakeTimeout,
      Duration shutdownTimeout,
      String[] applicationProtocols,
      String[] protocols,
      ClientAuth clientAuth,
      Executor delegatedTaskExecutor) {
    this.serverHostname = serverHostname;
    this.checkHostname = checkHostname;
    this.handshakeTimeout = handshakeTimeout;
    this.shutdownTimeout = shutdownTimeout;
    this.applicationProtocols = applicationProtocols;
    this.protocols = protocols;
    this.clientAuth = clientAuth;
    this.delegatedTaskExecutor = delegatedTaskExecutor;
  }

  /**
   * The defaults (see the class comment).
   *
   * @return the default options
   */
  public static TlsOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Verifies the server's certificate against {@code name} and sends it as SNI, instead of the host
   * connected to (asyncio's {@code server_hostname}). Clients only.
   *
   * @param name the server's host name as its certificate names it
   * @return a copy with this server host name
   */
  public TlsOptions withServerHostname(String name) {
    return new TlsOptions(
        Objects.requireNonNull(name, "name"),
        checkHostname,
        handshakeTimeout,
        shutdownTimeout,
        applicationProtocols,
        protocols,
        clientAuth,
        delegatedTaskExecutor);
  }

  /**
   * Turns the client's host name check on (the default) or off. The certificate chain is still
   * checked against the context's trust managers; turning both off is the context's business.
   *
   * @param check false to accept a trusted certificate issued for another name
   * @return a copy with this setting
   */
  public TlsOptions withCheckHostname(boolean check) {
    return new TlsOptions(
        serverHostname,
        check,
        handshakeTimeout,
        shutdownTimeout,
        applicationProtocols,
        protocols,
        clientAuth,
        delegatedTaskExecutor);
  }

  /**
   * How long the handshake may take; past it the connection is aborted and the await throws {@link
   * javax.net.ssl.SSLHandshakeException} caused by a {@link java.util.concurrent.TimeoutException}.
   *
   * @param timeout a positive duration
   * @return a copy with this timeout
   */
  public TlsOptions withHandshakeTimeout(Duration timeout) {
    return new TlsOptions(
        serverHostname,
        checkHostname,
        positive(timeout),
        shutdownTimeout,
        applicationProtocols,
        protocols,
        clientAuth,
        delegatedTaskExecutor);
  }

  /**
   * How long {@code close()} waits for the peer's {@code close_notify} after sending its own; past
   * it the connection is aborted, and {@code waitClosed()} throws a {@link
   * java.net.SocketTimeoutException} saying so (asyncio's {@code TimeoutError('SSL shutdown timed
   * out')}).
   *
   * @param timeout a positive duration
   * @return a copy with this timeout
   */
  public TlsOptions withShutdownTimeout(Duration timeout) {
    return new TlsOptions(
        serverHostname,
        checkHostname,
        handshakeTimeout,
        positive(timeout),
        applicationProtocols,
        protocols,
        clientAuth,
        delegatedTaskExecutor);
  }

  /**
   * The ALPN protocols offered (clients, most preferred first) or accepted (servers, most preferred
   * first); the one agreed is {@link StreamWriter#applicationProtocol()}. A server serves a client
   * that offers none of them without ALPN ({@code applicationProtocol()} null), as asyncio's does,
   * rather than ending the handshake.
   *
   * @param names protocol names such as {@code "h2"}, {@code "http/1.1"}
   * @return a copy with these protocols
   */
  public TlsOptions withApplicationProtocols(String... names) {
    return new TlsOptions(
        serverHostname,
        checkHostname,
        handshakeTimeout,
        shutdownTimeout,
        names.clone(),
        protocols,
        clientAuth,
        delegatedTaskExecutor);
  }

  /**
   * The protocol versions enabled, for example {@code "TLSv1.2"} alone.
   *
   * @param versions version names as {@link javax.net.ssl.SSLEngine#setEnabledProtocols} takes
   * @return a copy with these versions
   */
  public TlsOptions withProtocols(String... versions) {
    return new TlsOptions(
        serverHostname,
        checkHostname,
        handshakeTimeout,
        shutdownTimeout,
        applicationProtocols,
        versions.clone(),
        clientAuth,
        delegatedTaskExecutor);
  }

  /**
   * Whether a server asks clients for a certificate.
   *
   * @param mode none, want or need
   * @return a copy with this policy
   */
  public TlsOptions withClientAuth(ClientAuth mode) {
    return new TlsOptions(
        serverHostname,
        checkHostname,
        handshakeTimeout,
        shutdownTimeout,
        applicationProtocols,
        protocols,
        Objects.requireNonNull(mode, "mode"),
        delegatedTaskExecutor);
  }

  /**
   * Runs the engine's delegated tasks (certificate path checks, key agreement) on {@code executor}
   * instead of the loop thread; the connection resumes on the loop when they are done. Useful when
   * certificate checks may block (revocation lookups).
   *
   * @param executor where delegated tasks run, or null for the loop thread
   * @return a copy with this executor
   */
  public TlsOptions withDelegatedTaskExecutor(Executor executor) {
    return new TlsOptions(
        serverHostname,
        checkHostname,
        handshakeTimeout,
        shutdownTimeout,
        applicationProtocols,
        protocols,
        clientAuth,
        executor);
  }

  /**
   * The server host name set, or null for the host connected to.
   *
   * @return the server host name, or null
   */
  public String serverHostname() {
    return serverHostname;
  }

  /**
   * True if clients check the certificate's host name.
   *
   * @return whether the host name is checked
   */
  public boolean checkHostname() {
    return checkHostname;
  }

  /**
   * The handshake timeout.
   *
   * @return the handshake timeout
   */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /**
   * The shutdown timeout.
   *
   * @return the shutdown timeout
   */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /**
   * The ALPN protocols, or null.
   *
   * @return a copy of the ALPN protocol names, or null
   */
  public String[] applicationProtocols() {
    return applicationProtocols == null ? null : applicationProtocols.clone();
  }

  /**
   * The protocol versions, or null for the context's.
   *
   * @return a copy of the version names, or null
   */
  public String[] protocols() {
    return protocols == null ? null : protocols.clone();
  }

  /**
   * The client certificate policy.
   *
   * @return the client certificate policy
   */
  public ClientAuth clientAuth() {
    return clientAuth;
  }

  /**
   * The delegated task executor, or null for the loop thread.
   *
   * @return the executor, or null
   */
  public Executor delegatedTaskExecutor() {
    return delegatedTaskExecutor;
  }

  private static Duration positive(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + d);
    }
    return d;
  }

  @Override
  public String toString() {
    return "TlsOptions[serverHostname="
        + serverHostname
        + ", checkHostname="
        + checkHostname
        + ", handshakeTimeout="
        + handshakeTimeout
        + ", shutdownTimeout="
        + shutdownTimeout
        + ", alpn="
        + Arrays.toString(applicationProtocols)
        + ", protocols="
        + Arrays.toString(protocols)
        + ", clientAuth="
        + clientAuth
        + "]";
  }
}
