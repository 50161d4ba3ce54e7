package dev.coroutine.transform;

/**
 * Asks the JVM itself whether it accepts a class file: defines it in a fresh loader (whose parent
 * sees the runtime) and initializes it, which parses, verifies and links it.
 */
final class JvmCheck {
  private JvmCheck() {}

  /** A fresh loader that defines one class file. */
  private static final class OneClassLoader extends ClassLoader {
    OneClassLoader() {
      super(JvmCheck.class.getClassLoader());
    }

    Class<?> define(byte[] b) {
      return defineClass(null, b, 0, b.length);
    }
  }

  /** Null if the JVM defines, verifies and initializes {@code classFile}; else why not. */
  static String loads(byte[] classFile) {
    try {
      define(classFile);
      return null;
    } catch (ExceptionInInitializerError e) {
      return null; // it loaded and verified; its initializer failed
    } catch (LinkageError | SecurityException | ClassNotFoundException e) {
      return e.toString();
    }
  }

  /** Defines and initializes {@code classFile} in a fresh loader. */
  static Class<?> define(byte[] classFile) throws ClassNotFoundException {
    OneClassLoader loader = new OneClassLoader();
    Class<?> c = loader.define(classFile);
    return Class.forName(c.getName(), true, loader);
  }
}
