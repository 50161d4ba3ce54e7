package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link EventLoop#dumpTasks()} of real {@code @Async} code: each task's state, how long it waited
 * (on a virtual clock, so exactly) and its async stack, innermost first, with file and line.
 */
class DebugTaskDumpTest {
  static final String SOURCE = "DebugChain.java";
  static Class<?> c;

  @BeforeAll
  static void load() {
    c = Samples.load("DebugChain");
  }

  private String at(String method, String marker) {
    return "\tat "
        + c.getName()
        + "."
        + method
        + "("
        + SOURCE
        + ":"
        + Samples.line(SOURCE, marker)
        + ")";
  }

  /** The block of task {@code name} in {@code dump}: its header line and its frame lines. */
  private static List<String> block(String dump, String name) {
    List<String> lines = Arrays.asList(dump.split("\n"));
    int i = 0;
    while (!lines.get(i).startsWith("\"" + name + "\" ")) {
      i++;
    }
    int j = i + 1;
    while (j < lines.size() && lines.get(j).startsWith("\t")) {
      j++;
    }
    return lines.subList(i, j).stream().collect(Collectors.toList());
  }

  @Test
  void dumpOfAChainThreeAwaitsDeep_listsEachAsyncFrameAtItsAwaitLine() throws Throwable {
    try (EventLoop loop = EventLoop.withVirtualTime()) {
      Future<Integer> gate = loop.createFuture();
      @SuppressWarnings("unchecked")
      Task<Integer> task =
          loop.createTask((Coroutine<Integer>) Samples.call(c, "outer", gate), "chain");
      Task<Void> other = loop.createTask(dev.coroutine.Coroutines.sleep(60_000), "bystander");

      loop.callAt(0.5, loop::stop);
      loop.runForever();
      assertThat(block(loop.dumpTasks(), "chain"))
          .containsExactly(
              "\"chain\" sleeping until 1.000 s (0.500 s left)", at("outer", "outerSleep"));

      loop.callAt(5.0, loop::stop);
      loop.runForever();
      String dump = loop.dumpTasks();
      assertThat(block(dump, "chain"))
          .containsExactly(
              "\"chain\" sleeping until 12.000 s (7.000 s left)",
              at("inner", "innerSleep"),
              at("middle", "middleAwait"),
              at("outer", "outerAwait"));
      assertThat(block(dump, "bystander"))
          .containsExactly(
              "\"bystander\" sleeping until 60.000 s (55.000 s left)",
              "\tat dev.coroutine.internal.Frames (runtime coroutine)");

      loop.callAt(20.0, loop::stop);
      loop.runForever();
      assertThat(block(loop.dumpTasks(), "chain"))
          .containsExactly(
              "\"chain\" waiting on Future<pending>, for 8.000 s",
              at("inner", "innerGate"),
              at("middle", "middleAwait"),
              at("outer", "outerAwait"));

      gate.setResult(5);
      assertThat(block(loop.dumpTasks(), "chain").get(0))
          .isEqualTo("\"chain\" ready (woken by Future<finished result=5>), for 8.000 s");
      assertThat(loop.runUntilComplete(task)).isEqualTo(11);
      other.cancel();
      loop.runUntilComplete(dev.coroutine.Coroutines.sleep(0));
      assertThat(loop.dumpTasks()).contains(": 0 pending tasks").doesNotContain("\"chain\"");
    }
  }

  @Test
  void dumpAfterASleepZeroThatWentOnAtOnce_showsTheRunningFramesAtTheirAwaits() throws Throwable {
    try (EventLoop loop = new EventLoop()) {
      @SuppressWarnings("unchecked")
      Task<String> task =
          loop.createTask((Coroutine<String>) Samples.call(c, "dumpAfterLoneYield"), "lone");
      assertThat(block(loop.runUntilComplete(task), "lone"))
          .containsExactly(
              "\"lone\" running",
              at("dumper", "dumperYield"),
              at("dumpAfterLoneYield", "dumperAwait"));
    }
  }
}
