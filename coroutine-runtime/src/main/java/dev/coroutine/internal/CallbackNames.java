package dev.coroutine.internal;

/**
 * A callback as a report names it: its own text, except for a lambda or method reference, whose JDK
 * text ({@code Main$$Lambda$58/0x0000...@3a93b025}) changes from run to run and says nothing more
 * than the class that wrote it ({@code lambda in Main}). Wrappers that show their callback's text
 * (a context-bound callback) are shortened the same way.
 */
public final class CallbackNames {
  private CallbackNames() {}

  /**
   * The name of {@code callback} in a report.
   *
   * @param callback a callback, maybe wrapped
   * @return its text, a lambda's shortened to the class that wrote it
   */
  public static String describe(Object callback) {
    String text = String.valueOf(callback);
    return text.contains("$$Lambda") ? LAMBDA.matcher(text).replaceAll("lambda in $1") : text;
  }

  /** A lambda's JDK text, anywhere in a callback's (a wrapper's text shows its callback's). */
  private static final java.util.regex.Pattern LAMBDA =
      java.util.regex.Pattern.compile("([\\w.$]+?)\\$\\$Lambda[^@\\s]*@[0-9a-f]+");
}
