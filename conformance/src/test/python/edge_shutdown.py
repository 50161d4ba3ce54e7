"""Outside tester's additions: what asyncio.run does with tasks left pending when main ends:
cancels them (no message), runs their cleanup to the end, reports a failure in it to the
loop's exception handler; all before run() returns or raises main's error."""

import asyncio

from _trace import log, msg


class Boom(Exception):
    pass


async def leftover(name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        log(name, "cancelled", msg(e), asyncio.current_task().cancelling())
        raise
    finally:
        log(name, "finally starts")
        await asyncio.sleep(0)
        log(name, "finally ends")


async def scenario_leftover_task_cleanup_runs_to_its_end():
    asyncio.create_task(leftover("t"))
    await asyncio.sleep(0)
    log("main ends")
    return "main result"


async def scenario_leftover_task_swallowing_cancel_finishes_its_work():
    async def stubborn():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("stubborn swallows")
        await asyncio.sleep(0.002)
        log("stubborn finished its work")
        return 1

    asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    log("main ends")


async def scenario_leftover_task_failing_in_cleanup_is_reported():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, ctx: log("handler", ctx.get("exception")))

    async def bad():
        try:
            await asyncio.sleep(10)
        finally:
            log("bad cleanup raises")
            raise Boom()

    asyncio.create_task(bad())
    await asyncio.sleep(0)
    log("main ends")


async def scenario_leftover_cleanup_before_main_error_is_raised():
    asyncio.create_task(leftover("t"))
    await asyncio.sleep(0)
    log("main raises")
    raise Boom()


async def scenario_leftover_waiter_on_lock_held_by_main():
    lock = asyncio.Lock()
    await lock.acquire()

    async def waiter():
        try:
            await lock.acquire()
            log("never")
        except asyncio.CancelledError:
            log("waiter cancelled, lock", lock.locked())
            raise

    asyncio.create_task(waiter())
    await asyncio.sleep(0)
    log("main ends holding the lock")


async def scenario_leftover_task_already_cancelled_once():
    async def twice():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("first cancel swallowed", asyncio.current_task().cancelling())
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError as e:
            log("shutdown cancel", msg(e), asyncio.current_task().cancelling())
            raise

    t = asyncio.create_task(twice())
    await asyncio.sleep(0)
    t.cancel("by main")
    await asyncio.sleep(0)
    log("main ends")
