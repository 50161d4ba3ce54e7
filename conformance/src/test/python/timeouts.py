"""asyncio.timeout() scopes: expiry, reschedule, expired(), nesting, cancellation from outside.
Each scope's body is a coroutine of its own (body(cm)), as the Java twin's lambda is."""

import asyncio

from _trace import chain, log, state


class Boom(Exception):
    pass


async def sleeps(cm, delay, name="body"):
    try:
        await asyncio.sleep(delay)
        log(name, "slept")
        return name
    except asyncio.CancelledError:
        log(name, "cancelled, expired", cm.expired())
        raise


async def scenario_no_expiry_returns_normally():
    async with asyncio.timeout(5) as cm:
        r = await sleeps(cm, 0.001)
    log(r, cm.expired())


async def scenario_expiry_raises_timeout_error_from_cancelled():
    try:
        async with asyncio.timeout(0.002) as cm:
            await sleeps(cm, 10)
    except TimeoutError as e:
        log("raised", chain(e), cm.expired())


async def scenario_none_never_expires():
    async with asyncio.timeout(None) as cm:
        log("when is none", cm.when() is None)
        await sleeps(cm, 0.002)
    log(cm.expired())


async def scenario_reschedule_to_none_disarms():
    async with asyncio.timeout(0.002) as cm:
        cm.reschedule(None)
        await sleeps(cm, 0.01)
    log("no timeout", cm.expired(), cm.when() is None)


async def scenario_reschedule_later_extends():
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(0.001) as cm:
        cm.reschedule(loop.time() + 5)
        await sleeps(cm, 0.005)
    log("no timeout", cm.expired())


async def scenario_reschedule_to_the_past_expires_at_next_await():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(5) as cm:
            log("before reschedule")
            cm.reschedule(loop.time() - 1)
            log("still running")
            await sleeps(cm, 10)
    except TimeoutError:
        log("timed out", cm.expired())


async def scenario_reschedule_after_exit_raises_runtime_error():
    async with asyncio.timeout(5) as cm:
        pass
    try:
        cm.reschedule(None)
    except RuntimeError as e:
        log("raised", e)


async def scenario_reschedule_while_expiring_raises_runtime_error():
    try:
        async with asyncio.timeout(0.001) as cm:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                try:
                    cm.reschedule(None)
                except RuntimeError as e:
                    log("reschedule raised", e)
                raise
    except TimeoutError:
        log("timed out")


async def scenario_zero_delay_body_runs_to_first_await():
    try:
        async with asyncio.timeout(0) as cm:
            log("body starts")
            await sleeps(cm, 10)
    except TimeoutError:
        log("timed out")


async def scenario_timeout_at_in_the_past():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout_at(loop.time() - 5) as cm:
            log("body starts", cm.expired())
            await sleeps(cm, 10)
    except TimeoutError:
        log("timed out", cm.expired())


async def scenario_body_swallowing_cancel_ends_normally():
    async with asyncio.timeout(0.001) as cm:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("swallowed")
    log("no TimeoutError", cm.expired(), asyncio.current_task().cancelling())


async def scenario_body_raising_other_error_after_expiry():
    try:
        async with asyncio.timeout(0.001):
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                raise Boom()
    except Exception as e:
        log("raised", e)


async def scenario_body_error_before_expiry_passes_through():
    try:
        async with asyncio.timeout(5) as cm:
            await asyncio.sleep(0)
            raise Boom()
    except Boom as e:
        log("raised", e, cm.expired())


async def scenario_nested_inner_expires_first():
    async with asyncio.timeout(5) as outer:
        try:
            async with asyncio.timeout(0.001) as inner:
                await sleeps(inner, 10, "inner body")
        except TimeoutError:
            log("inner timed out", inner.expired(), outer.expired())
        await asyncio.sleep(0)
        log("outer body goes on")
    log("outer exited", outer.expired())


async def scenario_nested_outer_expires_first():
    try:
        async with asyncio.timeout(0.002) as outer:
            try:
                async with asyncio.timeout(5) as inner:
                    await sleeps(inner, 10, "inner body")
            except TimeoutError:
                log("inner wrongly timed out")
            except asyncio.CancelledError:
                log("inner scope lets the cancellation through", inner.expired())
                raise
    except TimeoutError as e:
        log("outer timed out", outer.expired(), chain(e))


async def scenario_nested_same_deadline_outer_reports():
    loop = asyncio.get_running_loop()
    when = loop.time() + 0.002
    try:
        async with asyncio.timeout_at(when) as outer:
            try:
                async with asyncio.timeout_at(when) as inner:
                    await sleeps(inner, 10, "inner body")
            except TimeoutError:
                log("inner raised TimeoutError")
            except asyncio.CancelledError:
                log("inner let CancelledError through", inner.expired())
                raise
    except TimeoutError:
        log("outer raised TimeoutError", outer.expired())


async def scenario_cancel_from_outside_is_not_a_timeout():
    async def guarded():
        try:
            async with asyncio.timeout(5) as cm:
                await sleeps(cm, 10)
        except TimeoutError:
            log("wrongly a timeout")
        except asyncio.CancelledError:
            log("cancelled, expired", cm.expired())
            raise

    t = asyncio.create_task(guarded())
    await asyncio.sleep(0.001)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        pass
    log(state(t))


async def scenario_cancel_from_outside_and_expiry_together():
    loop = asyncio.get_running_loop()
    box = {}

    async def guarded():
        try:
            async with asyncio.timeout(0.002) as cm:
                box["cm"] = cm
                await sleeps(cm, 10)
        except TimeoutError:
            log("timeout")
        except asyncio.CancelledError:
            log("cancelled wins, cancelling", asyncio.current_task().cancelling())
            raise

    t = asyncio.create_task(guarded())
    await asyncio.sleep(0)
    when = box["cm"].when()
    loop.call_at(when, t.cancel)
    try:
        await t
    except asyncio.CancelledError:
        log("task cancelled", state(t))


async def scenario_cancelling_count_inside_and_after():
    me = asyncio.current_task()
    try:
        async with asyncio.timeout(0.001):
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                log("inside, cancelling", me.cancelling())
                raise
    except TimeoutError:
        log("after, cancelling", me.cancelling())


async def scenario_task_already_cancelling_still_times_out():
    me = asyncio.current_task()
    me.cancel()
    try:
        await asyncio.sleep(0)
    except asyncio.CancelledError:
        log("caught a cancel without uncancel; cancelling", me.cancelling())
    try:
        async with asyncio.timeout(0.001):
            await asyncio.sleep(10)
    except TimeoutError:
        log("timed out anyway")
    except asyncio.CancelledError:
        log("cancelled instead")
    log("cancelling", me.cancelling())


async def scenario_expired_is_false_until_the_deadline():
    async with asyncio.timeout(5) as cm:
        log("at start", cm.expired())
        await asyncio.sleep(0)
        log("after a yield", cm.expired())
    log("exit", cm.expired())


async def scenario_sequential_scopes_are_independent():
    for i in range(3):
        try:
            async with asyncio.timeout(0.001 if i == 1 else 5) as cm:
                await sleeps(cm, 0.003 if i == 1 else 0, "scope %d" % i)
        except TimeoutError:
            log("scope", i, "timed out")
    log("cancelling", asyncio.current_task().cancelling())


async def scenario_timeout_in_child_task_does_not_touch_parent():
    async def child():
        try:
            async with asyncio.timeout(0.001):
                await asyncio.sleep(10)
        except TimeoutError:
            log("child timed out")
        return "child done"

    log(await asyncio.create_task(child()))
    log("parent cancelling", asyncio.current_task().cancelling())


async def scenario_when_reports_the_rescheduled_deadline():
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(5) as cm:
        when = loop.time() + 7
        cm.reschedule(when)
        log("when is the new deadline", cm.when() == when)
        cm.reschedule(None)
        log("when is none", cm.when() is None)


async def scenario_nested_timeout_in_finally():
    async def cleanup():
        try:
            async with asyncio.timeout(0.002):
                await asyncio.sleep(10)
        except TimeoutError as e:
            log("inner timed out", chain(e))

    try:
        async with asyncio.timeout(0.002):
            try:
                await asyncio.sleep(10)
            finally:
                await cleanup()
    except TimeoutError as e:
        log("outer timed out", chain(e), asyncio.current_task().cancelling())


async def scenario_timeout_after_caught_self_cancel():
    me = asyncio.current_task()
    try:
        me.cancel()
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("caught, cancelling", me.cancelling())
    try:
        async with asyncio.timeout(0):
            await asyncio.sleep(10)
    except TimeoutError:
        log("timed out, cancelling", me.cancelling())


async def scenario_cancel_inside_timeout_after_caught_self_cancel():
    me = asyncio.current_task()
    try:
        me.cancel()
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("caught")
    try:
        async with asyncio.timeout(5):
            me.cancel()
            await asyncio.sleep(10)
    except TimeoutError:
        log("wrongly a timeout")
    except asyncio.CancelledError:
        log("cancelled, cancelling", me.cancelling())


async def scenario_reschedule_after_expiry_raises_runtime_error():
    try:
        async with asyncio.timeout(0.001) as cm:
            await asyncio.sleep(10)
    except TimeoutError:
        log("timed out")
    try:
        cm.reschedule(None)
    except RuntimeError as e:
        log("raised", e)
