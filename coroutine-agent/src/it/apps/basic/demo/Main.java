package demo;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/** An application whose only coroutine is rewritten by the agent as the class loads. */
public class Main {
  @Async
  static Coroutine<Integer> add(int a, int b) {
    await(sleep(10));
    return done(a + b);
  }

  public static void main(String[] args) {
    System.out.println(Plain.greeting());
    System.out.println("add(1, 2) = " + run(add(1, 2)));
  }
}
