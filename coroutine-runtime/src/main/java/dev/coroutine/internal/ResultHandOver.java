package dev.coroutine.internal;

/**
 * A future whose result is an item handed over from a queue (a datagram, or the error the next
 * receive reports): told when the task awaiting it drops its outcome, because it was cancelled
 * after the item was handed over and before it resumed, so that the item goes back to the queue.
 * asyncio's queues leave an item in the queue until the getter's task resumes and takes it; an item
 * handed over at once would otherwise be lost with the cancelled task.
 */
public interface ResultHandOver {
  /** The awaiting task dropped this future's outcome: put the item back, first in line. */
  void outcomeDropped();
}
