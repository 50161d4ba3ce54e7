package dev.coroutine.internal;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.text.MessageFormat;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * The runtime's loggers: a {@link System.Logger} that never throws. The loop reports errors through
 * its logger, often in the very situations that break logging (no file descriptor left, so the
 * JDK's formatter cannot open its time-zone data and throws an {@code Error} that its console
 * handler lets through): a report that failed must not stop the loop. asyncio's logging swallows
 * its own failures ({@code Handler.handleError}); so does this, writing the record to {@code
 * System.err} instead.
 */
public final class NeverFailingLogger implements System.Logger {
  /** The logger's name. */
  private final String name;

  /**
   * The JDK's logger, got at the first use: {@code System.getLogger} starts the logging back end
   * (java.util.logging reads its configuration), 80 ms of a program's first {@code run()} when the
   * runtime's classes asked for their loggers as they loaded, for nothing to log. Racy: two threads
   * may each get one, equal.
   */
  private volatile System.Logger delegate;

  /**
   * A logger of the runtime's got its delegate: logging has started (and read its configuration),
   * so the others need not check that it can.
   */
  private static volatile boolean started;

  NeverFailingLogger(String name, System.Logger delegate) {
    this.name = Objects.requireNonNull(name, "name");
    this.delegate = delegate;
  }

  /**
   * The logger named {@code name}, never throwing.
   *
   * @param name the logger's name
   * @return a logger that reports its own failures on {@code System.err} instead of throwing
   */
  public static System.Logger of(String name) {
    return new NeverFailingLogger(name, null);
  }

  /** The JDK's logger (see {@link #delegate}); throws as {@code System.getLogger} may. */
  private System.Logger delegate() throws IOException {
    System.Logger d = delegate;
    if (d == null) {
      if (!started) {
        checkLoggingCanStart();
      }
      d = System.getLogger(name);
      delegate = d;
      started = true;
    }
    return d;
  }

  /**
   * Throws if logging's configuration cannot be read now. java.util.logging reads its configuration
   * file when first used; if it cannot open it (no file descriptor left: the very moment the loop
   * has errors to report) it says nothing and keeps no handler for the life of the process, so
   * every later report is lost (found from outside under {@code ulimit -n}). So the first use opens
   * that file first, and if that fails, this report goes to {@code System.err} and a later one
   * starts logging.
   */
  private static void checkLoggingCanStart() throws IOException {
    // java.io, not java.nio.file: a first use of the default file system out of descriptors fails
    // its initialization, and java.nio.file with it, for the life of the process
    String file = System.getProperty("java.util.logging.config.file");
    File config =
        file != null
            ? new File(file)
            : new File(new File(System.getProperty("java.home"), "conf"), "logging.properties");
    if (!config.isFile()) {
      return; // never readable: logging starts without it either way
    }
    try (InputStream in = new FileInputStream(config)) {
      // readable: the configuration can be read
    }
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public boolean isLoggable(Level level) {
    try {
      return delegate().isLoggable(level);
    } catch (Throwable t) {
      return true; // log() will then fall back to System.err
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    try {
      delegate().log(level, bundle, msg, thrown);
    } catch (Throwable failure) {
      fallBack(level, msg, thrown, failure);
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    try {
      delegate().log(level, bundle, format, params);
    } catch (Throwable failure) {
      String msg = format;
      try {
        msg = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
      } catch (Throwable ignored) {
        // the pattern as given
      }
      fallBack(level, msg, null, failure);
    }
  }

  private void fallBack(Level level, String msg, Throwable thrown, Throwable failure) {
    try {
      PrintStream err = System.err;
      err.println(getName() + " " + level + ": " + msg);
      if (thrown != null) {
        thrown.printStackTrace(err);
      }
      err.println(getName() + ": (logging this failed: " + failure + ")");
    } catch (Throwable ignored) {
      // nowhere left to report it; the loop goes on
    }
  }
}
