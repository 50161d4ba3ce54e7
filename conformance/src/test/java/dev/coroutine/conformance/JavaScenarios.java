package dev.coroutine.conformance;

import dev.coroutine.Coroutine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Java side of the suite: every {@link Scenario} method of every {@code *Scenarios} class in
 * this package, keyed by scenario id ({@code area/name}, the area being the class name without
 * {@code Scenarios}, in snake_case: {@code WaitForScenarios} is {@code wait_for}).
 */
final class JavaScenarios {
  private JavaScenarios() {}

  /** Finds the scenario classes in the folder (or jar-less class path entry) of this class. */
  static Map<String, Method> find() {
    Map<String, Method> found = new LinkedHashMap<>();
    List<Class<?>> classes = scenarioClasses();
    for (Class<?> c : classes) {
      String area = area(c);
      List<Method> methods = new ArrayList<>();
      for (Method m : c.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Scenario.class)) {
          methods.add(m);
        }
      }
      methods.sort(Comparator.comparing(m -> m.getAnnotation(Scenario.class).value()));
      for (Method m : methods) {
        check(m);
        String id = area + "/" + m.getAnnotation(Scenario.class).value();
        Method before = found.put(id, m);
        if (before != null) {
          throw new IllegalStateException(
              "two Java scenarios named " + id + ": " + before + " and " + m);
        }
      }
    }
    return found;
  }

  /** {@code WaitForScenarios} is area {@code wait_for}. */
  static String area(Class<?> c) {
    String n = c.getSimpleName();
    n = n.substring(0, n.length() - "Scenarios".length());
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n.length(); i++) {
      char ch = n.charAt(i);
      if (Character.isUpperCase(ch) && i > 0) {
        b.append('_');
      }
      b.append(Character.toLowerCase(ch));
    }
    return b.toString();
  }

  private static void check(Method m) {
    String where = m.getDeclaringClass().getSimpleName() + "." + m.getName();
    if (!Modifier.isStatic(m.getModifiers())
        || m.getParameterCount() != 0
        || !Coroutine.class.isAssignableFrom(m.getReturnType())) {
      throw new IllegalStateException(
          "@Scenario " + where + " must be static, take no parameters and return Coroutine<?>");
    }
    m.setAccessible(true);
  }

  private static List<Class<?>> scenarioClasses() {
    Path dir;
    try {
      Path root =
          Path.of(JavaScenarios.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      dir = root.resolve(JavaScenarios.class.getPackageName().replace('.', '/'));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String file = f.getFileName().toString();
        if (file.endsWith("Scenarios.class")) {
          String name =
              JavaScenarios.class.getPackageName() + "." + file.substring(0, file.length() - 6);
          classes.add(Class.forName(name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    return classes;
  }
}
