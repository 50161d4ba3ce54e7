package demo;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Loads plug.Zoo and the lib it was built against from the folder {@code args[0]} with a
 * child-first loader, as plugin systems do; its resources stay parent-first (URLClassLoader's
 * getResource), so the class file it serves for lib.Cat is the older one on the class path, not the
 * Cat it loads. Then runs Zoo's coroutine both ways.
 */
public class StaleMain {
  public static void main(String[] args) throws Exception {
    URL plug = Path.of(args[0]).toUri().toURL();
    ClassLoader loader =
        new URLClassLoader(new URL[] {plug}, StaleMain.class.getClassLoader()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("lib.") && !name.startsWith("plug.")) {
              return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
              Class<?> c = findLoadedClass(name);
              return c != null ? c : findClass(name);
            }
          }
        };
    Class<?> zoo = loader.loadClass("plug.Zoo");
    for (boolean dog : new boolean[] {true, false}) {
      Object co = zoo.getMethod("animal", boolean.class).invoke(null, dog);
      System.out.println("result: " + Coroutines.run((Coroutine<?>) co));
    }
  }
}
