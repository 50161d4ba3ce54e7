package dev.coroutine.transform;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles Java sources in memory with javac, against the coroutine runtime. */
final class InMemoryCompiler {
  private InMemoryCompiler() {}

  /** Compiles {@code sources} (class name to source) and returns class name to class file. */
  static Map<String, byte[]> compile(Map<String, String> sources, String release) {
    return compile(ToolProvider.getSystemJavaCompiler(), sources, release);
  }

  /**
   * Compiles {@code sources} with the Eclipse compiler (ECJ) instead of javac, through files in a
   * temporary folder (ECJ's batch compiler reads and writes files).
   */
  static Map<String, byte[]> compileWithEcj(Map<String, String> sources, String release) {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ecj");
      java.nio.file.Path src = dir.resolve("src");
      java.nio.file.Path out = dir.resolve("out");
      List<String> args =
          new ArrayList<>(
              List.of("-" + release, "-g", "-proc:none", "-nowarn", "-classpath", runtimeClasspath()));
      args.add("-d");
      args.add(out.toString());
      for (Map.Entry<String, String> e : sources.entrySet()) {
        java.nio.file.Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, e.getValue());
        args.add(file.toString());
      }
      StringWriter errors = new StringWriter();
      boolean ok =
          org.eclipse.jdt.core.compiler.batch.BatchCompiler.compile(
              args.toArray(new String[0]),
              new java.io.PrintWriter(errors),
              new java.io.PrintWriter(errors),
              null);
      if (!ok) {
        throw new IllegalStateException("ECJ compilation failed:\n" + errors);
      }
      Map<String, byte[]> classes = new TreeMap<>();
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(out)) {
        for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
          String name = out.relativize(f).toString();
          if (name.endsWith(".class")) {
            classes.put(
                name.substring(0, name.length() - 6).replace(File.separatorChar, '.'),
                java.nio.file.Files.readAllBytes(f));
          }
        }
      }
      return classes;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, byte[]> compile(
      JavaCompiler javac, Map<String, String> sources, String release) {
    StandardJavaFileManager std = javac.getStandardFileManager(null, null, null);
    Map<String, ByteArrayOutputStream> out = new TreeMap<>();
    JavaFileManager fm =
        new ForwardingJavaFileManager<>(std) {
          @Override
          public JavaFileObject getJavaFileForOutput(
              Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
            return new SimpleJavaFileObject(
                URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
              @Override
              public OutputStream openOutputStream() {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                out.put(className, b);
                return b;
              }
            };
          }
        };
    List<JavaFileObject> units = new ArrayList<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      units.add(
          new SimpleJavaFileObject(
              URI.create("string:///" + e.getKey().replace('.', '/') + ".java"),
              JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return e.getValue();
            }
          });
    }
    StringWriter diagnostics = new StringWriter();
    List<String> options =
        List.of("--release", release, "-g", "-classpath", runtimeClasspath(), "-proc:none");
    boolean ok = javac.getTask(diagnostics, fm, null, options, null, units).call();
    if (!ok) {
      throw new IllegalStateException("compilation failed:\n" + diagnostics);
    }
    Map<String, byte[]> classes = new TreeMap<>();
    out.forEach((k, v) -> classes.put(k, v.toByteArray()));
    return classes;
  }

  /** Where coroutine-runtime's classes are (a jar or a directory). */
  static String runtimeClasspath() {
    try {
      return new File(
              dev.coroutine.Coroutine.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .getPath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
