package dev.coroutine.transform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jetbrains.kotlin.cli.common.ExitCode;
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler;

/**
 * Compiles Kotlin sources in-process with kotlinc (kotlin-compiler-embeddable) against the
 * coroutine runtime, for JVM target 17. Kotlin names its lambda bodies {@code outer$lambda$0} and
 * does not mark them synthetic; its calls, casts and null checks differ from javac's.
 */
final class KotlinCompiler {
  private KotlinCompiler() {}

  /** Compiles {@code sources} (file name to source); returns class name (dotted) to class file. */
  static Map<String, byte[]> compile(Map<String, String> sources) {
    return compile(sources, Map.of());
  }

  /**
   * Compiles {@code sources} (file name to source) against {@code classes} (dotted class name to
   * class file, e.g. Java classes the Kotlin code calls); returns class name to class file.
   */
  static Map<String, byte[]> compile(Map<String, String> sources, Map<String, byte[]> classes) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("kotlinc");
      Path out = dir.resolve("out");
      Path lib = dir.resolve("lib");
      Files.createDirectories(lib);
      for (Map.Entry<String, byte[]> e : classes.entrySet()) {
        Path file = lib.resolve(e.getKey().replace('.', '/') + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, e.getValue());
      }
      List<String> args =
          new ArrayList<>(
              List.of(
                  "-no-stdlib",
                  "-no-reflect",
                  "-jvm-target",
                  "17",
                  "-classpath",
                  String.join(
                      java.io.File.pathSeparator,
                      InMemoryCompiler.runtimeClasspath(),
                      stdlib(),
                      lib.toString()),
                  "-d",
                  out.toString()));
      for (Map.Entry<String, String> e : sources.entrySet()) {
        Path file = dir.resolve("src").resolve(e.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, e.getValue());
        args.add(file.toString());
      }
      ByteArrayOutputStream messages = new ByteArrayOutputStream();
      ExitCode code =
          new K2JVMCompiler()
              .exec(
                  new PrintStream(messages, true, StandardCharsets.UTF_8),
                  args.toArray(new String[0]));
      if (code != ExitCode.OK) {
        throw new IllegalStateException(
            "kotlinc failed (" + code + "):\n" + messages.toString(StandardCharsets.UTF_8));
      }
      Map<String, byte[]> compiled = new TreeMap<>();
      try (Stream<Path> files = Files.walk(out)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          String name = out.relativize(f).toString().replace(java.io.File.separatorChar, '/');
          if (name.endsWith(".class")) {
            compiled.put(
                name.substring(0, name.length() - 6).replace('/', '.'), Files.readAllBytes(f));
          }
        }
      }
      return compiled;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(dir);
    }
  }

  /** Where Kotlin's standard library is (the test class path has it, beside the compiler). */
  private static String stdlib() {
    try {
      return Path.of(kotlin.Unit.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
