package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.done;
import static dev.coroutine.conformance.Trace.chain;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.InvalidStateException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** Twins of src/test/python/trace_format.py: the harness's two formatters agree. */
final class TraceFormatScenarios {
  private TraceFormatScenarios() {}

  /** The scenarios' own exception. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom() {}

    Boom(String m) {
      super(m);
    }
  }

  @Scenario("scalars")
  @Async
  static Coroutine<Void> scalars() {
    log(true, false, null, 0, -7, 12345678901234L, "text", "");
    return done();
  }

  @Scenario("floats")
  @Async
  static Coroutine<Void> floats() {
    log(1.5, 2.0, 0.1, 1e-7, -0.0, 100.0, 1.0 / 3, 2.5e6, -3.25);
    return done();
  }

  @Scenario("collections")
  @Async
  static Coroutine<Void> collections() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("k", 1);
    m.put("n", Arrays.asList((Object) null));
    log(
        List.of(),
        Arrays.asList(1, Arrays.asList(2, Arrays.asList(3, null))),
        new Object[] {"a", true},
        m,
        Map.of());
    return done();
  }

  @Scenario("newlines_are_escaped")
  @Async
  static Coroutine<Void> newlines() {
    log("two\nlines");
    return done();
  }

  @Scenario("exception_names_and_chains")
  @Async
  static Coroutine<Void> exceptionNames() {
    TimeoutException e = new TimeoutException();
    e.initCause(new CancellationException());
    log(
        new Boom(),
        new IllegalArgumentException(),
        new InvalidStateException("x"),
        new ArithmeticException(),
        chain(e));
    log(msg(new Boom("m")), msg(new Boom()));
    return done();
  }
}
