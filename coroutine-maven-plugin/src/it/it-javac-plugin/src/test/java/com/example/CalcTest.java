package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import org.junit.jupiter.api.Test;

class CalcTest {
  /** A coroutine in test code: rewritten by instrument-tests. */
  @Async
  static Coroutine<Integer> addTwice(int a) {
    int x = await(Calc.add(a, a));
    int y = await(Calc.add(x, x));
    return done(y);
  }

  @Test
  void add_awaitsTheSleep_andReturnsTheSum() {
    assertEquals(3, run(Calc.add(1, 2)));
  }

  @Test
  void coroutineInTestCode_isInstrumentedToo() {
    assertEquals(8, run(addTwice(2)));
  }
}
