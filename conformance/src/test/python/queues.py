"""Queue, LifoQueue, PriorityQueue: order, maxsize, the nowait errors, laziness of get/put,
join/task_done, cancelled getters and putters (no item and no slot is lost), and shutdown
(Python 3.13)."""

import asyncio

from _trace import log, since, state


async def scenario_fifo_lifo_priority_order():
    for q in [asyncio.Queue(), asyncio.LifoQueue(), asyncio.PriorityQueue()]:
        for i in [3, 1, 4, 1, 5]:
            await q.put(i)
        out = []
        while not q.empty():
            out.append(await q.get())
        log(type(q).__name__, out)


async def scenario_sizes_and_flags():
    q = asyncio.Queue(2)
    log(q.maxsize, q.qsize(), q.empty(), q.full())
    q.put_nowait("a")
    log(q.qsize(), q.empty(), q.full())
    q.put_nowait("b")
    log(q.qsize(), q.empty(), q.full())
    u = asyncio.Queue()
    for i in range(100):
        u.put_nowait(i)
    log(u.maxsize, u.qsize(), u.full())
    n = asyncio.Queue(-3)
    n.put_nowait(1)
    n.put_nowait(2)
    log("negative maxsize is unbounded", n.full())


async def scenario_nowait_errors():
    q = asyncio.Queue(1)
    try:
        q.get_nowait()
    except asyncio.QueueEmpty as e:
        log("get_nowait", e)
    q.put_nowait(1)
    try:
        q.put_nowait(2)
    except asyncio.QueueFull as e:
        log("put_nowait", e)
    log(q.get_nowait(), q.qsize())


async def scenario_get_does_nothing_until_awaited():
    q = asyncio.Queue()
    q.put_nowait("x")
    c = q.get()
    log("called", q.qsize())
    log("nowait takes it", q.get_nowait())
    t = asyncio.create_task(c)
    await asyncio.sleep(0)
    log("get waits now", t.done())
    q.put_nowait("y")
    log("got", await t)


async def scenario_put_does_nothing_until_awaited():
    q = asyncio.Queue(1)
    c = q.put("x")
    log("called", q.qsize())
    q.put_nowait("first")
    t = asyncio.create_task(c)
    await asyncio.sleep(0)
    log("put waits now", t.done(), q.qsize())
    log("got", q.get_nowait())
    await t
    log("put done", q.get_nowait())


async def getter(q, name):
    item = await q.get()
    log(name, "got", item)
    return item


async def scenario_getters_served_in_order():
    q = asyncio.Queue()
    tasks = [asyncio.create_task(getter(q, n)) for n in ["a", "b", "c"]]
    await asyncio.sleep(0)
    for i in range(3):
        q.put_nowait(i)
    log("put three")
    await asyncio.gather(*tasks)


async def putter(q, name, item):
    log(name, "putting", item)
    await q.put(item)
    log(name, "put", item)


async def scenario_putters_wait_for_room_in_order():
    q = asyncio.Queue(1)
    tasks = [asyncio.create_task(putter(q, n, i)) for i, n in enumerate(["a", "b", "c"])]
    await asyncio.sleep(0)
    log("size", q.qsize(), q.full())
    for _ in range(3):
        log("main got", await q.get())
        await asyncio.sleep(0)
    await asyncio.gather(*tasks)


async def scenario_get_with_putters_waiting():
    q = asyncio.Queue(1)
    q.put_nowait(1)
    p = asyncio.create_task(q.put(2))
    await asyncio.sleep(0)
    log("get", await q.get(), p.done())
    await asyncio.sleep(0)
    log(state(p), q.qsize(), q.get_nowait())


async def scenario_ping_pong_one_slot_queues():
    ping = asyncio.Queue(1)
    pong = asyncio.Queue(1)

    async def ponger():
        for _ in range(5):
            v = await ping.get()
            await pong.put(v * 10)

    t = asyncio.create_task(ponger())
    got = []
    for i in range(5):
        await ping.put(i)
        got.append(await pong.get())
    await t
    log(got)


async def scenario_cancelled_getter_is_skipped():
    q = asyncio.Queue()
    a = asyncio.create_task(getter(q, "a"))
    b = asyncio.create_task(getter(q, "b"))
    await asyncio.sleep(0)
    a.cancel()
    await asyncio.sleep(0)
    q.put_nowait("item")
    await b
    log(state(a), state(b), q.qsize())


async def scenario_woken_getter_cancelled_passes_item_on():
    q = asyncio.Queue()
    a = asyncio.create_task(getter(q, "a"))
    b = asyncio.create_task(getter(q, "b"))
    await asyncio.sleep(0)
    q.put_nowait("item")
    a.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log(state(a), state(b), q.qsize())


async def scenario_woken_getter_cancelled_item_taken_by_nowait():
    q = asyncio.Queue()
    a = asyncio.create_task(getter(q, "a"))
    b = asyncio.create_task(getter(q, "b"))
    await asyncio.sleep(0)
    q.put_nowait("item")
    log("main takes", q.get_nowait())
    a.cancel()
    await asyncio.sleep(0)
    log(state(a), b.done())
    q.put_nowait("second")
    await b
    log(state(b))


async def scenario_cancelled_putter_is_skipped():
    q = asyncio.Queue(1)
    q.put_nowait(0)
    a = asyncio.create_task(putter(q, "a", 1))
    b = asyncio.create_task(putter(q, "b", 2))
    await asyncio.sleep(0)
    a.cancel()
    await asyncio.sleep(0)
    log("main got", q.get_nowait())
    await b
    log(state(a), q.qsize(), q.get_nowait())


async def scenario_woken_putter_cancelled_passes_slot_on():
    q = asyncio.Queue(1)
    q.put_nowait(0)
    a = asyncio.create_task(putter(q, "a", 1))
    b = asyncio.create_task(putter(q, "b", 2))
    await asyncio.sleep(0)
    log("main got", q.get_nowait())
    a.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log(state(a), state(b), q.qsize(), q.get_nowait())


async def scenario_why_are_putters_waiting():
    q = asyncio.Queue(2)
    q.put_nowait(0)
    q.put_nowait(1)
    tasks = [asyncio.create_task(putter(q, n, i)) for i, n in [(2, "a"), (3, "b")]]
    await asyncio.sleep(0)
    log("two waiting putters", q.qsize())
    q.get_nowait()
    q.get_nowait()
    log("two slots freed", q.qsize())
    await asyncio.gather(*tasks)
    log("size", q.qsize(), [q.get_nowait(), q.get_nowait()])


async def scenario_get_wait_cancelled_then_queue_still_works():
    q = asyncio.Queue()
    t = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log("get cancelled")
    await q.put("x")
    log("get", await q.get())


async def scenario_join_waits_for_task_done():
    q = asyncio.Queue()
    for i in range(3):
        q.put_nowait(i)

    async def worker():
        while True:
            item = await q.get()
            await asyncio.sleep(0)
            log("processed", item)
            q.task_done()

    w = asyncio.create_task(worker())
    await q.join()
    log("joined", q.qsize())
    w.cancel()


async def scenario_join_on_empty_queue_returns():
    q = asyncio.Queue()
    loop = asyncio.get_running_loop()
    loop.call_soon(log, "callback")
    await q.join()
    log("joined at once")
    await asyncio.sleep(0)


async def scenario_join_counts_puts_not_gets():
    q = asyncio.Queue()
    q.put_nowait("a")
    q.put_nowait("b")
    q.get_nowait()
    q.get_nowait()
    j = asyncio.create_task(q.join())
    await asyncio.sleep(0)
    log("empty but unfinished", j.done())
    q.task_done()
    await asyncio.sleep(0)
    log("one done", j.done())
    q.task_done()
    await asyncio.sleep(0)
    log("both done", j.done())


async def scenario_several_joiners_all_wake():
    q = asyncio.Queue()
    q.put_nowait(1)

    async def joiner(name):
        await q.join()
        log(name, "joined")

    tasks = [asyncio.create_task(joiner(n)) for n in ["a", "b"]]
    await asyncio.sleep(0)
    q.get_nowait()
    q.task_done()
    await asyncio.gather(*tasks)


async def scenario_task_done_too_many_times():
    q = asyncio.Queue()
    try:
        q.task_done()
    except ValueError as e:
        log("task_done", e)
    q.put_nowait(1)
    q.get_nowait()
    q.task_done()
    try:
        q.task_done()
    except ValueError as e:
        log("task_done again", e)


@since("3.13")
async def scenario_shutdown_refuses_puts_drains_gets():
    q = asyncio.Queue()
    q.put_nowait(1)
    q.put_nowait(2)
    q.shutdown()
    for attempt in [lambda: q.put_nowait(3)]:
        try:
            attempt()
        except asyncio.QueueShutDown as e:
            log("put_nowait", e)
    try:
        await q.put(3)
    except asyncio.QueueShutDown as e:
        log("put", e)
    log("get", await q.get(), q.get_nowait())
    try:
        await q.get()
    except asyncio.QueueShutDown as e:
        log("get", e)
    try:
        q.get_nowait()
    except asyncio.QueueShutDown as e:
        log("get_nowait", e)


@since("3.13")
async def scenario_shutdown_wakes_waiting_getters():
    q = asyncio.Queue()

    async def waiting_getter(name):
        try:
            await q.get()
        except asyncio.QueueShutDown:
            log(name, "shut down")

    tasks = [asyncio.create_task(waiting_getter(n)) for n in ["a", "b"]]
    await asyncio.sleep(0)
    q.shutdown()
    await asyncio.gather(*tasks)


@since("3.13")
async def scenario_shutdown_wakes_waiting_putters():
    q = asyncio.Queue(1)
    q.put_nowait(0)

    async def waiting_putter(name):
        try:
            await q.put(name)
        except asyncio.QueueShutDown:
            log(name, "shut down")

    tasks = [asyncio.create_task(waiting_putter(n)) for n in ["a", "b"]]
    await asyncio.sleep(0)
    q.shutdown()
    await asyncio.gather(*tasks)
    log("item left", q.qsize(), q.get_nowait())


@since("3.13")
async def scenario_shutdown_immediate_drops_items_and_releases_join():
    q = asyncio.Queue()
    for i in range(3):
        q.put_nowait(i)
    q.get_nowait()
    j = asyncio.create_task(q.join())
    await asyncio.sleep(0)
    log("joining", j.done())
    q.shutdown(immediate=True)
    log("size", q.qsize())
    await asyncio.sleep(0)
    log("join after immediate shutdown", j.done())
    try:
        await q.get()
    except asyncio.QueueShutDown as e:
        log("get", e)
    q.task_done()
    try:
        q.task_done()
    except ValueError as e:
        log("task_done", e)


@since("3.13")
async def scenario_shutdown_not_immediate_join_still_waits():
    q = asyncio.Queue()
    q.put_nowait(1)
    q.shutdown()
    j = asyncio.create_task(q.join())
    await asyncio.sleep(0)
    log("join waits", j.done())
    log("drain", q.get_nowait())
    q.task_done()
    await asyncio.sleep(0)
    log("joined", j.done())


@since("3.13")
async def scenario_shutdown_twice_and_immediate_after():
    q = asyncio.Queue()
    q.put_nowait("a")
    q.shutdown()
    q.shutdown()
    log("size", q.qsize())
    q.shutdown(immediate=True)
    log("size", q.qsize())


async def scenario_priority_queue_with_waiting_getter():
    q = asyncio.PriorityQueue()
    t = asyncio.create_task(getter(q, "g"))
    await asyncio.sleep(0)
    q.put_nowait(5)
    q.put_nowait(1)
    await t
    log("left", q.get_nowait())


async def scenario_lifo_queue_with_maxsize():
    q = asyncio.LifoQueue(2)
    q.put_nowait("a")
    q.put_nowait("b")
    p = asyncio.create_task(putter(q, "p", "c"))
    await asyncio.sleep(0)
    log("get", q.get_nowait())
    await p
    log("rest", q.get_nowait(), q.get_nowait())


async def scenario_none_is_a_valid_item():
    q = asyncio.Queue()
    q.put_nowait(None)
    t = asyncio.create_task(q.get())
    log("got", await t, q.qsize())


async def scenario_get_timeout_loses_no_item():
    q = asyncio.Queue()
    try:
        await asyncio.wait_for(q.get(), 0.002)
    except TimeoutError:
        log("get timed out", q.qsize())
    q.put_nowait("x")
    log("item still there", q.qsize(), await q.get())


async def scenario_put_timeout_loses_no_slot():
    q = asyncio.Queue(1)
    q.put_nowait("a")
    try:
        await asyncio.wait_for(q.put("b"), 0.002)
    except TimeoutError:
        log("put timed out", q.qsize())
    log("got", q.get_nowait())
    await q.put("c")
    log("slot free again", q.qsize(), q.get_nowait())


async def scenario_join_cancelled_then_queue_still_joins():
    q = asyncio.Queue()
    q.put_nowait(1)
    j = asyncio.create_task(q.join())
    await asyncio.sleep(0)
    j.cancel()
    await asyncio.sleep(0)
    log(state(j))
    q.get_nowait()
    q.task_done()
    await q.join()
    log("joined")


async def scenario_producer_consumers_with_sentinels():
    q = asyncio.Queue(2)
    got = []

    async def consumer(name):
        while True:
            item = await q.get()
            q.task_done()
            if item is None:
                return
            got.append((name, item))

    cs = [asyncio.create_task(consumer(n)) for n in ["c1", "c2"]]
    for i in range(6):
        await q.put(i)
    for _ in cs:
        await q.put(None)
    await q.join()
    await asyncio.gather(*cs)
    log(sorted(i for _, i in got), len(got))


async def scenario_get_task_cancelled_before_start_keeps_item():
    q = asyncio.Queue()
    q.put_nowait("x")
    t = asyncio.create_task(q.get())
    t.cancel()
    await asyncio.sleep(0)
    log(state(t), q.qsize(), q.get_nowait())


async def scenario_put_task_cancelled_before_start_puts_nothing():
    q = asyncio.Queue()
    t = asyncio.create_task(q.put("x"))
    t.cancel()
    await asyncio.sleep(0)
    log(state(t), q.qsize())
