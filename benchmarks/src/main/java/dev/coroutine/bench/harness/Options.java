package dev.coroutine.bench.harness;

import java.util.HashMap;
import java.util.Map;

/** The {@code --name=value} arguments of the harness's mains. */
final class Options {
  private Options() {}

  /** Each {@code --name=value} as name to value; anything else is refused, naming it. */
  static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("unknown argument " + a + " (expected --name=value)");
      }
      args.put(a.substring(2, eq), a.substring(eq + 1));
    }
    return args;
  }
}
