package dev.coroutine.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPathLocatorTest {
  @TempDir Path dir;

  @Test
  void findsClassesInFoldersJarsAndTheJdk_inClassPathOrder() throws Exception {
    Path folder =
        Files.createDirectories(dir.resolve("classes/com/example")).getParent().getParent();
    Files.write(folder.resolve("com/example/A.class"), new byte[] {1});
    Path jar = dir.resolve("lib.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("com/example/A.class"));
      out.write(2);
      out.putNextEntry(new JarEntry("com/example/B.class"));
      out.write(3);
    }

    try (ClassPathLocator locator =
        new ClassPathLocator(List.of(folder, jar, dir.resolve("missing.jar")))) {
      assertThat(locator.find("com/example/A")).containsExactly(1);
      assertThat(locator.find("com/example/B")).containsExactly(3);
      assertThat(locator.find("com/example/C")).isNull();
      byte[] object = locator.find("java/lang/Object");
      assertThat(object).isNotNull();
      assertThat(object[0] & 0xFF).isEqualTo(0xCA);
      assertThat(locator.find("java/util/concurrent/CompletableFuture")).isNotNull();
    }
  }

  @Test
  void afterClose_jarsAreNotReopened() throws Exception {
    Path jar = dir.resolve("lib.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("x/Y.class"));
      out.write(1);
    }
    ClassPathLocator locator = new ClassPathLocator(List.of(jar));
    assertThat(locator.find("x/Y")).containsExactly(1);

    locator.close();

    assertThatThrownBy(() -> locator.find("x/Z")).isInstanceOf(IllegalStateException.class);
  }
}
