package dev.coroutine.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Chooses class files by Ant-style patterns on their paths relative to the classes folder, with
 * {@code /} as separator: {@code *} matches within one folder name, {@code ?} one character, and
 * {@code **} any number of folders ({@code com/example/**}, {@code **}{@code /*Test.class}). A
 * pattern ending in {@code /} means everything below that folder. A file is chosen if it matches an
 * include and no exclude; no includes means {@code **}{@code /*.class}.
 */
final class ClassFileFilter {
  /** The default include: every class file. */
  static final String ALL_CLASSES = "**/*.class";

  /** Compiled includes. */
  private final List<Pattern> includes;

  /** Compiled excludes. */
  private final List<Pattern> excludes;

  ClassFileFilter(List<String> includes, List<String> excludes) {
    this.includes =
        compileAll(includes == null || includes.isEmpty() ? List.of(ALL_CLASSES) : includes);
    this.excludes = compileAll(excludes == null ? List.of() : excludes);
  }

  /** True if {@code relativePath} ({@code com/example/Foo.class}) is chosen. */
  boolean matches(String relativePath) {
    return includes.stream().anyMatch(p -> p.matcher(relativePath).matches())
        && excludes.stream().noneMatch(p -> p.matcher(relativePath).matches());
  }

  private static List<Pattern> compileAll(List<String> patterns) {
    List<Pattern> out = new ArrayList<>();
    for (String p : patterns) {
      if (p != null && !p.isBlank()) {
        out.add(compile(p.strip()));
      }
    }
    return out;
  }

  /** Translates one Ant-style pattern into a regular expression. */
  static Pattern compile(String ant) {
    String p = ant.replace('\\', '/');
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    if (p.endsWith("/")) {
      p += "**";
    }
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (p.startsWith("**/", i)) {
        re.append("(?:[^/]*/)*");
        i += 3;
      } else if (p.startsWith("**", i)) {
        re.append(".*");
        i += 2;
      } else if (c == '*') {
        re.append("[^/]*");
        i++;
      } else if (c == '?') {
        re.append("[^/]");
        i++;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    return Pattern.compile(re.toString());
  }
}
