package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Values whose type at an await is a merge of user classes (the transformer must find their common
 * supertype from class files), bridge methods, and failures raised by await itself.
 */
public class Hierarchy {
  public abstract static class Animal {
    public abstract String sound();

    public String name() {
      return getClass().getSimpleName();
    }
  }

  public static final class Dog extends Animal {
    @Override
    public String sound() {
      return "woof";
    }
  }

  public static final class Cat extends Animal {
    @Override
    public String sound() {
      return "meow";
    }
  }

  public static class Oops extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Oops(String m) {
      super(m);
    }

    public String detail() {
      return "detail:" + getMessage();
    }
  }

  public static final class OopsA extends Oops {
    private static final long serialVersionUID = 1L;

    public OopsA(String m) {
      super(m);
    }
  }

  public static final class OopsB extends Oops {
    private static final long serialVersionUID = 1L;

    public OopsB(String m) {
      super(m);
    }
  }

  @Async
  public static Coroutine<String> mergedUserTypes(List<String> log, boolean s, int n) {
    Animal a = n > 0 ? new Dog() : new Cat();
    Animal b;
    if (n > 1) {
      b = new Cat();
    } else {
      b = new Dog();
    }
    await(v(log, s, "merge"));
    return done(a.name() + " " + a.sound() + " " + b.name() + " " + b.sound());
  }

  @Async
  public static Coroutine<String> multiCatch(List<String> log, boolean s, boolean first) {
    try {
      await(Later.fail(log, s, first ? new OopsA("a") : new OopsB("b")));
      return done("none");
    } catch (OopsA | OopsB e) {
      await(v(log, s, "in catch"));
      return done(e.detail() + " " + e.getClass().getSimpleName());
    }
  }

  /** A generic interface: implementing it with a concrete type makes javac add a bridge. */
  public interface AsyncFn<T> {
    Coroutine<T> apply(List<String> log, boolean s, T t);
  }

  public static final class Upper implements AsyncFn<String> {
    @Override
    @Async
    public Coroutine<String> apply(List<String> log, boolean s, String t) {
      log.add("Upper.apply");
      return done(await(v(log, s, t)).toUpperCase());
    }
  }

  @Async
  public static Coroutine<String> throughBridge(List<String> log, boolean s) {
    AsyncFn<String> f = new Upper();
    Coroutine<String> c = f.apply(log, s, "x");
    log.add("created");
    String r = await(c);
    return done(r);
  }

  @Async
  public static Coroutine<String> awaitNull(List<String> log) {
    try {
      Future<String> none = null;
      await(none);
      return done("no");
    } catch (NullPointerException e) {
      log.add("npe");
      return done("caught npe");
    }
  }

  @Async
  public static Coroutine<String> awaitCancelledFuture(List<String> log, boolean s) {
    dev.coroutine.EventLoop loop = dev.coroutine.Coroutines.getRunningLoop();
    Future<String> f = loop.createFuture();
    if (s) {
      loop.callLater(0.001, () -> log.add("~cancel " + f.cancel()));
    } else {
      f.cancel();
    }
    try {
      await(f);
      return done("no");
    } catch (CancellationException e) {
      log.add("cancelled");
      return done("caught");
    }
  }

  @Async
  public static Coroutine<String> breakThroughFinallyWithAwait(List<String> log, boolean s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      try {
        if (i == 2) {
          break;
        }
        sb.append(await(v(log, s, i)));
      } finally {
        sb.append(await(v(log, s, "f")));
        log.add("finally " + i);
      }
    }
    return done(sb.toString());
  }
}
