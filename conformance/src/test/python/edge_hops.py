"""Outside tester's additions: how many loop passes a waiter needs to wake after what it waits
for happens (a set(), a release(), a put, a child finishing, a cancel), shown against
call_soon callbacks scheduled just before and after the trigger and the main task's own passes."""

import asyncio
import inspect

from _trace import log, since


async def race(start_waiting, trigger, passes=4):
    loop = asyncio.get_running_loop()

    async def waiter():
        try:
            await start_waiting()
            log("waiter woke")
        except asyncio.CancelledError:
            log("waiter cancelled")

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    loop.call_soon(log, "soon before")
    r = trigger(w)
    if inspect.isawaitable(r):
        await r  # a trigger that never suspends (a free lock's acquire)
    loop.call_soon(log, "soon after")
    for i in range(passes):
        log("main pass", i)
        await asyncio.sleep(0)
    await w


def gated_task():
    loop = asyncio.get_running_loop()
    gate = loop.create_future()

    async def inner():
        await gate
        return 1

    return gate, asyncio.create_task(inner())


async def scenario_event_set():
    ev = asyncio.Event()
    await race(ev.wait, lambda w: ev.set())


async def scenario_lock_release():
    lock = asyncio.Lock()
    await lock.acquire()
    await race(lock.acquire, lambda w: lock.release())


async def scenario_semaphore_release():
    sem = asyncio.Semaphore(0)
    await race(sem.acquire, lambda w: sem.release())


async def scenario_queue_put_nowait():
    q = asyncio.Queue()
    await race(q.get, lambda w: q.put_nowait(1))


async def scenario_queue_get_nowait_frees_putter():
    q = asyncio.Queue(1)
    q.put_nowait(0)
    await race(lambda: q.put(1), lambda w: q.get_nowait())


async def scenario_queue_task_done_wakes_join():
    q = asyncio.Queue()
    q.put_nowait(0)
    q.get_nowait()
    await race(q.join, lambda w: q.task_done())


async def scenario_condition_notify():
    cond = asyncio.Condition()

    async def wait():
        async with cond:
            await cond.wait()

    async def notify(w):
        await cond.acquire()  # free: taken without suspending
        cond.notify()
        cond.release()

    await race(wait, notify)


async def scenario_future_set_result():
    f = asyncio.get_running_loop().create_future()
    await race(lambda: f, lambda w: f.set_result(1))


async def scenario_task_awaiting_task():
    gate, inner = gated_task()
    await race(lambda: inner, lambda w: gate.set_result(None))


async def scenario_task_awaiting_gather():
    gate, inner = gated_task()
    await race(lambda: asyncio.gather(inner), lambda w: gate.set_result(None))


async def scenario_task_awaiting_shield():
    gate, inner = gated_task()
    await race(lambda: asyncio.shield(inner), lambda w: gate.set_result(None))


@since("3.12")
async def scenario_task_awaiting_wait_for():
    gate, inner = gated_task()
    await race(lambda: asyncio.wait_for(inner, 10), lambda w: gate.set_result(None))


async def scenario_task_awaiting_wait():
    gate, inner = gated_task()
    await race(lambda: asyncio.wait([inner]), lambda w: gate.set_result(None))


async def scenario_task_awaiting_timeout_scope():
    gate, inner = gated_task()

    async def scoped():
        async with asyncio.timeout(10):
            await inner

    await race(scoped, lambda w: gate.set_result(None))


async def scenario_task_group_exit_waiting_for_child():
    loop = asyncio.get_running_loop()
    gate = loop.create_future()

    async def grouped():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(gate_waiter(gate))

    await race(grouped, lambda w: gate.set_result(None))


async def gate_waiter(gate):
    await gate


async def scenario_cancel_task_awaiting_future():
    f = asyncio.get_running_loop().create_future()
    await race(lambda: f, lambda w: w.cancel())


async def scenario_cancel_task_awaiting_task():
    gate, inner = gated_task()
    await race(lambda: inner, lambda w: w.cancel())


async def scenario_cancel_task_awaiting_gather():
    gate, inner = gated_task()
    await race(lambda: asyncio.gather(inner), lambda w: w.cancel(), passes=5)


async def scenario_cancel_task_awaiting_shield():
    gate, inner = gated_task()
    await race(lambda: asyncio.shield(inner), lambda w: w.cancel())


async def scenario_cancel_task_awaiting_lock():
    lock = asyncio.Lock()
    await lock.acquire()
    await race(lock.acquire, lambda w: w.cancel())


async def scenario_cancel_task_awaiting_queue_get():
    q = asyncio.Queue()
    await race(q.get, lambda w: w.cancel())


async def scenario_cancel_task_awaiting_event():
    ev = asyncio.Event()
    await race(ev.wait, lambda w: w.cancel())


async def scenario_cancel_task_in_task_group_body():
    loop = asyncio.get_running_loop()
    gate = loop.create_future()

    async def grouped():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(gate_waiter(gate))
            await gate

    await race(grouped, lambda w: w.cancel(), passes=5)


async def scenario_barrier_last_party_arrives():
    b = asyncio.Barrier(2)
    box = []

    def arrive(w):
        box.append(asyncio.create_task(b.wait()))

    await race(b.wait, arrive, passes=5)
    await box[0]


async def scenario_as_completed_first():
    gate, inner = gated_task()

    async def first():
        for nxt in asyncio.as_completed([inner]):
            return await nxt

    await race(first, lambda w: gate.set_result(None))


@since("3.13")
async def scenario_as_completed_async_iteration_first():
    gate, inner = gated_task()

    async def first():
        async for f in asyncio.as_completed([inner]):
            return f.result()

    await race(first, lambda w: gate.set_result(None))


async def scenario_cancel_task_awaiting_as_completed():
    gate, inner = gated_task()

    async def first():
        for nxt in asyncio.as_completed([inner]):
            return await nxt

    await race(first, lambda w: w.cancel())


@since("3.12")
async def scenario_cancel_task_awaiting_wait_for():
    gate, inner = gated_task()
    await race(lambda: asyncio.wait_for(inner, 10), lambda w: w.cancel())


async def scenario_cancel_task_awaiting_condition():
    cond = asyncio.Condition()

    async def wait():
        async with cond:
            await cond.wait()

    await race(wait, lambda w: w.cancel())


async def scenario_cancel_task_awaiting_barrier():
    b = asyncio.Barrier(2)
    await race(b.wait, lambda w: w.cancel())


async def scenario_cancel_task_awaiting_queue_join():
    q = asyncio.Queue()
    q.put_nowait(0)
    await race(q.join, lambda w: w.cancel())


async def scenario_cancel_task_awaiting_semaphore():
    sem = asyncio.Semaphore(0)
    await race(sem.acquire, lambda w: w.cancel())


async def scenario_cancel_task_awaiting_timeout_scope():
    gate, inner = gated_task()

    async def scoped():
        async with asyncio.timeout(10):
            await inner

    await race(scoped, lambda w: w.cancel())


async def scenario_cancel_task_awaiting_wait():
    gate, inner = gated_task()
    await race(lambda: asyncio.wait([inner]), lambda w: w.cancel())
