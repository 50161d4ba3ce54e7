package dev.coroutine.transform.samples.refused;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/**
 * A call through the common superclass of two JDK classes, which is not public: javac names {@code
 * java.lang.AbstractStringBuilder} in the call, which the JVM refuses with {@code
 * IllegalAccessError} with or without the await (found from outside: the refusal sent the user to
 * "make the class accessible").
 */
public class InaccessibleCommonSuperclassCall {
  @Async
  public static Coroutine<String> use(boolean c) {
    var text = c ? new StringBuilder() : new StringBuffer();
    await(sleep(0));
    text.append("x"); // @append
    return done(text.toString());
  }
}
