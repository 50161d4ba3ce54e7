package dev.coroutine.examples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.test.TestTime.currentTime;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.test.AsyncTest;
import java.time.Duration;
import java.util.List;

/**
 * The seed's claims about time, exactly: the examples' coroutines run as {@code @AsyncTest}s on the
 * test kit's virtual clock, so "about 3 s" is exactly 3 s of loop time, in milliseconds of real
 * time, the same on a loaded machine. {@link ExamplesTest} runs the programs themselves on the real
 * clock, where only loose bounds hold.
 */
class SeedTimingTest {

  @AsyncTest
  @Async
  Coroutine<Void> sayAfter_sequentialAwaits_takeTheSumOfTheDelays() {
    await(SayAfter.sequential());
    assertThat(currentTime()).isEqualTo(Duration.ofSeconds(3));
    return done();
  }

  @AsyncTest
  @Async
  Coroutine<Void> sayAfter_twoTasks_takeTheLongerDelay() {
    await(SayAfter.concurrent());
    assertThat(currentTime()).isEqualTo(Duration.ofSeconds(2));
    return done();
  }

  @AsyncTest
  @Async
  Coroutine<Void> gatherFactorial_threeFactorialsConcurrently_takeTheLongestOne() {
    List<Long> results = await(GatherFactorial.main());
    assertThat(results).containsExactly(2L, 6L, 24L);
    assertThat(currentTime())
        .as("factorial(4): three rounds of 1 s")
        .isEqualTo(Duration.ofSeconds(3));
    return done();
  }

  @AsyncTest
  @Async
  Coroutine<Void> runMain_sleepsExactlyOneSecond() {
    await(RunMain.main());
    assertThat(currentTime()).isEqualTo(Duration.ofSeconds(1));
    return done();
  }
}
