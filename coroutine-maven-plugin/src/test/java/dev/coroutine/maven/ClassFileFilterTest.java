package dev.coroutine.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassFileFilterTest {
  @Test
  void noIncludes_meansEveryClassFile() {
    ClassFileFilter f = new ClassFileFilter(null, null);

    assertThat(f.matches("Foo.class")).isTrue();
    assertThat(f.matches("com/example/Foo.class")).isTrue();
    assertThat(f.matches("com/example/Foo$1.class")).isTrue();
    assertThat(f.matches("META-INF/services/x")).isFalse();
  }

  @Test
  void starStaysInOneFolder_doubleStarCrossesFolders() {
    ClassFileFilter f = new ClassFileFilter(List.of("com/*/Foo.class", "org/**/Bar?.class"), null);

    assertThat(f.matches("com/example/Foo.class")).isTrue();
    assertThat(f.matches("com/a/b/Foo.class")).isFalse();
    assertThat(f.matches("org/Bar1.class")).isTrue();
    assertThat(f.matches("org/a/b/Bar2.class")).isTrue();
    assertThat(f.matches("org/a/b/Bar.class")).isFalse();
  }

  @Test
  void trailingSlash_meansEverythingBelow_andExcludesWin() {
    ClassFileFilter f =
        new ClassFileFilter(List.of("com/example/"), List.of("**/generated/**", "**/*Test.class"));

    assertThat(f.matches("com/example/Foo.class")).isTrue();
    assertThat(f.matches("com/example/deep/Foo.class")).isTrue();
    assertThat(f.matches("com/example/generated/Foo.class")).isFalse();
    assertThat(f.matches("com/example/FooTest.class")).isFalse();
    assertThat(f.matches("com/other/Foo.class")).isFalse();
  }

  @Test
  void regexCharactersAreLiteral_andBackslashesAreSeparators() {
    ClassFileFilter f = new ClassFileFilter(List.of("com\\example\\Foo$1.class"), List.of());

    assertThat(f.matches("com/example/Foo$1.class")).isTrue();
    assertThat(f.matches("com/example/FooX1.class")).isFalse();
  }
}
