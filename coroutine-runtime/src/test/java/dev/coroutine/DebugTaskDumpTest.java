package dev.coroutine;

import static dev.coroutine.Coroutines.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link EventLoop#dumpTasks()}: states and waits (on a virtual clock, so the numbers are exact),
 * and dumps asked for from other threads. Frames with file and line are tested with real
 * {@code @Async} code in coroutine-agent's DebugTaskDumpTest; the hand-written coroutines here show
 * as runtime coroutines.
 */
class DebugTaskDumpTest {

  @Test
  void dump_namesEachTaskWithItsStateAndHowLongItWaited() {
    try (EventLoop loop = EventLoop.withVirtualTime()) {
      Future<String> gate = loop.createFuture();
      loop.createTask(Co.awaiting(gate), "gatekeeper");
      loop.createTask(Co.awaiting(sleep(Duration.ofSeconds(10))), "sleeper");
      loop.callLater(3.0, () -> loop.createTask(Co.awaiting(gate), "late"));
      loop.callLater(4.0, loop::stop);
      loop.runForever();
      loop.createTask(Co.awaiting(gate), "fresh"); // scheduled, the loop stopped: never ran

      String dump = loop.dumpTasks();

      assertThat(dump)
          .startsWith("Tasks of event loop")
          .contains("at loop time 4.000 s (virtual): 4 pending tasks")
          .contains("\"gatekeeper\" waiting on Future<pending>, for 4.000 s\n")
          .contains("\"sleeper\" sleeping until 10.000 s (6.000 s left)\n")
          .contains("\"late\" waiting on Future<pending>, for 1.000 s\n")
          .contains("\"fresh\" scheduled (not started), for 0.000 s\n")
          .contains("\tat dev.coroutine.Co (runtime coroutine)\n");
      assertThat(dump.indexOf("\"gatekeeper\"")).isLessThan(dump.indexOf("\"sleeper\""));
      assertThat(dump.indexOf("\"sleeper\"")).isLessThan(dump.indexOf("\"fresh\""));

      gate.setResult("open");
      assertThat(loop.dumpTasks())
          .contains("\"gatekeeper\" ready (woken by Future<finished result=open>)");
    }
  }

  @Test
  void dumpFromInsideATask_showsThatTaskRunning_andATaskAwaitingAnother() {
    try (EventLoop loop = EventLoop.withVirtualTime()) {
      Task<Object> child = loop.createTask(Co.awaiting(sleep(60_000)), "child");
      Task<Object> parent = loop.createTask(Co.awaiting(child), "parent");
      AtomicReference<String> seen = new AtomicReference<>();
      Task<Object> self =
          loop.createTask(
              Co.seq(
                  v -> Co.await(sleep(0)),
                  v -> {
                    seen.set(loop.dumpTasks());
                    return null;
                  }),
              "self");
      loop.runUntilComplete(self);
      assertThat(seen.get())
          .contains("\"self\" running\n")
          .contains("\"parent\" waiting on Task<child pending>")
          .contains("\"child\" sleeping until 60.000 s");
      parent.cancel();
      loop.runUntilComplete(Co.seq(v -> Co.await(sleep(0)), v -> Co.await(sleep(0))));
      assertThat(loop.dumpTasks()).contains("0 pending tasks");
    }
  }

  @Test
  void dumpFromAnotherThread_isTakenOnTheLoopThread() throws Exception {
    EventLoop loop = new EventLoop();
    CountDownLatch started = new CountDownLatch(1);
    Thread runner =
        new Thread(
            () -> {
              loop.createTask(
                  Co.seq(
                      v -> {
                        started.countDown();
                        return Co.await(sleep(Duration.ofMinutes(10)));
                      }));
              loop.runForever();
            },
            "dump-test-loop");
    runner.setDaemon(true);
    runner.start();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(20);
    String dump = loop.dumpTasks();
    assertThat(dump)
        .contains("(thread \"dump-test-loop\")")
        .contains("1 pending task,")
        .contains("sleeping until")
        .doesNotContain("unsynchronized");
    StringBuilder out = new StringBuilder();
    loop.dumpTasks(out);
    assertThat(out.toString()).contains("sleeping until");
    loop.callSoonThreadsafe(loop::stop);
    runner.join(10_000);
    loop.close();
  }

  @Test
  void dumpOfABlockedLoop_isAMarkedSnapshotWithTheLoopThreadsStack() throws Exception {
    EventLoop loop = new EventLoop();
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread runner =
        new Thread(
            () -> {
              loop.createTask(Co.awaiting(sleep(Duration.ofMinutes(10))), "bystander");
              loop.callSoon(
                  () -> {
                    blocked.countDown();
                    try {
                      release.await(); // a callback blocking the loop thread
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
              loop.callLater(0.01, loop::stop);
              loop.runForever();
            },
            "blocked-loop");
    runner.setDaemon(true);
    runner.start();
    assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
    String dump;
    try {
      dump = loop.dumpTasks(200, null);
    } finally {
      release.countDown();
    }
    runner.join(10_000);
    loop.close();
    assertThat(dump)
        .contains("[unsynchronized snapshot: the loop did not answer]")
        .contains("\"bystander\"")
        .contains("The loop thread \"blocked-loop\" is at:")
        .contains("CountDownLatch.await");
  }
}
