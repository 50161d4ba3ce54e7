package dev.coroutine;

import dev.coroutine.internal.AsCompleted;
import dev.coroutine.internal.Frames;
import dev.coroutine.internal.Shield;
import dev.coroutine.internal.WaitFor;
import dev.coroutine.internal.Waiting;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * The functions of asyncio's module level: {@code await}, {@code run}, {@code sleep}, {@code
 * gather}, {@code wait_for}, ... Import them statically: {@code import static
 * dev.coroutine.Coroutines.*;}.
 */
public final class Coroutines {
  private Coroutines() {}

  // ---- inside @Async methods ---------------------------------------------------------------

  /**
   * Waits for {@code awaitable} and returns its result, or rethrows its exception unchanged. Only
   * valid inside an {@link Async} method (or an async lambda): the instrumentation replaces this
   * call; reached in code that was not instrumented it throws {@link IllegalStateException}.
   *
   * @param <T> the type of the result
   * @param awaitable the coroutine, task or future to wait for
   * @return the awaitable's result
   */
  public static <T> T await(Awaitable<T> awaitable) {
    throw notInstrumented();
  }

  /**
   * Waits for a {@link CompletionStage} (any {@link CompletableFuture}) completed by any thread;
   * the coroutine resumes on its loop's thread. Only valid inside an {@link Async} method.
   *
   * @param <T> the type of the result
   * @param stage the stage to wait for; any thread may complete it
   * @return the value the stage completed with
   */
  public static <T> T await(CompletionStage<T> stage) {
    throw notInstrumented();
  }

  /**
   * The result of an {@link Async} method: {@code return done(value);}.
   *
   * @param <T> the type of the result
   * @param value what the @Async method returns to its awaiter
   * @return a finished coroutine holding {@code value}
   */
  public static <T> Coroutine<T> done(T value) {
    return new DoneCoroutine<>(value);
  }

  /**
   * The end of an {@link Async} method without a result: {@code return done();}.
   *
   * @return a finished coroutine whose result is null
   */
  public static Coroutine<Void> done() {
    return DoneCoroutine.VOID;
  }

  private static IllegalStateException notInstrumented() {
    // the first frame past this class; past reflection or method handles too, if it came that way
    String[] found = new String[3]; // [0]: the calling method, [1]: "reflection" if indirect,
    // [2]: "boot" if the caller's class was loaded by the boot class loader
    StackWalker.getInstance(
            java.util.Set.of(
                StackWalker.Option.SHOW_HIDDEN_FRAMES, // reflection, method handles
                StackWalker.Option.RETAIN_CLASS_REFERENCE))
        .walk(
            frames -> {
              frames
                  .filter(f -> !f.getClassName().equals(Coroutines.class.getName()))
                  .filter(
                      f -> {
                        if (isReflective(f.getClassName())) {
                          found[1] = "reflection";
                          return false;
                        }
                        return true;
                      })
                  .findFirst()
                  .ifPresent(
                      f -> {
                        found[0] =
                            f.getClassName()
                                + "."
                                + f.getMethodName()
                                + (f.getFileName() == null || f.getLineNumber() < 0
                                    ? " (no line: compiled without -g)" // as javac -g:none
                                    : " (" + f.getFileName() + ":" + f.getLineNumber() + ")");
                        if (f.getDeclaringClass().getClassLoader() == null) {
                          found[2] = "boot";
                        }
                      });
              return null;
            });
    String where = found[0] != null ? found[0] : "an unknown method";
    if (found[0] != null && found[0].contains("/")) {
      // a hidden class (Lookup.defineHiddenClass): only its name has a slash, before its suffix
      return new IllegalStateException(
          "await() called in "
              + where
              + ", a method of a hidden class (Lookup.defineHiddenClass), which was not"
              + " instrumented: the JVM does not pass hidden classes to agents, so"
              + " -javaagent:coroutine-agent.jar never sees it. Rewrite its bytes before defining"
              + " it (build them with the coroutine-maven-plugin, or run them through"
              + " dev.coroutine.transform.CoroutineTransformer)");
    }
    if (found[2] != null && found[1] == null) {
      return new IllegalStateException(
          "await() called in "
              + where
              + ", a method of a class loaded by the boot class loader (-Xbootclasspath/a), which"
              + " was not instrumented: -javaagent:coroutine-agent.jar leaves every class of the"
              + " boot loader as it is, as it does the JDK's. Put the class on the class path or"
              + " the module path, or build it with the coroutine-maven-plugin");
    }
    if (found[1] != null) {
      return new IllegalStateException(
          "await() was called through reflection or a method handle from "
              + where
              + ": only a direct call of await() in the code of an @Async method (or an async"
              + " lambda) is rewritten; call it directly");
    }
    return new IllegalStateException(
        "await() called in "
            + where
            + ", which was not instrumented. Annotate the method @Async (it must return"
            + " Coroutine<T>) and instrument the class: build with the coroutine-maven-plugin"
            + " (goals instrument, and instrument-tests for test classes) or run with"
            + " -javaagent:coroutine-agent.jar. If it is @Async already, the build stopped"
            + " before the plugin's phase (mvn compile: it runs at process-classes; use mvn"
            + " process-classes, package or verify), its class was left as"
            + " it was (the build's or the agent's log says why), or a later build step put"
            + " back a copy from before the rewrite (JaCoCo's restore-instrumented-classes, when"
            + " jacoco:instrument runs first: declare the coroutine plugin before JaCoCo)");
  }

  private static boolean isReflective(String className) {
    return className.startsWith("java.lang.reflect.")
        || className.startsWith("jdk.internal.reflect.")
        || className.startsWith("java.lang.invoke.");
  }

  // ---- running -----------------------------------------------------------------------------

  /**
   * asyncio.run: runs {@code main} on a new event loop, closes the loop, and returns the result or
   * rethrows the failure unchanged. Before closing, as asyncio.run: the tasks still pending are
   * cancelled and run to their end (and the tasks their cleanup creates, in further rounds, up to
   * 16), suspended async generators are closed, and the jobs of the default executor ({@link
   * #toThread}, {@link EventLoop#runInExecutor(Callable)}) are waited for, at most 300 s ({@link
   * EventLoop#shutdownDefaultExecutor(Duration)}).
   *
   * <p>Ctrl-C, as in asyncio: while it runs, the first SIGINT cancels {@code main} (its {@code
   * finally} blocks and the cleanup of the other tasks run) and then the process exits as
   * interrupted, with status 130 through {@link Runtime#exit} (shutdown hooks run), as a plain Java
   * program does on Ctrl-C; if {@code main} catches the cancellation and returns, run returns
   * normally. A second SIGINT exits at once. This applies unless a loop handles SIGINT itself
   * ({@link EventLoop#addSignalHandler}) or another run() on another thread holds it.
   *
   * @param <T> the type of {@code main}'s result
   * @param main the coroutine to run, typically {@code main()}
   * @return {@code main}'s result
   */
  public static <T> T run(Coroutine<T> main) {
    return run(main, false);
  }

  /**
   * {@link #run(Coroutine)} with debug mode on or off (on also if the environment says so).
   *
   * @param <T> the type of {@code main}'s result
   * @param main the coroutine to run
   * @param debug true to switch debug mode on (see {@link EventLoop#setDebug})
   * @return {@code main}'s result
   */
  public static <T> T run(Coroutine<T> main, boolean debug) {
    return runOn(new EventLoop(), main, debug);
  }

  /**
   * {@link #run(Coroutine)} on a loop with a virtual clock ({@link EventLoop#withVirtualTime()}):
   * timers fire in order as soon as the loop has nothing else to do, so code that sleeps for an
   * hour finishes in milliseconds, deterministically. Meant for tests: {@code
   * assertThat(runWithVirtualTime(myCoroutine())).isEqualTo(42);}
   *
   * @param <T> the type of {@code main}'s result
   * @param main the coroutine to run
   * @return {@code main}'s result
   */
  public static <T> T runWithVirtualTime(Coroutine<T> main) {
    return runOn(EventLoop.withVirtualTime(), main, false);
  }

  /**
   * {@link #runWithVirtualTime(Coroutine)} with debug mode on or off.
   *
   * @param <T> the type of {@code main}'s result
   * @param main the coroutine to run
   * @param debug true to switch debug mode on
   * @return {@code main}'s result
   */
  public static <T> T runWithVirtualTime(Coroutine<T> main, boolean debug) {
    return runOn(EventLoop.withVirtualTime(), main, debug);
  }

  private static <T> T runOn(EventLoop loop, Coroutine<T> main, boolean debug) {
    Objects.requireNonNull(main, "main");
    if (EventLoop.runningOrNull() != null) {
      loop.close();
      throw new IllegalStateException("run() cannot be called from a running event loop");
    }
    if (debug) {
      loop.setDebug(true);
    }
    Task<T> task = loop.createTask(main);
    Signals.SigintCancel sigint = Signals.cancelOnSigint(loop, task);
    boolean interrupted = false;
    try {
      return loop.runUntilComplete(task);
    } catch (CancellationException e) {
      // as asyncio's Runner: Ctrl-C's end only if its cancellation was main's only one
      interrupted =
          sigint != null && sigint.wasInterrupted() && task.isCancelled() && task.uncancel() == 0;
      throw e;
    } finally {
      if (sigint != null) {
        // as asyncio's Runner: from here a Ctrl-C ends the JVM at once (nothing left to cancel)
        sigint.close();
      }
      // an interrupt of this thread during main's run was logged and held back by the loop, then
      // restored when main's run ended: held back again until the end of run(), so that the
      // cleanup's runs neither log it again nor show it to the tasks' finally blocks
      boolean interruptHeld = Thread.interrupted();
      try {
        LoopShutdown.finish(loop, "run()'s shutdown");
      } finally {
        loop.close();
        if (interruptHeld) {
          Thread.currentThread().interrupt();
        }
      }
      if (interrupted) {
        // Ctrl-C cancelled main and its cleanup ran: end as the JVM ends on Ctrl-C (asyncio
        // re-raises KeyboardInterrupt, which ends Python the same way)
        Runtime.getRuntime().exit(Signals.INTERRUPTED_EXIT);
      }
    }
  }

  /**
   * The loop running on this thread; {@link IllegalStateException} if none.
   *
   * @return the loop running on this thread
   */
  public static EventLoop getRunningLoop() {
    return EventLoop.running();
  }

  /**
   * The task running right now on this thread's running loop, or null in a callback (asyncio's
   * {@code current_task()}).
   *
   * @return the running task, or null when the loop runs something else than a task
   * @throws IllegalStateException if no loop runs on this thread, as asyncio raises {@code
   *     RuntimeError} there
   */
  public static Task<?> currentTask() {
    return EventLoop.running().currentTask;
  }

  // ---- sleeping ----------------------------------------------------------------------------

  /**
   * A coroutine that finishes after {@code delay}; {@code sleep(0)} (or a negative delay) yields to
   * the loop once: everything ready runs before the task goes on (when nothing else is ready, and
   * no timer, I/O or thread-safe call waits, it goes on at once, without suspending: the same order
   * of everything; a Java stack trace taken after it shows the callers it did not unwind). A delay
   * too long to represent (past ~292 years) sleeps until cancelled.
   *
   * @param delay how long to sleep; zero or negative yields once
   * @return a coroutine to await
   */
  public static Coroutine<Void> sleep(Duration delay) {
    return sleepNanos(Deadlines.nanos(delay, "sleep"));
  }

  /**
   * A coroutine that finishes after {@code millis} milliseconds; see {@link #sleep(Duration)}.
   *
   * @param millis how long to sleep, in milliseconds; zero or negative yields once
   * @return a coroutine to await
   */
  public static Coroutine<Void> sleep(long millis) {
    return sleepNanos(Deadlines.nanosOfMillis(millis));
  }

  /**
   * asyncio's {@code sleep(delay, result)}: {@link #sleep(Duration)}, then {@code result} ({@code
   * return sleep(Duration.ofSeconds(1), 42);} ends an {@code @Async} method with 42 a second
   * later).
   *
   * @param <T> the type of the result
   * @param delay how long to sleep; zero or negative yields once
   * @param result what the coroutine completes with
   * @return a coroutine to await
   */
  public static <T> Coroutine<T> sleep(Duration delay, T result) {
    return sleepThen(Deadlines.nanos(delay, "sleep"), result);
  }

  /**
   * asyncio's {@code sleep(delay, result)} in milliseconds: see {@link #sleep(Duration, Object)}.
   *
   * @param <T> the type of the result
   * @param millis how long to sleep, in milliseconds; zero or negative yields once
   * @param result what the coroutine completes with
   * @return a coroutine to await
   */
  public static <T> Coroutine<T> sleep(long millis, T result) {
    return sleepThen(Deadlines.nanosOfMillis(millis), result);
  }

  private static <T> Coroutine<T> sleepThen(long nanos, T result) {
    AsyncFrame<T> f =
        new dev.coroutine.internal.Steps<T>() {
          private boolean slept;

          @Override
          protected Object step(Object value, Throwable failure) throws Throwable {
            if (failure != null) {
              throw failure; // the sleep's cancellation
            }
            if (!slept) {
              slept = true;
              return await(sleepNanos(nanos)); // made here: one coroutine until it is awaited
            }
            return result;
          }
        }.coroutine();
    if (Debug.tracking) { // reported by the name the user called, not the runtime's helper
      Debug.frameStarted(f);
      Debug.trackFrame(f, "sleep()");
    }
    return f;
  }

  private static Coroutine<Void> sleepNanos(long nanos) {
    return nanos <= 0 ? AsyncFrame.YIELD : new Sleep(nanos);
  }

  // ---- tasks -------------------------------------------------------------------------------

  /**
   * Wraps {@code coroutine} in a task on the running loop.
   *
   * @param <T> the type of the coroutine's result
   * @param coroutine the coroutine the task runs; it starts at the loop's next pass
   * @return the scheduled task
   */
  public static <T> Task<T> createTask(Coroutine<T> coroutine) {
    return EventLoop.running().createTask(coroutine);
  }

  /**
   * Wraps {@code coroutine} in a task named {@code name} on the running loop.
   *
   * @param <T> the type of the coroutine's result
   * @param coroutine the coroutine the task runs
   * @param name the task's name, shown by {@code toString} and task dumps
   * @return the scheduled task
   */
  public static <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
    return EventLoop.running().createTask(coroutine, name);
  }

  /**
   * Wraps {@code coroutine} in a task on the running loop that runs in {@code context} instead of a
   * copy of the current context (asyncio 3.11's {@code create_task(coro, name=..., context=ctx)});
   * see {@link EventLoop#createTask(Coroutine, String, Context)}.
   *
   * @param <T> the type of the coroutine's result
   * @param coroutine the coroutine the task runs
   * @param name the task's name, or null for "Task-N"
   * @param context the context the task runs in
   * @return the scheduled task
   */
  public static <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context) {
    return EventLoop.running().createTask(coroutine, name, context);
  }

  /**
   * A future for any awaitable: a future as is, a coroutine wrapped in a task.
   *
   * @param <T> the type of the result
   * @param awaitable a future, task or coroutine
   * @return {@code awaitable} itself if it is a future, else a new task running it
   */
  public static <T> Future<T> ensureFuture(Awaitable<T> awaitable) {
    return EventLoop.running().ensureFuture(awaitable);
  }

  // ---- combinators -------------------------------------------------------------------------

  /**
   * Runs the awaitables concurrently and returns a future of their results in order. The first
   * failure fails the gather (the others keep running); cancelling the gather cancels them all.
   *
   * @param <T> the type of the results
   * @param awaitables what to run concurrently; coroutines are wrapped in tasks
   * @return a future of the results, in the order of {@code awaitables}
   */
  @SafeVarargs
  public static <T> Future<List<T>> gather(Awaitable<? extends T>... awaitables) {
    return gatherOn(EventLoop.running(), false, awaitables);
  }

  /**
   * {@link #gather} that never fails: each failure (or {@link CancellationException}) takes the
   * place of its result in the list.
   *
   * @param awaitables what to run concurrently; coroutines are wrapped in tasks
   * @return a future of the results or exceptions, in the order of {@code awaitables}
   */
  @SafeVarargs
  public static Future<List<Object>> gatherReturnExceptions(Awaitable<?>... awaitables) {
    return gatherOn(EventLoop.running(), true, awaitables);
  }

  /**
   * {@link #gatherReturnExceptions(Awaitable[])} over a collection.
   *
   * @param awaitables what to run concurrently, in order
   * @return a future of the results or exceptions, in the order of {@code awaitables}
   */
  public static Future<List<Object>> gatherReturnExceptions(
      Collection<? extends Awaitable<?>> awaitables) {
    return gatherOn(EventLoop.running(), true, awaitables.toArray(new Awaitable<?>[0]));
  }

  /**
   * {@link #gather(Awaitable[])} over a collection.
   *
   * @param <T> the type of the results
   * @param awaitables what to run concurrently, in order
   * @return a future of the results, in the order of {@code awaitables}
   */
  public static <T> Future<List<T>> gather(
      Collection<? extends Awaitable<? extends T>> awaitables) {
    return gatherOn(EventLoop.running(), false, awaitables.toArray(new Awaitable<?>[0]));
  }

  static <T> Future<List<T>> gatherOn(
      EventLoop loop, boolean returnExceptions, Awaitable<?>... awaitables) {
    return new GatheringFuture<>(loop, futuresOf(loop, awaitables), returnExceptions);
  }

  /**
   * One future per awaitable, in order: futures as they are, coroutines wrapped in tasks. An
   * awaitable passed twice maps to the same future (a coroutine runs once; asyncio does the same).
   * The runtime's one helper for this: {@code gather} here, {@code wait} and {@code asCompleted}
   * (in {@code internal}) get their futures from it.
   */
  static Future<?>[] futuresOf(EventLoop loop, Awaitable<?>[] awaitables) {
    Future<?>[] out = new Future<?>[awaitables.length];
    java.util.IdentityHashMap<Awaitable<?>, Future<?>> seen = null;
    int before = loop.taskCounter; // tasks made by this call are numbered after it
    for (int i = 0; i < out.length; i++) {
      Awaitable<?> a = awaitables[i];
      if (a instanceof Future) {
        out[i] = loop.ensureFuture(a);
        continue;
      }
      if (a instanceof AsyncFrame) {
        // a frame passed twice is wrapped once (asyncio's gather dedups): its own task tells,
        // a task this call made with the frame as its outermost one; no map of every child
        AsyncFrame<?> f = (AsyncFrame<?>) a;
        Task<?> t = f.taskIfOutermost();
        // made by this call: numbered after `before`, up to the counter (unsigned: ids wrap)
        boolean made =
            t != null
                && t.loop == loop
                && Integer.compareUnsigned(t.id - before - 1, loop.taskCounter - before) < 0;
        out[i] = made ? t : loop.ensureFuture(a);
        continue;
      }
      if (seen == null) {
        seen = new java.util.IdentityHashMap<>();
      }
      Future<?> f = seen.get(a);
      if (f == null) {
        f = loop.ensureFuture(a);
        seen.put(a, f);
      }
      out[i] = f;
    }
    return out;
  }

  /**
   * asyncio.wait: waits until the futures (coroutines are wrapped in tasks) satisfy {@code
   * returnWhen} or {@code timeout} passes ({@code null}: no timeout), and returns those done and
   * those pending. Never throws for the futures' failures and never cancels them; a timeout just
   * returns what is done so far. As in asyncio it always suspends at least once (futures already
   * done report through their callbacks, which run from the loop), and the two sets are taken when
   * the waiting task resumes, so a future that finished meanwhile is in {@code done}. Write it
   * qualified, {@code Coroutines.wait(...)}: unqualified, the name resolves to {@link
   * Object#wait()}.
   *
   * @param <T> the type of the results
   * @param awaitables what to wait for (at least one); coroutines are wrapped in tasks
   * @param returnWhen when to return: the first completion, the first failure, or all done
   * @param timeout the longest wait, or null for none
   * @return a coroutine whose result holds the futures done and those still pending
   */
  public static <T> Coroutine<WaitResult<T>> wait(
      Collection<? extends Awaitable<? extends T>> awaitables,
      ReturnWhen returnWhen,
      Duration timeout) {
    Objects.requireNonNull(returnWhen, "returnWhen");
    if (awaitables.isEmpty()) {
      throw new IllegalArgumentException("wait() needs at least one awaitable");
    }
    Awaitable<?>[] all = awaitables.toArray(new Awaitable<?>[0]);
    // coroutines are wrapped in tasks when the wait starts, as asyncio's
    return Waiting.coroutine(() -> futuresOf(EventLoop.running(), all), returnWhen, timeout);
  }

  /**
   * {@link #wait(Collection, ReturnWhen, Duration)} without a timeout.
   *
   * @param <T> the type of the results
   * @param awaitables what to wait for (at least one); coroutines are wrapped in tasks
   * @param returnWhen when to return: the first completion, the first failure, or all done
   * @return a coroutine whose result holds the futures done and those still pending
   */
  public static <T> Coroutine<WaitResult<T>> wait(
      Collection<? extends Awaitable<? extends T>> awaitables, ReturnWhen returnWhen) {
    return wait(awaitables, returnWhen, null);
  }

  /**
   * The awaitables in the order they finish: a list of as many coroutines, the k-th of which,
   * awaited, returns the result of (or throws the failure of) the k-th awaitable to finish.
   * Coroutines are wrapped in tasks at once. After {@code timeout} ({@code null}: none) the
   * coroutines not yet served throw {@link TimeoutException} where they are awaited; nothing is
   * cancelled. The exception is declared here, as on {@link #waitFor}, so put this call inside the
   * {@code try} that catches it:
   *
   * <pre>{@code
   * try {
   *   for (Coroutine<String> next : asCompleted(pages, Duration.ofSeconds(5))) {
   *     print(await(next));
   *   }
   * } catch (TimeoutException e) { ... }
   * }</pre>
   *
   * @param <T> the type of the results
   * @param awaitables what to wait for
   * @param timeout the deadline for all of them, from now; null for none
   * @return one coroutine per awaitable, in the order they finish
   * @throws TimeoutException not by this call: where the returned coroutine is awaited, once the
   *     deadline passes; declared here so that a {@code catch} around the call compiles
   */
  public static <T> List<Coroutine<T>> asCompleted(
      Collection<? extends Awaitable<? extends T>> awaitables, Duration timeout)
      throws TimeoutException {
    EventLoop loop = EventLoop.running();
    return AsCompleted.start(
        loop, futuresOf(loop, awaitables.toArray(new Awaitable<?>[0])), timeout);
  }

  /**
   * {@link #asCompleted(Collection, Duration)} without a timeout.
   *
   * @param <T> the type of the results
   * @param awaitables what to wait for
   * @return one coroutine per awaitable, in the order they finish
   */
  public static <T> List<Coroutine<T>> asCompleted(
      Collection<? extends Awaitable<? extends T>> awaitables) {
    EventLoop loop = EventLoop.running();
    return AsCompleted.start(loop, futuresOf(loop, awaitables.toArray(new Awaitable<?>[0])), null);
  }

  /**
   * Python 3.13's {@code async for t in as_completed(aws)}: the futures themselves (coroutines are
   * wrapped in tasks at once) in the order they finish, each handed out done, so that its {@code
   * result()} or {@code exception()} can be read, and it can be told apart from the others. After
   * {@code timeout} ({@code null}: none) the {@code await(it.hasNext())} that would wait for one of
   * the rest throws {@link TimeoutException}; nothing is cancelled. The iterators of the returned
   * iterable share the futures: each is handed out once.
   *
   * <pre>{@code
   * try (AsyncIterator<Future<Page>> it = asCompletedFutures(tasks, Duration.ofSeconds(5)).iterator()) {
   *   while (await(it.hasNext())) {
   *     Future<Page> first = it.next();
   *     print(first.result());
   *   }
   * } catch (TimeoutException e) { ... }
   * }</pre>
   *
   * @param <T> the type of the results
   * @param awaitables what to wait for
   * @param timeout the deadline for all of them, from now; null for none
   * @return the futures in the order they finish
   * @throws TimeoutException not by this call: where {@code hasNext()} is awaited, once the
   *     deadline passes; declared here so that a {@code catch} around the call compiles
   */
  public static <T> AsyncIterable<Future<T>> asCompletedFutures(
      Collection<? extends Awaitable<? extends T>> awaitables, Duration timeout)
      throws TimeoutException {
    EventLoop loop = EventLoop.running();
    return AsCompleted.iterate(
        loop, futuresOf(loop, awaitables.toArray(new Awaitable<?>[0])), timeout);
  }

  /**
   * {@link #asCompletedFutures(Collection, Duration)} without a timeout.
   *
   * @param <T> the type of the results
   * @param awaitables what to wait for
   * @return the futures in the order they finish
   */
  public static <T> AsyncIterable<Future<T>> asCompletedFutures(
      Collection<? extends Awaitable<? extends T>> awaitables) {
    EventLoop loop = EventLoop.running();
    return AsCompleted.iterate(
        loop, futuresOf(loop, awaitables.toArray(new Awaitable<?>[0])), null);
  }

  /**
   * asyncio.shield: a future that mirrors {@code awaitable} (a coroutine is wrapped in a task) but
   * whose cancellation does not reach it. Cancelling the task that awaits the shield throws {@link
   * CancellationException} there while the inner work goes on.
   *
   * @param <T> the type of the result
   * @param awaitable the work to protect from cancellation
   * @return a future completed as {@code awaitable} completes, unless it is cancelled itself
   */
  public static <T> Future<T> shield(Awaitable<T> awaitable) {
    return Shield.of(EventLoop.running(), awaitable);
  }

  /**
   * asyncio.timeout: runs {@code body} inline, in the current task, under a deadline {@code delay}
   * from now ({@code null}: no deadline). On expiry the task is cancelled; the body sees a {@link
   * CancellationException} at its current await (its {@code finally} blocks run) and the scope
   * throws {@link TimeoutException} instead, unless the task was also cancelled from outside, in
   * which case the cancellation goes on. A body that catches the cancellation and returns normally
   * returns normally.
   *
   * @param <T> the type of the body's result
   * @param delay the time the body has, from now; null for no deadline
   * @param body the work to run under the deadline
   * @return a coroutine whose result is the body's
   * @throws TimeoutException not by this call: where the returned coroutine is awaited, once the
   *     deadline passes; declared here so that a {@code catch} around the call compiles
   */
  public static <T> Coroutine<T> timeout(Duration delay, Awaitable<T> body)
      throws TimeoutException {
    Objects.requireNonNull(body, "body");
    return Timeout.scope(deadline(delay), body);
  }

  /**
   * {@link #timeout(Duration, Awaitable)} where the body is made from the {@link Timeout}, so it
   * can inspect it or move the deadline ({@link Timeout#reschedule}).
   *
   * @param <T> the type of the body's result
   * @param delay the time the body has, from now; null for no deadline
   * @param body makes the work from the scope's {@link Timeout}
   * @return a coroutine whose result is the body's
   * @throws TimeoutException not by this call: where the returned coroutine is awaited, once the
   *     deadline passes; declared here so that a {@code catch} around the call compiles
   */
  public static <T> Coroutine<T> timeout(Duration delay, Timeout.Body<T> body)
      throws TimeoutException {
    Objects.requireNonNull(body, "body");
    return Timeout.scope(deadline(delay), body);
  }

  /**
   * {@link #timeout(Duration, Awaitable)} with a deadline at loop time {@code when} (seconds).
   *
   * @param <T> the type of the body's result
   * @param when the deadline, in the loop's time ({@link EventLoop#time()}), in seconds; {@code
   *     +Infinity} for none ({@link #timeout(Duration, Awaitable)} with null says the same)
   * @param body the work to run under the deadline
   * @return a coroutine whose result is the body's
   * @throws TimeoutException not by this call: where the returned coroutine is awaited, once the
   *     deadline passes; declared here so that a {@code catch} around the call compiles
   * @throws IllegalArgumentException if {@code when} is NaN (a computed deadline gone wrong, which
   *     would otherwise mean no deadline at all)
   */
  public static <T> Coroutine<T> timeoutAt(double when, Awaitable<T> body) throws TimeoutException {
    Objects.requireNonNull(body, "body");
    Deadlines.nanosOfSeconds(when, "timeoutAt");
    return Timeout.scope(when, body);
  }

  /**
   * {@link #timeout(Duration, Timeout.Body)} with a deadline at loop time {@code when} (seconds).
   *
   * @param <T> the type of the body's result
   * @param when the deadline, in the loop's time ({@link EventLoop#time()}), in seconds; {@code
   *     +Infinity} for none
   * @param body makes the work to run under the deadline from the {@link Timeout}
   * @return a coroutine whose result is the body's
   * @throws TimeoutException not by this call: where the returned coroutine is awaited, once the
   *     deadline passes; declared here so that a {@code catch} around the call compiles
   * @throws IllegalArgumentException if {@code when} is NaN
   */
  public static <T> Coroutine<T> timeoutAt(double when, Timeout.Body<T> body)
      throws TimeoutException {
    Objects.requireNonNull(body, "body");
    Deadlines.nanosOfSeconds(when, "timeoutAt");
    return Timeout.scope(when, body);
  }

  private static double deadline(Duration delay) {
    // the deadline is taken now, when the scope is created, as asyncio.timeout(delay) does
    return delay == null ? Double.NaN : Timeout.deadlineAfter(EventLoop.running(), delay);
  }

  /**
   * asyncio.wait_for (3.12): waits for {@code awaitable} at most {@code timeout} ({@code null}: no
   * limit). A coroutine runs inline in the awaiting task, under a {@link #timeout} scope whose
   * deadline is taken when the await starts; a future or task is awaited under the same scope. On
   * timeout the inner work is cancelled, its cleanup runs to the end, and {@link TimeoutException}
   * (caused by the {@link CancellationException}) is thrown at the await; if the inner work
   * swallows the cancellation, its result is returned. Cancelling the awaiting task cancels the
   * inner work and the task finishes only after that work did. A zero or negative timeout wraps the
   * awaitable in a task, returns at once if it is done, and otherwise cancels it, waits for it, and
   * throws {@link TimeoutException} (a coroutine never starts).
   *
   * @param <T> the type of the result
   * @param awaitable the work to wait for: a coroutine (run inline), a future or a task
   * @param timeout the longest wait, or null for none
   * @return a coroutine whose result is the awaitable's
   * @throws TimeoutException not by this call: where the returned coroutine is awaited, once the
   *     deadline passes; declared here so that a {@code catch} around the call compiles
   */
  public static <T> Coroutine<T> waitFor(Awaitable<T> awaitable, Duration timeout)
      throws TimeoutException {
    Objects.requireNonNull(awaitable, "awaitable");
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      return WaitFor.now(awaitable);
    }
    return Timeout.scopeFromEntry(timeout, awaitable);
  }

  // ---- async iteration ---------------------------------------------------------------------

  /**
   * An async generator (Python's {@code async def} with {@code yield}; Kotlin's {@code flow {}}):
   * the producer is sequential async code that emits values, {@code await(out.emit(x))}.
   *
   * <pre>{@code
   * @Async static Coroutine<Void> countdown(Emitter<Integer> out, int from) {
   *   for (int i = from; i > 0; i--) {
   *     await(out.emit(i));
   *     await(sleep(10));
   *   }
   *   return done();
   * }
   * ...
   * try (AsyncIterator<Integer> it = generate(out -> countdown(out, 3)).iterator()) {
   *   while (await(it.hasNext())) {
   *     print(it.next());
   *   }
   * }
   * }</pre>
   *
   * <p>Cold and lazy: each {@link AsyncIterable#iterator()} runs the producer anew, and nothing of
   * it runs until the consumer first awaits {@code hasNext()}. The producer runs in the consumer's
   * task, without a buffer: it runs until its next emit, then waits there until the consumer asks
   * for the value after. So its failure is thrown at the consumer's {@code await(it.hasNext())}
   * unchanged; cancelling the consumer's task while the producer waits cancels the producer (its
   * {@code finally} blocks run); and closing the iterator early ({@code try}-with-resources, {@link
   * AsyncIterator#aclose()}) throws {@link GeneratorExitException} into the producer at its emit,
   * so its {@code finally} blocks run.
   *
   * @param <T> the type of the values
   * @param producer makes the producer's coroutine from the emitter, once per iteration
   * @return an iterable whose iterators each run the producer
   */
  public static <T> AsyncIterable<T> generate(AsyncIterable.Producer<T> producer) {
    Objects.requireNonNull(producer, "producer");
    return () -> new AsyncGenerator<>(producer);
  }

  // ---- threads -----------------------------------------------------------------------------

  /**
   * asyncio.to_thread: a coroutine that runs {@code callable} on the running loop's default
   * executor and returns its result (or rethrows its exception unchanged) on the loop thread.
   * Cancelling the awaiting task does not interrupt the callable. The callable runs in a copy of
   * the awaiting task's {@link Context}.
   *
   * @param <T> the type of the callable's result
   * @param callable blocking work to run off the loop thread
   * @return a coroutine whose result is the callable's
   */
  public static <T> Coroutine<T> toThread(Callable<T> callable) {
    Objects.requireNonNull(callable, "callable");
    return Frames.lazy(() -> EventLoop.running().runInExecutor(callable));
  }

  /**
   * Submits {@code coroutine} to {@code loop} from any other thread; the returned future completes
   * with its result. Cancelling the returned future cancels the task. If the loop is closed before
   * the coroutine finished, the future completes exceptionally with {@link IllegalStateException}
   * (never left pending); on a closed loop this throws it. Waits for room like {@link
   * EventLoop#callSoonThreadsafe}. The task runs in a copy of the calling thread's {@link Context}.
   *
   * @param <T> the type of the coroutine's result
   * @param coroutine the coroutine to run as a task on {@code loop}
   * @param loop a running loop, on another thread
   * @return a future completed, on the loop's thread, with the coroutine's result or failure
   */
  public static <T> CompletableFuture<T> runCoroutineThreadsafe(
      Coroutine<T> coroutine, EventLoop loop) {
    Objects.requireNonNull(coroutine, "coroutine");
    ThreadsafeSubmission<T> submission = new ThreadsafeSubmission<>(coroutine, loop);
    loop.callSoonThreadsafe(submission);
    return submission.result;
  }
}
