package com.example;

import static dev.coroutine.Coroutines.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coroutine.*;
import org.junit.jupiter.api.Test;

class HelloTest {
  /** Test code may be @Async too: instrument-tests rewrites it. */
  @Async
  static Coroutine<Double> timeOfMain() {
    double start = getRunningLoop().time();
    await(Hello.main());
    return done(getRunningLoop().time() - start);
  }

  @Test
  void main_overlapsItsTwoSleeps() {
    // virtual time: the two sleeps (1 s and 2 s) take 2 s of loop time and no real time
    assertEquals(2.0, runWithVirtualTime(timeOfMain()), 0.01);
  }
}
