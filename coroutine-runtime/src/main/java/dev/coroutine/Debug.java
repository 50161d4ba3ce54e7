package dev.coroutine;

/** Where debug mode is switched on from outside the program. */
final class Debug {
  private Debug() {}

  /** True if {@code -Dcoroutine.debug=true} or the environment has {@code COROUTINE_DEBUG=1}. */
  static boolean enabledByEnvironment() {
    if (Boolean.getBoolean("coroutine.debug")) {
      return true;
    }
    String env = System.getenv("COROUTINE_DEBUG");
    return env != null && !env.isEmpty() && !env.equals("0");
  }
}
