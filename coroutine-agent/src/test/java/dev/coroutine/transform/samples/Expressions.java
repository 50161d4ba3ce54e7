package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;

/** Awaits inside expressions: several at once, as arguments, inside `new`, in concatenation. */
public class Expressions {
  private final List<String> log;
  private final String name;

  public Expressions(List<String> log, String name) {
    this.log = log;
    this.name = name;
  }

  static String tag(List<String> log, String t) {
    log.add(t);
    return t;
  }

  static int tagInt(List<String> log, int v) {
    log.add("t" + v);
    return v;
  }

  @Async
  public static Coroutine<Integer> severalAwaits(List<String> log, boolean s) {
    int r = await(v(log, s, 1)) + await(v(log, s, 2)) * await(v(log, s, 3)) - tagInt(log, 4);
    return done(r);
  }

  static String f(int a, long b, String c, double d, int e, float g) {
    return a + "|" + b + "|" + c + "|" + d + "|" + e + "|" + g;
  }

  @Async
  public static Coroutine<String> awaitAsArgument(List<String> log, boolean s) {
    long big = 1L << 40;
    String r = f(tagInt(log, 7), big + 1, await(v(log, s, "mid")), 2.25, await(v(log, s, 9)), 1.5f);
    return done(r);
  }

  static long g(long a, double b, long c, double d) {
    return (long) (a + b + c + d);
  }

  @Async
  public static Coroutine<Long> longDoubleNeighbours(List<String> log, boolean s) {
    long r = g(10_000_000_000L, 0.5, await(v(log, s, 20_000_000_000L)), await(v(log, s, 0.5)));
    double d = 1.25 * await(v(log, s, 4.0)) + Math.max(3L, await(v(log, s, 7L)));
    return done(r + (long) d);
  }

  /** A box logging its construction. */
  public static final class Box {
    final String value;

    public Box(List<String> log, String a, int b, String c) {
      this.value = a + b + c;
      log.add("Box(" + value + ")");
    }

    public Box(List<String> log, Box inner) {
      this.value = "[" + inner.value + "]";
      log.add("Box(" + value + ")");
    }

    @Override
    public String toString() {
      return value;
    }
  }

  @Async
  public static Coroutine<String> newWithAwaitArgument(List<String> log, boolean s) {
    Box b = new Box(log, tag(log, "a"), await(v(log, s, 2)), tag(log, "c"));
    return done(b.value);
  }

  @Async
  public static Coroutine<String> nestedNewWithAwait(List<String> log, boolean s) {
    Box b = new Box(log, new Box(log, new Box(log, tag(log, "x"), await(v(log, s, 1)), "y")));
    Object o =
        new StringBuilder(await(v(log, s, "sb")))
            .append(new Box(log, "p", await(v(log, s, 5)), "q"));
    return done(b.value + o);
  }

  /** Where {@link Lazy} logs to. */
  public static final class LazyLog {
    public static List<String> initLog;
  }

  /** Initializes with a log entry, to see when {@code new Lazy(...)} initializes the class. */
  public static final class Lazy {
    static {
      LazyLog.initLog.add("Lazy.<clinit>");
    }

    public Lazy(int v) {
      LazyLog.initLog.add("Lazy(" + v + ")");
    }
  }

  @Async
  public static Coroutine<String> newInitializesClassFirst(List<String> log, boolean s) {
    LazyLog.initLog = log;
    log.add("before");
    Object o = new Lazy(await(v(log, s, 1)));
    return done(o.getClass().getSimpleName());
  }

  /** The plain-Java twin of {@link #newInitializesClassFirst}: no await, same order of effects. */
  public static String newInitializesClassFirstPlain(List<String> log) {
    LazyLog.initLog = log;
    log.add("before");
    Object o = new Lazy(plain(log, 1));
    return o.getClass().getSimpleName();
  }

  /** Its static initializer fails: {@code new} throws before evaluating the arguments. */
  public static final class Failing {
    static {
      LazyLog.initLog.add("Failing.<clinit>");
      if (!LazyLog.initLog.isEmpty()) {
        throw new IllegalStateException("no");
      }
    }

    public Failing(int v) {
      LazyLog.initLog.add("Failing(" + v + ")");
    }
  }

  @Async
  public static Coroutine<String> newOfFailingClass(List<String> log, boolean s) {
    LazyLog.initLog = log;
    for (int i = 0; i < 2; i++) {
      try {
        Object o = new Failing(await(v(log, s, i)));
        log.add("made " + o);
      } catch (LinkageError e) {
        log.add(e.getClass().getSimpleName());
      }
    }
    return done("ok");
  }

  /** The plain-Java twin of {@link #newOfFailingClass}. */
  public static String newOfFailingClassPlain(List<String> log) {
    LazyLog.initLog = log;
    for (int i = 0; i < 2; i++) {
      try {
        Object o = new Failing(plain(log, i));
        log.add("made " + o);
      } catch (LinkageError e) {
        log.add(e.getClass().getSimpleName());
      }
    }
    return "ok";
  }

  /** What {@code await(v(log, true, value))} logs and returns, without the await. */
  static <T> T plain(List<String> log, T value) {
    log.add("~" + value);
    return value;
  }

  /** An inner class: its constructor takes the outer instance first. */
  public class Inner {
    final String text;

    public Inner(int n, String s) {
      this.text = name + ":" + n + s;
      log.add("Inner(" + text + ")");
    }
  }

  @Async
  public Coroutine<String> innerClassConstructor(boolean s) {
    Inner i = new Inner(await(v(log, s, 3)), tag(log, "!"));
    Expressions other = new Expressions(log, "other");
    Inner j = other.new Inner(4, await(v(log, s, "?")));
    return done(i.text + "," + j.text);
  }

  @Async
  public static Coroutine<String> stringConcatenation(List<String> log, boolean s) {
    int i = 1;
    long l = 2L;
    double d = 3.5;
    char c = 'c';
    Object nothing = null;
    String r =
        "a" + i + l + await(v(log, s, "B")) + d + c + nothing + await(v(log, s, 9)) + tag(log, "z");
    return done(r);
  }

  static String pair(Object a, Object b, Object c) {
    return a + "," + b + "," + c;
  }

  @Async
  public static Coroutine<String> nullOnTheStack(List<String> log, boolean s) {
    return done(pair(null, await(v(log, s, "b")), null));
  }

  @Async
  public static Coroutine<Integer> ternaryWithValuesBelow(
      List<String> log, boolean s, boolean left) {
    long base = 1L << 33;
    int r = (int) ((base + (left ? await(v(log, s, 1)) : await(v(log, s, 2)) * 10)) >> 1);
    return done(r);
  }

  @Async
  public static Coroutine<String> shortCircuit(List<String> log, boolean s, boolean a) {
    boolean and = a && await(v(log, s, true));
    boolean or = a || await(v(log, s, false));
    return done(and + " " + or);
  }

  @Async
  public static Coroutine<Integer> awaitInLoopCondition(List<String> log, boolean s) {
    int i = 0;
    while (await(v(log, s, i)) < 3) {
      i++;
    }
    return done(i);
  }

  @Async
  public static Coroutine<String> chainedAssignmentAndIncrement(List<String> log, boolean s) {
    int i = 5;
    int a;
    int b;
    a = b = await(v(log, s, 7));
    int c = i++ + await(v(log, s, 100)) + ++i;
    return done(a + " " + b + " " + c + " " + i);
  }
}
