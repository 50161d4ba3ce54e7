package dev.coroutine.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-release output folder whose versions/21 classes have another hierarchy than the base
 * ones, compiled by javac here as maven-compiler-plugin's multiReleaseOutput lays them out, and
 * rewritten by the real transformer: each class gets frames from the hierarchy its release sees, so
 * both versions load (the verifier checks those frames) and run.
 */
class InstrumenterMultiReleaseTest {
  /** The base: A and B extend Base1; a local holding either is a Base1 across the await. */
  private static final String BASE =
      """
      package p;

      import static dev.coroutine.Coroutines.*;
      import dev.coroutine.*;

      public final class Shapes {
        abstract static class Base1 { abstract String n(); }
        static final class A extends Base1 { String n() { return "A1"; } }
        static final class B extends Base1 { String n() { return "B1"; } }

        @Async
        public static Coroutine<String> pick(int c) {
          Base1 x;
          if (c > 0) x = new A(); else x = new B();
          await(sleep(1));
          return done("base:" + x.n());
        }
      }
      """;

  /** versions/21: A and B extend Base2, which the base does not have. */
  private static final String V21 =
      """
      package p;

      import static dev.coroutine.Coroutines.*;
      import dev.coroutine.*;

      public final class Shapes {
        abstract static class Base1 { abstract String n(); }
        abstract static class Base2 { abstract String n2(); }
        static final class A extends Base2 { String n2() { return "A2"; } }
        static final class B extends Base2 { String n2() { return "B2"; } }

        @Async
        public static Coroutine<String> pick(int c) {
          Base2 x;
          if (c > 0) x = new A(); else x = new B();
          await(sleep(1));
          return done("v21:" + x.n2());
        }
      }
      """;

  @TempDir Path dir;

  /** The output folder: the base classes, and the versioned ones under META-INF/versions/21. */
  private Path classes;

  @BeforeEach
  void compile() throws Exception {
    classes = dir.resolve("classes");
    Path versioned = classes.resolve("META-INF/versions/21");
    String runtime =
        Path.of(Coroutine.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    javac(BASE, classes, runtime);
    // the versioned sources over the base classes, as maven-compiler-plugin compiles them; for
    // release 17 (the JDK that runs the tests), which the versions/21 folder does not check
    javac(V21, versioned, runtime + File.pathSeparator + classes);
  }

  @Test
  void locator_answersTheVersionedClass_forTheVersionedShapes_andTheBase_forTheBase()
      throws Exception {
    byte[] v21Shapes = Files.readAllBytes(classes.resolve("META-INF/versions/21/p/Shapes.class"));
    byte[] baseShapes = Files.readAllBytes(classes.resolve("p/Shapes.class"));
    try (ClassPathLocator locator = new ClassPathLocator(List.of(classes))) {
      assertThat(
              locator
                  .view(ClassPathLocator.View.of("META-INF/versions/21/p/Shapes.class", v21Shapes))
                  .find("p/Shapes$A"))
          .isEqualTo(Files.readAllBytes(classes.resolve("META-INF/versions/21/p/Shapes$A.class")));
      assertThat(
              locator
                  .view(ClassPathLocator.View.of("p/Shapes.class", baseShapes))
                  .find("p/Shapes$A"))
          .isEqualTo(Files.readAllBytes(classes.resolve("p/Shapes$A.class")));
    }
  }

  @Test
  void versionedAndBaseClasses_areEachRewrittenAgainstTheirOwnHierarchy_andLoadAndRun()
      throws Exception {
    try (ClassPathLocator locator = new ClassPathLocator(List.of(classes))) {
      Instrumenter.Plan plan =
          new Instrumenter(Instrumenter.Rewriter.transformer(locator), s -> {})
              .plan(classes, new ClassFileFilter(null, null), BuildState.empty());
      plan.commit(dir.resolve("instrument.state"), "test");

      assertThat(plan.diagnostics()).isEmpty();
      assertThat(plan.rewritten()).isEqualTo(2);
    }

    // as JDK 21 loads the packaged jar: versions/21 first, then the base
    assertThat(run(classes.resolve("META-INF/versions/21"), classes)).isEqualTo("v21:A2");
    assertThat(run(classes)).isEqualTo("base:A1");
  }

  /** Loads p.Shapes from {@code folders} in a fresh loader (verifying it) and runs pick(1). */
  private static String run(Path... folders) throws Exception {
    URL[] urls = new URL[folders.length];
    for (int i = 0; i < folders.length; i++) {
      urls[i] = folders[i].toUri().toURL();
    }
    try (URLClassLoader loader =
        new URLClassLoader(urls, InstrumenterMultiReleaseTest.class.getClassLoader())) {
      Class<?> shapes = Class.forName("p.Shapes", true, loader);
      @SuppressWarnings("unchecked")
      Coroutine<String> pick =
          (Coroutine<String>) shapes.getMethod("pick", int.class).invoke(null, 1);
      return Coroutines.run(pick);
    }
  }

  private void javac(String source, Path out, String classPath) throws Exception {
    Path file = dir.resolve("src-" + out.getFileName()).resolve("p/Shapes.java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int status =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                log,
                log,
                "-g",
                "--release",
                "17",
                "-proc:none",
                "-cp",
                classPath,
                "-d",
                out.toString(),
                file.toString());
    assertThat(status).as(log.toString()).isZero();
  }
}
