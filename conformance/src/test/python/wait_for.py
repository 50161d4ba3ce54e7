"""asyncio.wait_for: timeouts (zero, negative, none), cleanup of the inner work, cancellation
from outside, the exception chain of the timeout."""

import asyncio

from _trace import chain, log, since, state


class Boom(Exception):
    pass


async def work(name, delay, value=None):
    try:
        await asyncio.sleep(delay)
        log(name, "finished")
        return value
    except asyncio.CancelledError:
        log(name, "cancelled")
        raise
    finally:
        log(name, "finally")


async def slow_cleanup(name, delay):
    try:
        await asyncio.sleep(delay)
        return name
    finally:
        log(name, "cleanup starts")
        await asyncio.sleep(0.002)
        log(name, "cleanup done")


async def scenario_result_before_timeout():
    log(await asyncio.wait_for(work("w", 0.001, "v"), 5))


async def scenario_timeout_cancels_inner_and_raises_timeout_error():
    try:
        await asyncio.wait_for(work("w", 10), 0.002)
    except TimeoutError as e:
        log("raised", chain(e))


async def scenario_timeout_waits_for_inner_cleanup():
    try:
        await asyncio.wait_for(slow_cleanup("w", 10), 0.002)
    except TimeoutError:
        log("timeout raised after the cleanup")


async def scenario_inner_swallowing_the_timeout_returns_its_value():
    async def stubborn():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("swallowed")
        return "kept"

    log(await asyncio.wait_for(stubborn(), 0.002))


async def scenario_inner_raising_other_error_on_timeout():
    async def converts():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            raise Boom()

    try:
        await asyncio.wait_for(converts(), 0.002)
    except Exception as e:
        log("raised", e)


async def scenario_exception_passes_unchanged():
    e = Boom()

    async def fails():
        await asyncio.sleep(0)
        raise e

    try:
        await asyncio.wait_for(fails(), 5)
    except Boom as x:
        log("same instance", x is e)


async def scenario_zero_timeout_done_future_returns():
    f = asyncio.get_running_loop().create_future()
    f.set_result("ready")
    log(await asyncio.wait_for(f, 0))


async def scenario_zero_timeout_coroutine_never_starts():
    async def body():
        log("body runs")
        return 1

    try:
        await asyncio.wait_for(body(), 0)
    except TimeoutError as e:
        log("raised", chain(e))


async def scenario_negative_timeout_cancels_pending_task():
    t = asyncio.create_task(work("t", 10))
    await asyncio.sleep(0)
    try:
        await asyncio.wait_for(t, -1)
    except TimeoutError as e:
        log("raised", chain(e))
    log(state(t))


async def scenario_zero_timeout_task_swallowing_returns_value():
    async def stubborn():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("swallowed")
        return "kept"

    t = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    log(await asyncio.wait_for(t, 0))


async def scenario_zero_timeout_failed_future_raises_its_error():
    f = asyncio.get_running_loop().create_future()
    f.set_exception(Boom())
    try:
        await asyncio.wait_for(f, 0)
    except Boom as e:
        log("raised", e)


async def scenario_none_timeout_just_waits():
    log(await asyncio.wait_for(work("w", 0.002, "v"), None))


async def scenario_cancel_from_outside_waits_for_inner_cleanup():
    async def outer():
        try:
            return await asyncio.wait_for(slow_cleanup("inner", 10), 5)
        finally:
            log("outer finally")

    t = asyncio.create_task(outer())
    await asyncio.sleep(0.001)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log("outer cancelled, after the inner cleanup")
    log(state(t))


async def scenario_cancel_from_outside_cancels_inner_task():
    inner = asyncio.create_task(slow_cleanup("inner", 10))

    async def outer():
        return await asyncio.wait_for(inner, 5)

    t = asyncio.create_task(outer())
    await asyncio.sleep(0.001)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log("outer cancelled")
    log("outer", state(t), "inner", state(inner))


async def scenario_cancel_from_outside_is_not_a_timeout():
    async def outer():
        try:
            await asyncio.wait_for(work("inner", 10), 5)
        except TimeoutError:
            log("wrongly a timeout")
        except asyncio.CancelledError:
            log("outer sees CancelledError")
            raise

    t = asyncio.create_task(outer())
    await asyncio.sleep(0.001)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        pass
    log(state(t), t.cancelling())


async def scenario_timeout_leaves_cancelling_count_at_zero():
    me = asyncio.current_task()
    try:
        await asyncio.wait_for(work("w", 10), 0.001)
    except TimeoutError:
        log("cancelling after timeout", me.cancelling())
    await asyncio.sleep(0)
    log("not cancelled afterwards")


async def scenario_future_cancelled_by_someone_else_raises_cancelled():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    loop.call_soon(f.cancel)
    try:
        await asyncio.wait_for(f, 5)
    except TimeoutError:
        log("wrongly a timeout")
    except asyncio.CancelledError:
        log("raised CancelledError")


async def scenario_future_result_set_later():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    loop.call_later(0.001, f.set_result, "later")
    log(await asyncio.wait_for(f, 5))


async def scenario_timeout_on_future_cancels_it():
    f = asyncio.get_running_loop().create_future()
    try:
        await asyncio.wait_for(f, 0.001)
    except TimeoutError as e:
        log("raised", chain(e))
    log(state(f))


async def scenario_shielded_task_survives_the_timeout():
    gate = asyncio.get_running_loop().create_future()

    async def survivor():
        await gate
        log("survivor finished")
        return "survivor"

    t = asyncio.create_task(survivor())
    try:
        await asyncio.wait_for(asyncio.shield(t), 0.001)
    except TimeoutError:
        log("timed out", state(t))
    gate.set_result(None)
    log(await t)


async def scenario_nested_inner_timeout_first():
    async def body():
        try:
            await asyncio.wait_for(work("inner", 10), 0.001)
        except TimeoutError:
            log("inner timed out")
        return "outer body done"

    log(await asyncio.wait_for(body(), 5))


async def scenario_nested_outer_timeout_first():
    async def body():
        try:
            await asyncio.wait_for(work("inner", 10), 5)
        except TimeoutError:
            log("inner wrongly timed out")
        except asyncio.CancelledError:
            log("inner sees CancelledError")
            raise

    try:
        await asyncio.wait_for(body(), 0.002)
    except TimeoutError as e:
        log("outer timed out", chain(e))


async def scenario_timeout_task_inner_is_cancelled_task():
    t = asyncio.create_task(work("t", 10))
    try:
        await asyncio.wait_for(t, 0.001)
    except TimeoutError:
        log("timed out")
    log(state(t), t.cancelling())


@since("3.12")
async def scenario_coroutine_runs_inline_in_the_awaiting_task():
    me = asyncio.current_task()

    async def body():
        log("same task", asyncio.current_task() is me)
        return "ok"

    log(await asyncio.wait_for(body(), 5))


@since("3.12")
async def scenario_coroutine_starts_before_scheduled_callbacks():
    loop = asyncio.get_running_loop()

    async def body():
        log("body starts")
        await asyncio.sleep(0)
        log("body resumes")

    loop.call_soon(log, "soon")
    await asyncio.wait_for(body(), 5)
    log("end")


async def scenario_zero_timeout_done_task_returns_result():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result(3)
    log(await asyncio.wait_for(f, 0))
    t = asyncio.create_task(work("t", 0, "done task"))
    await t
    log(await asyncio.wait_for(t, 0))


@since("3.12")
async def scenario_cancel_absorbed_by_inner_task_returns_its_result():
    async def inner():
        try:
            await asyncio.sleep(0.1)
        except asyncio.CancelledError:
            log("inner caught 1")
            try:
                await asyncio.sleep(0.1)
            except asyncio.CancelledError:
                log("inner caught 2")
                await asyncio.sleep(0.01)
        return 42

    inner_task = asyncio.create_task(inner())
    task = asyncio.create_task(asyncio.wait_for(inner_task, 0.02))
    await asyncio.sleep(0.06)
    task.cancel()
    try:
        log("task result", await task)
    except asyncio.CancelledError:
        log("task cancelled")
    log(await inner_task, state(task))


async def scenario_inner_task_error_during_timeout_cancellation_propagates():
    async def inner():
        try:
            await asyncio.sleep(10)
        finally:
            raise Boom()

    t = asyncio.create_task(inner())
    try:
        await asyncio.wait_for(t, 0.002)
    except Exception as e:
        log("raised", e)
    log(state(t))
