package dev.coroutine.conformance;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.currentTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.gather;
import static dev.coroutine.Coroutines.gatherReturnExceptions;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.shield;
import static dev.coroutine.Coroutines.sleep;
import static dev.coroutine.Coroutines.waitFor;
import static dev.coroutine.conformance.Trace.log;
import static dev.coroutine.conformance.Trace.msg;
import static dev.coroutine.conformance.Trace.state;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import dev.coroutine.sync.Lock;
import dev.coroutine.sync.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** Twins of src/test/python/edge_eager.py (an outside tester's additions). */
@dev.coroutine.CatchesCancellation // scenarios catch cancellation on purpose
final class EdgeEagerScenarios {
  private EdgeEagerScenarios() {}

  static final class Boom extends RuntimeException {
    Boom() {
      super("boom");
    }
  }

  static void eager() {
    getRunningLoop().setEagerTasks(true);
  }

  @Async
  static Coroutine<Integer> twoSteps() {
    log("child first step");
    await(sleep(0));
    log("child second step");
    return done(7);
  }

  @Scenario("first_step_runs_inside_create_task")
  @Async
  static Coroutine<Void> firstStepInsideCreateTask() {
    eager();
    getRunningLoop().callSoon(() -> log("callback queued before"));
    log("before create");
    Task<Integer> t = createTask(twoSteps());
    log("after create", state(t));
    log("awaited", await(t));
    return done();
  }

  @Async
  static Coroutine<String> instantV() {
    return done("v");
  }

  @Scenario("done_at_creation_callbacks_still_scheduled")
  @Async
  static Coroutine<Void> doneAtCreation() {
    eager();
    Task<String> t = createTask(instantV());
    log("created", state(t));
    t.addDoneCallback(f -> log("callback", state(f)));
    log("callback added");
    await(sleep(0));
    log("end");
    return done();
  }

  @Async
  static Coroutine<Void> currentChild(Task<?> parent, List<Task<?>> box) {
    Task<?> me = currentTask();
    box.add(me);
    log("inside: is parent", me == parent);
    await(sleep(0));
    log("after suspension: same task", currentTask() == me);
    return done();
  }

  @Scenario("current_task_inside_the_eager_step")
  @Async
  static Coroutine<Void> currentTaskInsideEager() {
    eager();
    Task<?> parent = currentTask();
    List<Task<?>> box = new ArrayList<>();
    Task<Void> t = createTask(currentChild(parent, box));
    log("back in parent", currentTask() == parent, box.get(0) == t);
    await(t);
    return done();
  }

  @Async
  static Coroutine<Void> selfCancelChild() {
    currentTask().cancel("self");
    log("still running after self cancel");
    try {
      await(sleep(0));
    } catch (CancellationException e) {
      log("cancelled at first suspension", msg(e));
      throw e;
    }
    return done();
  }

  @Scenario("eager_self_cancel_delivered_at_first_suspension")
  @Async
  static Coroutine<Void> eagerSelfCancel() {
    eager();
    Task<Void> t = createTask(selfCancelChild());
    log("after create", state(t), t.cancelling());
    await(gatherReturnExceptions(t));
    log(state(t));
    return done();
  }

  @Async
  static Coroutine<Void> sleepingChild() {
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("child cancelled", msg(e));
      throw e;
    }
    return done();
  }

  @Scenario("eager_task_cancelled_by_creator_right_after")
  @Async
  static Coroutine<Void> eagerCancelledByCreator() {
    eager();
    Task<Void> t = createTask(sleepingChild());
    log("cancel", t.cancel("creator"));
    await(gatherReturnExceptions(t));
    log(state(t));
    return done();
  }

  @Async
  static Coroutine<Void> bad() {
    throw new Boom();
  }

  @Scenario("eager_failure_not_raised_at_creation")
  @Async
  static Coroutine<Void> eagerFailureNotRaised() {
    eager();
    Task<Void> t = createTask(bad());
    log("created", state(t));
    try {
      await(t);
    } catch (Boom e) {
      log("await raised Boom");
    }
    return done();
  }

  @Async
  static Coroutine<Integer> doubling(Future<Integer> f) {
    int v = await(f);
    log("child got", v);
    return done(v * 2);
  }

  @Scenario("eager_task_awaiting_done_future_completes_at_creation")
  @Async
  static Coroutine<Void> eagerAwaitingDoneFuture() {
    eager();
    Future<Integer> f = getRunningLoop().createFuture();
    f.setResult(3);
    Task<Integer> t = createTask(doubling(f));
    log("created", state(t));
    return done();
  }

  @Async
  static Coroutine<String> namedSteps(String name) {
    log(name, "first step");
    await(sleep(0));
    log(name, "second step");
    return done(name);
  }

  @Scenario("gather_starts_eager_children_in_order")
  @Async
  static Coroutine<Void> gatherStartsEager() {
    eager();
    Future<List<String>> g = gather(namedSteps("a"), namedSteps("b"));
    log("gather returned", g.isDone());
    log(await(g));
    return done();
  }

  @Async
  static Coroutine<Integer> instant(int v) {
    return done(v);
  }

  @Scenario("gather_of_instant_eager_children_is_done_at_once")
  @Async
  static Coroutine<Void> gatherOfInstantEager() {
    eager();
    Future<List<Integer>> g = gather(instant(1), instant(2));
    log("gather done at once", g.isDone());
    log(await(g));
    return done();
  }

  @Async
  static Coroutine<Void> leaf(String name) {
    log(name, "runs");
    await(sleep(0));
    log(name, "resumes");
    return done();
  }

  @Async
  static Coroutine<Void> middle() {
    log("middle starts");
    Task<Void> t = createTask(leaf("leaf"));
    log("middle created leaf");
    await(t);
    log("middle ends");
    return done();
  }

  @Scenario("nested_eager_creation_order")
  @Async
  static Coroutine<Void> nestedEager() {
    eager();
    Task<Void> m = createTask(middle());
    log("main created middle");
    await(m);
    return done();
  }

  @Async
  static Coroutine<Void> callbackChild() {
    log("child runs in a task", currentTask() != null);
    await(sleep(0));
    log("child resumes");
    return done();
  }

  @Scenario("eager_task_from_callback")
  @Async
  static Coroutine<Void> eagerFromCallback() {
    eager();
    EventLoop loop = getRunningLoop();
    List<Task<Void>> box = new ArrayList<>();
    loop.callSoon(
        () -> {
          log("callback creates");
          box.add(loop.createTask(callbackChild()));
          log("callback done", state(box.get(0)));
        });
    await(sleep(0));
    await(sleep(0));
    await(box.get(0));
    return done();
  }

  @Async
  static Coroutine<Integer> qGetter(Queue<Integer> q, String name) {
    int item = await(q.get());
    log(name, "got", item);
    return done(item);
  }

  @Scenario("eager_getter_takes_item_at_creation")
  @Async
  static Coroutine<Void> eagerGetter() {
    eager();
    Queue<Integer> q = new Queue<>();
    q.putNowait(1);
    Task<Integer> a = createTask(qGetter(q, "a"));
    Task<Integer> b = createTask(qGetter(q, "b"));
    log(state(a), state(b));
    q.putNowait(2);
    await(b);
    return done();
  }

  @Async
  static Coroutine<Void> lockUser(Lock lock, String name) {
    await(lock.acquire());
    try {
      log(name, "has the lock");
      await(sleep(0));
    } finally {
      lock.release();
    }
    return done();
  }

  @Scenario("eager_lock_waiters_keep_creation_order")
  @Async
  static Coroutine<Void> eagerLockWaiters() {
    eager();
    Lock lock = new Lock();
    List<Task<Void>> tasks = new ArrayList<>();
    for (String n : List.of("a", "b", "c")) {
      tasks.add(createTask(lockUser(lock, n)));
    }
    List<Boolean> doneFlags = new ArrayList<>();
    for (Task<Void> t : tasks) {
      doneFlags.add(t.isDone());
    }
    log("created", doneFlags);
    await(gather(tasks));
    return done();
  }

  @Async
  static Coroutine<String> instantLogged() {
    log("instant runs");
    return done("v");
  }

  @Scenario("wait_for_zero_timeout_on_eager_coroutine_that_finishes")
  @Async
  static Coroutine<Void> waitForZeroEagerFinishes() throws TimeoutException {
    eager();
    log("wait_for", await(waitFor(instantLogged(), Duration.ZERO)));
    return done();
  }

  @Async
  static Coroutine<Void> slow() {
    log("slow starts");
    try {
      await(sleep(1000));
    } catch (CancellationException e) {
      log("slow cancelled");
      throw e;
    }
    return done();
  }

  @Scenario("wait_for_zero_timeout_on_eager_coroutine_that_suspends")
  @Async
  static Coroutine<Void> waitForZeroEagerSuspends() {
    eager();
    try {
      await(waitFor(slow(), Duration.ZERO));
    } catch (TimeoutException e) {
      log("timed out");
    }
    return done();
  }

  @Scenario("shield_of_eager_coroutine_that_finishes")
  @Async
  static Coroutine<Void> shieldOfEagerFinishes() {
    eager();
    Future<String> s = shield(instantLogged());
    log("shield done at once", s.isDone());
    log(await(s));
    return done();
  }

  @Async
  static Coroutine<String> failAtOnce() {
    log("a fails at once");
    throw new Boom();
  }

  @Async
  static Coroutine<String> other() {
    log("b first step");
    await(sleep(0));
    log("b second step");
    return done("b");
  }

  @Scenario("gather_goes_on_creating_after_eager_failure")
  @Async
  static Coroutine<Void> gatherAfterEagerFailure() {
    eager();
    try {
      await(gather(failAtOnce(), other()));
    } catch (Boom e) {
      log("gather raised Boom");
    }
    await(sleep(0));
    await(sleep(0));
    return done();
  }
}
