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
 * {@code get}, {@code put}, {@code join}) return a {@link dev.coroutine.Coroutine} to await, and,
 * as asyncio's coroutine objects, do nothing until it is awaited (or wrapped in a task): {@code
 * lock.acquire()} alone takes no lock. When the operation can complete at once (an uncontended
 * lock, a non-full queue) it does so at the await without suspending, allocating at most the small
 * object that holds its arguments ({@link dev.coroutine.LazyCoroutine}); otherwise it waits in a
 * frame of its own. Methods that would clash with {@link java.lang.Object}'s take the names of
 * {@link java.util.concurrent}: {@code await()} for asyncio's {@code wait()}, {@code signal}/{@code
 * signalAll} for {@code notify}/{@code notify_all}.
 *
 * <p>They are written by hand against the public coroutine protocol ({@link
 * dev.coroutine.AsyncFrame}), as generated code is, and use no runtime internals: their hooks are
 * the public {@link dev.coroutine.LazyCoroutine} (acts when awaited) and {@code
 * dev.coroutine.internal.Steps} (the runtime's one convention for a hand-written body, itself
 * written on the public protocol).
 */
package dev.coroutine.sync;
