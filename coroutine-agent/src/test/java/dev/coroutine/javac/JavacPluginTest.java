package dev.coroutine.javac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.transform.ClassFileLocator;
import dev.coroutine.transform.CoroutineTransformer;
import dev.coroutine.transform.TransformResult;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -Xplugin:Coroutine} in plain javac, run in process through {@link ToolProvider} with this
 * module's classes on the processor path: the classes it writes are the transformer's output byte
 * for byte (as the Maven plugin's and the agent's are), they run, and misuse is a javac error at
 * the source line.
 */
class JavacPluginTest {

  /**
   * Classes whose rewritten frames need supertypes from the same compilation: {@code Shapes.area}
   * keeps a {@code Square} or a {@code Circle} live across an await, so the frame merges them to
   * {@code Shape}; javac writes {@code Shapes} before the other two.
   */
  private static final Map<String, String> SHAPES =
      Map.of(
          "demo/Shapes.java",
          String.join(
              "\n",
              "package demo;",
              "import static dev.coroutine.Coroutines.*;",
              "import dev.coroutine.*;",
              "public class Shapes {",
              "  @Async",
              "  public static Coroutine<Integer> area(boolean square, int size) {",
              "    Shape s = square ? new Square(size) : new Circle(size);",
              "    await(sleep(1));",
              "    int twice = await(doubled(s.area()));",
              "    return done(twice / 2);",
              "  }",
              "  @Async",
              "  static Coroutine<Integer> doubled(int x) {",
              "    await(sleep(0));",
              "    return done(2 * x);",
              "  }",
              "}"),
          "demo/Shape.java",
          "package demo; public abstract class Shape { abstract int area(); }",
          "demo/Square.java",
          "package demo; final class Square extends Shape { final int s; Square(int s) { this.s ="
              + " s; } int area() { return s * s; } }",
          "demo/Circle.java",
          "package demo; final class Circle extends Shape { final int r; Circle(int r) { this.r ="
              + " r; } int area() { return 3 * r * r; } }");

  @TempDir Path dir;

  @Test
  void pluginOutput_isByteIdenticalToTheTransformersOutputOfPlainJavacClasses() throws Exception {
    Path src = write(SHAPES);
    Path plain = compile(src, dir.resolve("plain"), List.of()).output();
    Path plugged = compile(src, dir.resolve("plugged"), List.of("-Xplugin:Coroutine")).output();

    // what the Maven plugin does with javac's output: the class output, then the class path
    CoroutineTransformer transformer =
        new CoroutineTransformer(
            folder(plain).orElse(ClassFileLocator.of(getClass().getClassLoader())));
    Map<String, byte[]> expected = new TreeMap<>();
    int rewritten = 0;
    for (Map.Entry<String, byte[]> e : classFiles(plain).entrySet()) {
      TransformResult r = transformer.transform(e.getValue());
      assertThat(r.failed()).as(e.getKey() + ": " + r.diagnostics()).isFalse();
      expected.put(e.getKey(), r.changed() ? r.bytes() : e.getValue());
      rewritten += r.changed() ? 1 : 0;
    }
    assertThat(rewritten).as("classes rewritten").isEqualTo(1);

    Map<String, byte[]> actual = classFiles(plugged);
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (String name : expected.keySet()) {
      assertThat(actual.get(name)).as(name).isEqualTo(expected.get(name));
    }
    assertThat(CoroutineTransformer.isTransformed(actual.get("demo/Shapes.class"))).isTrue();
  }

  @Test
  void pluginOutput_runsWithoutTheMavenPluginOrTheAgent() throws Exception {
    Path out = compile(write(SHAPES), dir.resolve("out"), List.of("-Xplugin:Coroutine")).output();

    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> shapes = loader.loadClass("demo.Shapes");
      @SuppressWarnings("unchecked")
      Coroutine<Integer> square =
          (Coroutine<Integer>)
              shapes.getMethod("area", boolean.class, int.class).invoke(null, true, 4);
      @SuppressWarnings("unchecked")
      Coroutine<Integer> circle =
          (Coroutine<Integer>)
              shapes.getMethod("area", boolean.class, int.class).invoke(null, false, 2);
      assertThat(Coroutines.runWithVirtualTime(square)).isEqualTo(16);
      assertThat(Coroutines.runWithVirtualTime(circle)).isEqualTo(12);
    }
  }

  @Test
  void misuse_isAJavacErrorAtTheAwaitsSourceLine_andFailsTheCompilation() throws Exception {
    Path src =
        write(
            Map.of(
                "demo/Bad.java",
                String.join(
                    "\n",
                    "package demo;",
                    "import static dev.coroutine.Coroutines.*;",
                    "import dev.coroutine.*;",
                    "public class Bad {",
                    "  static int notAsync() {",
                    "    int x = 1;",
                    "    await(sleep(10)); // line 7",
                    "    return x;",
                    "  }",
                    "}")));

    Compilation c = compile(src, dir.resolve("out"), List.of("-Xplugin:Coroutine"));

    assertThat(c.success()).isFalse();
    List<Diagnostic<? extends JavaFileObject>> errors = c.errors();
    assertThat(errors).hasSize(1);
    Diagnostic<? extends JavaFileObject> error = errors.get(0);
    assertThat(error.getSource().getName()).endsWith("Bad.java");
    assertThat(error.getLineNumber()).isEqualTo(7);
    assertThat(error.getMessage(Locale.ROOT))
        .contains("await() in Bad.notAsync, which is not @Async")
        .contains("(in demo.Bad.notAsync)");
    assertThat(dir.resolve("out/demo/Bad.class"))
        .as("no unrewritten class file is left for an incremental build to pick up")
        .doesNotExist();
  }

  /**
   * Every refused class is reported in one compilation, as the Maven plugin lists every problem:
   * javac generates no further class once an error is reported, so the plugin reported only the
   * first refused class's errors (found from outside: one class per compile-and-fix cycle).
   */
  @Test
  void misuseInSeveralClasses_everyOneIsReported_noneIsLeftBehind() throws Exception {
    Map<String, String> sources = new TreeMap<>();
    for (String name : List.of("A", "B", "C")) {
      sources.put(
          "demo/" + name + ".java",
          String.join(
              "\n",
              "package demo;",
              "import static dev.coroutine.Coroutines.*;",
              "public class " + name + " {",
              "  static int notAsync() {",
              "    await(sleep(10)); // line 5",
              "    return 1;",
              "  }",
              "}"));
    }
    Path src = write(sources);

    Compilation c = compile(src, dir.resolve("out"), List.of("-Xplugin:Coroutine"));

    assertThat(c.success()).isFalse();
    assertThat(c.errors())
        .extracting(d -> d.getSource().getName().replaceAll(".*/", "") + ":" + d.getLineNumber())
        .containsExactly("A.java:5", "B.java:5", "C.java:5");
    for (String name : List.of("A", "B", "C")) {
      assertThat(dir.resolve("out/demo/" + name + ".class")).doesNotExist();
    }
  }

  /**
   * An IDE drives javac step by step ({@code parse()}, {@code analyze()}, {@code generate()}),
   * announcing no start or end of the compilation: a misuse is reported at once there (found from
   * outside: held for an end that never came, it was lost with the refused class's file).
   */
  @Test
  void misuse_inAStepByStepCompilation_isReported() throws Exception {
    Path src =
        write(
            Map.of(
                "demo/Bad.java",
                String.join(
                    "\n",
                    "package demo;",
                    "import static dev.coroutine.Coroutines.*;",
                    "public class Bad {",
                    "  static int notAsync() {",
                    "    await(sleep(10)); // line 5",
                    "    return 1;",
                    "  }",
                    "}")));
    Path out = Files.createDirectories(dir.resolve("out"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String classPath = System.getProperty("java.class.path");
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      com.sun.source.util.JavacTask task =
          (com.sun.source.util.JavacTask)
              javac.getTask(
                  null,
                  files,
                  diagnostics,
                  List.of(
                      "-d",
                      out.toString(),
                      "-classpath",
                      classPath,
                      "-processorpath",
                      classPath,
                      "-Xplugin:Coroutine"),
                  null,
                  files.getJavaFileObjectsFromPaths(List.of(src.resolve("demo/Bad.java"))));
      task.parse();
      task.analyze();
      task.generate();
    }
    assertThat(diagnostics.getDiagnostics())
        .filteredOn(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .extracting(Diagnostic::getLineNumber)
        .containsExactly(5L);
    assertThat(out.resolve("demo/Bad.class")).doesNotExist();
  }

  /**
   * Without line numbers ({@code -g:none}, {@code -g:source}, {@code -g:vars}) javac keeps no line
   * map: the plugin crashed javac on any source (found from outside). It rewrites as usual, and an
   * error, whose class file names no line, is reported at the class.
   */
  @ParameterizedTest
  @ValueSource(strings = {"-g:none", "-g:source", "-g:vars"})
  void withoutLineNumbers_rewritesAndReportsErrorsAtTheClass(String debug) throws Exception {
    Path src =
        write(
            Map.of(
                "demo/Good.java",
                String.join(
                    "\n",
                    "package demo;",
                    "import static dev.coroutine.Coroutines.*;",
                    "import dev.coroutine.*;",
                    "public class Good {",
                    "  @Async public static Coroutine<Integer> two() {",
                    "    await(sleep(1));",
                    "    return done(2);",
                    "  }",
                    "}")));
    Compilation ok = compile(src, dir.resolve("ok"), List.of("-Xplugin:Coroutine", debug));
    assertThat(ok.success()).as(ok.errors().toString()).isTrue();
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {dir.resolve("ok").toUri().toURL()}, getClass().getClassLoader())) {
      @SuppressWarnings("unchecked")
      Coroutine<Integer> two =
          (Coroutine<Integer>) loader.loadClass("demo.Good").getMethod("two").invoke(null);
      assertThat(Coroutines.runWithVirtualTime(two)).isEqualTo(2);
    }

    Files.writeString(
        src.resolve("demo/Bad.java"),
        String.join(
            "\n",
            "package demo;",
            "import static dev.coroutine.Coroutines.*;",
            "public class Bad { // line 3",
            "  static int notAsync() {",
            "    await(sleep(10));",
            "    return 1;",
            "  }",
            "}"));
    Compilation bad = compile(src, dir.resolve("bad"), List.of("-Xplugin:Coroutine", debug));
    assertThat(bad.success()).isFalse();
    assertThat(bad.errors()).hasSize(1);
    assertThat(bad.errors().get(0).getLineNumber()).isEqualTo(3);
    assertThat(bad.errors().get(0).getMessage(Locale.ROOT)).contains("Bad.notAsync");
  }

  /**
   * A misuse in a nested class is the one error: javac writes no class file once an error is
   * reported, and the plugin added "cannot rewrite Outer: NoSuchFileException" for the outer class
   * it then found missing (found from outside).
   */
  @Test
  void misuseInANestedClass_isTheOnlyError() throws Exception {
    Path src =
        write(
            Map.of(
                "demo/Outer.java",
                String.join(
                    "\n",
                    "package demo;",
                    "import static dev.coroutine.Coroutines.*;",
                    "import dev.coroutine.*;",
                    "public class Outer {",
                    "  @Async static Coroutine<Integer> fine() {",
                    "    await(sleep(1));",
                    "    return done(1);",
                    "  }",
                    "  static class Nested {",
                    "    static int notAsync() {",
                    "      await(sleep(10)); // line 11",
                    "      return 1;",
                    "    }",
                    "  }",
                    "}")));

    Compilation c = compile(src, dir.resolve("out"), List.of("-Xplugin:Coroutine"));

    assertThat(c.success()).isFalse();
    assertThat(c.errors()).hasSize(1);
    assertThat(c.errors().get(0).getLineNumber()).isEqualTo(11);
    assertThat(c.errors().get(0).getMessage(Locale.ROOT))
        .contains("Nested.notAsync, which is not @Async");
  }

  @Test
  void catchSwallowingCancellation_isAJavacWarningAtTheCatchLine_andTheClassIsRewritten()
      throws Exception {
    Path src =
        write(
            Map.of(
                "demo/Swallow.java",
                String.join(
                    "\n",
                    "package demo;",
                    "import static dev.coroutine.Coroutines.*;",
                    "import dev.coroutine.*;",
                    "public class Swallow {",
                    "  @Async static Coroutine<String> fetch() {",
                    "    try {",
                    "      await(sleep(10));",
                    "    } catch (Exception e) { // line 8",
                    "      return done(\"fallback\");",
                    "    }",
                    "    return done(\"ok\");",
                    "  }",
                    "}")));

    Compilation c = compile(src, dir.resolve("out"), List.of("-Xplugin:Coroutine"));

    assertThat(c.success()).isTrue();
    List<Diagnostic<? extends JavaFileObject>> warnings =
        c.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.WARNING).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getLineNumber()).isEqualTo(8);
    assertThat(warnings.get(0).getMessage(Locale.ROOT))
        .contains("catch (Exception) around an await swallows cancellation")
        .contains("(in demo.Swallow.fetch)");
    byte[] written = Files.readAllBytes(c.output().resolve("demo/Swallow.class"));
    assertThat(CoroutineTransformer.isTransformed(written)).isTrue();
  }

  /** With {@code -Werror} every class's warning is still reported: javac stops at the first. */
  @Test
  void warningsInSeveralClasses_withWerror_everyOneIsReported() throws Exception {
    Map<String, String> sources = new TreeMap<>();
    for (String name : List.of("A", "B")) {
      sources.put(
          "demo/" + name + ".java",
          String.join(
              "\n",
              "package demo;",
              "import static dev.coroutine.Coroutines.*;",
              "import dev.coroutine.*;",
              "public class " + name + " {",
              "  @Async static Coroutine<String> fetch() {",
              "    try {",
              "      await(sleep(10));",
              "    } catch (Exception e) { // line 8",
              "      return done(\"fallback\");",
              "    }",
              "    return done(\"ok\");",
              "  }",
              "}"));
    }
    Compilation c =
        compile(write(sources), dir.resolve("out"), List.of("-Xplugin:Coroutine", "-Werror"));

    assertThat(c.success()).isFalse();
    assertThat(c.diagnostics())
        .filteredOn(d -> d.getMessage(Locale.ROOT).contains("swallows cancellation"))
        .extracting(d -> d.getSource().getName().replaceAll(".*/", "") + ":" + d.getLineNumber())
        .containsExactly("A.java:8", "B.java:8");
  }

  /**
   * A named module, compiled in javac's single-module mode (module-info.java among the sources) and
   * in its multi-module mode ({@code --module-source-path}): the plugin leaves {@code module-info}
   * and {@code package-info} alone (javac names the former after its module, so reading it back as
   * a class of that package failed the compilation) and rewrites the module's classes.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aNamedModule_isCompiledAndItsClassesRewritten(boolean multiModule) throws Exception {
    Path src =
        write(
            Map.of(
                "app/module-info.java",
                "module app { requires dev.coroutine; exports app; }",
                "app/app/package-info.java",
                "@Deprecated package app;",
                "app/app/Squares.java",
                String.join(
                    "\n",
                    "package app;",
                    "import static dev.coroutine.Coroutines.*;",
                    "import dev.coroutine.*;",
                    "public class Squares {",
                    "  @Async public static Coroutine<Integer> sum(int n) {",
                    "    int total = 0;",
                    "    for (int i = 1; i <= n; i++) total += await(square(i));",
                    "    return done(total);",
                    "  }",
                    "  @Async static Coroutine<Integer> square(int x) {",
                    "    await(sleep(1));",
                    "    return done(x * x);",
                    "  }",
                    "}")));
    Path runtime =
        Path.of(Coroutines.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> options =
        new ArrayList<>(List.of("-Xplugin:Coroutine", "--module-path", runtime.toString()));
    if (multiModule) {
      options.addAll(List.of("--module-source-path", src.toString()));
    }
    Compilation c = compile(src, dir.resolve("out"), options);

    assertThat(c.errors()).isEmpty();
    assertThat(c.success()).isTrue();
    Path classes = multiModule ? c.output().resolve("app") : c.output();
    assertThat(classes.resolve("module-info.class")).exists();
    assertThat(classes.resolve("app/package-info.class")).exists();
    assertThat(
            CoroutineTransformer.isTransformed(
                Files.readAllBytes(classes.resolve("app/Squares.class"))))
        .isTrue();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      @SuppressWarnings("unchecked")
      Coroutine<Integer> sum =
          (Coroutine<Integer>)
              loader.loadClass("app.Squares").getMethod("sum", int.class).invoke(null, 4);
      assertThat(Coroutines.runWithVirtualTime(sum)).isEqualTo(30);
    }
  }

  @Test
  void withoutAnnotationProcessing_theErrorSaysWhatToChange() throws Exception {
    Compilation c =
        compile(write(SHAPES), dir.resolve("out"), List.of("-Xplugin:Coroutine", "-proc:none"));

    assertThat(c.success()).isFalse();
    assertThat(c.errors()).as("one error for the compilation, not one per class").hasSize(1);
    assertThat(c.errors().get(0).getMessage(Locale.ROOT))
        .contains("-Xplugin:Coroutine found no class output")
        .contains("-proc:none");
    // found from outside: javac had written the first class, unrewritten, before the error
    try (java.util.stream.Stream<Path> files = Files.walk(c.output())) {
      assertThat(files.filter(f -> f.toString().endsWith(".class"))).isEmpty();
    }
  }

  /** What one javac run produced. */
  record Compilation(
      boolean success, Path output, List<Diagnostic<? extends JavaFileObject>> diagnostics) {
    List<Diagnostic<? extends JavaFileObject>> errors() {
      return diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
    }
  }

  /**
   * Runs javac over every source under {@code src} into {@code out}, with this JVM's class path as
   * class path and processor path (the runtime; this module's classes and ASM for the plugin).
   */
  private static Compilation compile(Path src, Path out, List<String> extra) throws IOException {
    Files.createDirectories(out);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String classPath = System.getProperty("java.class.path");
    List<String> options = new ArrayList<>();
    options.addAll(List.of("-d", out.toString(), "--release", "17"));
    if (extra.stream().noneMatch(o -> o.startsWith("-g"))) {
      options.add("-g");
    }
    options.addAll(List.of("-classpath", classPath, "-processorpath", classPath));
    options.addAll(extra);
    try (StandardJavaFileManager files =
            javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        Stream<Path> walk = Files.walk(src)) {
      List<Path> sources = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      boolean ok =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  options,
                  null,
                  files.getJavaFileObjectsFromPaths(sources))
              .call();
      return new Compilation(ok, out, diagnostics.getDiagnostics());
    }
  }

  private Path write(Map<String, String> sources) throws IOException {
    Path src = dir.resolve("src");
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue() + "\n");
    }
    return src;
  }

  /** Every class file under {@code root}, by relative path. */
  private static Map<String, byte[]> classFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      Map<String, byte[]> out = new TreeMap<>();
      for (Path p :
          walk.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
        out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
      return out;
    }
  }

  private static ClassFileLocator folder(Path root) {
    return name -> {
      Path p = root.resolve(name + ".class");
      try {
        return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
      } catch (IOException e) {
        return null;
      }
    };
  }
}
