package dev.coroutine.transform;

/**
 * A problem found in user code: what is wrong and where.
 *
 * @param className the class, dotted ({@code com.example.Foo})
 * @param methodName the method, or null for a class-level problem
 * @param sourceFile the source file name ({@code Foo.java}), or null if the class has none
 * @param line the source line, or -1 if unknown
 * @param message what is wrong and what to do instead
 */
public record Diagnostic(
    String className, String methodName, String sourceFile, int line, String message) {

  /**
   * Formats the problem the way IDEs and CI logs turn into a link to the source line.
   *
   * @return {@code Foo.java:12: message (in com.example.Foo.bar)}
   */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(sourceFile != null ? sourceFile : className.replace('.', '/') + ".class");
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ").append(message).append(" (in ").append(className);
    if (methodName != null) {
      sb.append('.').append(methodName);
    }
    return sb.append(')').toString();
  }

  @Override
  public String toString() {
    return format();
  }
}
