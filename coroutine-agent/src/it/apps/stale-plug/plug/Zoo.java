package plug;

import static dev.coroutine.Coroutines.*;

import dev.coroutine.*;
import lib.*;

public class Zoo {
  /** Dog and Cat merge where javac's frames say Animal, which only the newer Cat is. */
  @Async
  public static Coroutine<String> animal(boolean dog) {
    Animal a = dog ? new Dog() : new Cat();
    await(sleep(0));
    return done(a.move() + " " + ((Named) a).name());
  }
}
