package dev.coroutine.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an example printed when its {@code main} ran in this JVM, and how long it took. The examples
 * print from the loop thread and from others (the debug log handler, worker threads), so {@link
 * System#out} and {@link System#err} themselves are swapped while one runs; tests therefore run one
 * example at a time. Nothing is echoed: the build log shows test results, not demos, and the
 * assertions quote what they check.
 *
 * @param out everything printed to standard output
 * @param err everything printed to standard error
 * @param seconds wall time of {@code main}
 */
record Captured(String out, String err, double seconds) {

  /** An example's entry point. */
  @FunctionalInterface
  interface Main {
    void main(String[] args) throws Exception;
  }

  /** Runs {@code main} with standard output and standard error captured. */
  static Captured run(Main main, String... args) throws Exception {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    try (PrintStream outCapture = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errCapture = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(outCapture);
      System.setErr(errCapture);
      main.main(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new Captured(
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        (System.nanoTime() - start) / 1e9);
  }

  /** The output's lines. */
  List<String> lines() {
    return out.lines().toList();
  }

  /** The lines that start with {@code prefix}. */
  List<String> linesStartingWith(String prefix) {
    return out.lines().filter(l -> l.startsWith(prefix)).toList();
  }

  /** Group 1 of the first match of {@code regex}, as a double; fails if nothing matches. */
  double number(String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    if (!m.find()) {
      throw new AssertionError("no match for /" + regex + "/ in:\n" + out);
    }
    return Double.parseDouble(m.group(1));
  }

  /** Group 1 of every match of {@code regex}, as doubles. */
  List<Double> numbers(String regex) {
    return Pattern.compile(regex)
        .matcher(out)
        .results()
        .map(r -> Double.parseDouble(r.group(1)))
        .toList();
  }
}
