"""Outside tester's additions: a task woken by what it waits for (set, release, put, a finished
task...) is cancelled and uncancelled before it runs. Its wait is over, so the cancel() could
only be a request; uncancel() to zero withdraws it (3.13) and the task goes on normally."""

import asyncio
import inspect

from _trace import log, msg, since, state


async def woken(start_waiting, wake):
    async def waiter():
        try:
            r = await start_waiting()
            log("went on normally")
        except asyncio.CancelledError as e:
            log("cancelled", msg(e))
            raise

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    r = wake()
    if inspect.isawaitable(r):
        await r  # a wake-up that never suspends (a free lock's acquire)
    log("cancel", w.cancel("m"), "uncancel", w.uncancel())
    await asyncio.gather(w, return_exceptions=True)
    log(state(w), w.cancelling())


def gated_task(gate):
    async def inner():
        await gate
        return 1

    return asyncio.create_task(inner())


@since("3.13")
async def scenario_future():
    f = asyncio.get_running_loop().create_future()
    await woken(lambda: f, lambda: f.set_result(1))


@since("3.13")
async def scenario_lock():
    lock = asyncio.Lock()
    await lock.acquire()
    await woken(lock.acquire, lock.release)
    log("locked", lock.locked())


@since("3.13")
async def scenario_semaphore():
    sem = asyncio.Semaphore(0)
    await woken(sem.acquire, sem.release)
    log("locked", sem.locked())


@since("3.13")
async def scenario_event():
    ev = asyncio.Event()
    await woken(ev.wait, ev.set)


@since("3.13")
async def scenario_queue_get():
    q = asyncio.Queue()
    await woken(q.get, lambda: q.put_nowait(1))
    log("size", q.qsize())


@since("3.13")
async def scenario_queue_put():
    q = asyncio.Queue(1)
    q.put_nowait(0)
    await woken(lambda: q.put(1), q.get_nowait)
    log("size", q.qsize())


@since("3.13")
async def scenario_queue_join():
    q = asyncio.Queue()
    q.put_nowait(0)
    q.get_nowait()
    await woken(q.join, q.task_done)


@since("3.13")
async def scenario_task():
    gate = asyncio.get_running_loop().create_future()
    inner = gated_task(gate)
    await woken(lambda: inner, lambda: gate.set_result(None))


@since("3.13")
async def scenario_condition():
    cond = asyncio.Condition()

    async def wait():
        async with cond:
            await cond.wait()

    async def notify():
        await cond.acquire()  # free: taken without suspending
        cond.notify()
        cond.release()

    await woken(wait, notify)


@since("3.13")
async def scenario_sleep_due():
    import time

    async def start():
        await asyncio.sleep(0.001)

    async def waiter():
        try:
            await start()
            log("went on normally")
        except asyncio.CancelledError as e:
            log("cancelled", msg(e))
            raise

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    time.sleep(0.005)  # the sleep is due: its timer runs in the pass before main's next step
    await asyncio.sleep(0)
    log("cancel", w.cancel("m"), "uncancel", w.uncancel())
    await asyncio.gather(w, return_exceptions=True)
    log(state(w), w.cancelling())
