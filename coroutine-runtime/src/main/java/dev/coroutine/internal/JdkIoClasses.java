package dev.coroutine.internal;

/**
 * Initializes the JDK's I/O classes that open a file descriptor of their own when first used, once,
 * when a loop first does I/O. On JDK 17 socket reads and writes go through {@code
 * sun.nio.ch.FileDispatcherImpl}, whose static initializer opens a socket pair; first used while
 * the process had no descriptor left (a server under load, before its first read), it failed, and
 * the class stayed unusable: every later read and write, and the selector's own clean-up, threw
 * {@code NoClassDefFoundError} and the loop closed itself for good. Newer JDKs initialize their
 * dispatcher when the first socket is made, which needs a descriptor anyway.
 */
final class JdkIoClasses {
  private JdkIoClasses() {}

  /** JDK-internal classes, by name: absent ones (another JDK, another OS) are skipped. */
  private static final String[] OPENING_A_DESCRIPTOR_WHEN_INITIALIZED = {
    "sun.nio.ch.FileDispatcherImpl", "sun.nio.ch.UnixDispatcher"
  };

  static {
    for (String name : OPENING_A_DESCRIPTOR_WHEN_INITIALIZED) {
      try {
        Class.forName(name, true, null);
      } catch (ClassNotFoundException | LinkageError notHere) {
        // not this JDK's class, or it failed now: the first read or write will say so
      }
    }
  }

  /** Runs the static initializer above, once per JVM. */
  static void initialize() {
    // the work is in the class's initialization
  }
}
