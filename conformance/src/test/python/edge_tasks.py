"""Outside tester's additions: cancel() landing after what a task awaits has finished but before
the task resumes (a task, gather, shield, wait_for, wait, a sleep), cancelling() counts across
caught cancellations, an error in a finally block replacing the cancellation (test_tasks.py)."""

import asyncio

from _trace import log, msg, since, state


class Boom(Exception):
    pass


async def gated(gate, value):
    await gate
    return value


async def awaiter(name, make):
    try:
        r = await make()
        log(name, "got", r)
        return r
    except asyncio.CancelledError as e:
        log(name, "cancelled", msg(e))
        raise


async def finish_then_cancel(make):
    loop = asyncio.get_running_loop()
    gate = loop.create_future()
    inner = asyncio.create_task(gated(gate, 5))
    outer = asyncio.create_task(awaiter("outer", lambda: make(inner)))
    await asyncio.sleep(0)
    gate.set_result(None)
    await asyncio.sleep(0)
    log("inner", state(inner), "outer", state(outer))
    log("cancel", outer.cancel("late"))
    await asyncio.gather(outer, return_exceptions=True)
    log("outer", state(outer), "inner", state(inner), outer.cancelling())


async def scenario_cancel_after_awaited_task_finished():
    await finish_then_cancel(lambda inner: inner)


async def scenario_cancel_after_awaited_gather_finished():
    await finish_then_cancel(lambda inner: asyncio.gather(inner))


async def scenario_cancel_after_awaited_shield_finished():
    await finish_then_cancel(lambda inner: asyncio.shield(inner))


@since("3.12")
async def scenario_cancel_after_awaited_wait_for_finished():
    await finish_then_cancel(lambda inner: asyncio.wait_for(inner, 10))


async def scenario_cancel_after_awaited_wait_finished():
    async def waited(inner):
        done, pending = await asyncio.wait([inner])
        return len(done)

    await finish_then_cancel(waited)


async def scenario_inner_task_finished_outer_catches_late_cancel():
    loop = asyncio.get_running_loop()
    gate = loop.create_future()
    inner = asyncio.create_task(gated(gate, 5))

    async def outer_body():
        try:
            await inner
        except asyncio.CancelledError:
            log("caught, inner", state(inner), asyncio.current_task().cancelling())
        r = await inner
        log("awaited again", r)
        return r

    outer = asyncio.create_task(outer_body())
    await asyncio.sleep(0)
    gate.set_result(None)
    await asyncio.sleep(0)
    outer.cancel()
    log("outer", await outer, state(outer), outer.cancelling())


async def scenario_cancelling_counts_across_caught_cancellations():
    async def stubborn():
        me = asyncio.current_task()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("first caught", me.cancelling())
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("second caught", me.cancelling())
        log("uncancel", me.uncancel(), me.uncancel())
        await asyncio.sleep(0)
        return "ok"

    t = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    log("cancel", t.cancel(), t.cancelling())
    await asyncio.sleep(0)
    log("after first", t.cancelling(), t.done())
    log("cancel", t.cancel(), t.cancelling())
    r = await t
    log(r, state(t), t.cancelling(), t.cancel())


async def scenario_error_in_finally_replaces_cancellation():
    async def body():
        try:
            await asyncio.sleep(10)
        finally:
            log("finally raises")
            raise Boom()

    t = asyncio.create_task(body())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except Boom:
        log("awaiter got Boom")
    log(state(t), t.cancelled(), t.cancelling())


async def scenario_cancel_with_message_while_awaiting_finished_task_keeps_message():
    loop = asyncio.get_running_loop()
    f = loop.create_future()

    async def body():
        try:
            await f
        except asyncio.CancelledError as e:
            log("caught", msg(e), f.done())
            raise

    t = asyncio.create_task(body())
    await asyncio.sleep(0)
    f.set_result(1)
    t.cancel("first")
    t.cancel("second")
    await asyncio.gather(t, return_exceptions=True)
    log(state(t), t.cancelling())


async def scenario_cancel_task_awaiting_cancelled_future_message_order():
    loop = asyncio.get_running_loop()
    f = loop.create_future()

    async def body():
        try:
            await f
        except asyncio.CancelledError as e:
            log("caught", msg(e))
            raise

    t = asyncio.create_task(body())
    await asyncio.sleep(0)
    f.cancel("from future")
    t.cancel("from task")
    await asyncio.gather(t, return_exceptions=True)
    log(state(t), t.cancelling())


async def scenario_uncancel_inside_then_later_cancel_delivered():
    async def body():
        me = asyncio.current_task()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("caught", me.uncancel())
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("second caught", me.cancelling())
            raise

    t = asyncio.create_task(body())
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.sleep(0)
    log("between", t.cancelling(), t.done())
    t.cancel()
    await asyncio.gather(t, return_exceptions=True)
    log(state(t), t.cancelling())


async def scenario_task_cancelled_while_its_done_callback_pending():
    loop = asyncio.get_running_loop()

    async def quick():
        return 1

    t = asyncio.create_task(quick())
    t.add_done_callback(lambda f: log("callback sees", state(f)))
    await asyncio.sleep(0)
    log("after one pass", state(t), t.cancel())
    await asyncio.sleep(0)
    log("end")


async def scenario_self_cancel_then_await_finished_task_goes_on():
    async def quick():
        return 1

    q = asyncio.create_task(quick())
    await asyncio.sleep(0)

    async def body():
        asyncio.current_task().cancel()
        r = await q
        log("awaiting a finished task does not yield", r)
        try:
            await asyncio.sleep(0)
        except asyncio.CancelledError:
            log("delivered at the first real suspension")
            raise

    t = asyncio.create_task(body())
    await asyncio.gather(t, return_exceptions=True)
    log(state(t))
