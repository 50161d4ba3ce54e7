package dev.coroutine;

import dev.coroutine.internal.Steps;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Structured concurrency: asyncio 3.11's {@code TaskGroup}. A group is entered with {@link
 * #run(Body)}: its body runs inline in the current task and starts tasks with {@link
 * #createTask(Coroutine)}; the group finishes only when all of them have.
 *
 * <pre>{@code
 * await(TaskGroup.run(tg -> {
 *   tg.createTask(download(a));
 *   tg.createTask(download(b));
 *   return done();
 * }));
 * }</pre>
 *
 * <p>Semantics (asyncio's): the first task to fail cancels the other tasks and the body (at its
 * current await); when everything has finished, all failures, the body's own included, are thrown
 * together as one {@link TaskGroupException}. Cancelled tasks are not failures. A cancellation of
 * the enclosing task from outside cancels every task of the group and then propagates as a {@link
 * CancellationException}; the group tells its own cancellation of the enclosing task from one that
 * came from outside with {@link Task#cancelling()} / {@link Task#uncancel()}. When the group's
 * errors take precedence over such an outside cancellation, the group requests it again (asyncio
 * 3.13), so the enclosing task is cancelled at its next await rather than losing it.
 *
 * <p>Invariant: {@link #tasks} holds the group's unfinished tasks; once the body has ended ({@link
 * #exiting}) the group waits on {@link #allDone} until it is empty.
 */
public final class TaskGroup {
  /** The task that entered the group. */
  private Task<?> parent;

  /** Unfinished tasks of the group. */
  private final Set<Task<?>> tasks = new LinkedHashSet<>();

  /** Failures of tasks, in order. */
  private final List<Throwable> errors = new ArrayList<>();

  /** The body has ended; the group is waiting for its tasks. */
  private boolean exiting;

  /** The group is cancelling its tasks (after a failure or a cancellation). */
  private boolean aborting;

  /** The group cancelled {@link #parent} itself and must withdraw that with uncancel(). */
  private boolean parentCancelRequested;

  /** The group has finished: no more tasks can be created. */
  private boolean finished;

  /** Completed when the last task finishes while the group is exiting; null otherwise. */
  private Future<Void> allDone;

  /** The done-callback added to each task (one instance per group). */
  private final Consumer<Future<?>> onTaskDone = this::taskDone;

  /** The body, made from this group when the group is entered. */
  private final Body<?> body;

  private TaskGroup(Body<?> body) {
    this.body = body;
  }

  /**
   * What {@link #run} runs inline with the entered group: makes the coroutine that starts the
   * group's tasks (typically an async lambda, {@code tg -> { tg.createTask(a()); return done();
   * }}). It may throw what making the coroutines throws (an {@code @Async} method's declared {@code
   * IOException}): the body then fails with it.
   *
   * @param <T> the type of the body's result
   */
  @FunctionalInterface
  public interface Body<T> {
    /**
     * Makes the body's coroutine.
     *
     * @param group the entered group, to start tasks in
     * @return the coroutine run inline in the current task
     * @throws Exception if making it fails (the group's body fails with it)
     */
    Coroutine<T> start(TaskGroup group) throws Exception;
  }

  /**
   * A coroutine that enters a new group, runs {@code body} inline with it, waits for all the
   * group's tasks, and returns the body's result; see the class comment for failures.
   *
   * @param <T> the type of the body's result
   * @param body makes, from the group, the coroutine that starts its tasks
   * @return a coroutine whose result is the body's, once all the group's tasks are done
   */
  public static <T> Coroutine<T> run(Body<T> body) throws TaskGroupException {
    Objects.requireNonNull(body, "body");
    return new Scope<T>(new TaskGroup(body)).coroutine();
  }

  /**
   * Starts {@code coroutine} as a task of this group.
   *
   * @param <T> the type of the coroutine's result
   * @param coroutine the coroutine the task runs
   * @return the task, already part of the group
   */
  public <T> Task<T> createTask(Coroutine<T> coroutine) {
    return createTask(coroutine, null);
  }

  /**
   * Starts {@code coroutine} as a task named {@code name} of this group; {@link
   * IllegalStateException} if the group has not been entered, has finished, or is shutting down
   * after a failure.
   *
   * @param <T> the type of the coroutine's result
   * @param coroutine the coroutine the task runs
   * @param name the task's name
   * @return the task, already part of the group
   */
  public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
    return createTask(coroutine, name, null);
  }

  /**
   * Starts {@code coroutine} as a task named {@code name} of this group that runs in {@code
   * context} (asyncio's {@code tg.create_task(coro, context=ctx)}); null for a copy of the current
   * context, as {@link #createTask(Coroutine, String)}.
   *
   * @param <T> the type of the coroutine's result
   * @param coroutine the coroutine the task runs
   * @param name the task's name, or null for "Task-N"
   * @param context the context the task runs in, or null for a copy of the current one
   * @return the task, already part of the group
   */
  public <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context) {
    if (parent == null) {
      throw new IllegalStateException("TaskGroup has not been entered");
    }
    if (finished || (exiting && tasks.isEmpty())) {
      throw new IllegalStateException("TaskGroup is finished");
    }
    if (aborting) {
      throw new IllegalStateException("TaskGroup is shutting down");
    }
    Task<T> t =
        context == null
            ? parent.loop.createTask(coroutine, name)
            : parent.loop.createTask(coroutine, name, context);
    if (t.isDone()) {
      taskDone(t); // an eager task that finished without suspending
    } else {
      tasks.add(t);
      t.whenDone(onTaskDone);
    }
    return t;
  }

  @Override
  public String toString() {
    return "TaskGroup[tasks=" + tasks.size() + (aborting ? " cancelling" : "") + "]";
  }

  // ---- the group as a hand-written coroutine (internal.Steps) -------------------------------

  /**
   * The group's coroutine: enters the group and runs the body inline (stage 0), takes the body's
   * outcome (stage 1), then waits for the tasks (stage 2) and gives the verdict (asyncio's {@code
   * __aexit__}).
   */
  private static final class Scope<T> extends Steps<T> {
    /** The group. */
    private final TaskGroup g;

    /** 0: not entered; 1: the body runs; 2: waiting for the tasks. */
    private int stage;

    /** The body's result, once it has ended. */
    private Object result;

    /** The body's failure, once it has ended; null if it succeeded. */
    private Throwable bodyFailure;

    /** The cancellation to propagate: the body's, or the enclosing task's from outside. */
    private Throwable propagate;

    Scope(TaskGroup g) {
      this.g = g;
    }

    @Override
    protected Object step(Object value, Throwable failure) throws Throwable {
      switch (stage) {
        case 0:
          g.parent = Coroutines.currentTask();
          stage = 1;
          try {
            return await(g.body.start(g));
          } catch (Throwable e) { // the function making the body threw: the body failed
            bodyEnded(null, e);
            return waitForTasks();
          }
        case 1:
          bodyEnded(value, failure);
          return waitForTasks();
        default:
          if (failure instanceof CancellationException) {
            if (!g.aborting) {
              propagate = failure; // the enclosing task is being cancelled from outside
              g.abort();
            }
          } else if (failure != null) {
            throw failure;
          }
          g.allDone = null;
          return waitForTasks();
      }
    }

    /** asyncio's {@code __aexit__}, up to its wait loop. */
    private void bodyEnded(Object value, Throwable failure) {
      g.exiting = true;
      if (failure instanceof CancellationException) {
        propagate = failure;
      }
      if (failure != null && !g.aborting) {
        g.abort(); // the body failed, or the enclosing task is being cancelled
      }
      result = value;
      bodyFailure = failure;
    }

    /** The wait loop of {@code __aexit__}, then the verdict. */
    private Object waitForTasks() throws Throwable {
      TaskGroup g = this.g;
      if (!g.tasks.isEmpty()) {
        stage = 2;
        g.allDone = new Future<>(g.parent.loop);
        return await(g.allDone);
      }
      g.finished = true;
      Throwable propagate = this.propagate;
      Task<?> parent = g.parent;
      if (g.parentCancelRequested && parent.uncancel() == 0) {
        propagate = null; // only our own cancellation was pending: do not propagate it
      }
      if (propagate != null && g.errors.isEmpty()) {
        throw propagate;
      }
      if (bodyFailure != null && !(bodyFailure instanceof CancellationException)) {
        g.errors.add(bodyFailure);
      }
      if (!g.errors.isEmpty()) {
        if (parent.cancelling() > 0) {
          // the enclosing task is being cancelled from outside, and the errors take precedence
          // over that cancellation: re-request it (count unchanged) so that it is delivered at the
          // task's next await instead of being lost (asyncio 3.13)
          parent.uncancel();
          parent.cancel();
        }
        throw new TaskGroupException("unhandled errors in a TaskGroup", g.errors);
      }
      if (bodyFailure != null) {
        // the body was cancelled by the group only (a task failed, and that failure was counted)
        throw bodyFailure;
      }
      return result;
    }
  }

  private void abort() {
    aborting = true;
    for (Task<?> t : tasks) {
      if (!t.isDone()) {
        t.cancel();
      }
    }
  }

  private void taskDone(Future<?> t) {
    tasks.remove(t);
    if (exiting && tasks.isEmpty() && allDone != null && !allDone.isDone()) {
      allDone.setResult(null);
    }
    if (t.isCancelled()) {
      return;
    }
    Throwable e = t.exception();
    if (e == null) {
      return;
    }
    errors.add(e);
    if (parent.isDone()) {
      parent.loop.callExceptionHandler(
          new EventLoop.ErrorContext("Task of a TaskGroup failed after its parent finished", e, t));
      return;
    }
    if (!aborting && !parentCancelRequested) {
      // cancel the tasks, and the body where it awaits; exit will withdraw that cancellation
      abort();
      parentCancelRequested = true;
      parent.cancel();
    }
  }
}
