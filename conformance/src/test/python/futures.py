"""Futures: states, results, cancellation, done-callbacks (scheduled, ordered, removable)."""

import asyncio

from _trace import log, msg, state


class Boom(Exception):
    pass


async def scenario_pending_result_and_exception_raise_invalid_state():
    f = asyncio.get_running_loop().create_future()
    for what, call in (("result", f.result), ("exception", f.exception)):
        try:
            call()
        except BaseException as e:
            log(what, "raised", e)
    log(state(f), f.done(), f.cancelled())


async def scenario_set_result_twice_raises_invalid_state():
    f = asyncio.get_running_loop().create_future()
    f.set_result(1)
    for what, call in (("set_result", lambda: f.set_result(2)),
                       ("set_exception", lambda: f.set_exception(Boom()))):
        try:
            call()
        except BaseException as e:
            log(what, "raised", e)
    log(state(f))


async def scenario_set_after_cancel_raises_invalid_state():
    f = asyncio.get_running_loop().create_future()
    log("cancel", f.cancel())
    try:
        f.set_result(1)
    except BaseException as e:
        log("set_result raised", e)
    log(state(f), f.done(), f.cancelled())


async def scenario_cancel_returns_false_once_done():
    loop = asyncio.get_running_loop()
    a = loop.create_future()
    a.set_result("x")
    b = loop.create_future()
    b.set_exception(Boom())
    c = loop.create_future()
    log(a.cancel(), b.cancel(), c.cancel(), c.cancel())
    log(state(a), state(b), state(c))


async def scenario_cancelled_result_and_exception_raise_cancelled():
    f = asyncio.get_running_loop().create_future()
    f.cancel()
    for what, call in (("result", f.result), ("exception", f.exception)):
        try:
            call()
        except BaseException as e:
            log(what, "raised", e, msg(e))


async def scenario_cancel_message_reaches_result_and_awaiter():
    f = asyncio.get_running_loop().create_future()
    f.cancel("bye")
    try:
        f.result()
    except asyncio.CancelledError as e:
        log("result raised", e, msg(e))
    try:
        await f
    except asyncio.CancelledError as e:
        log("await raised", e, msg(e))


async def scenario_success_has_no_exception():
    f = asyncio.get_running_loop().create_future()
    f.set_result(None)
    log(f.result(), f.exception(), state(f))


async def scenario_failure_keeps_the_same_instance():
    f = asyncio.get_running_loop().create_future()
    e = Boom()
    f.set_exception(e)
    log(f.exception() is e)
    try:
        f.result()
    except Boom as x:
        log("result raised the same", x is e)
    try:
        await f
    except Boom as x:
        log("await raised the same", x is e)


async def scenario_done_callback_is_scheduled_not_called_inline():
    f = asyncio.get_running_loop().create_future()
    f.add_done_callback(lambda fut: log("callback", state(fut)))
    f.set_result(5)
    log("after set_result")
    await asyncio.sleep(0)
    log("after one pass")


async def scenario_done_callback_on_done_future_is_scheduled():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result(1)
    loop.call_soon(log, "soon before")
    f.add_done_callback(lambda fut: log("callback"))
    loop.call_soon(log, "soon after")
    log("added")
    await asyncio.sleep(0)
    log("end")


async def scenario_done_callbacks_run_in_registration_order():
    f = asyncio.get_running_loop().create_future()
    for i in range(4):
        f.add_done_callback(lambda fut, i=i: log("cb", i))
    f.set_exception(Boom())
    await asyncio.sleep(0)
    log("end", state(f))


async def scenario_remove_done_callback_counts_every_registration():
    f = asyncio.get_running_loop().create_future()

    def cb(fut):
        log("cb")

    def other(fut):
        log("other")

    f.add_done_callback(cb)
    f.add_done_callback(other)
    f.add_done_callback(cb)
    log("removed", f.remove_done_callback(cb))
    log("removed again", f.remove_done_callback(cb))
    f.set_result(None)
    await asyncio.sleep(0)
    log("end")


async def scenario_callbacks_interleave_with_call_soon():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.add_done_callback(lambda fut: log("done cb 1"))
    loop.call_soon(log, "soon 1")
    f.set_result(None)
    loop.call_soon(log, "soon 2")
    f.add_done_callback(lambda fut: log("done cb 2"))
    await asyncio.sleep(0)
    log("end")


async def scenario_done_callback_error_goes_to_handler():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, ctx: log("handler", ctx["exception"]))
    f = loop.create_future()

    def bad(fut):
        log("bad")
        raise Boom()

    f.add_done_callback(bad)
    f.add_done_callback(lambda fut: log("next callback"))
    f.set_result(None)
    await asyncio.sleep(0)
    log("end")


async def scenario_callback_added_from_callback_runs_later():
    loop = asyncio.get_running_loop()
    f = loop.create_future()

    def first(fut):
        log("first")
        fut.add_done_callback(lambda x: log("added by first"))

    f.add_done_callback(first)
    f.add_done_callback(lambda x: log("second"))
    f.set_result(None)
    await asyncio.sleep(0)
    log("after pass 1")
    await asyncio.sleep(0)
    log("after pass 2")


async def scenario_awaiting_done_future_does_not_yield():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result(7)
    loop.call_soon(log, "soon")
    v = await f
    log("got", v)
    await asyncio.sleep(0)
    log("end")


async def scenario_awaiter_wakes_before_later_callbacks():
    loop = asyncio.get_running_loop()
    f = loop.create_future()

    async def waiter():
        log("waiter got", await f)

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    f.add_done_callback(lambda fut: log("done callback"))
    loop.call_soon(log, "soon before set")
    f.set_result("v")
    loop.call_soon(log, "soon after set")
    await t
    log("end")


async def scenario_cancelling_awaited_future_cancels_task():
    f = asyncio.get_running_loop().create_future()

    async def waiter():
        try:
            await f
        finally:
            log("waiter finally")

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    f.cancel("stop")
    try:
        await t
    except asyncio.CancelledError as e:
        log("awaiting task raised", e, msg(e))
    log(state(t), t.cancelling())


async def scenario_task_catching_future_cancel_goes_on():
    f = asyncio.get_running_loop().create_future()

    async def waiter():
        try:
            await f
        except asyncio.CancelledError as e:
            log("caught", msg(e))
        return "recovered"

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    f.cancel("m")
    log("result", await t, state(t), t.cancelling())


async def scenario_future_failure_raises_in_every_awaiter():
    f = asyncio.get_running_loop().create_future()

    async def waiter(name):
        try:
            await f
        except Boom as e:
            log(name, "raised", e)

    tasks = [asyncio.create_task(waiter(n)) for n in ("a", "b", "c")]
    await asyncio.sleep(0)
    f.set_exception(Boom())
    for t in tasks:
        await t
    log("end")


async def scenario_state_through_the_lifecycle():
    f = asyncio.get_running_loop().create_future()
    log(state(f), f.done(), f.cancelled())
    f.set_result([1, "two", None, True])
    log(state(f), f.done(), f.cancelled())


async def scenario_exception_then_callbacks_see_it():
    f = asyncio.get_running_loop().create_future()
    f.add_done_callback(lambda fut: log("cb", state(fut)))
    f.set_exception(ValueError("bad"))
    await asyncio.sleep(0)
    log("end")


async def scenario_cancel_schedules_callbacks_once():
    f = asyncio.get_running_loop().create_future()
    f.add_done_callback(lambda fut: log("cb", state(fut)))
    log(f.cancel("x"), f.cancel("y"))
    await asyncio.sleep(0)
    try:
        f.result()
    except asyncio.CancelledError as e:
        log("message", msg(e))
