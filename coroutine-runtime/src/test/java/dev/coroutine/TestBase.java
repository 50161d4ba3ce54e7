package dev.coroutine;

import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the runtime tests: a fresh loop per test whose exception handler records errors, and
 * kotlinx.coroutines' {@code expect(n)} / {@code finish(n)} idiom: every step of an interleaving
 * asserts its number, so orderings on the loop thread are checked exactly.
 */
public abstract class TestBase {
  /** The loop of the test. */
  protected EventLoop loop;

  /** Errors the loop's exception handler received; a test expecting some clears them. */
  protected final List<EventLoop.ErrorContext> loopErrors = new CopyOnWriteArrayList<>();

  /** Last action number seen by {@link #expect}. */
  private final AtomicInteger actionIndex = new AtomicInteger();

  /** {@link #finish} was called. */
  private volatile boolean finished;

  /** First failed expectation, also thrown where it happened (maybe swallowed by a task). */
  private volatile Throwable firstError;

  @BeforeEach
  protected void newLoop() {
    loop = new EventLoop();
    loop.setExceptionHandler((l, c) -> loopErrors.add(c));
  }

  @AfterEach
  protected void closeLoop() {
    if (!loop.isRunning()) {
      loop.close();
    }
    if (firstError != null) {
      throw new AssertionError("an expectation failed", firstError);
    }
    if (actionIndex.get() != 0 && !finished) {
      fail("Expecting that finish(" + (actionIndex.get() + 1) + ") was invoked, but it was not");
    }
    if (!loopErrors.isEmpty()) {
      AssertionError e = new AssertionError("unexpected loop errors: " + loopErrors);
      loopErrors.forEach(
          c -> {
            if (c.exception() != null) {
              e.addSuppressed(c.exception());
            }
          });
      throw e;
    }
  }

  /** Asserts that this is action number {@code index} of the test. */
  protected void expect(int index) {
    int was = actionIndex.incrementAndGet();
    if (was != index) {
      AssertionError e =
          new AssertionError("Expecting action index " + index + " but it is actually " + was);
      if (firstError == null) {
        firstError = e;
      }
      throw e;
    }
  }

  /** The last action, number {@code index}. */
  protected void finish(int index) {
    expect(index);
    if (finished) {
      throw new AssertionError("finish(" + index + ") called twice");
    }
    finished = true;
  }

  /** Runs {@code main} as a task of {@link #loop} until it completes. */
  protected <T> T run(Coroutine<T> main) {
    return loop.runUntilComplete(loop.createTask(main));
  }

  /** Runs a step coroutine as the main task. */
  protected <T> T runSteps(Co.Step... steps) {
    return run(Co.<T>seq(steps));
  }
}
