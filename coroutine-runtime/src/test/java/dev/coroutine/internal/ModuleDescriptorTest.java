package dev.coroutine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The runtime's module-info: what it exports, and that the runtime runs from the module path. */
class ModuleDescriptorTest {

  private static Path runtime() throws Exception {
    return Path.of(RuntimeCode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static ModuleDescriptor descriptor() throws Exception {
    return ModuleFinder.of(runtime()).find("dev.coroutine").orElseThrow().descriptor();
  }

  @Test
  void exports_thePublicPackages_notInternal() throws Exception {
    ModuleDescriptor d = descriptor();

    Map<String, Set<String>> exports =
        d.exports().stream()
            .collect(
                Collectors.toMap(
                    ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
    assertThat(exports)
        .containsEntry("dev.coroutine", Set.of())
        .containsEntry("dev.coroutine.sync", Set.of())
        .containsEntry("dev.coroutine.io", Set.of())
        .containsEntry("dev.coroutine.internal", Set.of("java.management")); // the MXBean only
    assertThat(new TreeSet<>(d.packages())).containsExactlyElementsOf(RuntimeCode.PACKAGES);
  }

  @Test
  void requires_nothingButJavaBase_andOptionalJfrAndJmx() throws Exception {
    List<String> requires = new ArrayList<>();
    for (ModuleDescriptor.Requires r : descriptor().requires()) {
      requires.add(
          r.name()
              + (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)
                  ? " static"
                  : ""));
    }

    // jdk.unsupported (sun.misc.Signal, reached by reflection) is required, not static: else an
    // application run as a module (-m app/...) does not resolve it and loses signal handlers
    assertThat(requires)
        .containsExactlyInAnyOrder(
            "java.base", "jdk.unsupported", "jdk.jfr static", "java.management static");
  }

  /**
   * An application that is itself a module ({@code -m app/app.Main}) resolves only what its modules
   * require: the runtime did not require {@code jdk.unsupported}, so on the module path signal
   * handlers were refused and Ctrl-C skipped the coroutines' finally blocks, on a JDK that has the
   * module (found from outside).
   */
  @Test
  void asAModulesDependency_signalHandlersWork(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path src = dir.resolve("src");
    java.nio.file.Files.createDirectories(src.resolve("app"));
    java.nio.file.Files.writeString(
        src.resolve("module-info.java"), "module app { requires dev.coroutine; }\n");
    java.nio.file.Files.writeString(
        src.resolve("app/Main.java"),
        "package app;\n"
            + "public class Main {\n"
            + "  public static void main(String[] a) {\n"
            + "    dev.coroutine.EventLoop loop = new dev.coroutine.EventLoop();\n"
            + "    try {\n"
            + "      loop.addSignalHandler(\"USR1\", () -> {});\n"
            + "      System.out.println(\"handler: added\");\n"
            + "    } catch (UnsupportedOperationException e) {\n"
            + "      System.out.println(\"handler: \" + e.getMessage());\n"
            + "    }\n"
            + "    loop.close();\n"
            + "  }\n"
            + "}\n");
    Path classes = dir.resolve("app");
    Path bin = Path.of(System.getProperty("java.home"), "bin");
    Process javac =
        new ProcessBuilder(
                bin.resolve("javac").toString(),
                "--module-path",
                runtime().toString(),
                "-d",
                classes.toString(),
                src.resolve("module-info.java").toString(),
                src.resolve("app/Main.java").toString())
            .inheritIO()
            .start();
    assertThat(javac.waitFor()).as("javac's exit status").isZero();
    Process p =
        new ProcessBuilder(
                bin.resolve("java").toString(),
                "--module-path",
                runtime() + java.io.File.pathSeparator + classes,
                "-m",
                "app/app.Main")
            .redirectErrorStream(true)
            .start();
    String out;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      out = r.lines().collect(Collectors.joining("\n"));
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
    assertThat(out).isEqualTo("handler: added");
  }

  @Test
  void runsFromTheModulePath_andKeepsInternalClosed() throws Exception {
    // a class-path program (modcheck.ModulePathMain) using the runtime resolved as a named module
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path testClasses =
        Path.of(
            modcheck.ModulePathMain.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    Process p =
        new ProcessBuilder(
                java,
                "-Dcoroutine.jmx=true",
                "--module-path",
                runtime().toString(),
                "--add-modules",
                "dev.coroutine",
                "-cp",
                testClasses.toString(),
                "modcheck.ModulePathMain")
            .redirectErrorStream(true)
            .start();
    String out;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      out = r.lines().collect(Collectors.joining("\n"));
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();

    assertThat(out)
        .contains("module dev.coroutine")
        .contains("run: 42")
        .contains("internal: IllegalAccessException")
        .contains("jmx: closed=false pending=0 attributes=2")
        .contains("jmx dump: Tasks of event loop");
    assertThat(p.exitValue()).as(out).isZero();
  }
}
