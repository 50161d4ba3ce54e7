package dev.coroutine.conformance;

import dev.coroutine.Future;
import dev.coroutine.Task;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The Java half of the trace format (the Python half is {@code src/test/python/_trace.py}): a
 * scenario logs events with {@link #log}; each call is one line, the values formatted canonically
 * and joined by single spaces.
 *
 * <p>Formats: a String as is (newlines escaped as {@code \n}); booleans {@code true}/{@code false};
 * null {@code null}; integers in decimal; doubles with at most 6 decimals, trailing zeros dropped;
 * a List, Collection or array {@code [a, b]}; a Map {@code {k: v}}; a Throwable by the name of its
 * asyncio counterpart ({@link #exceptionName}). A future is never formatted as a value: log {@link
 * #state(Future)}.
 *
 * <p>Invariant: {@link #lines} holds the trace of the scenario running now; scenarios run one at a
 * time on their loop's thread, the test reads it after the loop closed.
 */
public final class Trace {
  private Trace() {}

  /** The trace of the running scenario. */
  private static List<String> lines = new ArrayList<>();

  /**
   * Java exception classes and the asyncio (Python) exception each stands for. Several Java classes
   * may map to one Python class (Python raises RuntimeError where Java distinguishes an illegal
   * state from an unsupported operation). Classes not listed keep their simple name, so a
   * scenario's own {@code Boom} matches Python's {@code Boom}.
   */
  private static final Map<String, String> EXCEPTION_NAMES =
      Map.ofEntries(
          Map.entry("java.util.concurrent.CancellationException", "CancelledError"),
          Map.entry("dev.coroutine.GeneratorExitException", "GeneratorExit"),
          Map.entry("java.util.concurrent.TimeoutException", "TimeoutError"),
          Map.entry("dev.coroutine.InvalidStateException", "InvalidStateError"),
          Map.entry("java.lang.IllegalArgumentException", "ValueError"),
          Map.entry("java.lang.IllegalStateException", "RuntimeError"),
          Map.entry("java.lang.UnsupportedOperationException", "RuntimeError"),
          Map.entry("java.lang.ArithmeticException", "ZeroDivisionError"),
          Map.entry("java.util.NoSuchElementException", "LookupError"),
          Map.entry("java.lang.IndexOutOfBoundsException", "IndexError"),
          Map.entry("java.lang.ClassCastException", "TypeError"),
          Map.entry("dev.coroutine.TaskGroupException", "ExceptionGroup"),
          Map.entry("java.util.concurrent.BrokenBarrierException", "BrokenBarrierError"),
          Map.entry("dev.coroutine.sync.QueueEmptyException", "QueueEmpty"),
          Map.entry("dev.coroutine.sync.QueueFullException", "QueueFull"),
          Map.entry("dev.coroutine.sync.QueueShutDownException", "QueueShutDown"),
          Map.entry("dev.coroutine.io.IncompleteReadException", "IncompleteReadError"),
          Map.entry("dev.coroutine.io.LimitOverrunException", "LimitOverrunError"),
          Map.entry("java.io.IOException", "OSError"));

  /** Appends one trace line: the values formatted and joined by spaces. */
  public static void log(Object... values) {
    StringJoiner j = new StringJoiner(" ");
    for (Object v : values) {
      j.add(fmt(v));
    }
    lines.add(j.toString());
  }

  /**
   * {@code pending | cancelled | result=<v> | exception=<Name>}, as Python's {@code state(f)}
   * (reading the exception marks it retrieved, as there).
   */
  public static String state(Future<?> f) {
    if (!f.isDone()) {
      return "pending";
    }
    if (f.isCancelled()) {
      return "cancelled";
    }
    Throwable e = f.exception();
    if (e != null) {
      return "exception=" + exceptionName(e);
    }
    return "result=" + fmt(f.result());
  }

  /** The exception and its causes, outermost first: {@code TimeoutError<-CancelledError}. */
  public static String chain(Throwable e) {
    StringJoiner j = new StringJoiner("<-");
    for (int n = 0; e != null && n < 10; n++, e = e.getCause()) {
      j.add(exceptionName(e));
    }
    return j.toString();
  }

  /** The message of {@code e}, or null when it has none (an empty message counts as none). */
  public static String msg(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isEmpty() ? null : m;
  }

  /** The names of tasks (a plain future counts as "future"), sorted, as Python's names(). */
  public static List<String> names(Collection<? extends Future<?>> futures) {
    List<String> out = new ArrayList<>();
    for (Future<?> f : futures) {
      out.add(f instanceof Task ? ((Task<?>) f).getName() : "future");
    }
    java.util.Collections.sort(out);
    return out;
  }

  /** The name of the asyncio exception {@code e} stands for (see {@link #EXCEPTION_NAMES}). */
  public static String exceptionName(Throwable e) {
    for (Class<?> c = e.getClass(); c != null; c = c.getSuperclass()) {
      String mapped = EXCEPTION_NAMES.get(c.getName());
      if (mapped != null) {
        return mapped;
      }
      if (c.getName().startsWith("dev.coroutine.conformance.")) {
        break; // a scenario's own exception: its name, even if it extends a mapped one
      }
    }
    return e.getClass().getSimpleName();
  }

  /** One value in the canonical format. */
  public static String fmt(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return ((String) v).replace("\n", "\\n");
    }
    if (v instanceof Boolean
        || v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte
        || v instanceof BigInteger) {
      return v.toString();
    }
    if (v instanceof Double || v instanceof Float) {
      BigDecimal d =
          new BigDecimal(((Number) v).doubleValue())
              .setScale(6, RoundingMode.HALF_EVEN)
              .stripTrailingZeros();
      return d.signum() == 0 ? "0" : d.toPlainString();
    }
    if (v instanceof Throwable) {
      return exceptionName((Throwable) v);
    }
    if (v instanceof Future) {
      throw new IllegalArgumentException(
          "log a future or task through state(f), not as a value: " + v);
    }
    if (v instanceof Collection) {
      StringJoiner j = new StringJoiner(", ", "[", "]");
      for (Object x : (Collection<?>) v) {
        j.add(fmt(x));
      }
      return j.toString();
    }
    if (v instanceof Object[]) {
      return fmt(List.of((Object[]) v));
    }
    if (v instanceof Map) {
      StringJoiner j = new StringJoiner(", ", "{", "}");
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        j.add(fmt(e.getKey()) + ": " + fmt(e.getValue()));
      }
      return j.toString();
    }
    return String.valueOf(v).replace("\n", "\\n");
  }

  /** Starts a new trace (the test calls it before each scenario). */
  static void begin() {
    lines = new ArrayList<>();
  }

  /** The trace logged since {@link #begin()}. */
  static List<String> lines() {
    return lines;
  }
}
