package dev.coroutine.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.maven.ClassPathLocator.View;
import dev.coroutine.transform.ClassFileLocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class path as each release sees it. Class files are stood in for by one byte naming the
 * release they belong to (8 for the base), so every answer says which version was found.
 */
class ClassPathLocatorTest {
  @TempDir Path dir;

  /** The view of a base class compiled for Java 17. */
  private static final View BASE_17 = new View(View.BASE, 17);

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

    try (ClassPathLocator classPath =
        new ClassPathLocator(List.of(folder, jar, dir.resolve("missing.jar")))) {
      ClassFileLocator locator = classPath.view(BASE_17);
      assertThat(locator.find("com/example/A")).containsExactly(1);
      assertThat(locator.find("com/example/B")).containsExactly(3);
      assertThat(locator.find("com/example/C")).isNull();
      byte[] object = locator.find("java/lang/Object");
      assertThat(object).isNotNull();
      assertThat(object[0] & 0xFF).isEqualTo(0xCA);
      assertThat(locator.find("java/util/concurrent/CompletableFuture")).isNotNull();
    }
  }

  /**
   * target/classes of a multi-release project: Shapes$A extends Base1 in the base and Base2 in
   * versions/21 (javac's multiReleaseOutput); Base2 exists in versions/21 only; versions/11 has an
   * older A. Each release sees its highest version at or below it, else the base.
   */
  @Test
  void folder_answersEachRelease_withItsHighestVersionAtOrBelow_elseTheBase() throws Exception {
    Path classes = dir.resolve("classes");
    put(classes, "p/Shapes$A.class", 8);
    put(classes, "p/Shapes$Base1.class", 8);
    put(classes, "META-INF/versions/11/p/Shapes$A.class", 11);
    put(classes, "META-INF/versions/21/p/Shapes$A.class", 21);
    put(classes, "META-INF/versions/21/p/Shapes$Base2.class", 21);
    Files.createDirectories(classes.resolve("META-INF/versions/notes")); // not a release: ignored

    try (ClassPathLocator classPath = new ClassPathLocator(List.of(classes))) {
      ClassFileLocator base = classPath.view(BASE_17);
      ClassFileLocator v17 = classPath.view(new View(17, 17));
      ClassFileLocator v21 = classPath.view(new View(21, 21));
      ClassFileLocator v25 = classPath.view(new View(25, 25));

      assertThat(base.find("p/Shapes$A")).as("a base class sees the base").containsExactly(8);
      assertThat(base.find("p/Shapes$Base2")).isNull();
      assertThat(v17.find("p/Shapes$A")).containsExactly(11);
      assertThat(v17.find("p/Shapes$Base2")).isNull();
      assertThat(v21.find("p/Shapes$A")).containsExactly(21);
      assertThat(v21.find("p/Shapes$Base2")).containsExactly(21);
      assertThat(v21.find("p/Shapes$Base1")).as("not versioned: the base").containsExactly(8);
      assertThat(v25.find("p/Shapes$A")).containsExactly(21);
    }
  }

  /**
   * A multi-release dependency is read as JarFile opens it for the view's release of jars: a base
   * class compiled for 17 sees versions/11, as javac compiling for 17 and JDK 17 running it do; a
   * jar without Multi-Release in its manifest is its base for every release.
   */
  @Test
  void multiReleaseJar_isReadForTheViewsRelease_andAPlainJarIsItsBase() throws Exception {
    Path multi = jar("multi.jar", true);
    Path plain = jar("plain.jar", false);

    try (ClassPathLocator classPath = new ClassPathLocator(List.of(multi))) {
      assertThat(classPath.view(new View(View.BASE, View.BASE)).find("q/A")).containsExactly(8);
      assertThat(classPath.view(BASE_17).find("q/A")).containsExactly(11);
      assertThat(classPath.view(new View(21, 21)).find("q/A")).containsExactly(21);
      assertThat(classPath.view(new View(21, 21)).find("q/B")).containsExactly(8);
    }
    try (ClassPathLocator classPath = new ClassPathLocator(List.of(plain))) {
      assertThat(classPath.view(new View(21, 21)).find("q/A")).containsExactly(8);
      assertThat(classPath.view(BASE_17).find("q/A")).containsExactly(8);
    }
  }

  @Test
  void viewOf_versionedClass_isItsRelease_everywhere() {
    assertThat(View.of("META-INF/versions/21/p/Shapes.class", classFile(61)))
        .isEqualTo(new View(21, 21));
    assertThat(View.of("META-INF/versions/9/module-info.class", classFile(53)))
        .isEqualTo(new View(9, 9));
  }

  @Test
  void viewOf_baseClass_isTheFoldersBase_andTheJarsAtItsClassFileRelease() {
    assertThat(View.of("p/Shapes.class", classFile(61))).isEqualTo(new View(View.BASE, 17));
    assertThat(View.of("p/Shapes.class", classFile(52))).isEqualTo(new View(View.BASE, 8));
    assertThat(View.of("p/Shapes.class", classFile(50))).isEqualTo(new View(View.BASE, 8));
    assertThat(View.of("META-INF/versions/x/p/A.class", classFile(61)))
        .as("not a release folder: a base class")
        .isEqualTo(new View(View.BASE, 17));
    assertThat(View.of("META-INF/versions/8/p/A.class", classFile(52)))
        .as("no JDK reads versions below 9")
        .isEqualTo(new View(View.BASE, 8));
    assertThat(View.of("p/Junk.class", new byte[] {1, 2, 3}))
        .isEqualTo(new View(View.BASE, View.BASE));
  }

  @Test
  void afterClose_jarsAreNotReopened() throws Exception {
    Path jar = dir.resolve("lib.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("x/Y.class"));
      out.write(1);
    }
    ClassPathLocator locator = new ClassPathLocator(List.of(jar));
    assertThat(locator.view(BASE_17).find("x/Y")).containsExactly(1);

    locator.close();

    assertThatThrownBy(() -> locator.view(BASE_17).find("x/Z"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> locator.view(new View(21, 21)).find("x/Y"))
        .isInstanceOf(IllegalStateException.class);
  }

  private static void put(Path root, String path, int release) throws Exception {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[] {(byte) release});
  }

  /** A jar with q/A in the base, versions/11 and versions/21, and q/B in the base only. */
  private Path jar(String name, boolean multiRelease) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (multiRelease) {
      manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
    }
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      for (String entry :
          List.of(
              "q/A.class:8",
              "q/B.class:8",
              "META-INF/versions/11/q/A.class:11",
              "META-INF/versions/21/q/A.class:21")) {
        String[] parts = entry.split(":");
        out.putNextEntry(new JarEntry(parts[0]));
        out.write(Integer.parseInt(parts[1]));
      }
    }
    return jar;
  }

  /** The first eight bytes of a class file of {@code major} version. */
  private static byte[] classFile(int major) {
    return new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, (byte) major};
  }
}
