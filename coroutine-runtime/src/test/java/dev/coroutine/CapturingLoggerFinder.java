package dev.coroutine;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A test-only {@link System.LoggerFinder} (registered in META-INF/services): the logger named
 * {@code dev.coroutine} records what the runtime logs, so debug-mode tests can assert on it.
 */
public final class CapturingLoggerFinder extends System.LoggerFinder {
  /** One log call. */
  public record Record(System.Logger.Level level, String message, Throwable thrown) {}

  /**
   * Everything logged to {@code dev.coroutine} and its children ({@code dev.coroutine.io}), in
   * order (written by any thread).
   */
  public static final List<Record> RECORDS = new CopyOnWriteArrayList<>();

  /**
   * When set, every log call to {@code dev.coroutine} throws it instead of recording (a logging
   * back end that fails, as the JDK's does when no file descriptor is left).
   */
  public static volatile Error failWith;

  /** The messages logged so far that contain {@code text}. */
  public static List<Record> containing(String text) {
    return RECORDS.stream().filter(r -> r.message().contains(text)).collect(Collectors.toList());
  }

  @Override
  public System.Logger getLogger(String name, Module module) {
    return new Capturing(name, name.equals("dev.coroutine") || name.startsWith("dev.coroutine."));
  }

  /** Records if {@code capture}, else drops everything below WARNING and prints the rest. */
  private static final class Capturing implements System.Logger {
    private final String name;
    private final boolean capture;

    Capturing(String name, boolean capture) {
      this.name = name;
      this.capture = capture;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean isLoggable(Level level) {
      return capture || level.getSeverity() >= Level.WARNING.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      Error failure = failWith;
      if (capture && failure != null) {
        throw failure;
      }
      if (capture) {
        RECORDS.add(new Record(level, msg, thrown));
      } else if (isLoggable(level)) {
        System.err.println(name + " " + level + ": " + msg);
      }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      String msg =
          params == null || params.length == 0 ? format : MessageFormat.format(format, params);
      log(level, bundle, msg, (Throwable) null);
    }
  }
}
