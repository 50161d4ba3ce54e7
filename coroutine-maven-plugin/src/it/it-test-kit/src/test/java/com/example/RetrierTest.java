package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.test.AsyncTests.runTest;
import static dev.coroutine.test.TestTime.advanceTimeBy;
import static dev.coroutine.test.TestTime.currentTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Task;
import dev.coroutine.test.AsyncTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetrierTest {
  private int calls;

  /** Answers after 10 minutes on the first 59 calls, at once on the 60th. */
  @Async
  Coroutine<String> slowService() {
    calls++;
    if (calls < 60) {
      await(sleep(Duration.ofMinutes(10)));
    }
    return done("answer " + calls);
  }

  /** An hour of timeouts (59 attempts of 30 s plus 30 s of back-off each) in virtual time. */
  @AsyncTest
  @Async
  Coroutine<Void> anHourOfTimeouts_takesNoRealHour() {
    Retrier r = new Retrier(Duration.ofSeconds(30), Duration.ofSeconds(31));
    assertEquals("answer 60", await(r.call(this::slowService)));
    assertEquals(60, r.attempts);
    assertEquals(Duration.ofSeconds(59 * 61), currentTime());
    return done();
  }

  @AsyncTest
  @Async
  Coroutine<Void> advanceTimeBy_looksAtTheRetrierMidway() {
    Retrier r = new Retrier(Duration.ofSeconds(30), Duration.ofSeconds(31));
    Task<String> t = createTask(r.call(this::slowService));
    await(advanceTimeBy(Duration.ofMinutes(10)));
    assertFalse(t.isDone());
    assertEquals(10, r.attempts); // attempts start at 0, 61, 122, ... 549 s
    assertEquals("answer 60", await(t));
    return done();
  }

  @Test
  void plainJupiterTest_runsTheSameWithRunTest() {
    Retrier r = new Retrier(Duration.ofSeconds(30), Duration.ofSeconds(31));
    assertEquals("answer 60", runTest(r.call(this::slowService)));
  }
}
