package dev.coroutine;

import dev.coroutine.internal.RuntimeCallback;
import java.util.function.Consumer;

/**
 * A callback bound to the context it runs in: what a {@link Handle} or a done-callback holds when
 * it was scheduled in a non-empty context (a private copy, asyncio's {@code copy_context()} at
 * scheduling time) or was given one explicitly (asyncio's {@code context=}). Unbound callbacks run
 * in a fresh context instead (see {@link EventLoop}), so nothing is allocated for them.
 *
 * <p>Invariant: a private copy is entered by nobody else, so it is made current without {@link
 * Context#run}'s check; an explicit context may be entered elsewhere too, so it goes through that
 * check (a context cannot be entered twice at once).
 */
final class ContextBound implements Runnable, Consumer<Object> {
  /** The context the action runs in. */
  final Context context;

  /** The callback: a {@link Runnable} or a {@link Consumer}. */
  final Object action;

  /** True for a context the user passed (checked on entry), false for a private copy. */
  private final boolean shared;

  private ContextBound(Context context, Object action, boolean shared) {
    this.context = context;
    this.action = action;
    this.shared = shared;
  }

  /**
   * {@code action} bound to a copy of the current context, or {@code action} itself if that context
   * is empty (the loop runs unbound callbacks in a fresh context anyway) or {@code action} is the
   * runtime's own ({@link RuntimeCallback}: it reads no context, so nothing is copied for it).
   */
  static Object capture(Object action) {
    if (action instanceof RuntimeCallback) {
      return action;
    }
    Context copy = Context.captureForCallback();
    return copy == null ? action : new ContextBound(copy, action, false);
  }

  /** {@code action} bound to {@code context}, given by the user: entered with the usual check. */
  static ContextBound explicit(Context context, Object action) {
    return new ContextBound(java.util.Objects.requireNonNull(context, "context"), action, true);
  }

  /** The callback itself, unwrapped: for identity comparisons and descriptions. */
  static Object unwrap(Object callback) {
    return callback instanceof ContextBound ? ((ContextBound) callback).action : callback;
  }

  @Override
  public void run() {
    if (shared) {
      context.run((Runnable) action);
    } else {
      Context.Cell c = Context.cell();
      Object outer = c.enter(context);
      try {
        ((Runnable) action).run();
      } finally {
        c.exit(outer);
      }
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void accept(Object future) {
    Consumer<Object> cb = (Consumer<Object>) action;
    if (shared) {
      context.run(() -> cb.accept(future));
    } else {
      Context.Cell c = Context.cell();
      Object outer = c.enter(context);
      try {
        cb.accept(future);
      } finally {
        c.exit(outer);
      }
    }
  }

  @Override
  public String toString() {
    return String.valueOf(action);
  }
}
