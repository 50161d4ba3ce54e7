"""shield: the inner work survives the cancellation of whoever awaits it."""

import asyncio

from _trace import log, msg, state


class Boom(Exception):
    pass


async def work(name, delay, fail=False):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        log(name, "cancelled")
        raise
    if fail:
        log(name, "fails")
        raise Boom()
    log(name, "finished")
    return name


async def gated(name, gate):
    """Finishes when the scenario opens the gate: no race against the scenario's own steps."""
    await gate
    log(name, "finished")
    return name


async def scenario_shield_passes_the_result():
    log(await asyncio.shield(work("w", 0.001)))


async def scenario_shield_passes_the_exception():
    try:
        await asyncio.shield(work("w", 0.001, fail=True))
    except Boom as e:
        log("raised", e)


async def scenario_cancelling_the_awaiter_spares_the_inner_task():
    gate = asyncio.get_running_loop().create_future()
    inner = asyncio.create_task(gated("inner", gate))

    async def waiter():
        try:
            await asyncio.shield(inner)
        except asyncio.CancelledError:
            log("waiter cancelled, inner", state(inner))
            raise

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        log("waiter raised")
    gate.set_result(None)
    log("inner result", await inner, state(w))


async def scenario_cancelling_the_shield_future_itself():
    inner = asyncio.create_task(work("inner", 0.005))
    s = asyncio.shield(inner)
    log("cancel", s.cancel("m"))
    try:
        await s
    except asyncio.CancelledError as e:
        log("shield raised", msg(e))
    log("shield", state(s), "inner", state(inner))
    await inner
    log("inner", state(inner), "shield", state(s))


async def scenario_cancelled_inner_cancels_the_shield():
    inner = asyncio.create_task(work("inner", 10))
    s = asyncio.shield(inner)
    await asyncio.sleep(0)
    inner.cancel("inner msg")
    try:
        await s
    except asyncio.CancelledError as e:
        log("shield raised", msg(e))
    log("shield", state(s), "inner", state(inner))


async def scenario_shield_of_done_future_is_that_future():
    f = asyncio.get_running_loop().create_future()
    f.set_result(1)
    log(asyncio.shield(f) is f)
    t = asyncio.create_task(work("t", 0))
    await t
    log(asyncio.shield(t) is t)


async def scenario_shield_of_pending_future_is_a_new_future():
    f = asyncio.get_running_loop().create_future()
    s = asyncio.shield(f)
    log(s is f, state(s))
    f.set_result("v")
    log(state(s))
    await asyncio.sleep(0)
    log(state(s), await s)


async def scenario_inner_failure_after_shield_cancelled_is_retrieved():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, ctx: log("handler", ctx.get("exception")))
    inner = loop.create_future()
    s = asyncio.shield(inner)
    s.cancel()
    inner.set_exception(Boom())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log("shield", state(s), "inner", state(inner))


async def scenario_shield_twice_and_cancel_the_outer_one():
    inner = asyncio.create_task(work("inner", 0.005))
    s1 = asyncio.shield(inner)
    s2 = asyncio.shield(s1)
    s2.cancel()
    await inner
    log("s2", state(s2), "s1", state(s1), "inner", state(inner))


async def scenario_waiter_catches_cancel_and_awaits_inner():
    gate = asyncio.get_running_loop().create_future()
    inner = asyncio.create_task(gated("inner", gate))

    async def waiter():
        try:
            return await asyncio.shield(inner)
        except asyncio.CancelledError:
            log("waiter cancelled; waits for inner anyway")
            gate.set_result(None)
            return await inner

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    w.cancel()
    log("waiter result", await w, state(w), w.cancelling())


async def scenario_cancel_message_reaches_the_awaiter_through_the_shield():
    gate = asyncio.get_running_loop().create_future()
    inner = asyncio.create_task(gated("inner", gate))

    async def waiter():
        try:
            await asyncio.shield(inner)
        except asyncio.CancelledError as e:
            log("waiter got", msg(e))
            raise

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    w.cancel("reason")
    try:
        await w
    except asyncio.CancelledError as e:
        log("outside", msg(e))
    gate.set_result(None)
    await inner
