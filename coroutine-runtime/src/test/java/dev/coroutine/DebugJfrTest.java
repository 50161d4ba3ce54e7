package dev.coroutine;

import static dev.coroutine.Coroutines.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flight-recorder events, recorded in-process and read back from the file. */
class DebugJfrTest {

  @Test
  void taskStartEndAndSlowCallback_areRecordedAndReadBack(@TempDir Path dir) throws Exception {
    assertThat(Jfr.PRESENT).isTrue();
    Path file = dir.resolve("coroutines.jfr");
    warmUp(); // a cold first task step (class loading) can pass the 50 ms threshold by itself
    try (Recording r = new Recording()) {
      r.enable("dev.coroutine.TaskStart");
      r.enable("dev.coroutine.TaskEnd");
      r.enable("dev.coroutine.SlowCallback").withThreshold(Duration.ofMillis(50));
      r.start();
      try (EventLoop loop = new EventLoop()) {
        awaitEventsOn(); // another test's open loop may have the watch still registering
        Task<Object> ok = loop.createTask(Co.seq(v -> Co.await(sleep(20)), v -> "fine"), "jfr-ok");
        Task<Object> bad =
            loop.createTask(
                Co.seq(
                    v -> Co.await(sleep(1)),
                    v -> {
                      throw new IllegalStateException("jfr");
                    }),
                "jfr-bad");
        loop.callSoon(
            () -> {
              try {
                Thread.sleep(120); // blocks the loop: a slow callback
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
        loop.runUntilComplete(Co.seq(v -> Co.await(Coroutines.gatherReturnExceptions(ok, bad))));
      }
      r.stop();
      r.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    List<RecordedEvent> starts = named(events, "dev.coroutine.TaskStart");
    List<RecordedEvent> ends = named(events, "dev.coroutine.TaskEnd");
    List<RecordedEvent> slow = named(events, "dev.coroutine.SlowCallback");

    assertThat(starts.stream().map(e -> e.getString("task"))).contains("jfr-ok", "jfr-bad");
    RecordedEvent okEnd = only(ends, "jfr-ok");
    assertThat(okEnd.getString("outcome")).isEqualTo("result");
    assertThat(okEnd.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
    RecordedEvent badEnd = only(ends, "jfr-bad");
    assertThat(badEnd.getString("outcome")).isEqualTo("exception");
    assertThat(badEnd.getString("exception")).isEqualTo("java.lang.IllegalStateException");
    // the blocking callback; on a loaded machine a task step may also pass the threshold
    List<RecordedEvent> slowHandles =
        slow.stream()
            .filter(e -> e.getString("callback").startsWith("Handle["))
            .collect(Collectors.toList());
    assertThat(slowHandles).hasSize(1);
    assertThat(slowHandles.get(0).getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
  }

  @Test
  void aProgramThatNeverRecords_loadsNoEventClass_aRecordingStartedUnderAnOpenLoopGetsTheEvents(
      @TempDir Path dir) throws Exception {
    // the first event class a JVM loads costs it 0.2-0.4 s (found from outside: every first
    // run() paid it on the loop thread); they load once the recorder is initialized
    assertLateRecording(dir, "loop-first");
  }

  @Test
  void aLoopMadeAfterTheRecorderStarted_turnsTheEventsOnBeforeItsFirstTask(@TempDir Path dir)
      throws Exception {
    // the runtime watches the recorder only while a loop is open (a listener left in the JVM's
    // list would keep a plugin's copy of the runtime), so a loop made later must look for itself
    assertLateRecording(dir, "recorder-first");
  }

  private static void assertLateRecording(Path dir, String order) throws Exception {
    String text =
        ChildJvm.runOk(
            List.of("-Xlog:class+load=info"),
            LateRecording.class,
            dir.resolve("late.jfr").toString(),
            order);
    int mark = text.indexOf("--- recording starts");
    assertThat(mark).as(text).isPositive();
    assertThat(text.substring(0, mark)).contains("ran: done").doesNotContain("JfrEvents");
    assertThat(text.substring(mark)).contains("JfrEvents").contains("recorded: [late]");
  }

  /**
   * The child JVM's program: a loop runs and closes, then a recording starts and a task of a new
   * loop runs under it; the loop is made before the recording starts ({@code loop-first}, after
   * twenty loops made and closed: the recorder's listener, registered again by the thread that made
   * the loop, turns the events on) or after ({@code recorder-first}: the loop does, at once).
   */
  static final class LateRecording {
    public static void main(String[] args) throws Exception {
      try (EventLoop loop = new EventLoop()) {
        Object r = loop.runUntilComplete(Co.seq(v -> Co.await(sleep(1)), v -> "done"));
        System.out.println("ran: " + r);
      }
      System.out.println("--- recording starts");
      Path file = Path.of(args[0]);
      boolean loopFirst = args[1].equals("loop-first");
      if (loopFirst) {
        for (int i = 0; i < 20; i++) { // loops made and closed in turn: the listener comes and goes
          new EventLoop().close();
          Thread.sleep(10);
        }
      }
      EventLoop loop = loopFirst ? new EventLoop() : null;
      try (Recording rec = new Recording()) {
        rec.enable("dev.coroutine.TaskStart");
        rec.start();
        if (loopFirst) {
          awaitEventsOn();
        } else {
          loop = new EventLoop();
          assertThat(Jfr.on()).as("events on as the loop is made").isTrue();
        }
        loop.runUntilComplete(loop.createTask(Co.seq(v -> Co.await(sleep(1))), "late"));
        loop.close();
        rec.stop();
        rec.dump(file);
      }
      System.out.println(
          "recorded: "
              + named(RecordingFile.readAllEvents(file), "dev.coroutine.TaskStart").stream()
                  .map(e -> e.getString("task"))
                  .collect(Collectors.toList()));
    }
  }

  /** Waits (at most 10 s) until the runtime saw the recorder initialized and loaded its events. */
  private static void awaitEventsOn() throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Jfr.on() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(Jfr.on()).as("the runtime's events are on once the recorder is").isTrue();
  }

  /** Runs the recorded test's tasks once, unrecorded, so that its classes are loaded. */
  private static void warmUp() {
    try (EventLoop loop = new EventLoop()) {
      Task<Object> ok = loop.createTask(Co.seq(v -> Co.await(sleep(1)), v -> "fine"));
      Task<Object> bad =
          loop.createTask(
              Co.seq(
                  v -> Co.await(sleep(1)),
                  v -> {
                    throw new IllegalStateException("warm-up");
                  }));
      loop.runUntilComplete(Co.seq(v -> Co.await(Coroutines.gatherReturnExceptions(ok, bad))));
    }
  }

  @Test
  void withoutARecording_nothingIsTimedOrKept() {
    assertThat(Jfr.slowCallbacks()).isFalse();
    assertThat(Jfr.callbackBegin()).isNull();
  }

  private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
    return events.stream()
        .filter(e -> e.getEventType().getName().equals(name))
        .collect(Collectors.toList());
  }

  private static RecordedEvent only(List<RecordedEvent> events, String task) {
    List<RecordedEvent> l =
        events.stream().filter(e -> task.equals(e.getString("task"))).collect(Collectors.toList());
    assertThat(l).as("events of " + task).hasSize(1);
    return l.get(0);
  }
}
