package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.toThread;
import static dev.coroutine.conformance.Trace.log;

import dev.coroutine.Async;
import dev.coroutine.Context;
import dev.coroutine.ContextVar;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import dev.coroutine.TaskGroup;
import java.util.List;
import java.util.NoSuchElementException;

/** Twins of src/test/python/context_vars.py: context variables across tasks and callbacks. */
final class ContextVarsScenarios {
  private ContextVarsScenarios() {}

  static final ContextVar<String> VAR = new ContextVar<>("var", "unset");

  @Async
  static Coroutine<Void> reader(String name) {
    log(name, "sees", VAR.get());
    await(sleep(0));
    log(name, "still sees", VAR.get());
    return done();
  }

  @Async
  static Coroutine<String> setter(String name) {
    log(name, "sees", VAR.get());
    VAR.set(name);
    await(sleep(0));
    log(name, "after await", VAR.get());
    return done(VAR.get());
  }

  @Scenario("task_copies_context")
  @Async
  static Coroutine<Void> taskCopiesContext() {
    VAR.set("parent-1");
    Task<Void> t = createTask(reader("child"));
    VAR.set("parent-2"); // after the child was created: not in its copy
    await(t);
    log("parent", VAR.get());
    return done();
  }

  @Scenario("child_change_invisible_to_parent")
  @Async
  static Coroutine<Void> childChangeInvisible() {
    VAR.set("parent");
    String r = await(createTask(setter("child")));
    log("parent", VAR.get(), "child returned", r);
    await(setter("inline")); // awaited in the same task: the same context
    log("parent after inline await", VAR.get());
    return done();
  }

  @Scenario("sibling_changes_are_separate")
  @Async
  static Coroutine<Void> siblingsSeparate() {
    VAR.set("parent");
    Task<String> a = createTask(setter("a"));
    Task<Void> b = createTask(reader("b"));
    await(a);
    await(b);
    log("parent", VAR.get());
    return done();
  }

  static void cb(String tag) {
    log(tag, "sees", VAR.get());
    VAR.set("set by " + tag);
  }

  @Scenario("call_soon_context")
  @Async
  static Coroutine<Void> callSoonContext() {
    EventLoop loop = getRunningLoop();
    Future<Void> fired = loop.createFuture();
    VAR.set("first");
    loop.callSoon(() -> cb("cb1"));
    VAR.set("second");
    loop.callSoon(() -> cb("cb2"));
    Context ctx = Context.copyContext();
    loop.callSoon(() -> cb("cb3 in ctx"), ctx);
    VAR.set("third");
    loop.callLater(
        0.001,
        () -> {
          cb("timer");
          fired.setResult(null);
        });
    await(fired);
    log("task", VAR.get(), "ctx now", ctx.get(VAR));
    return done();
  }

  @Scenario("done_callback_context")
  @Async
  static Coroutine<Void> doneCallbackContext() {
    EventLoop loop = getRunningLoop();
    Future<Integer> fut = loop.createFuture();
    VAR.set("when added");
    fut.addDoneCallback(f -> log("done callback sees", VAR.get()));
    Context ctx = new Context();
    fut.addDoneCallback(f -> VAR.set("in ctx"), ctx);
    VAR.set("when completed");
    fut.setResult(1);
    await(sleep(0));
    log("task", VAR.get(), "ctx", ctx.get(VAR, "absent"));
    return done();
  }

  @Scenario("gather_children")
  @Async
  static Coroutine<Void> gatherChildren() {
    VAR.set("parent");
    List<String> r = await(gather(setter("a"), setter("b")));
    log("results", r, "parent", VAR.get());
    return done();
  }

  @Scenario("task_group_children")
  @Async
  static Coroutine<Void> taskGroupChildren() {
    VAR.set("parent");
    Object[] a = new Object[1];
    await(
        TaskGroup.run(
            tg -> {
              a[0] = tg.createTask(setter("a"));
              tg.createTask(reader("b"));
              VAR.set("body"); // after the children were created
              return done();
            }));
    log("a returned", ((Task<?>) a[0]).result(), "parent", VAR.get());
    return done();
  }

  @Scenario("create_task_with_context")
  @Async
  static Coroutine<Void> createTaskWithContext() {
    Context ctx = new Context();
    ctx.run(() -> VAR.set("from ctx"));
    Task<String> t = createTask(setter("child"), null, ctx);
    await(t);
    log("ctx now", ctx.get(VAR), "parent", VAR.get());
    return done();
  }

  @Scenario("to_thread_carries_context")
  @Async
  static Coroutine<Void> toThreadCarriesContext() {
    VAR.set("caller");
    String r =
        await(
            toThread(
                () -> {
                  String seen = VAR.get();
                  VAR.set("worker");
                  return seen;
                }));
    log("worker saw", r, "caller", VAR.get());
    return done();
  }

  @Async
  static Coroutine<ContextVar.Token<String>> makeToken() {
    return done(VAR.set("child"));
  }

  @Scenario("reset_token_errors")
  @Async
  static Coroutine<Void> resetTokenErrors() {
    ContextVar<String> other = new ContextVar<>("other");
    ContextVar.Token<String> t = VAR.set("x");
    try {
      other.reset(t);
    } catch (IllegalArgumentException e) {
      log("wrong var", e);
    }
    VAR.reset(t);
    log("after reset", VAR.get());
    try {
      VAR.reset(t);
    } catch (IllegalStateException e) {
      log("used twice", e);
    }
    ContextVar.Token<String> tok = await(createTask(makeToken()));
    try {
      VAR.reset(tok);
    } catch (IllegalArgumentException e) {
      log("token of a child task", e);
    }
    Context ctx = new Context();
    ContextVar.Token<String> tok2 = ctx.run(() -> VAR.set("in ctx"));
    try {
      VAR.reset(tok2);
    } catch (IllegalArgumentException e) {
      log("token of another context", e);
    }
    ctx.run(() -> VAR.reset(tok2));
    log("ctx has var", ctx.containsKey(VAR));
    try {
      other.get();
    } catch (NoSuchElementException e) {
      log("unset without default", e);
    }
    log("fallback", other.get("fb"), VAR.get("fb"));
    return done();
  }

  @Scenario("context_run_twice_refused")
  @Async
  static Coroutine<Void> contextRunTwice() {
    Context ctx = new Context();
    ctx.run(
        () -> {
          try {
            ctx.run(() -> {});
          } catch (IllegalStateException e) {
            log("nested run", e);
          }
          VAR.set("inside");
        });
    log("ctx", ctx.get(VAR), "task", VAR.get());
    return done();
  }
}
