package dev.coroutine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.AsyncFrame;
import dev.coroutine.Task;
import dev.coroutine.io.StreamReader;
import dev.coroutine.sync.Queue;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RuntimeCodeTest {

  @Test
  void packages_areExactlyThePackagesTheRuntimeHolds() throws Exception {
    // where the runtime was loaded from: target/classes in the build, the jar when packaged
    Path source =
        Path.of(RuntimeCode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> present = new TreeSet<>();
    if (Files.isDirectory(source)) {
      collectPackages(source, present);
    } else {
      try (FileSystem jar =
          FileSystems.newFileSystem(URI.create("jar:" + source.toUri()), Map.of())) {
        collectPackages(jar.getPath("/"), present);
      }
    }

    assertThat(present).as("packages of " + source).containsExactlyElementsOf(RuntimeCode.PACKAGES);
  }

  private static void collectPackages(Path root, Set<String> out) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(f -> f.toString().endsWith(".class"))
          .map(f -> root.relativize(f.getParent()).toString().replace('/', '.'))
          .filter(p -> !p.isEmpty() && !p.startsWith("META-INF")) // module-info sits at the root
          .forEach(out::add);
    }
  }

  @Test
  void runtimeClasses_ofEveryPackage_areRuntimeCode() {
    for (Class<?> c :
        new Class<?>[] {
          Task.class, AsyncFrame.class, Queue.class, StreamReader.class, RuntimeCode.class
        }) {
      assertThat(RuntimeCode.isRuntimeClass(c)).as(c.getName()).isTrue();
      assertThat(RuntimeCode.isRuntimeClassName(c.getName())).as(c.getName()).isTrue();
    }
  }

  @Test
  void aTestInARuntimePackage_isNotRuntimeCode() {
    // same package name, loaded from target/test-classes: user code for debug mode's reports
    assertThat(RuntimeCode.isRuntimeClassName(RuntimeCodeTest.class.getName())).isTrue();
    assertThat(RuntimeCode.isRuntimeClass(RuntimeCodeTest.class)).isFalse();
  }

  @Test
  void packagesBelowTheRuntimes_andOthers_areNotRuntimeCode() {
    assertThat(RuntimeCode.isRuntimeClassName("dev.coroutine.examples.Hello")).isFalse();
    assertThat(RuntimeCode.isRuntimeClassName("dev.coroutine.sync.user.Thing")).isFalse();
    assertThat(RuntimeCode.isRuntimeClassName("com.example.Task")).isFalse();
    assertThat(RuntimeCode.isRuntimeClassName("Task")).isFalse();
    assertThat(RuntimeCode.isRuntimeClass(String.class)).isFalse();
  }
}
