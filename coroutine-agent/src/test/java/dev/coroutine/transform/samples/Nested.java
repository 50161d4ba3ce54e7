package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;
import java.util.function.Supplier;

/**
 * @Async methods of anonymous and local classes, and async lambdas inside interfaces.
 */
public class Nested {
  private final String name = "outer";

  /** An async service to implement anonymously. */
  public interface Service {
    Coroutine<String> call(int n);

    @Async
    default Coroutine<String> twice(List<String> log, boolean s) {
      Supplier<Coroutine<String>> lambda =
          () -> {
            String a = await(call(await(v(log, s, 1))));
            return done(a + a);
          };
      return done(await(lambda.get()));
    }
  }

  @Async
  public Coroutine<String> anonymous(List<String> log, boolean s) {
    long captured = 1L << 36;
    Service svc =
        new Service() {
          private int calls;

          @Override
          @Async
          public Coroutine<String> call(int n) {
            calls++;
            int got = await(v(log, s, n));
            return done(name + ":" + (captured + got) + ":" + calls);
          }
        };
    return done(await(svc.call(5)) + "|" + await(svc.twice(log, s)));
  }

  @Async
  public static Coroutine<String> localClass(List<String> log, boolean s) {
    String prefix = "local";
    class Worker {
      @Async
      Coroutine<String> work(int n) {
        return done(prefix + await(v(log, s, n)));
      }
    }
    Worker w = new Worker();
    return done(await(w.work(1)) + await(new Worker().work(2)));
  }
}
