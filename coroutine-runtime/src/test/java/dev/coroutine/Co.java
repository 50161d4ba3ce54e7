package dev.coroutine;

import java.util.Objects;
import java.util.function.Function;

/**
 * Hand-written coroutines for tests, until the transformer exists: a coroutine made of sequential
 * steps, implemented directly against the frame protocol (see PROTOCOL.md).
 *
 * <p>Each {@link Step} gets the value of the previous step (or of the await it asked for) and
 * returns either {@link #await(Object) Co.await(x)}, to await {@code x} and hand its value to the
 * next step, or any other value, handed on as is. The last value is the coroutine's result. An
 * optional {@code onError} handler plays a {@code catch (Throwable)} around all steps (it returns a
 * value, {@code Co.await(x)}, or throws) and {@code onFinally} a {@code finally}.
 *
 * <pre>{@code
 * Co.seq(v -> Co.await(sleep(10)), v -> { log.add("woke"); return 42; })
 * }</pre>
 */
public final class Co {
  private Co() {}

  /** One step: gets the previous value, returns the next value or {@link #await(Object)}. */
  @FunctionalInterface
  public interface Step {
    /** Runs the step. */
    Object run(Object previous) throws Throwable;
  }

  /** An instruction returned by a step: await {@link #target}. */
  public static final class Await {
    /** What to await: an Awaitable or a CompletionStage. */
    final Object target;

    Await(Object target) {
      this.target = target;
    }
  }

  /** Returned from a step: await {@code x} and pass its value to the next step. */
  public static Await await(Object x) {
    return new Await(Objects.requireNonNull(x, "await(null)"));
  }

  /** A coroutine running {@code steps} in order. */
  @SafeVarargs
  public static <T> Coroutine<T> seq(Step... steps) {
    return new Builder<T>(steps).build();
  }

  /** A builder for a coroutine running {@code steps}, to add a catch or a finally. */
  public static Builder<Object> steps(Step... steps) {
    return new Builder<>(steps);
  }

  /** A coroutine that awaits {@code x} and returns its value. */
  public static <T> Coroutine<T> awaiting(Object x) {
    return seq(v -> await(x));
  }

  /** Builds a step coroutine with optional catch and finally. */
  public static final class Builder<T> {
    /** The steps. */
    private final Step[] steps;

    /** The catch handler or null. */
    private Function<Throwable, Object> onError;

    /** The finally action or null. */
    private Runnable onFinally;

    Builder(Step[] steps) {
      this.steps = steps;
    }

    /**
     * {@code catch (Throwable e)} around the steps: returns a value, {@code Co.await(x)}, or
     * throws.
     */
    public Builder<T> onError(ThrowingFunction handler) {
      this.onError =
          e -> {
            try {
              return handler.apply(e);
            } catch (Throwable t) {
              throw Sneaky.rethrow(t);
            }
          };
      return this;
    }

    /**
     * Logs how the steps end into {@code log}: the failure they end with ("producer got
     * GeneratorExitException", rethrown), then "producer finally".
     */
    public Builder<T> logEnd(java.util.List<String> log) {
      return onError(
              e -> {
                log.add("producer got " + e.getClass().getSimpleName());
                throw e;
              })
          .onFinally(() -> log.add("producer finally"));
    }

    /** {@code finally} around the steps (and the catch handler). */
    public Builder<T> onFinally(Runnable action) {
      this.onFinally = action;
      return this;
    }

    /** The coroutine (a new frame, as a call of an {@code @Async} method makes). */
    public Coroutine<T> build() {
      AsyncFrame<T> f = AsyncFrame.create(Co::body, 1, 1);
      f.refs[0] = this;
      return f;
    }
  }

  /** A catch handler that may throw. */
  @FunctionalInterface
  public interface ThrowingFunction {
    /** Handles {@code e}. */
    Object apply(Throwable e) throws Throwable;
  }

  /**
   * The state machine: label 0 starts, 1 resumes after a step's await (prims[0] = next step), 2
   * resumes after the catch handler's await.
   */
  private static Object body(AsyncFrame<?> f) throws Throwable {
    if (f.label < 0) {
      return null; // a DESCRIBE query (PROTOCOL.md): no source location, and no step may run
    }
    Builder<?> b = (Builder<?>) f.refs[0];
    boolean suspended = false;
    try {
      if (f.label == 2) {
        return f.resumed();
      }
      try {
        int i = (int) f.prims[0];
        Object v = null;
        if (f.label == 1) {
          v = f.resumed();
        }
        while (i < b.steps.length) {
          Object out = b.steps[i++].run(v);
          if (out instanceof Await) {
            Object r = AsyncFrame.await(((Await) out).target, f);
            if (r == AsyncFrame.SUSPEND) {
              f.prims[0] = i;
              f.label = 1;
              suspended = true;
              return r;
            }
            v = r;
          } else {
            v = out;
          }
        }
        return v;
      } catch (Throwable e) {
        if (b.onError == null) {
          throw e;
        }
        Object out = b.onError.apply(e);
        if (out instanceof Await) {
          Object r = AsyncFrame.await(((Await) out).target, f);
          if (r == AsyncFrame.SUSPEND) {
            f.label = 2;
            suspended = true;
          }
          return r;
        }
        return out;
      }
    } finally {
      if (!suspended && b.onFinally != null) {
        b.onFinally.run();
      }
    }
  }
}
