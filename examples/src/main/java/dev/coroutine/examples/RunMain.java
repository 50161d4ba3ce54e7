package dev.coroutine.examples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/**
 * Seed section 2.4, running an asyncio program: {@code asyncio.run(main())} creates an event loop,
 * runs {@code main} to completion and closes the loop. {@code main} sleeps a second, then prints
 * {@code hello}.
 */
public final class RunMain {
  private RunMain() {}

  /** {@code async def main()}. */
  @Async
  static Coroutine<Void> main() {
    await(sleep(1000));
    System.out.println("hello");
    return done();
  }

  public static void main(String[] args) {
    run(main());
  }
}
