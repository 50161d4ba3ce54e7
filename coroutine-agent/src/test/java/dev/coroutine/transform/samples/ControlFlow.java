package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;

/** Await in straight code, branches, switches and every loop form. */
public class ControlFlow {
  public enum Color {
    RED,
    GREEN,
    BLUE
  }

  @Async
  public static Coroutine<String> straight(List<String> log, boolean s) {
    log.add("start");
    int a = await(v(log, s, 1));
    log.add("a=" + a);
    String b = await(v(log, s, "two"));
    log.add("b=" + b);
    return done(a + b);
  }

  @Async
  public static Coroutine<String> ifElse(List<String> log, boolean s, int n) {
    String r;
    if (n > 0) {
      log.add("pos");
      int x = await(v(log, s, n * 2));
      r = "p" + x;
    } else if (n < 0) {
      log.add("neg");
      r = "n" + await(v(log, s, -n));
    } else {
      r = "zero";
    }
    if (await(v(log, s, n == 0))) {
      log.add("was zero");
    }
    log.add("end " + r);
    return done(r);
  }

  @Async
  public static Coroutine<String> switchInt(List<String> log, boolean s, int n) {
    String r = "";
    switch (n) {
      case 1:
        r = "one" + await(v(log, s, 1));
        break;
      case 2:
        log.add("c2");
        r = "two" + await(v(log, s, 2));
      // fall through
      case 3:
        log.add("c3");
        r += "three" + await(v(log, s, 3));
        break;
      case 1000:
        r = "sparse" + await(v(log, s, 1000));
        break;
      default:
        log.add("default");
        r = "other" + await(v(log, s, n));
    }
    log.add(r);
    return done(r);
  }

  @Async
  public static Coroutine<String> switchLookup(List<String> log, boolean s, int n) {
    String r;
    switch (n) {
      case -500:
        r = "a" + await(v(log, s, 1));
        break;
      case 70000:
        r = "b" + await(v(log, s, 2));
        break;
      default:
        r = "c";
    }
    return done(r);
  }

  @Async
  public static Coroutine<String> switchString(List<String> log, boolean s, String key) {
    int r;
    switch (key) {
      case "alpha":
        r = await(v(log, s, 1));
        break;
      case "beta":
      case "gamma":
        r = await(v(log, s, 2)) + key.length();
        break;
      default:
        r = -1;
    }
    log.add(key + "=" + r);
    return done(key + r);
  }

  @Async
  public static Coroutine<String> switchEnum(List<String> log, boolean s, Color c) {
    String r;
    switch (c) {
      case RED:
        r = "r" + await(v(log, s, 1));
        break;
      case GREEN:
        r = "g" + await(v(log, s, 2));
        break;
      default:
        r = "b" + await(v(log, s, 3));
    }
    log.add(r);
    return done(r);
  }

  @Async
  public static Coroutine<Integer> switchExpression(
      List<String> log, boolean s, Color c, String k) {
    int colour =
        switch (c) {
          case RED -> await(v(log, s, 10));
          case GREEN -> {
            log.add("green");
            int g = await(v(log, s, 20));
            yield g + 1;
          }
          case BLUE -> 30;
        };
    int key =
        switch (k) {
          case "x" -> 1 + await(v(log, s, 100));
          default -> {
            int d = await(v(log, s, 200));
            yield d * 2;
          }
        };
    log.add("colour=" + colour + " key=" + key);
    return done(colour + key);
  }

  @Async
  public static Coroutine<Integer> forLoop(List<String> log, boolean s) {
    int sum = 0;
    for (int i = 0; i < 3; i++) {
      sum += await(v(log, s, i + 1));
      log.add("i" + i);
    }
    return done(sum);
  }

  @Async
  public static Coroutine<Integer> whileLoop(List<String> log, boolean s) {
    int i = 0;
    while (i < 3) {
      i += await(v(log, s, 1));
      log.add("w" + i);
    }
    return done(i);
  }

  @Async
  public static Coroutine<Integer> doWhile(List<String> log, boolean s, int n) {
    int count = 0;
    do {
      count += await(v(log, s, 1));
      log.add("d" + count);
    } while (count < n);
    return done(count);
  }

  @Async
  public static Coroutine<String> forEachList(List<String> log, boolean s, List<String> items) {
    StringBuilder sb = new StringBuilder();
    for (String item : items) {
      sb.append(await(v(log, s, item.toUpperCase())));
      log.add("item " + item);
    }
    return done(sb.toString());
  }

  @Async
  public static Coroutine<Long> forEachArray(List<String> log, boolean s, long[] items) {
    long total = 0;
    for (long item : items) {
      long got = await(v(log, s, item));
      total += got;
      log.add("item " + got);
    }
    return done(total);
  }

  @Async
  public static Coroutine<Integer> labeledBreakContinue(List<String> log, boolean s) {
    int sum = 0;
    outer:
    for (int i = 0; i < 4; i++) {
      inner:
      for (int j = 0; j < 4; j++) {
        if (j == 2) {
          continue outer;
        }
        if (i == 2) {
          break outer;
        }
        if (i == 1 && j == 0) {
          await(v(log, s, "skip"));
          continue inner;
        }
        sum += await(v(log, s, i * 10 + j));
      }
    }
    log.add("sum " + sum);
    return done(sum);
  }
}
