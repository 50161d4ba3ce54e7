package dev.coroutine.test;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Task;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Running a coroutine as a test, from a plain JUnit {@code @Test} method (as kotlinx's {@code
 * runTest}); {@link AsyncTest} methods get the same treatment from the {@link AsyncTestEngine}.
 *
 * <pre>{@code
 * @Test
 * void retriesForAnHour() {
 *   runTest(client.fetchWithRetries());      // or an async lambda: runTest(body())
 * }
 * }</pre>
 *
 * <p>What a test of the kit guarantees: the coroutine runs as a task on a fresh event loop of its
 * own (virtual clock), on a thread of its own; the test fails with the coroutine's exception,
 * unchanged; it also fails
 *
 * <ul>
 *   <li>when it runs longer than its real-time limit (default {@value #DEFAULT_TIMEOUT_SECONDS} s,
 *       {@code -Dcoroutine.test.timeout=<seconds>}): the failure carries a dump of the loop's
 *       tasks, with the await each is suspended at, and the test does not hang;
 *   <li>when a task it created is still pending at the end (started with {@link #backgroundTask} it
 *       is cancelled instead);
 *   <li>when the loop reported an error: a task or future whose exception nobody retrieved, a
 *       callback that threw.
 * </ul>
 *
 * <p>At the end every pending task is cancelled and the loop runs until their {@code finally}
 * blocks are done, then the loop is closed.
 */
public final class AsyncTests {
  private AsyncTests() {}

  /**
   * The real-time limit of a test when neither the test nor {@code -Dcoroutine.test.timeout} set
   * one.
   */
  public static final long DEFAULT_TIMEOUT_SECONDS = 60;

  /**
   * Runs {@code body} as a test on a fresh loop with a virtual clock, see the class comment.
   *
   * @param <T> the type of the body's result
   * @param body the test's coroutine
   * @return the body's result
   */
  public static <T> T runTest(Coroutine<T> body) {
    return runTest(body, defaultTimeout());
  }

  /**
   * {@link #runTest(Coroutine)} with a real-time limit of its own.
   *
   * @param <T> the type of the body's result
   * @param body the test's coroutine
   * @param realTimeLimit how long the test may take on the wall clock
   * @return the body's result
   */
  public static <T> T runTest(Coroutine<T> body, Duration realTimeLimit) {
    return run(body, true, realTimeLimit);
  }

  /**
   * {@link #runTest(Coroutine)} on the real clock (for code whose waiting is other threads or I/O
   * while timers are pending).
   *
   * @param <T> the type of the body's result
   * @param body the test's coroutine
   * @return the body's result
   */
  public static <T> T runTestInRealTime(Coroutine<T> body) {
    return run(body, false, defaultTimeout());
  }

  @SuppressWarnings("unchecked")
  private static <T> T run(Coroutine<T> body, boolean virtualTime, Duration limit) {
    Objects.requireNonNull(body, "body");
    TestRun r = new TestRun(caller(), virtualTime, false, limit);
    try {
      return (T) r.run(List.of(), () -> body, List.of());
    } catch (Throwable t) {
      throw Sneaky.rethrow(t);
    }
  }

  /**
   * Starts {@code coroutine} as a task of the running test that the test does not wait for: at the
   * end it is cancelled instead of failing the test as left pending (kotlinx's {@code
   * backgroundScope}). Its failure still fails the test unless something retrieved it.
   *
   * @param <T> the type of the coroutine's result
   * @param coroutine what the task runs, e.g. a server's accept loop
   * @return the task
   * @throws IllegalStateException outside a test of the kit
   */
  public static <T> Task<T> backgroundTask(Coroutine<T> coroutine) {
    TestRun r = TestRun.current("backgroundTask()");
    Task<T> t = Coroutines.createTask(coroutine);
    r.background.add(t);
    return t;
  }

  /** The real-time limit from {@code -Dcoroutine.test.timeout} (seconds), or the default. */
  static Duration defaultTimeout() {
    String s = System.getProperty("coroutine.test.timeout");
    if (s == null || s.isBlank()) {
      return Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    }
    try {
      double seconds = Double.parseDouble(s.trim());
      if (seconds > 0 && seconds < 1e9) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "-Dcoroutine.test.timeout=" + s + ": expected a positive number of seconds");
  }

  /** "Class.method()" of the test method that called runTest, for messages and thread names. */
  private static String caller() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames
                    .filter(f -> !f.getClassName().equals(AsyncTests.class.getName()))
                    .findFirst()
                    .map(
                        f ->
                            simpleName(f.getClassName())
                                + "."
                                + methodName(f.getMethodName())
                                + "()")
                    .orElse("runTest"));
  }

  /** The method a lambda body was written in: "lambda$test$1" is in "test". */
  static String methodName(String name) {
    if (name.startsWith("lambda$")) {
      String inner = name.substring("lambda$".length());
      int end = inner.lastIndexOf('$');
      return end > 0 ? inner.substring(0, end) : inner;
    }
    return name;
  }

  static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
