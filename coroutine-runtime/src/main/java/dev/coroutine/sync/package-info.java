/**
 * Synchronization primitives for coroutines, with asyncio's semantics: {@link
 * dev.coroutine.sync.Lock}, {@link dev.coroutine.sync.Event}, {@link dev.coroutine.sync.Condition},
 * {@link dev.coroutine.sync.Semaphore}, {@link dev.coroutine.sync.BoundedSemaphore}, {@link
 * dev.coroutine.sync.Barrier}, and the queues {@link dev.coroutine.sync.Queue}, {@link
 * dev.coroutine.sync.LifoQueue}, {@link dev.coroutine.sync.PriorityQueue}.
 *
 * <p>Like asyncio's, they are not thread-safe: use them from coroutines of one event loop. Waiters
 * are served in FIFO order, and a waiter cancelled after it was woken passes its wakeup on, so no
 * wakeup is lost. The operations asyncio defines as coroutines ({@code acquire}, {@code wait},
 * {@code get}, {@code put}, {@code join}) return a {@link dev.coroutine.Coroutine} to await. When
 * the operation can complete at once (an uncontended lock, a non-empty queue) it does so when
 * called and returns an already-finished coroutine, so the uncontended path allocates nothing (or,
 * for a queue's {@code get}, one small holder of the item); await the result right away, as in
 * {@code await(lock.acquire())}. Otherwise the coroutine registers its waiter when it is first
 * awaited. Methods that would clash with {@link java.lang.Object}'s take the names of {@link
 * java.util.concurrent}: {@code await()} for asyncio's {@code wait()}, {@code signal}/{@code
 * signalAll} for {@code notify}/{@code notify_all}.
 *
 * <p>They are written by hand against the public coroutine protocol ({@link
 * dev.coroutine.AsyncFrame}), as generated code is, and use no runtime internals.
 */
package dev.coroutine.sync;
