package demo;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/**
 * A debugger's HotSwap of a class the agent rewrote: AgentIT stops in {@link #pause}, redefines
 * this class with javac's bytes of version 2 (src/it/apps/hotswap-v2) and lets the second call run
 * the new body.
 */
public class Swap {
  @Async
  static Coroutine<String> greet(int n) {
    await(sleep(1));
    return done("version 2 says " + n);
  }

  /** Where the debugger redefines the class. */
  static void pause() {}

  public static void main(String[] args) {
    System.out.println(run(greet(1)));
    pause();
    System.out.println(run(greet(2)));
  }
}
