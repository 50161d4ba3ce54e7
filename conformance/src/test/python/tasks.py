"""Tasks: cancel(), cancelling() and uncancel() counts, a task cancelling itself, awaiting."""

import asyncio

from _trace import log, msg, since, state


class Boom(Exception):
    pass


async def body(name, delay=0.001):
    log(name, "starts")
    try:
        await asyncio.sleep(delay)
        log(name, "slept")
        return name
    finally:
        log(name, "finally")


async def scenario_cancel_before_start_body_never_runs():
    t = asyncio.create_task(body("t"))
    log("cancel", t.cancel(), t.cancelling())
    try:
        await t
    except asyncio.CancelledError as e:
        log("await raised", e)
    log(state(t), t.cancelling())


async def scenario_cancel_while_sleeping_runs_finally():
    t = asyncio.create_task(body("t", 10))
    await asyncio.sleep(0)
    log("cancel", t.cancel())
    log("state right after cancel", state(t))
    try:
        await t
    except asyncio.CancelledError:
        log("await raised")
    log(state(t), t.cancelling(), t.cancelled())


async def scenario_cancel_message_inside_and_outside():
    async def inner():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError as e:
            log("inside", e, msg(e))
            raise

    t = asyncio.create_task(inner())
    await asyncio.sleep(0)
    t.cancel("the reason")
    try:
        await t
    except asyncio.CancelledError as e:
        log("outside", e, msg(e))
    try:
        t.result()
    except asyncio.CancelledError as e:
        log("result()", msg(e))


async def scenario_caught_cancel_task_returns_value():
    async def stubborn():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("caught")
        await asyncio.sleep(0)
        return "finished anyway"

    t = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    t.cancel()
    log("result", await t)
    log(state(t), t.cancelled(), t.cancelling())


async def scenario_cancel_twice_counts_two_delivers_one():
    async def stubborn():
        for i in range(3):
            try:
                await asyncio.sleep(0.002)
                log("slept", i)
            except asyncio.CancelledError:
                log("cancelled at", i)
        return "done"

    t = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    log(t.cancel(), t.cancel(), t.cancelling())
    log(await t, t.cancelling())


async def scenario_cancel_with_two_messages_keeps_first_delivered():
    async def sleeper():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError as e:
            log("inside", msg(e))
            raise

    t = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    t.cancel("first")
    t.cancel("second")
    try:
        await t
    except asyncio.CancelledError as e:
        log("outside", msg(e))


async def scenario_uncancel_counts_down_to_zero():
    t = asyncio.create_task(body("t", 10))
    await asyncio.sleep(0)
    t.cancel()
    t.cancel()
    t.cancel()
    log("cancelling", t.cancelling())
    log("uncancel", t.uncancel(), t.uncancel(), t.uncancel(), t.uncancel())
    log("cancelling", t.cancelling())
    try:
        await t
    except asyncio.CancelledError:
        log("still cancelled: the sleep was cancelled already")
    log(state(t), t.cancelling())


async def scenario_uncancel_inside_the_task_lets_it_go_on():
    async def resilient():
        me = asyncio.current_task()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("caught, cancelling", me.cancelling())
            log("uncancel", me.uncancel())
        await asyncio.sleep(0.001)
        log("slept after uncancel")
        return "ok"

    t = asyncio.create_task(resilient())
    await asyncio.sleep(0)
    t.cancel()
    log(await t, state(t), t.cancelling())


@since("3.13")
async def scenario_uncancel_to_zero_drops_undelivered_self_cancel():
    me = asyncio.current_task()
    me.cancel()
    log("cancelling", me.cancelling())
    log("uncancel", me.uncancel())
    try:
        await asyncio.sleep(0)
        log("no cancellation delivered")
    except asyncio.CancelledError:
        log("cancelled anyway")


@since("3.13")
async def scenario_uncancel_before_start_lets_task_run():
    t = asyncio.create_task(body("t"))
    t.cancel()
    log("uncancel", t.uncancel())
    log("result", await t, state(t))


async def scenario_task_cancels_itself_at_next_await():
    me = asyncio.current_task()
    log("cancel self", me.cancel(), me.cancelling())
    log("still running", me.done())
    try:
        await asyncio.sleep(0)
        log("not reached")
    except asyncio.CancelledError:
        log("cancelled at the await", me.cancelling())
    await asyncio.sleep(0)
    log("goes on after catching")


async def scenario_task_cancels_itself_then_returns():
    async def quitter():
        asyncio.current_task().cancel()
        log("returning")
        return "value"

    t = asyncio.create_task(quitter())
    try:
        log("result", await t)
    except asyncio.CancelledError:
        log("await raised CancelledError")
    log(state(t), t.cancelling())


async def scenario_task_cancels_itself_then_awaits_done_future():
    async def quitter():
        f = asyncio.get_running_loop().create_future()
        f.set_result("ready")
        asyncio.current_task().cancel()
        log("awaited done future", await f)
        return "value"

    t = asyncio.create_task(quitter())
    try:
        log("result", await t)
    except asyncio.CancelledError:
        log("await raised CancelledError")
    log(state(t))


async def scenario_task_cancels_itself_then_raises():
    async def quitter():
        asyncio.current_task().cancel()
        raise Boom()

    t = asyncio.create_task(quitter())
    try:
        await t
    except BaseException as e:
        log("await raised", e)
    log(state(t))


async def scenario_task_cancels_itself_then_awaits_pending_future():
    async def quitter():
        f = asyncio.get_running_loop().create_future()
        asyncio.current_task().cancel("self")
        try:
            await f
        except asyncio.CancelledError as e:
            log("caught", msg(e), "future", state(f))
            raise

    t = asyncio.create_task(quitter())
    try:
        await t
    except asyncio.CancelledError:
        log("await raised CancelledError")
    log(state(t))


async def scenario_cancel_done_task_returns_false():
    t = asyncio.create_task(body("t", 0))
    await t
    log("cancel", t.cancel(), t.cancelling(), state(t))
    bad = asyncio.create_task(asyncio.sleep(0))
    await bad
    log("cancel", bad.cancel(), state(bad))


async def scenario_cancel_outer_cancels_awaited_inner_task():
    inner = asyncio.create_task(body("inner", 10))

    async def outer():
        try:
            return await inner
        finally:
            log("outer finally")

    o = asyncio.create_task(outer())
    await asyncio.sleep(0)
    o.cancel()
    try:
        await o
    except asyncio.CancelledError:
        log("outer raised CancelledError")
    log("inner", state(inner), inner.cancelling(), "outer", state(o), o.cancelling())


async def scenario_inner_swallows_cancel_outer_gets_result():
    async def inner():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("inner swallows")
        return "inner value"

    i = asyncio.create_task(inner())

    async def outer():
        v = await i
        log("outer got", v)
        await asyncio.sleep(0)
        log("outer not cancelled")
        return v

    o = asyncio.create_task(outer())
    await asyncio.sleep(0)
    log("cancel outer", o.cancel())
    log(await o, state(o), o.cancelling(), state(i), i.cancelling())


async def scenario_cancelling_inner_directly_raises_in_awaiter():
    inner = asyncio.create_task(body("inner", 10))

    async def outer():
        try:
            await inner
        except asyncio.CancelledError:
            log("outer caught inner's cancellation")
            return "outer ok"

    o = asyncio.create_task(outer())
    await asyncio.sleep(0)
    inner.cancel()
    log(await o, state(o), o.cancelling(), state(inner))


async def scenario_task_awaiting_itself_raises_runtime_error():
    async def narcissist():
        try:
            await asyncio.current_task()
        except RuntimeError as e:
            log("raised", e)
        return "ok"

    t = asyncio.create_task(narcissist())
    log(await t)


async def scenario_coroutine_awaited_twice_raises_runtime_error():
    async def once():
        return 1

    c = once()
    log(await c)
    try:
        await c
    except RuntimeError as e:
        log("second await raised", e)


async def scenario_task_set_result_and_set_exception_refused():
    t = asyncio.create_task(body("t", 0))
    for what, call in (("set_result", lambda: t.set_result(1)),
                       ("set_exception", lambda: t.set_exception(Boom()))):
        try:
            call()
        except RuntimeError as e:
            log(what, "raised", e)
    await t
    log(state(t))


async def scenario_task_result_before_done_raises_invalid_state():
    t = asyncio.create_task(body("t"))
    try:
        t.result()
    except BaseException as e:
        log("result raised", e)
    try:
        t.exception()
    except BaseException as e:
        log("exception raised", e)
    await t
    log(t.result(), t.exception())


async def scenario_failed_task_raises_same_instance_each_await():
    async def failing():
        await asyncio.sleep(0)
        raise Boom()

    t = asyncio.create_task(failing())
    errors = []
    for _ in range(2):
        try:
            await t
        except Boom as e:
            errors.append(e)
    log(len(errors), errors[0] is errors[1], errors[0] is t.exception())


async def worker(name):
    log(name, "step 1")
    await asyncio.sleep(0)
    log(name, "step 2")


async def scenario_tasks_start_in_creation_order():
    ts = [asyncio.create_task(worker(n)) for n in ("a", "b", "c")]
    log("created")
    for t in ts:
        await t
    log("end")


async def scenario_awaiters_of_one_task_wake_in_order():
    target = asyncio.create_task(body("target"))

    async def waiter(name):
        log(name, "got", await target)

    ws = [asyncio.create_task(waiter(n)) for n in ("w1", "w2", "w3")]
    target.add_done_callback(lambda t: log("done callback"))
    for w in ws:
        await w
    log("end")


async def scenario_task_names():
    t = asyncio.create_task(body("t", 0), name="worker")
    log(t.get_name())
    t.set_name("renamed")
    log(t.get_name())
    await t


async def scenario_cancel_scheduled_task_after_yield():
    async def yielder():
        log("before yield")
        try:
            await asyncio.sleep(0)
            log("not reached")
        except asyncio.CancelledError:
            log("cancelled at yield")
            raise

    t = asyncio.create_task(yielder())
    await asyncio.sleep(0)
    log("task is ready to resume; cancel", t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        log("raised")
    log(state(t))


async def scenario_cancelled_task_done_callbacks_run():
    t = asyncio.create_task(body("t", 10))
    t.add_done_callback(lambda x: log("callback", state(x)))
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.sleep(0)
    log("one pass after cancel", state(t))
    await asyncio.sleep(0)
    log("two passes", state(t))


async def scenario_cancel_during_finally_await():
    async def careful():
        try:
            await asyncio.sleep(10)
        finally:
            log("cleanup starts")
            await asyncio.sleep(0.002)
            log("cleanup ends")

    t = asyncio.create_task(careful())
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.sleep(0)
    log("cancel again during cleanup", t.cancel(), t.cancelling())
    try:
        await t
    except asyncio.CancelledError:
        log("raised")
    log(state(t))


async def scenario_main_task_cancelled_by_child():
    me = asyncio.current_task()

    async def killer():
        me.cancel("from child")

    asyncio.create_task(killer())
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        log("main cancelled", msg(e), me.cancelling())


async def scenario_cancel_after_awaited_future_completed_before_resume():
    f = asyncio.get_running_loop().create_future()

    async def waiter():
        try:
            log("got", await f)
        except asyncio.CancelledError:
            log("cancelled instead of the result")
            raise

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    f.set_result("value")
    log("cancel", t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        log("task cancelled", state(f))


async def scenario_ensure_future_of_task_and_future_is_identity():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(body("t", 0))
    f = loop.create_future()
    log(asyncio.ensure_future(t) is t, asyncio.ensure_future(f) is f)
    c = asyncio.ensure_future(body("c", 0))
    log(isinstance(c, asyncio.Task), await c, await t)


async def scenario_task_and_direct_await_of_one_coroutine():
    c = body("c", 0)
    t = asyncio.create_task(c)
    try:
        log("direct await got", await c)
    except RuntimeError as e:
        log("direct await raised", e)
    try:
        log("task got", await t)
    except RuntimeError as e:
        log("task raised", e)


async def scenario_yield_order_with_work_added_during_the_step():
    # a task that yields while a new task, a callback or a due timer was added in the same step
    loop = asyncio.get_running_loop()
    t = None
    for i in range(5):
        log("main", i)
        if i == 0:
            t = asyncio.create_task(worker("t"))
        elif i == 1:
            loop.call_soon(log, "soon")
        elif i == 2:
            loop.call_later(0, log, "later")
        await asyncio.sleep(0)
    log("main done")
    await t


async def inner(name):
    log(name, "inner before")
    await asyncio.sleep(0)
    log(name, "inner after")
    return name


async def outer(name):
    r = await inner(name)
    log(name, "outer got", r)


async def scenario_yield_inside_a_nested_coroutine_interleaves():
    a = asyncio.create_task(outer("a"))
    b = asyncio.create_task(outer("b"))
    await asyncio.sleep(0)
    log("main after one yield")
    await a
    log("main after a", state(b))
    await b
    log("main done")


# A cancel that arrives in the pass where the task's sleep is over, before or after the sleep's
# own timer callback: the loop is held (a blocking sleep) so both timers are due in one pass.
# The sleep's deadline is the latest so far (the runtime keeps the task in its timers' run) or,
# with a later timer pending, not (a timer entry of its own in the heap).


async def cancel_in_the_pass_a_sleep_ends(canceller_delay, long_timer):
    import time

    loop = asyncio.get_running_loop()
    if long_timer:
        pending = loop.call_later(60, lambda: None)  # a later timer: the sleep is not the last
    else:
        pending = None

    async def sleeper():
        try:
            await asyncio.sleep(0.02)
            log("sleeper woke")
        except asyncio.CancelledError as e:
            log("sleeper cancelled", msg(e))
            raise

    t = asyncio.create_task(sleeper())
    await asyncio.sleep(0)

    def canceller():
        log("cancel", t.cancel("stop"))
        loop.call_soon(log, "callback after the cancel")

    loop.call_later(canceller_delay, canceller)
    time.sleep(0.06)
    try:
        await t
    except asyncio.CancelledError as e:
        log("await raised", msg(e))
    log(state(t), t.cancelling())
    if pending is not None:
        pending.cancel()


async def scenario_cancel_due_before_the_sleep_in_the_same_pass():
    await cancel_in_the_pass_a_sleep_ends(0.01, False)


async def scenario_cancel_due_after_the_sleep_in_the_same_pass():
    await cancel_in_the_pass_a_sleep_ends(0.03, False)


async def scenario_cancel_due_before_a_heap_sleep_in_the_same_pass():
    await cancel_in_the_pass_a_sleep_ends(0.01, True)


async def scenario_cancel_due_after_a_heap_sleep_in_the_same_pass():
    await cancel_in_the_pass_a_sleep_ends(0.03, True)


async def self_cancel_then_park(make, then):
    """A task cancels itself, parks in make(); then(t) runs before it resumes."""

    async def w():
        asyncio.current_task().cancel("first")
        try:
            await make()
            return "not cancelled"
        except asyncio.CancelledError as e:
            return "cancelled: " + str(msg(e))

    t = asyncio.create_task(w())
    await asyncio.sleep(0)  # it has cancelled itself and parked
    then(t)
    log("ends", await t, t.cancelling())


def parks():
    """What a task may park in: a sleep, an empty queue's get, a full queue's put."""
    loop = asyncio.get_running_loop()
    empty = asyncio.Queue()
    loop.call_later(0.01, empty.put_nowait, 1)
    full = asyncio.Queue(1)
    full.put_nowait(0)
    loop.call_later(0.01, full.get_nowait)
    return [("sleep", lambda: asyncio.sleep(0.01)), ("get", empty.get), ("put", lambda: full.put(1))]


async def scenario_self_cancel_committed_when_parking_survives_uncancel():
    # found from outside: asyncio cancels the future a task parks on with its pending
    # cancellation at once; ours kept it pending in a sleep or a queue's line, and uncancel()
    # dropped it
    for name, make in parks():
        log("parks in", name)
        await self_cancel_then_park(make, lambda t: log("uncancel", t.uncancel()))


async def scenario_self_cancel_committed_when_parking_keeps_its_message():
    for name, make in parks():
        log("parks in", name)
        await self_cancel_then_park(make, lambda t: log("cancel again", t.cancel("second")))
