package demo;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/**
 * A debugger's HotSwap of a class the agent rewrote: AgentIT stops in {@link #pause} and redefines
 * this class with javac's bytes of another version: src/it/apps/hotswap-v2 changes only {@link
 * #label}, which the second call then uses; hotswap-v3 changes the coroutine's own code, which the
 * agent refuses (a coroutine suspended in it could not resume in the new code).
 */
public class Swap {
  @Async
  static Coroutine<String> greet(int n) {
    await(sleep(1));
    return done(label() + " says " + n);
  }

  static String label() {
    return "version 2";
  }

  /** Where the debugger redefines the class. */
  static void pause() {}

  public static void main(String[] args) {
    System.out.println(run(greet(1)));
    pause();
    System.out.println(run(greet(2)));
  }
}
