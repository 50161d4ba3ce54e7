package dev.coroutine.agent;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The agent's options, parsed from the argument string after {@code
 * -javaagent:coroutine-agent.jar=}: a comma-separated list of {@code name} or {@code name=value}
 * items.
 *
 * <ul>
 *   <li>{@code verbose}: log every class the agent examines (after the pre-filter), with the number
 *       of methods rewritten and the time taken.
 *   <li>{@code failFast}: a class the agent cannot rewrite (a misuse in user code, or an internal
 *       error) stops the JVM at once with exit status {@value CoroutineAgent#FAIL_FAST_EXIT_STATUS}
 *       after printing why, instead of being loaded unchanged.
 *   <li>{@code dump=<dir>}: write the bytes of every class the agent examines to {@code
 *       <dir>/before/<name>.class} and, when rewritten, to {@code <dir>/after/<name>.class}.
 * </ul>
 *
 * <p>Boolean options also accept {@code =true} / {@code =false}. An unknown option is an error: the
 * JVM does not start, so a typo never silently disables a check.
 *
 * @param verbose log every examined class
 * @param failFast halt the JVM on the first class that cannot be rewritten
 * @param dumpDir where to dump class files, or null for no dump
 */
record AgentOptions(boolean verbose, boolean failFast, Path dumpDir) {

  /** The usage text printed with an option error. */
  static final String USAGE =
      "options: -javaagent:coroutine-agent.jar[=verbose][,failFast][,dump=<dir>]";

  /** The defaults: quiet, lenient, no dump. */
  static AgentOptions defaults() {
    return new AgentOptions(false, false, null);
  }

  /**
   * Parses the agent argument string; null or blank gives the defaults.
   *
   * @throws IllegalArgumentException naming the bad item and listing the valid options
   */
  static AgentOptions parse(String args) {
    boolean verbose = false;
    boolean failFast = false;
    Path dump = null;
    if (args == null || args.isBlank()) {
      return defaults();
    }
    for (String item : args.split(",")) {
      String s = item.strip();
      if (s.isEmpty()) {
        continue;
      }
      int eq = s.indexOf('=');
      String name = eq < 0 ? s : s.substring(0, eq).strip();
      String value = eq < 0 ? null : s.substring(eq + 1).strip();
      switch (name) {
        case "verbose":
          verbose = bool(name, value);
          break;
        case "failFast":
          failFast = bool(name, value);
          break;
        case "dump":
          if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("option dump needs a folder: dump=<dir>; " + USAGE);
          }
          dump = Path.of(value);
          break;
        default:
          throw new IllegalArgumentException("unknown option '" + s + "'; " + USAGE);
      }
    }
    return new AgentOptions(verbose, failFast, dump);
  }

  private static boolean bool(String name, String value) {
    if (value == null) {
      return true;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new IllegalArgumentException(
            "option " + name + " takes true or false, not '" + value + "'; " + USAGE);
    }
  }

  @Override
  public String toString() {
    return "verbose="
        + verbose
        + ", failFast="
        + failFast
        + ", dump="
        + (dumpDir == null ? "off" : dumpDir);
  }
}
