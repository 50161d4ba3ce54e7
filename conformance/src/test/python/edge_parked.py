"""Outside tester's additions: a task parked on each kind of awaitable is cancelled with a
message and uncancelled before it runs. The cancellation is already committed (asyncio cancels
the future the task waits on), so it is delivered anyway, with its message, and cancelling()
stays at 0."""

import asyncio

from _trace import log, msg, since, state


async def parked(start_waiting):
    async def waiter():
        try:
            await start_waiting()
            log("woke")
        except asyncio.CancelledError as e:
            log("cancelled", msg(e), asyncio.current_task().cancelling())
            raise

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log("cancel", w.cancel("m1"), w.cancelling())
    log("uncancel", w.uncancel())
    for _ in range(4):
        await asyncio.sleep(0)
    log(state(w), w.cancelling())
    if not w.done():
        w.cancel()
        await asyncio.gather(w, return_exceptions=True)


def gated_task():
    gate = asyncio.get_running_loop().create_future()

    async def inner():
        await gate
        return 1

    return asyncio.create_task(inner())


async def scenario_future():
    f = asyncio.get_running_loop().create_future()
    await parked(lambda: f)


async def scenario_sleep():
    await parked(lambda: asyncio.sleep(10))


async def scenario_lock():
    lock = asyncio.Lock()
    await lock.acquire()
    await parked(lock.acquire)
    log("locked", lock.locked())


async def scenario_semaphore():
    sem = asyncio.Semaphore(0)
    await parked(sem.acquire)
    log("locked", sem.locked())


async def scenario_event():
    await parked(asyncio.Event().wait)


async def scenario_condition():
    cond = asyncio.Condition()

    async def wait():
        async with cond:
            await cond.wait()

    await parked(wait)
    log("locked", cond.locked())


async def scenario_queue_get():
    q = asyncio.Queue()
    await parked(q.get)
    q.put_nowait(1)
    log("size", q.qsize())


async def scenario_queue_put():
    q = asyncio.Queue(1)
    q.put_nowait(0)
    await parked(lambda: q.put(1))
    log("size", q.qsize())


async def scenario_queue_join():
    q = asyncio.Queue()
    q.put_nowait(0)
    await parked(q.join)


async def scenario_barrier():
    b = asyncio.Barrier(2)
    await parked(b.wait)
    log("n_waiting", b.n_waiting, b.broken)


async def scenario_task():
    inner = gated_task()
    await parked(lambda: inner)
    log("inner", state(inner))


async def scenario_gather():
    inner = gated_task()
    await parked(lambda: asyncio.gather(inner))
    log("inner", state(inner))


async def scenario_shield():
    inner = gated_task()
    await parked(lambda: asyncio.shield(inner))
    log("inner", state(inner))
    inner.cancel()


@since("3.12")
async def scenario_wait_for():
    inner = gated_task()
    await parked(lambda: asyncio.wait_for(inner, 10))
    log("inner", state(inner))


async def scenario_wait():
    inner = gated_task()
    await parked(lambda: asyncio.wait([inner]))
    log("inner", state(inner))
    inner.cancel()


async def scenario_timeout_scope():
    f = asyncio.get_running_loop().create_future()

    async def scoped():
        async with asyncio.timeout(10):
            await f

    await parked(scoped)


async def scenario_task_group_body():
    f = asyncio.get_running_loop().create_future()
    child_box = []

    async def grouped():
        async with asyncio.TaskGroup() as tg:
            child_box.append(tg.create_task(asyncio.sleep(10)))
            await f

    await parked(grouped)
    log("child", state(child_box[0]))


async def scenario_task_group_exit():
    gate = asyncio.get_running_loop().create_future()

    async def grouped():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(gated(gate))

    await parked(grouped)


async def gated(gate):
    await gate
