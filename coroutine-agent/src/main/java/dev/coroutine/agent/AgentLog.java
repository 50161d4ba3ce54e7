package dev.coroutine.agent;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The agent's log: one line per message on standard error, prefixed {@code [coroutine-agent]}, so
 * it shows up next to the application's own output without any logging framework (the agent runs
 * before the application could configure one). Each message is printed with a single call, so lines
 * from many class-loading threads never interleave mid-line.
 */
final class AgentLog {
  /** The prefix of every line. */
  static final String PREFIX = "[coroutine-agent] ";

  /** Where lines go: standard error, or a test's buffer. */
  private final PrintStream out;

  AgentLog(PrintStream out) {
    this.out = out;
  }

  /** An informational line. */
  void info(String message) {
    out.println(PREFIX + message);
  }

  /** A warning line: the class loads rewritten, but some code of it likely is not as meant. */
  void warn(String message) {
    out.println(PREFIX + "WARNING " + message);
  }

  /** An error line. */
  void error(String message) {
    out.println(PREFIX + "ERROR " + message);
  }

  /** An error line followed by the stack trace of {@code t}, all in one print. */
  void error(String message, Throwable t) {
    StringWriter sw = new StringWriter();
    try (PrintWriter pw = new PrintWriter(sw)) {
      pw.println(PREFIX + "ERROR " + message);
      t.printStackTrace(pw);
    }
    out.print(sw);
    out.flush();
  }
}
