package dev.coroutine.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an asynchronous test: a method returning {@code Coroutine} (usually {@code @Async}) with no
 * parameters, run by the {@link AsyncTestEngine} on a fresh event loop of its own, with a virtual
 * clock unless {@link #virtualTime()} is false, under a real-time limit.
 *
 * <pre>{@code
 * @AsyncTest
 * @Async
 * Coroutine<Void> retriesForAnHour() {
 *   Task<Integer> t = createTask(client.fetchWithRetries());   // sleeps between attempts
 *   await(advanceTimeBy(Duration.ofMinutes(59)));
 *   assertThat(t.isDone()).isFalse();
 *   assertThat(await(t)).isEqualTo(42);                        // virtual: no real hour
 *   assertThat(currentTime()).isEqualTo(Duration.ofHours(1));
 *   return done();
 * }
 * }</pre>
 *
 * <p>The test fails with the exception its coroutine fails with, and also (see {@link
 * AsyncTests#runTest(dev.coroutine.Coroutine)}) when it does not finish within its real-time limit
 * (with a dump of the loop's tasks), when a task it created is still pending at the end, or when
 * the loop reported an error (an exception nobody retrieved, a callback that threw). Jupiter's
 * {@code @BeforeEach} and {@code @AfterEach} methods of the class, void or returning {@code
 * Coroutine}, run on the same loop before and after it; {@code @Disabled} skips it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AsyncTest {
  /**
   * Whether the loop's clock is virtual (the default): timers fire as soon as the loop has nothing
   * else to do, so an hour of timeouts takes milliseconds. False runs on the real clock, for code
   * that waits on other threads or real I/O while a timer is pending.
   *
   * @return true for a virtual clock
   */
  boolean virtualTime() default true;

  /**
   * The real-time limit in seconds; 0 (the default) takes {@code -Dcoroutine.test.timeout}, else
   * {@value AsyncTests#DEFAULT_TIMEOUT_SECONDS} s.
   *
   * @return the wall-clock seconds the test may take, or 0 for the default
   */
  long timeout() default 0;

  /**
   * Whether the loop runs in debug mode: where each task was created in the reports of tasks left
   * pending and exceptions never retrieved, coroutines never awaited reported, calls from a wrong
   * thread refused. Off by default (unlike Python's {@code IsolatedAsyncioTestCase}): recording
   * creation sites makes a test that creates thousands of tasks about ten times slower. {@code
   * -Dcoroutine.debug=true} turns it on for every test.
   *
   * @return true for debug mode
   */
  boolean debug() default false;
}
