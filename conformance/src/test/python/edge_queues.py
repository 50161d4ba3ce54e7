"""Outside tester's additions: queue waiters woken then overtaken or cancelled, join's event,
3.13's shutdown racing woken getters (CPython's test_queues.py)."""

import asyncio

from _trace import log, since, state


async def getter(q, name):
    try:
        item = await q.get()
    except asyncio.CancelledError:
        log(name, "cancelled")
        raise
    except asyncio.QueueShutDown:
        log(name, "shut down")
        return None
    log(name, "got", item)
    return item


async def putter(q, name, item):
    try:
        await q.put(item)
    except asyncio.CancelledError:
        log(name, "cancelled")
        raise
    except asyncio.QueueShutDown:
        log(name, "shut down")
        return
    log(name, "put", item)


async def scenario_woken_getter_finds_item_taken_and_waits_again():
    q = asyncio.Queue()
    g = asyncio.create_task(getter(q, "g"))
    await asyncio.sleep(0)
    q.put_nowait(1)
    log("main takes", q.get_nowait())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log("getter still waits", g.done())
    q.put_nowait(2)
    await g
    log(state(g), q.qsize())


async def scenario_woken_putter_finds_slot_taken_and_waits_again():
    q = asyncio.Queue(1)
    q.put_nowait("first")
    p = asyncio.create_task(putter(q, "p", "late"))
    await asyncio.sleep(0)
    log("main takes", q.get_nowait())
    q.put_nowait("main")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log("putter still waits", p.done(), q.qsize())
    log("main takes", q.get_nowait())
    await p
    log("left", q.get_nowait(), q.qsize())


async def scenario_cancelled_reader_then_new_reader_gets_first_item():
    q = asyncio.Queue()
    r = asyncio.create_task(getter(q, "r1"))
    await asyncio.sleep(0)
    q.put_nowait(1)
    q.put_nowait(2)
    r.cancel()
    try:
        await r
    except asyncio.CancelledError:
        r = asyncio.create_task(getter(q, "r2"))
        await r
    log(state(r), q.qsize())


async def scenario_first_of_three_readers_cancelled_after_two_puts():
    q = asyncio.Queue()
    readers = [asyncio.create_task(getter(q, n)) for n in ["r1", "r2", "r3"]]
    await asyncio.sleep(0)
    q.put_nowait(1)
    q.put_nowait(2)
    readers[0].cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    log([state(r) for r in readers], q.qsize())


async def scenario_cancelled_writer_then_new_writer_puts():
    q = asyncio.Queue(1)
    q.put_nowait(1)
    w = asyncio.create_task(putter(q, "w1", 2))
    await asyncio.sleep(0)
    log("took", q.get_nowait())
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        w = asyncio.create_task(putter(q, "w2", 2))
        await w
    log("took", q.get_nowait(), q.qsize())


async def scenario_third_putter_cancelled_while_second_waits():
    q = asyncio.Queue(maxsize=1)
    pa = asyncio.create_task(putter(q, "a", "a"))
    pb = asyncio.create_task(putter(q, "b", "b"))
    pc = asyncio.create_task(putter(q, "c", "X"))
    await asyncio.sleep(0)
    log(pa.done(), pb.done())
    pc.cancel()
    await asyncio.sleep(0)
    log(state(pc), q.get_nowait())
    await asyncio.sleep(0)
    log(q.get_nowait(), state(pb))


async def scenario_join_woken_then_put_before_joiner_runs():
    q = asyncio.Queue()
    q.put_nowait(1)

    async def joiner():
        await q.join()
        log("joined, unfinished items", q.qsize())

    j = asyncio.create_task(joiner())
    await asyncio.sleep(0)
    q.get_nowait()
    q.task_done()
    q.put_nowait(2)
    await asyncio.sleep(0)
    log("joiner", state(j))
    j2 = asyncio.create_task(q.join())
    await asyncio.sleep(0)
    log("a new join waits", j2.done())
    q.get_nowait()
    q.task_done()
    await j2
    log("second joined")


async def scenario_join_cancelled_while_woken():
    q = asyncio.Queue()
    q.put_nowait(1)

    async def joiner():
        try:
            await q.join()
            log("joined")
        except asyncio.CancelledError:
            log("join cancelled")
            raise

    j = asyncio.create_task(joiner())
    await asyncio.sleep(0)
    q.get_nowait()
    q.task_done()
    j.cancel()
    await asyncio.gather(j, return_exceptions=True)
    log(state(j))


async def scenario_unbounded_maxsize_zero_and_negative():
    for n in [0, -1]:
        q = asyncio.Queue(n)
        for i in range(50):
            q.put_nowait(i)
        log("maxsize", n, q.qsize(), q.full())
        await q.put(50)
        log("put did not wait", q.qsize())


@since("3.13")
async def scenario_shutdown_after_put_woke_getter_still_gets_item():
    q = asyncio.Queue()
    g = asyncio.create_task(getter(q, "g"))
    await asyncio.sleep(0)
    q.put_nowait(1)
    q.shutdown()
    await g
    log(state(g), q.qsize())


@since("3.13")
async def scenario_shutdown_immediate_after_put_woke_getter():
    q = asyncio.Queue()
    g = asyncio.create_task(getter(q, "g"))
    await asyncio.sleep(0)
    q.put_nowait(1)
    q.shutdown(immediate=True)
    await g
    log(state(g), q.qsize())


@since("3.13")
async def scenario_shutdown_immediate_with_an_item_taken_join_waits():
    q = asyncio.Queue()
    q.put_nowait(1)
    q.put_nowait(2)
    log("took", q.get_nowait())
    j = asyncio.create_task(q.join())
    await asyncio.sleep(0)
    q.shutdown(immediate=True)
    await asyncio.sleep(0)
    log("after shutdown", q.qsize(), j.done())
    q.task_done()
    await asyncio.sleep(0)
    log("after task_done", j.done())


@since("3.13")
async def scenario_shutdown_immediate_wakes_putters_and_empties():
    q = asyncio.Queue(1)
    q.put_nowait(0)
    p = asyncio.create_task(putter(q, "p", 1))
    await asyncio.sleep(0)
    q.shutdown(immediate=True)
    await p
    log(state(p), q.qsize(), q.empty())
    try:
        q.get_nowait()
    except asyncio.QueueShutDown:
        log("get_nowait shut down")


@since("3.13")
async def scenario_putter_woken_then_shutdown_raises():
    q = asyncio.Queue(1)
    q.put_nowait(0)
    p = asyncio.create_task(putter(q, "p", 1))
    await asyncio.sleep(0)
    log("took", q.get_nowait())
    q.shutdown()
    await p
    log(state(p), q.qsize())


@since("3.13")
async def scenario_priority_queue_shutdown_drains_in_priority_order():
    q = asyncio.PriorityQueue()
    for i in [3, 1, 2]:
        q.put_nowait(i)
    q.shutdown()
    out = []
    while True:
        try:
            out.append(await q.get())
        except asyncio.QueueShutDown:
            break
    log(out, q.qsize())


@since("3.13")
async def scenario_shutdown_while_getter_cancelled():
    q = asyncio.Queue()
    a = asyncio.create_task(getter(q, "a"))
    b = asyncio.create_task(getter(q, "b"))
    await asyncio.sleep(0)
    a.cancel()
    q.shutdown()
    await asyncio.gather(a, b, return_exceptions=True)
    log(state(a), state(b))
