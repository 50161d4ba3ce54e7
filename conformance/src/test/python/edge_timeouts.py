"""Outside tester's additions: timeouts and wait_for nested in each other, both deadlines passing
while the loop is busy, cancelling() inside an expired scope (test_timeouts.py, test_waitfor.py)."""

import asyncio
import time

from _trace import chain, log, msg, since, state


async def scenario_both_deadlines_pass_while_loop_busy_outer_reports():
    outer_cm = inner_cm = None
    try:
        async with asyncio.timeout(0.02) as outer_cm:
            try:
                async with asyncio.timeout(0.005) as inner_cm:
                    time.sleep(0.04)
                    await asyncio.sleep(1)
            except TimeoutError:
                log("inner raised TimeoutError")
            except asyncio.CancelledError:
                log("inner let CancelledError through", inner_cm.expired())
                raise
    except TimeoutError as e:
        log("outer raised", chain(e), outer_cm.expired(), inner_cm.expired())
    log("cancelling", asyncio.current_task().cancelling())


async def scenario_inner_expires_caught_then_outer_expires_later():
    try:
        async with asyncio.timeout(0.02) as outer_cm:
            try:
                async with asyncio.timeout(0.002) as inner_cm:
                    await asyncio.sleep(1)
            except TimeoutError:
                log("inner timed out", inner_cm.expired(), outer_cm.expired())
            await asyncio.sleep(1)
    except TimeoutError:
        log("outer timed out", outer_cm.expired())
    log("cancelling", asyncio.current_task().cancelling())


async def scenario_wait_for_inside_timeout_inner_deadline_first():
    async with asyncio.timeout(1) as cm:
        try:
            await asyncio.wait_for(asyncio.sleep(1), 0.002)
        except TimeoutError:
            log("wait_for timed out", cm.expired(), asyncio.current_task().cancelling())
        await asyncio.sleep(0)
        log("scope goes on")
    log("scope ended", cm.expired())


async def scenario_timeout_around_wait_for_outer_deadline_first():
    async def inner():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log("inner cancelled")
            raise

    try:
        async with asyncio.timeout(0.002) as cm:
            try:
                await asyncio.wait_for(inner(), 1)
            except TimeoutError:
                log("wait_for raised TimeoutError")
            except asyncio.CancelledError:
                log("wait_for raised CancelledError")
                raise
    except TimeoutError as e:
        log("scope raised", chain(e), cm.expired())
    log("cancelling", asyncio.current_task().cancelling())


async def scenario_cancelling_inside_expired_scope():
    me = asyncio.current_task()
    try:
        async with asyncio.timeout(0.002):
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                log("in the scope", me.cancelling())
                raise
    except TimeoutError:
        log("after the scope", me.cancelling())


async def scenario_reschedule_from_another_task_expires_scope():
    holder = {}
    loop = asyncio.get_running_loop()

    async def resched():
        await asyncio.sleep(0)
        holder["cm"].reschedule(loop.time())
        log("rescheduled to now")

    t = asyncio.create_task(resched())
    try:
        async with asyncio.timeout(None) as cm:
            holder["cm"] = cm
            await asyncio.sleep(1)
    except TimeoutError:
        log("timed out", cm.expired())
    await t


async def scenario_wait_for_expiry_while_inner_ignores_first_cancel():
    async def stubborn():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log("first cancel ignored")
        try:
            await asyncio.sleep(0.002)
        except asyncio.CancelledError:
            log("never")
            raise
        log("stubborn returns")
        return "late"

    r = await asyncio.wait_for(stubborn(), 0.002)
    log("wait_for returned", r, asyncio.current_task().cancelling())


async def scenario_outside_cancel_during_timeout_keeps_message():
    async def body():
        async with asyncio.timeout(1) as cm:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError as e:
                log("body sees", msg(e))
                raise
        log("never")

    t = asyncio.create_task(body())
    await asyncio.sleep(0)
    t.cancel("outside")
    try:
        await t
    except asyncio.CancelledError as e:
        log("awaiter sees", msg(e))
    log(state(t), t.cancelling())


async def scenario_timeout_expires_while_waiting_for_lock():
    lock = asyncio.Lock()
    await lock.acquire()

    async def waiter(name):
        try:
            await lock.acquire()
        except asyncio.CancelledError:
            log(name, "cancelled")
            raise
        log(name, "acquired")
        lock.release()

    b = None

    async def impatient():
        try:
            async with asyncio.timeout(0.002):
                await waiter("a")
        except TimeoutError:
            log("a timed out")

    a = asyncio.create_task(impatient())
    await asyncio.sleep(0)
    b = asyncio.create_task(waiter("b"))
    await a
    lock.release()
    await b
    log(lock.locked())


async def scenario_nested_wait_for_outer_shorter():
    async def inner():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log("inner cancelled")
            raise

    try:
        await asyncio.wait_for(asyncio.wait_for(inner(), 1), 0.002)
    except TimeoutError as e:
        log("outer wait_for", chain(e))
    log("cancelling", asyncio.current_task().cancelling())


async def scenario_expiry_in_group_body_with_crashing_child():
    async def child():
        try:
            await asyncio.sleep(2)
        finally:
            log("child cleanup crashes")
            1 / 0

    try:
        async with asyncio.timeout(0.002) as cm:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child())
                try:
                    raise ValueError()
                finally:
                    await asyncio.sleep(1)
    except ExceptionGroup as eg:
        log("caught", [type(e).__name__ for e in eg.exceptions], cm.expired())
    except TimeoutError:
        log("caught TimeoutError")
    log("cancelling", asyncio.current_task().cancelling())
    try:
        await asyncio.sleep(0)
        log("no cancellation left over")
    except asyncio.CancelledError:
        log("a cancellation was left over")


async def scenario_group_child_fails_while_scope_expires_in_same_pass():
    async def failer():
        await asyncio.sleep(0.001)
        raise ZeroDivisionError()

    try:
        async with asyncio.timeout(0.003) as cm:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(failer())
                await asyncio.sleep(0)  # the child starts its sleep
                time.sleep(0.01)  # both the child's sleep and the deadline are due now
                await asyncio.sleep(1)
    except ExceptionGroup as eg:
        log("caught", [type(e).__name__ for e in eg.exceptions], cm.expired())
    except TimeoutError:
        log("caught TimeoutError", cm.expired())
    log("cancelling", asyncio.current_task().cancelling())
    try:
        await asyncio.sleep(0)
        log("no cancellation left over")
    except asyncio.CancelledError:
        log("a cancellation was left over")


async def scenario_negative_delay_expires_at_first_await():
    try:
        async with asyncio.timeout(-1) as cm:
            log("body runs", cm.expired())
            await asyncio.sleep(0)
            log("never")
    except TimeoutError:
        log("timed out", cm.expired())


async def scenario_reschedule_to_negative_delay_expires():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(10) as cm:
            cm.reschedule(loop.time() - 1)
            log("rescheduled into the past", cm.expired())
            await asyncio.sleep(1)
    except TimeoutError:
        log("timed out", cm.expired())


async def scenario_wait_for_negative_timeout_on_done_future():
    f = asyncio.get_running_loop().create_future()
    f.set_result("done")
    log(await asyncio.wait_for(f, -1))
