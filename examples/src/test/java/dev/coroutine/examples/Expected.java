package dev.coroutine.examples;

import java.util.List;

/** Outputs fixed by the seed's semantics, shared by the in-process and the agent tests. */
final class Expected {
  private Expected() {}

  /** Seed 2.2.2, "Expected output", line for line; then what gather returned. */
  static final List<String> GATHER_FACTORIAL =
      List.of(
          "Task A: Compute factorial(2)...",
          "Task B: Compute factorial(2)...",
          "Task C: Compute factorial(2)...",
          "Task A: factorial(2) = 2",
          "Task B: Compute factorial(3)...",
          "Task C: Compute factorial(3)...",
          "Task B: factorial(3) = 6",
          "Task C: Compute factorial(4)...",
          "Task C: factorial(4) = 24",
          "gather returned [2, 6, 24]");

  /** Seed 2.3: the task pending, the callback, the task finished, its result. */
  static final List<String> TASK_CALLBACK =
      List.of(
          "Task: Task<Task-1 pending>",
          "Callback: 200 OK from /status",
          "Task: Task<Task-1 finished result=200 OK from /status>",
          "Task Result: 200 OK from /status");

  /**
   * Seed 2.2 and 2.2.1: the task awaited first finishes second (it sleeps longer); the loop API; a
   * running loop refuses to be run again.
   */
  static final List<String> CREATE_TASK =
      List.of(
          "-- run(main()): createTask / ensureFuture / await task",
          "  scheduled: Task<Task-2 pending> and Task<Task-3 pending>",
          "  ensure_future: ran",
          "  create_task: ran",
          "  await task -> create_task result",
          "  await future -> ensure_future result",
          "-- a loop of our own: createTask, runUntilComplete, runForever, stop",
          "  loop.createTask: ran",
          "  runUntilComplete -> loop.createTask result",
          "  before stop: ran",
          "  runForever returned after stop()",
          "-- 2.2.1 RuntimeError: This event loop is already running",
          "  loop.runUntilComplete inside the loop: This event loop is already running",
          "  run inside the loop: run() cannot be called from a running event loop");

  /** Seed 2.5: the seed's example, then FIRST_COMPLETED, a timeout, ALL_COMPLETED. */
  static final List<String> SIMPLE_WAIT =
      List.of(
          "task in done: result 42 (1 done, 0 pending)",
          "FIRST_COMPLETED: done [fast], pending [medium, tortoise]",
          "timeout 400 ms: done [fast, medium], pending [tortoise]",
          "ALL_COMPLETED: done [fast, medium, tortoise], pending []");

  /** AsyncGenerators (beyond the seed): every line is fixed by the order of events. */
  static final List<String> ASYNC_GENERATORS =
      List.of(
          "-- async for over PEP 525's ticker",
          "tick 0",
          "tick 1",
          "tick 2",
          "tick 3",
          "-- break early: the generator's finally runs (aclose)",
          "open the file",
          "alpha",
          "beta",
          "the consumer stopped early",
          "close the file",
          "after the loop",
          "-- the producer's exception arrives at the loop",
          "reading 20.5",
          "reading 21.0",
          "the loop raised: sensor offline",
          "-- cancelling the consumer cancels the producer",
          "consumer got 0",
          "producer: cancelled while it slept",
          "consumer cancelled: true",
          "-- a generator as a Flow.Publisher, two values at a time",
          "subscriber requests 2",
          "producing 1",
          "subscriber got 1",
          "producing 2",
          "subscriber got 2",
          "subscriber requests 2",
          "producing 3",
          "subscriber got 3",
          "subscriber: complete");
}
