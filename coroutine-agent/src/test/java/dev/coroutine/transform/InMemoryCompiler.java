package dev.coroutine.transform;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;

/**
 * Compiles Java sources in memory against the coroutine runtime, with javac or the Eclipse compiler
 * (ECJ), both through {@code javax.tools}. The two generate different bytecode for the same source
 * (lambda names, bridges, finally blocks, switch on strings), and the transformer must take both.
 *
 * @param name how test reports name it ({@code "javac --release 17"})
 * @param tool the compiler
 * @param options the options choosing its output
 */
public record InMemoryCompiler(String name, JavaCompiler tool, List<String> options) {

  /** The newest release asked of ECJ (3.43 compiles up to 24, not 25): the LTS before 25. */
  static final int ECJ_NEWEST_RELEASE = 21;

  /** javac of the running JDK, compiling for {@code release}. */
  static InMemoryCompiler javac(int release) {
    return new InMemoryCompiler(
        "javac --release " + release,
        ToolProvider.getSystemJavaCompiler(),
        List.of(
            "--release",
            String.valueOf(release),
            "-g",
            "-proc:none",
            "-nowarn",
            "-Xlint:-options"));
  }

  /** ECJ compiling for {@code release} (against the running JDK's class library). */
  static InMemoryCompiler ecj(int release) {
    return new InMemoryCompiler(
        "ecj --release " + release,
        new EclipseCompiler(),
        List.of("--release", String.valueOf(release), "-g", "-proc:none", "-nowarn"));
  }

  /** The number (from 1) of the line of {@code source} that ends with {@code // @marker}. */
  static int markedLine(String source, String marker) {
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].endsWith("// @" + marker)) {
        return i + 1;
      }
    }
    throw new AssertionError("no marker " + marker);
  }

  /** The feature release of the running JDK (17, 21, 25). */
  static int runningRelease() {
    return Runtime.version().feature();
  }

  /**
   * The compilers every transformer test over compiled sources runs with: javac at releases 8, 11,
   * 17 and the running JDK's own (25 in the JDK 25 test pass), and ECJ at 8, 17 and, on JDK 21 or
   * newer, 21. Every class file they make loads on the running JVM.
   */
  static List<InMemoryCompiler> all() {
    List<InMemoryCompiler> list = new ArrayList<>();
    for (int release : new int[] {8, 11, 17}) {
      list.add(javac(release));
    }
    if (runningRelease() > 17) {
      list.add(javac(runningRelease()));
    }
    list.add(ecj(8));
    list.add(ecj(17));
    if (runningRelease() >= 21) {
      list.add(ecj(ECJ_NEWEST_RELEASE));
    }
    return list;
  }

  /**
   * Compiles {@code sources} (class name to source) with javac; returns class name to class file.
   */
  public static Map<String, byte[]> compile(Map<String, String> sources, String release) {
    return javac(Integer.parseInt(release)).compile(sources);
  }

  /** Compiles {@code sources} with ECJ; returns class name to class file. */
  static Map<String, byte[]> compileWithEcj(Map<String, String> sources, String release) {
    return ecj(Integer.parseInt(release)).compile(sources);
  }

  /** Compiles {@code sources} (class name to source); returns class name to class file. */
  Map<String, byte[]> compile(Map<String, String> sources) {
    StandardJavaFileManager std = tool.getStandardFileManager(null, null, null);
    Map<String, ByteArrayOutputStream> out = new TreeMap<>();
    JavaFileManager fm =
        new ForwardingJavaFileManager<>(std) {
          @Override
          public JavaFileObject getJavaFileForOutput(
              Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
            String dotted = className.replace('/', '.');
            return new SimpleJavaFileObject(
                URI.create("mem:///" + dotted.replace('.', '/') + kind.extension), kind) {
              @Override
              public OutputStream openOutputStream() {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                out.put(dotted, b);
                return b;
              }
            };
          }
        };
    List<JavaFileObject> units = new ArrayList<>();
    Path sourceDir = null;
    try {
      if (tool instanceof EclipseCompiler) {
        // ECJ reads compilation units from files only ("File /a/B.java is missing" otherwise)
        sourceDir = Files.createTempDirectory("ecj-sources");
        for (Map.Entry<String, String> e : sources.entrySet()) {
          Path file = sourceDir.resolve(e.getKey().replace('.', '/') + ".java");
          Files.createDirectories(file.getParent());
          Files.writeString(file, e.getValue());
          std.getJavaFileObjects(file.toFile()).forEach(units::add);
        }
      } else {
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
      }
      return compile(fm, units, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(sourceDir);
    }
  }

  private Map<String, byte[]> compile(
      JavaFileManager fm, List<JavaFileObject> units, Map<String, ByteArrayOutputStream> out) {
    StringWriter diagnostics = new StringWriter();
    List<String> all = new ArrayList<>(options);
    all.addAll(List.of("-classpath", runtimeClasspath()));
    boolean ok = tool.getTask(diagnostics, fm, null, all, null, units).call();
    if (!ok) {
      throw new IllegalStateException(name + ": compilation failed:\n" + diagnostics);
    }
    Map<String, byte[]> classes = new TreeMap<>();
    out.forEach((k, v) -> classes.put(k, v.toByteArray()));
    return classes;
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

  @Override
  public String toString() {
    return name;
  }

  /** Where coroutine-runtime's classes are (a jar or a directory). */
  static String runtimeClasspath() {
    try {
      return new File(
              dev.coroutine.Coroutine.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI())
          .getPath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
