package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coroutine.Coroutine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Class files of Java 8 through 25: the same program compiled with {@code --release N} by javac and
 * by ECJ, rewritten, checked by {@link CheckClassAdapter} and run (on this JVM, and for 17, 21 and
 * 25 on JDK 25 in a child JVM).
 */
class ClassVersionsTest {
  static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
  static final String EXPECTED = "10i112|sw|10995116277760.5200<5> [f0, f1, f2]";

  /** Compiles with every release from 8: loops, try/catch/finally, switch, lambda, new, concat. */
  static String program(String pkg, String extraMembers, String extraCall) {
    return "package "
        + pkg
        + ";\n"
        + "import static dev.coroutine.Coroutines.*;\n"
        + "import dev.coroutine.*;\n"
        + "import java.util.*;\n"
        + "import java.util.function.*;\n"
        + "public class Prog {\n"
        + "  static class Box { final String v; Box(String v) { this.v = v; } }\n"
        + "  @Async public static Coroutine<Integer> add(int a, int b) {\n"
        + "    await(sleep(1));\n"
        + "    return done(a + b);\n"
        + "  }\n"
        + "  @Async public static Coroutine<String> program(List<String> log) {\n"
        + "    StringBuilder sb = new StringBuilder();\n"
        + "    for (int i = 0; i < 3; i++) {\n"
        + "      try {\n"
        + "        if (i == 1) throw new IllegalStateException(\"i\" + i);\n"
        + "        sb.append(await(add(i, 10)));\n"
        + "      } catch (IllegalStateException e) {\n"
        + "        sb.append(e.getMessage());\n"
        + "      } finally {\n"
        + "        log.add(\"f\" + i);\n"
        + "      }\n"
        + "    }\n"
        + "    long big = 1L << 40; double d = 0.5;\n"
        + "    switch (\"b\" + await(add(0, 0))) { case \"b0\": sb.append(\"|sw\"); break; default: sb.append(\"|no\"); }\n"
        + "    Supplier<Coroutine<Integer>> lam = () -> { int x = await(add(1, 1)); return done(x * 100); };\n"
        + "    Box box = new Box(\"<\" + await(add(2, 3)) + \">\");\n"
        + "    String s = \"|\" + big + d + await(lam.get()) + box.v;\n"
        + extraCall
        + "    return done(sb + s);\n"
        + "  }\n"
        + extraMembers
        + "  public static String runAll() {\n"
        + "    List<String> log = new ArrayList<>();\n"
        + "    String r = Coroutines.run(program(log));\n"
        + "    return r + \" \" + log;\n"
        + "  }\n"
        + "  public static void main(String[] args) { System.out.println(runAll()); }\n"
        + "}\n";
  }

  /** Java 21: pattern switch with record patterns and guards, awaiting inside the cases. */
  static final String PATTERNS_21 =
      "  sealed interface Shape permits Circle, Square {}\n"
          + "  record Circle(double r) implements Shape {}\n"
          + "  record Square(int side) implements Shape {}\n"
          + "  @Async static Coroutine<String> describe(Object o) {\n"
          + "    String r = switch (o) {\n"
          + "      case Circle(double rad) when rad > 1 -> \"big\" + await(add((int) rad, 0));\n"
          + "      case Circle c -> \"circle\";\n"
          + "      case Square(int side) -> { int a = await(add(side, side)); yield \"sq\" + a; }\n"
          + "      case String str -> str + await(add(1, 0));\n"
          + "      default -> \"other\";\n"
          + "    };\n"
          + "    return done(r);\n"
          + "  }\n";

  static final String PATTERNS_CALL =
      "    s += \"|\" + await(describe(new Circle(3))) + await(describe(new Circle(0.5)))"
          + " + await(describe(new Square(4))) + await(describe(\"s\")) + await(describe(1));\n";
  static final String PATTERNS_EXPECTED = "|big3circlesq8s1other";

  /** Java 25: unnamed variables and patterns. */
  static final String UNNAMED_25 =
      "  @Async static Coroutine<String> unnamed(Object o) {\n"
          + "    String r = switch (o) {\n"
          + "      case Square(int _) -> \"sq\" + await(add(1, 1));\n"
          + "      default -> \"x\";\n"
          + "    };\n"
          + "    try { await(failing()); } catch (IllegalStateException _) { r += \"!\"; }\n"
          + "    return done(r);\n"
          + "  }\n"
          + "  @Async static Coroutine<Integer> failing() {\n"
          + "    await(sleep(1));\n"
          + "    throw new IllegalStateException();\n"
          + "  }\n";

  static final String UNNAMED_CALL = "    s += \"|\" + await(unnamed(new Square(9)));\n";

  // ---- compiling, rewriting, loading -----------------------------------------------------

  static Path runtimeClasses() {
    try {
      return Path.of(Coroutine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path writeSource(Path dir, String pkg, String source) throws IOException {
    Path src = dir.resolve("src").resolve(pkg).resolve("Prog.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source);
    return src;
  }

  static Path compileInProcess(Path dir, String release, Path src) {
    return compileInProcess(dir, release, "-g", src);
  }

  static Path compileInProcess(Path dir, String release, String debug, Path src) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path out = dir.resolve("classes");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            err,
            err,
            "--release",
            release,
            debug,
            "-nowarn",
            "-Xlint:-options",
            "-cp",
            runtimeClasses().toString(),
            "-d",
            out.toString(),
            src.toString());
    assertThat(rc).as("javac --release " + release + ": " + err).isZero();
    return out;
  }

  static String exec(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(command + " said:\n" + output).isZero();
    return output;
  }

  static Path compileWithJdk25(Path dir, String release, Path src) throws Exception {
    Path out = dir.resolve("classes");
    exec(
        List.of(
            JDK25.resolve("bin/javac").toString(),
            "--release",
            release,
            "-g",
            "-cp",
            runtimeClasses().toString(),
            "-d",
            out.toString(),
            src.toString()));
    return out;
  }

  /** Rewrites every class file under {@code classes} in place; returns name to bytes. */
  static Map<String, byte[]> rewriteAll(Path classes, int expectedMajor) throws IOException {
    Map<String, byte[]> original = new HashMap<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f :
          files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
        String internal = classes.relativize(f).toString().replace('\\', '/');
        internal = internal.substring(0, internal.length() - ".class".length());
        original.put(internal, Files.readAllBytes(f));
      }
    }
    ClassFileLocator locator =
        ((ClassFileLocator) original::get)
            .orElse(ClassFileLocator.of(ClassVersionsTest.class.getClassLoader()));
    CoroutineTransformer transformer = new CoroutineTransformer(locator);
    Map<String, byte[]> out = new HashMap<>();
    int rewritten = 0;
    for (Map.Entry<String, byte[]> e : original.entrySet()) {
      assertThat(new ClassReader(e.getValue()).readUnsignedShort(6))
          .as("major version of " + e.getKey())
          .isEqualTo(expectedMajor);
      TransformResult r = transformer.transform(e.getValue());
      assertThat(r.diagnostics()).as(e.getKey()).isEmpty();
      byte[] bytes = r.changed() ? r.bytes() : e.getValue();
      if (r.changed()) {
        rewritten++;
        assertThat(transformer.transform(r.bytes()).bytes()).as("idempotent").isNull();
      }
      out.put(e.getKey(), bytes);
      Files.write(classes.resolve(e.getKey() + ".class"), bytes);
    }
    assertThat(rewritten).as("classes rewritten").isPositive();
    return out;
  }

  /** Loads the given classes child-first; everything else from the test's loader. */
  static final class BytesLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    BytesLoader(Map<String, byte[]> classes) {
      super(ClassVersionsTest.class.getClassLoader());
      this.classes = classes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      byte[] b = classes.get(name.replace('.', '/'));
      if (b == null) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        return c != null ? c : defineClass(name, b, 0, b.length);
      }
    }
  }

  static void verifyInProcess(Map<String, byte[]> classes, ClassLoader loader) {
    for (Map.Entry<String, byte[]> e : classes.entrySet()) {
      StringWriter sw = new StringWriter();
      CheckClassAdapter.verify(new ClassReader(e.getValue()), loader, false, new PrintWriter(sw));
      assertThat(sw.toString()).as("CheckClassAdapter on " + e.getKey()).isEmpty();
    }
  }

  /** Verifies the class files named on the command line; run on JDK 25, which knows its classes. */
  public static final class Jdk25Verifier {
    public static void main(String[] files) throws IOException {
      StringWriter sw = new StringWriter();
      for (String f : files) {
        CheckClassAdapter.verify(
            new ClassReader(Files.readAllBytes(Path.of(f))), false, new PrintWriter(sw));
      }
      System.out.print(sw);
    }
  }

  static void verifyOnJdk25(Path classes, Map<String, byte[]> rewritten) throws Exception {
    String cp =
        String.join(
            java.io.File.pathSeparator,
            codeSource(ClassVersionsTest.class).toString(),
            codeSource(CheckClassAdapter.class).toString(),
            codeSource(ClassReader.class).toString(),
            codeSource(ClassNode.class).toString(),
            codeSource(Analyzer.class).toString(),
            runtimeClasses().toString(),
            classes.toString());
    List<String> command =
        new ArrayList<>(
            List.of(
                JDK25.resolve("bin/java").toString(), "-cp", cp, Jdk25Verifier.class.getName()));
    for (String name : rewritten.keySet()) {
      command.add(classes.resolve(name + ".class").toString());
    }
    assertThat(exec(command)).as("CheckClassAdapter on JDK 25").isBlank();
  }

  static String runOnJdk25(Path classes, String pkg) throws Exception {
    String cp = runtimeClasses() + java.io.File.pathSeparator + classes;
    return exec(List.of(JDK25.resolve("bin/java").toString(), "-cp", cp, pkg + ".Prog")).trim();
  }

  // ---- the tests -------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"8", "11", "17"})
  void classFilesOfJava8To17_compiledInTest_rewrittenVerifiedAndRun(
      String release, @TempDir Path dir) throws Throwable {
    String pkg = "v" + release;
    Path classes = compileInProcess(dir, release, writeSource(dir, pkg, program(pkg, "", "")));
    Map<String, byte[]> rewritten = rewriteAll(classes, 44 + Integer.parseInt(release));
    BytesLoader loader = new BytesLoader(rewritten);
    verifyInProcess(rewritten, loader);
    Method runAll = loader.loadClass(pkg + ".Prog").getMethod("runAll");
    assertThat(runAll.invoke(null)).isEqualTo(EXPECTED);
  }

  /** Compiles with ECJ in-process and writes the class files under {@code dir/classes}. */
  static Path compileWithEcj(Path dir, int release, String pkg, String source) throws IOException {
    Path out = dir.resolve("classes");
    for (Map.Entry<String, byte[]> e :
        InMemoryCompiler.ecj(release).compile(Map.of(pkg + ".Prog", source)).entrySet()) {
      Path file = out.resolve(e.getKey().replace('.', '/') + ".class");
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 11, 17})
  void classFilesOfEcj_rewrittenVerifiedAndRun(int release, @TempDir Path dir) throws Throwable {
    String pkg = "ecj" + release;
    Path classes = compileWithEcj(dir, release, pkg, program(pkg, "", ""));
    Map<String, byte[]> rewritten = rewriteAll(classes, 44 + release);
    BytesLoader loader = new BytesLoader(rewritten);
    verifyInProcess(rewritten, loader);
    assertThat(loader.loadClass(pkg + ".Prog").getMethod("runAll").invoke(null))
        .isEqualTo(EXPECTED);
  }

  @Test
  void classFilesOfEcj21_patternSwitchWithAwaits_rewrittenVerifiedAndRun(@TempDir Path dir)
      throws Throwable {
    int release = InMemoryCompiler.ECJ_NEWEST_RELEASE;
    assumeTrue(InMemoryCompiler.runningRelease() >= release, "runs in the JDK 25 pass");
    String pkg = "ecj" + release;
    Path classes = compileWithEcj(dir, release, pkg, program(pkg, PATTERNS_21, PATTERNS_CALL));
    Map<String, byte[]> rewritten = rewriteAll(classes, 44 + release);
    BytesLoader loader = new BytesLoader(rewritten);
    verifyInProcess(rewritten, loader);
    assertThat(loader.loadClass(pkg + ".Prog").getMethod("runAll").invoke(null))
        .isEqualTo(EXPECTED.replace("<5>", "<5>" + PATTERNS_EXPECTED));
  }

  @Test
  void classFileWithoutDebugInfo_rewrittenVerifiedAndRun(@TempDir Path dir) throws Throwable {
    Path classes =
        compileInProcess(
            dir, "17", "-g:none", writeSource(dir, "nodebug", program("nodebug", "", "")));
    Map<String, byte[]> rewritten = rewriteAll(classes, 61);
    BytesLoader loader = new BytesLoader(rewritten);
    verifyInProcess(rewritten, loader);
    assertThat(loader.loadClass("nodebug.Prog").getMethod("runAll").invoke(null))
        .isEqualTo(EXPECTED);
  }

  @Test
  void classFileOfJava17_rewritten_runsOnJdk25(@TempDir Path dir) throws Throwable {
    assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "no JDK 25 at " + JDK25);
    Path classes = compileInProcess(dir, "17", writeSource(dir, "v17", program("v17", "", "")));
    rewriteAll(classes, 61);
    assertThat(runOnJdk25(classes, "v17")).isEqualTo(EXPECTED);
  }

  @Test
  void classFilesOfJava21_patternSwitchWithAwaits_rewrittenVerifiedAndRunOnJdk25(@TempDir Path dir)
      throws Throwable {
    assumeTrue(Files.isExecutable(JDK25.resolve("bin/javac")), "no JDK 25 at " + JDK25);
    Path src = writeSource(dir, "v21", program("v21", PATTERNS_21, PATTERNS_CALL));
    Path classes = compileWithJdk25(dir, "21", src);
    Map<String, byte[]> rewritten = rewriteAll(classes, 65);
    verifyOnJdk25(classes, rewritten);
    assertThat(runOnJdk25(classes, "v21"))
        .isEqualTo(EXPECTED.replace("<5>", "<5>" + PATTERNS_EXPECTED));
  }

  @Test
  void classFilesOfJava25_unnamedVariablesAndPatterns_rewrittenVerifiedAndRunOnJdk25(
      @TempDir Path dir) throws Throwable {
    assumeTrue(Files.isExecutable(JDK25.resolve("bin/javac")), "no JDK 25 at " + JDK25);
    Path src =
        writeSource(
            dir, "v25", program("v25", PATTERNS_21 + UNNAMED_25, PATTERNS_CALL + UNNAMED_CALL));
    Path classes = compileWithJdk25(dir, "25", src);
    Map<String, byte[]> rewritten = rewriteAll(classes, 69);
    verifyOnJdk25(classes, rewritten);
    assertThat(runOnJdk25(classes, "v25"))
        .isEqualTo(EXPECTED.replace("<5>", "<5>" + PATTERNS_EXPECTED + "|sq2!"));
  }
}
