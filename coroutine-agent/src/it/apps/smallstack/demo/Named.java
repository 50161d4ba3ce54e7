package demo;

import static dev.coroutine.Coroutines.*;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

public interface Named {
  String name();

  @Async
  default Coroutine<String> describe() {
    await(sleep(0));
    return done("<" + name() + ">");
  }
}
