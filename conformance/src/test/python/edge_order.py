"""Outside tester's additions: who goes first when a woken waiter is overtaken (a queue's woken
getter or putter re-queues at the back; a lock with only cancelled waiters is free), and the
order of done callbacks and awaiting tasks on a task, a gather and a shield."""

import asyncio

from _trace import log, since, state


async def getter(q, name):
    item = await q.get()
    log(name, "got", item)


async def scenario_robbed_getter_requeues_behind_the_others():
    q = asyncio.Queue()
    g1 = asyncio.create_task(getter(q, "g1"))
    g2 = asyncio.create_task(getter(q, "g2"))
    await asyncio.sleep(0)
    q.put_nowait(1)
    log("main takes", await q.get())
    await asyncio.sleep(0)
    q.put_nowait(2)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log(state(g1), state(g2))
    q.put_nowait(3)
    await asyncio.gather(g1, g2)


async def putter(q, name, item):
    await q.put(item)
    log(name, "put", item)


async def scenario_robbed_putter_requeues_behind_the_others():
    q = asyncio.Queue(1)
    q.put_nowait(0)
    p1 = asyncio.create_task(putter(q, "p1", "x1"))
    p2 = asyncio.create_task(putter(q, "p2", "x2"))
    await asyncio.sleep(0)
    log("took", q.get_nowait())
    await q.put("main")
    log("main put without waiting")
    await asyncio.sleep(0)
    log("took", q.get_nowait())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log(state(p1), state(p2), q.qsize())
    log("took", q.get_nowait())
    await asyncio.gather(p1, p2)
    log("took", q.get_nowait())


async def scenario_newcomer_get_overtakes_woken_getter():
    q = asyncio.Queue()
    g1 = asyncio.create_task(getter(q, "g1"))
    await asyncio.sleep(0)
    q.put_nowait(1)
    n = asyncio.create_task(getter(q, "newcomer"))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log(state(g1), state(n))
    q.put_nowait(2)
    await asyncio.gather(g1, n)


async def scenario_lock_with_only_cancelled_waiters_is_taken_at_once():
    lock = asyncio.Lock()
    await lock.acquire()

    async def waiter():
        try:
            await lock.acquire()
            log("waiter acquired")
        except asyncio.CancelledError:
            log("waiter cancelled, locked", lock.locked())
            raise

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    t.cancel()
    lock.release()
    asyncio.get_running_loop().call_soon(log, "callback")
    await lock.acquire()
    log("main acquired without waiting")
    await asyncio.gather(t, return_exceptions=True)
    log(state(t), lock.locked())


async def callbacks_and_awaiters(make_awaited, gate):
    awaited = make_awaited()

    async def waiter(name):
        await awaited
        log(name, "woke")

    awaited.add_done_callback(lambda f: log("cb1"))
    w1 = asyncio.create_task(waiter("w1"))
    await asyncio.sleep(0)
    awaited.add_done_callback(lambda f: log("cb2"))
    w2 = asyncio.create_task(waiter("w2"))
    await asyncio.sleep(0)
    awaited.add_done_callback(lambda f: log("cb3"))
    gate.set_result(None)
    await asyncio.gather(w1, w2)


def gated_task(gate):
    async def inner():
        await gate
        return 1

    return asyncio.create_task(inner())


async def scenario_task_callbacks_and_awaiters_in_registration_order():
    gate = asyncio.get_running_loop().create_future()
    await callbacks_and_awaiters(lambda: gated_task(gate), gate)


async def scenario_gather_callbacks_and_awaiters_in_registration_order():
    gate = asyncio.get_running_loop().create_future()
    await callbacks_and_awaiters(lambda: asyncio.gather(gated_task(gate)), gate)


async def scenario_shield_callbacks_and_awaiters_in_registration_order():
    gate = asyncio.get_running_loop().create_future()
    await callbacks_and_awaiters(lambda: asyncio.shield(gated_task(gate)), gate)


async def scenario_future_callbacks_and_awaiters_in_registration_order():
    gate = asyncio.get_running_loop().create_future()
    await callbacks_and_awaiters(lambda: gate, gate)


async def scenario_removed_callback_does_not_touch_awaiters():
    gate = asyncio.get_running_loop().create_future()
    t = gated_task(gate)

    def cb(f):
        log("cb")

    async def waiter():
        await t
        log("waiter woke")

    t.add_done_callback(cb)
    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    t.add_done_callback(cb)
    log("removed", t.remove_done_callback(cb))
    gate.set_result(None)
    await w
    await asyncio.sleep(0)
    log("end")


@since("3.13")
async def scenario_cancel_during_yield_then_uncancel_goes_on():
    async def body():
        await asyncio.sleep(0)
        log("resumed normally", asyncio.current_task().cancelling())
        return "ok"

    t = asyncio.create_task(body())
    await asyncio.sleep(0)
    log("cancel", t.cancel(), "uncancel", t.uncancel())
    log(await t, state(t))
