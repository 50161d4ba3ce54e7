package demo;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Defines plug.Base, A, B and User from class-file bytes read from the folder {@code args[0]} (not
 * on the class path) with a loader that serves no resources, as plugin systems and in-memory
 * compilers do, then calls User's coroutine.
 */
public class UnreadableMain {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    ClassLoader loader =
        new ClassLoader(UnreadableMain.class.getClassLoader()) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            Path file = dir.resolve(name.replace('.', '/') + ".class");
            try {
              byte[] bytes = Files.readAllBytes(file);
              return defineClass(name, bytes, 0, bytes.length);
            } catch (java.io.IOException e) {
              throw new ClassNotFoundException(name, e);
            }
          }
        };
    Class<?> user = loader.loadClass("plug.User");
    // rewritten, the class would have a second method named pick (the coroutine's body)
    long picks =
        Arrays.stream(user.getDeclaredMethods()).filter(m -> m.getName().equals("pick")).count();
    System.out.println("pick methods: " + picks);
    Method pick = user.getMethod("pick", boolean.class);
    try {
      System.out.println("result: " + Coroutines.run((Coroutine<?>) pick.invoke(null, true)));
    } catch (java.lang.reflect.InvocationTargetException e) {
      System.out.println("not rewritten: " + e.getCause());
    }
  }
}
