"""Outside tester's additions: gather's cancel message reaching its children (directly and from
the awaiting task), shielded children, as_completed over coroutines."""

import asyncio

from _trace import log, msg, since, state


async def child(name, delay, result=None):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError as e:
        log(name, "cancelled", msg(e))
        raise
    log(name, "done")
    return result


async def scenario_cancel_message_reaches_children():
    g = asyncio.gather(child("a", 1), child("b", 1))
    await asyncio.sleep(0)
    log("cancel", g.cancel("stop"))
    try:
        await g
    except asyncio.CancelledError as e:
        log("gather raised", msg(e))
    log(state(g))


async def scenario_awaiting_task_cancel_message_reaches_children():
    async def waiter():
        try:
            await asyncio.gather(child("a", 1), child("b", 1), return_exceptions=True)
        except asyncio.CancelledError as e:
            log("waiter sees", msg(e))
            raise

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    t.cancel("halt")
    await asyncio.gather(t, return_exceptions=True)
    log(state(t), t.cancelling())


async def scenario_nested_gather_cancel_message_reaches_leaves():
    inner = asyncio.gather(child("a", 1), child("b", 1))
    outer = asyncio.gather(inner, child("c", 1))
    await asyncio.sleep(0)
    outer.cancel("deep")
    try:
        await outer
    except asyncio.CancelledError as e:
        log("outer raised", msg(e))
    log(state(inner), state(outer))


async def scenario_gather_of_shielded_child_cancelled():
    t = asyncio.create_task(child("t", 0.002, "r"))
    g = asyncio.gather(asyncio.shield(t))
    await asyncio.sleep(0)
    g.cancel()
    try:
        await g
    except asyncio.CancelledError:
        log("gather cancelled", state(t))
    log("t", await t)


async def scenario_return_exceptions_mixed_results_in_order():
    async def boom():
        await asyncio.sleep(0)
        raise ZeroDivisionError()

    a = asyncio.create_task(child("a", 0.003, "ra"))
    c = asyncio.create_task(child("c", 1))
    loop = asyncio.get_running_loop()
    loop.call_later(0.001, c.cancel, "cut")
    r = await asyncio.gather(a, boom(), c, return_exceptions=True)
    log(r)


async def scenario_as_completed_over_coroutines():
    out = []
    for nxt in asyncio.as_completed([child("slow", 0.006, "s"), child("fast", 0.001, "f")]):
        out.append(await nxt)
    log(out)


async def scenario_as_completed_with_failing_and_cancelled_inputs():
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    f2 = loop.create_future()
    f3 = loop.create_future()
    loop.call_soon(f2.set_exception, ZeroDivisionError())
    loop.call_soon(f3.cancel)
    loop.call_soon(f1.set_result, "one")
    for nxt in asyncio.as_completed([f1, f2, f3]):
        try:
            log("got", await nxt)
        except ZeroDivisionError:
            log("got ZeroDivisionError")
        except asyncio.CancelledError:
            log("got CancelledError")


@since("3.13")
async def scenario_as_completed_async_iteration_timeout():
    fast = asyncio.create_task(child("fast", 0.001, "f"))
    slow = asyncio.create_task(child("slow", 1, "s"))
    try:
        async for f in asyncio.as_completed([fast, slow], timeout=0.02):
            log("got the task itself", f is fast, f.result())
    except TimeoutError:
        log("iteration raised TimeoutError", state(slow))
    slow.cancel()
    await asyncio.gather(slow, return_exceptions=True)


@since("3.13")
async def scenario_as_completed_async_iteration_wraps_coroutines():
    out = []
    async for f in asyncio.as_completed([child("c1", 0.004, 1), child("c2", 0.001, 2)]):
        out.append((isinstance(f, asyncio.Task), f.result()))
    log(out)
