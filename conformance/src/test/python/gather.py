"""gather: results in order, return_exceptions, duplicates, cancelling a child or the gather,
and the state of the gather's future afterwards."""

import asyncio

from _trace import log, msg, since, state


class Boom(Exception):
    pass


async def after(delay, value, name=None):
    try:
        await asyncio.sleep(delay)
        log(name or value, "finished")
        return value
    except asyncio.CancelledError as e:
        log(name or value, "cancelled", msg(e))
        raise


async def fail_after(delay, exc):
    await asyncio.sleep(delay)
    log("raising", exc)
    raise exc


async def gated(gate, value):
    """Finishes when the scenario opens the gate: no race against the other children's timers."""
    try:
        await gate
        log(value, "finished")
        return value
    except asyncio.CancelledError as e:
        log(value, "cancelled", msg(e))
        raise


async def scenario_results_in_argument_order():
    r = await asyncio.gather(after(0.006, "a"), after(0.002, "b"), after(0.004, "c"))
    log(r)


async def scenario_empty_gather_is_done_at_once():
    g = asyncio.gather()
    log(g.done(), state(g))
    log(await g)


async def scenario_children_start_in_argument_order():
    async def child(name):
        log(name, "starts")
        return name

    g = asyncio.gather(child("x"), child("y"), child("z"))
    log("gather created", g.done())
    log(await g)


async def scenario_first_exception_propagates_others_go_on():
    gate = asyncio.get_running_loop().create_future()
    slow = asyncio.create_task(gated(gate, "slow"))
    g = asyncio.gather(fail_after(0.002, Boom()), slow)
    try:
        await g
    except Boom as e:
        log("gather raised", e)
    log("gather", state(g), "slow", state(slow))
    gate.set_result(None)
    log(await slow)


async def scenario_first_exception_is_the_same_instance():
    e = Boom()
    gate = asyncio.get_running_loop().create_future()
    x = asyncio.create_task(gated(gate, "x"))
    g = asyncio.gather(fail_after(0.001, e), x)
    try:
        await g
    except Boom as err:
        log("same instance", err is e, g.exception() is e)
    gate.set_result(None)
    await x


async def scenario_second_exception_is_dropped():
    gate = asyncio.get_running_loop().create_future()

    async def second():
        await gate
        log("raising", "ValueError")
        raise ValueError()

    t = asyncio.create_task(second())
    g = asyncio.gather(fail_after(0.001, Boom()), t)
    try:
        await g
    except Exception as e:
        log("gather raised", e)
    gate.set_result(None)
    try:
        await t
    except ValueError:
        log("second child raised ValueError")
    log("gather", state(g))


async def scenario_return_exceptions_lists_failures():
    r = await asyncio.gather(
        after(0.001, "a"), fail_after(0.002, Boom()), after(0.003, "c"), fail_after(0, ValueError()),
        return_exceptions=True)
    log(r)


async def scenario_same_coroutine_twice_runs_once():
    async def once():
        log("body runs")
        return 42

    c = once()
    log(await asyncio.gather(c, c))


async def scenario_same_task_twice():
    t = asyncio.create_task(after(0.001, "t"))
    log(await asyncio.gather(t, t, after(0, "u")))


async def scenario_same_future_twice():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    loop.call_later(0.001, f.set_result, "f")
    log(await asyncio.gather(f, f, f))


async def scenario_same_failing_future_twice_with_return_exceptions():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    loop.call_soon(f.set_exception, Boom())
    r = await asyncio.gather(f, f, return_exceptions=True)
    log(r, r[0] is r[1])


async def scenario_cancelled_child_cancels_awaiter():
    gate = asyncio.get_running_loop().create_future()
    a = asyncio.create_task(gated(gate, "a"))
    b = asyncio.create_task(after(10, "b"))
    g = asyncio.gather(a, b)
    await asyncio.sleep(0)
    b.cancel("child")
    try:
        await g
    except asyncio.CancelledError as e:
        log("gather raised", e, msg(e))
    log("gather", state(g), g.cancelled(), "a", state(a), "b", state(b))
    gate.set_result(None)
    await a
    log("a", state(a))


async def scenario_cancelled_child_with_return_exceptions():
    a = asyncio.create_task(after(0.02, "a"))
    b = asyncio.create_task(after(10, "b"))
    g = asyncio.gather(a, b, return_exceptions=True)
    await asyncio.sleep(0)
    b.cancel("child")
    r = await g
    log(r, msg(r[1]))
    log("gather", state(g))


async def scenario_cancel_gather_cancels_children():
    a = asyncio.create_task(after(10, "a"))
    b = asyncio.create_task(after(10, "b"))
    g = asyncio.gather(a, b)
    await asyncio.sleep(0)
    log("cancel", g.cancel("stop"), "done right after", g.done())
    try:
        await g
    except asyncio.CancelledError as e:
        log("gather raised", e, msg(e))
    log("gather", state(g), g.cancelled(), "a", state(a), "b", state(b))


async def scenario_cancel_gather_with_return_exceptions_still_raises():
    a = asyncio.create_task(after(10, "a"))
    g = asyncio.gather(a, after(10, "b"), return_exceptions=True)
    await asyncio.sleep(0)
    log("cancel", g.cancel())
    try:
        log("result", await g)
    except asyncio.CancelledError:
        log("gather raised CancelledError")
    log("gather", state(g), g.cancelled(), "a", state(a))


async def scenario_cancel_gather_whose_children_swallow_it():
    async def swallow(name):
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log(name, "swallows")
        return name

    g = asyncio.gather(swallow("a"), swallow("b"))
    await asyncio.sleep(0)
    log("cancel", g.cancel())
    try:
        log("result", await g)
    except asyncio.CancelledError:
        log("gather raised CancelledError")
    log("gather", state(g), g.cancelled())


async def scenario_cancel_done_gather_returns_false():
    g = asyncio.gather(after(0, "a"))
    await g
    log("cancel", g.cancel(), state(g))


async def scenario_cancel_gather_of_done_children_returns_false():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f2 = loop.create_future()
    g = asyncio.gather(f, f2)
    f.set_result(1)
    f2.set_result(2)
    log("cancel", g.cancel(), g.done())
    log(await g)


async def scenario_cancelling_awaiting_task_cancels_gather():
    a = asyncio.create_task(after(10, "a"))
    b = asyncio.create_task(after(10, "b"))
    box = {}

    async def waiter():
        box["g"] = asyncio.gather(a, b)
        try:
            await box["g"]
        except asyncio.CancelledError:
            log("waiter cancelled")
            raise

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    w.cancel("outer")
    try:
        await w
    except asyncio.CancelledError as e:
        log("waiter raised", msg(e))
    log("waiter", state(w), "gather", state(box["g"]), "a", state(a), "b", state(b))


async def scenario_gather_of_done_futures():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result("x")
    g = asyncio.gather(f, f)
    log(await g)


@since("3.12")
async def scenario_gather_of_done_futures_is_done_at_once():
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    f1.set_result("x")
    f2 = loop.create_future()
    f2.set_exception(Boom())
    g = asyncio.gather(f1, f2, return_exceptions=True)
    log(g.done(), state(g))
    g2 = asyncio.gather(f1, f2)
    log(g2.done(), state(g2))


async def scenario_mixed_futures_tasks_and_coroutines():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    loop.call_later(0.002, f.set_result, "future")
    t = asyncio.create_task(after(0.001, "task"))
    log(await asyncio.gather(f, t, after(0.003, "coroutine")))


async def scenario_nested_gather_cancel_reaches_leaves():
    inner = asyncio.gather(after(10, "i1"), after(10, "i2"))
    outer = asyncio.gather(inner, after(10, "o1"))
    await asyncio.sleep(0)
    log("cancel", outer.cancel())
    try:
        await outer
    except asyncio.CancelledError:
        log("outer raised CancelledError")
    log("inner", state(inner), "outer", state(outer))


async def scenario_gather_done_callback_and_awaiter_order():
    g = asyncio.gather(after(0.001, "a"))
    g.add_done_callback(lambda f: log("callback", state(f)))

    async def waiter():
        log("waiter got", await g)

    w = asyncio.create_task(waiter())
    await w
    log("end")


async def scenario_child_failing_after_gather_cancelled():
    async def fail_on_cancel():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            raise Boom()

    g = asyncio.gather(fail_on_cancel(), after(10, "b"))
    await asyncio.sleep(0)
    g.cancel()
    try:
        await g
    except BaseException as e:
        log("gather raised", e)
    log("gather", state(g))


async def scenario_return_exceptions_with_cancel_message():
    t = asyncio.create_task(after(10, "t"))
    g = asyncio.gather(t, return_exceptions=True)
    await asyncio.sleep(0)
    t.cancel("why")
    r = await g
    log(r, msg(r[0]))


async def scenario_exception_raised_before_first_await():
    async def eager_fail():
        raise Boom()

    gate = asyncio.get_running_loop().create_future()
    slow = asyncio.create_task(gated(gate, "slow"))
    try:
        await asyncio.gather(eager_fail(), slow)
    except Boom:
        log("raised Boom", state(slow))
    gate.set_result(None)
    await slow


async def scenario_cancelling_task_awaiting_gather_whose_children_swallow():
    async def swallow(name):
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log(name, "swallows")
        return name

    async def waiter():
        return await asyncio.gather(swallow("a"), swallow("b"))

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    w.cancel()
    try:
        log("result", await w)
    except asyncio.CancelledError:
        log("waiter cancelled")
    log(state(w))
