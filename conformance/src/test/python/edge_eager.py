"""Outside tester's additions: eager tasks (3.12's eager_task_factory): the first step runs inside
create_task, before callbacks already queued; what is done at creation; the current task inside
the eager step; cancellation of and by an eager task; gather and wait_for starting them."""

import asyncio

from _trace import log, msg, since, state


class Boom(Exception):
    pass


def eager():
    asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)


@since("3.12")
async def scenario_first_step_runs_inside_create_task():
    eager()
    loop = asyncio.get_running_loop()
    loop.call_soon(log, "callback queued before")

    async def child():
        log("child first step")
        await asyncio.sleep(0)
        log("child second step")
        return 7

    log("before create")
    t = asyncio.create_task(child())
    log("after create", state(t))
    log("awaited", await t)


@since("3.12")
async def scenario_done_at_creation_callbacks_still_scheduled():
    eager()

    async def instant():
        return "v"

    t = asyncio.create_task(instant())
    log("created", state(t))
    t.add_done_callback(lambda f: log("callback", state(f)))
    log("callback added")
    await asyncio.sleep(0)
    log("end")


@since("3.12")
async def scenario_current_task_inside_the_eager_step():
    eager()
    parent = asyncio.current_task()
    box = {}

    async def child():
        me = asyncio.current_task()
        box["first"] = me
        log("inside: is parent", me is parent)
        await asyncio.sleep(0)
        log("after suspension: same task", asyncio.current_task() is me)

    t = asyncio.create_task(child())
    log("back in parent", asyncio.current_task() is parent, box["first"] is t)
    await t


@since("3.12")
async def scenario_eager_self_cancel_delivered_at_first_suspension():
    eager()

    async def child():
        asyncio.current_task().cancel("self")
        log("still running after self cancel")
        try:
            await asyncio.sleep(0)
        except asyncio.CancelledError as e:
            log("cancelled at first suspension", msg(e))
            raise

    t = asyncio.create_task(child())
    log("after create", state(t), t.cancelling())
    await asyncio.gather(t, return_exceptions=True)
    log(state(t))


@since("3.12")
async def scenario_eager_task_cancelled_by_creator_right_after():
    eager()

    async def child():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError as e:
            log("child cancelled", msg(e))
            raise

    t = asyncio.create_task(child())
    log("cancel", t.cancel("creator"))
    await asyncio.gather(t, return_exceptions=True)
    log(state(t))


@since("3.12")
async def scenario_eager_failure_not_raised_at_creation():
    eager()

    async def bad():
        raise Boom()

    t = asyncio.create_task(bad())
    log("created", state(t))
    try:
        await t
    except Boom:
        log("await raised Boom")


@since("3.12")
async def scenario_eager_task_awaiting_done_future_completes_at_creation():
    eager()
    f = asyncio.get_running_loop().create_future()
    f.set_result(3)

    async def child():
        v = await f
        log("child got", v)
        return v * 2

    t = asyncio.create_task(child())
    log("created", state(t))


@since("3.12")
async def scenario_gather_starts_eager_children_in_order():
    eager()

    async def child(name):
        log(name, "first step")
        await asyncio.sleep(0)
        log(name, "second step")
        return name

    g = asyncio.gather(child("a"), child("b"))
    log("gather returned", g.done())
    log(await g)


@since("3.12")
async def scenario_gather_of_instant_eager_children_is_done_at_once():
    eager()

    async def instant(v):
        return v

    g = asyncio.gather(instant(1), instant(2))
    log("gather done at once", g.done())
    log(await g)


@since("3.12")
async def scenario_nested_eager_creation_order():
    eager()

    async def leaf(name):
        log(name, "runs")
        await asyncio.sleep(0)
        log(name, "resumes")

    async def middle():
        log("middle starts")
        t = asyncio.create_task(leaf("leaf"))
        log("middle created leaf")
        await t
        log("middle ends")

    m = asyncio.create_task(middle())
    log("main created middle")
    await m


@since("3.12")
async def scenario_eager_task_from_callback():
    eager()
    loop = asyncio.get_running_loop()
    box = {}

    async def child():
        log("child runs in a task", asyncio.current_task() is not None)
        await asyncio.sleep(0)
        log("child resumes")

    def cb():
        log("callback creates")
        box["t"] = asyncio.create_task(child())
        log("callback done", state(box["t"]))

    loop.call_soon(cb)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await box["t"]


@since("3.12")
async def scenario_eager_getter_takes_item_at_creation():
    eager()
    q = asyncio.Queue()
    q.put_nowait(1)

    async def getter(name):
        item = await q.get()
        log(name, "got", item)
        return item

    a = asyncio.create_task(getter("a"))
    b = asyncio.create_task(getter("b"))
    log(state(a), state(b))
    q.put_nowait(2)
    await b


@since("3.12")
async def scenario_eager_lock_waiters_keep_creation_order():
    eager()
    lock = asyncio.Lock()

    async def user(name):
        async with lock:
            log(name, "has the lock")
            await asyncio.sleep(0)

    tasks = [asyncio.create_task(user(n)) for n in ["a", "b", "c"]]
    log("created", [t.done() for t in tasks])
    await asyncio.gather(*tasks)


@since("3.12")
async def scenario_wait_for_zero_timeout_on_eager_coroutine_that_finishes():
    eager()

    async def instant():
        log("instant runs")
        return "v"

    log("wait_for", await asyncio.wait_for(instant(), 0))


@since("3.12")
async def scenario_wait_for_zero_timeout_on_eager_coroutine_that_suspends():
    eager()

    async def slow():
        log("slow starts")
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log("slow cancelled")
            raise

    try:
        await asyncio.wait_for(slow(), 0)
    except TimeoutError:
        log("timed out")


@since("3.12")
async def scenario_shield_of_eager_coroutine_that_finishes():
    eager()

    async def instant():
        log("instant runs")
        return "v"

    s = asyncio.shield(instant())
    log("shield done at once", s.done())
    log(await s)


@since("3.12")
async def scenario_gather_goes_on_creating_after_eager_failure():
    eager()

    async def fail():
        log("a fails at once")
        raise Boom()

    async def other():
        log("b first step")
        await asyncio.sleep(0)
        log("b second step")
        return "b"

    try:
        await asyncio.gather(fail(), other())
    except Boom:
        log("gather raised Boom")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
