package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.internal.Futures;
import dev.coroutine.internal.RuntimeCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The runtime's own done-callbacks and timers ({@link RuntimeCallback}) are bound to no context: no
 * copy of the current context is made for them and none is entered when they run, while a user's
 * callback registered in the same context still runs in a copy of it (asyncio's semantics).
 */
class RuntimeCallbackContextTest extends TestBase {
  private static final ContextVar<String> VAR = new ContextVar<>("var", "unset");

  /**
   * The callbacks registered on {@code f}, as stored (a ContextBound when a context was copied).
   */
  private static List<Object> stored(Future<?> f) {
    Object cbs = f.callbacks;
    List<Object> out = new ArrayList<>();
    if (cbs instanceof ArrayList) {
      out.addAll((ArrayList<?>) cbs);
    } else if (cbs != null) {
      out.add(cbs);
    }
    return out;
  }

  @Test
  void combinatorsRegisterOnTheirFutures_withoutCopyingTheContext_userCallbacksDo() {
    List<List<Object>> registered = new ArrayList<>();
    List<Object> user = new ArrayList<>();
    List<Future<Object>> futures = new ArrayList<>();
    runSteps(
        v -> {
          VAR.set("set in the task"); // from here, a user's callback gets a copy of the context
          for (int i = 0; i < 5; i++) {
            futures.add(loop.createFuture());
          }
          Coroutines.shield(futures.get(0));
          Futures.follow(loop, futures.get(1));
          Coroutines.gather(futures.get(2));
          Coroutines.asCompleted(List.of(futures.get(3)));
          loop.createTask(Coroutines.wait(List.of(futures.get(4)), ReturnWhen.ALL_COMPLETED));
          return Co.await(Coroutines.sleep(0)); // the wait starts and registers
        },
        v -> {
          for (Future<Object> f : futures) {
            registered.add(stored(f));
          }
          futures.get(0).addDoneCallback(f -> {});
          user.addAll(stored(futures.get(0)));
          for (Future<Object> f : futures) {
            f.setResult("done");
          }
          return Co.await(Coroutines.sleep(0));
        });

    assertThat(registered).hasSize(5).allSatisfy(cbs -> assertThat(cbs).hasSize(1));
    assertThat(registered)
        .flatMap(cbs -> cbs)
        .allSatisfy(cb -> assertThat(cb).isNotInstanceOf(ContextBound.class));
    // the control: in the same context, a user's callback is bound to a copy of it
    assertThat(user).hasSize(2);
    assertThat(user.get(1)).isInstanceOf(ContextBound.class);
  }

  @Test
  void runtimeCallback_runsInTheFreshContext_userCallback_inACopyOfItsOwn() {
    List<String> seen = new CopyOnWriteArrayList<>();
    runSteps(
        v -> {
          Future<String> f = loop.createFuture();
          VAR.set("registered here");
          f.addDoneCallback(
              (RuntimeCallback<Future<String>>) x -> seen.add("runtime:" + VAR.get()));
          f.addDoneCallback(x -> seen.add("user:" + VAR.get()));
          VAR.set("changed after");
          f.setResult("r");
          return Co.await(Coroutines.sleep(0));
        });

    assertThat(seen).containsExactly("runtime:unset", "user:registered here");
  }

  @Test
  void runtimeTimer_runsInTheFreshContext_userTimer_inACopyOfItsOwn() {
    List<String> seen = new CopyOnWriteArrayList<>();
    runSteps(
        v -> {
          Future<Void> fired = loop.createFuture();
          VAR.set("scheduled here");
          loop.callLater(0.001, new OwnTimer(seen));
          loop.callLater(
              0.002,
              () -> {
                seen.add("user:" + VAR.get());
                fired.setResult(null);
              });
          VAR.set("changed after");
          return Co.await(fired);
        });

    assertThat(seen).containsExactly("runtime:unset", "user:scheduled here");
  }

  /** A timer of the runtime's own kind: marked, as AsCompleted's and Waiting's are. */
  private static final class OwnTimer implements RuntimeCallback<Object>, Runnable {
    private final List<String> seen;

    OwnTimer(List<String> seen) {
      this.seen = seen;
    }

    @Override
    public void accept(Object x) {}

    @Override
    public void run() {
      seen.add("runtime:" + VAR.get());
    }
  }
}
