package dev.coroutine.internal;

/**
 * A future whose result is an item handed over from a queue (a datagram, or the error the next
 * receive reports), or a resource made for its one awaiter (a connection, a server: {@code
 * io.OwnedResult}): told when the task awaiting it drops its outcome, because it was cancelled
 * after the result was set and before it resumed, so that the item goes back to the queue, or the
 * resource is closed. asyncio's queues leave an item in the queue until the getter's task resumes
 * and takes it, and its connection-making coroutines close what they made when cancelled there;
 * without this the item or the resource would be lost with the cancelled task.
 */
public interface ResultHandOver {
  /** The awaiting task dropped this future's outcome: put the item back, or release it. */
  void outcomeDropped();
}
