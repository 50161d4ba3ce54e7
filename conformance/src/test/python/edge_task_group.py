"""Outside tester's additions: a TaskGroup's abort reaching children blocked on a lock or a queue
(the waiters behind them go on), nested groups, a timeout inside the body, errors in cleanup,
an outside cancel's message (test_taskgroups.py)."""

import asyncio

from _trace import log, msg, since, state


class Boom(Exception):
    pass


class Bang(Exception):
    pass


def group_errors(eg):
    return [type(e).__name__ for e in eg.exceptions]


async def sleeper(name, delay, result=None):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError as e:
        log(name, "cancelled", msg(e))
        raise
    log(name, "done")
    return result


async def failer(name, delay, exc):
    await asyncio.sleep(delay)
    log(name, "fails")
    raise exc()


async def lock_waiter(lock, name):
    try:
        await lock.acquire()
    except asyncio.CancelledError:
        log(name, "cancelled while waiting for the lock")
        raise
    log(name, "acquired")
    lock.release()


async def scenario_child_waiting_on_lock_cancelled_lock_goes_to_next():
    lock = asyncio.Lock()
    await lock.acquire()
    o = None
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(lock_waiter(lock, "a"))
            await asyncio.sleep(0)
            o = asyncio.create_task(lock_waiter(lock, "o"))
            await asyncio.sleep(0)
            tg.create_task(failer("b", 0, Boom))
            log("body ends")
    except ExceptionGroup as eg:
        log("caught", group_errors(eg), lock.locked())
    lock.release()
    await o
    log(state(o), lock.locked())


async def queue_getter(q, name):
    try:
        item = await q.get()
    except asyncio.CancelledError:
        log(name, "cancelled while waiting for an item")
        raise
    log(name, "got", item)


async def scenario_child_waiting_on_queue_cancelled_item_goes_to_next():
    q = asyncio.Queue()
    o = None
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(queue_getter(q, "a"))
            await asyncio.sleep(0)
            o = asyncio.create_task(queue_getter(q, "o"))
            await asyncio.sleep(0)
            tg.create_task(failer("b", 0, Boom))
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    q.put_nowait("item")
    await o
    log(state(o), q.qsize())


@since("3.13")
async def scenario_inner_group_failure_caught_outer_goes_on():
    async with asyncio.TaskGroup() as outer:
        s = outer.create_task(sleeper("s", 0.005, "s"))
        try:
            async with asyncio.TaskGroup() as inner:
                inner.create_task(failer("f", 0, Boom))
                i = inner.create_task(sleeper("i", 1))
        except ExceptionGroup as eg:
            log("inner caught", group_errors(eg), asyncio.current_task().cancelling(), state(i))
        log("outer body goes on")
    log("outer done", state(s), asyncio.current_task().cancelling())


async def scenario_timeout_in_body_is_a_group_error():
    try:
        async with asyncio.TaskGroup() as tg:
            a = tg.create_task(sleeper("a", 1))
            async with asyncio.timeout(0.002):
                await asyncio.sleep(1)
    except ExceptionGroup as eg:
        log("caught", group_errors(eg), state(a), asyncio.current_task().cancelling())


@since("3.13")
async def scenario_group_in_timeout_child_fails_before_expiry():
    try:
        async with asyncio.timeout(1) as cm:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(failer("f", 0, Boom))
                tg.create_task(sleeper("s", 1))
    except ExceptionGroup as eg:
        log("caught", group_errors(eg), cm.expired(), asyncio.current_task().cancelling())


async def scenario_sibling_raises_other_error_in_cleanup():
    async def cleaner():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log("cleaner cancelled, raises Bang")
            raise Bang()

    try:
        async with asyncio.TaskGroup() as tg:
            c = tg.create_task(cleaner())
            tg.create_task(failer("f", 0.001, Boom))
    except ExceptionGroup as eg:
        log("caught", group_errors(eg), state(c))


async def scenario_outside_cancel_message_not_passed_to_children():
    async def runner():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(sleeper("child", 1))
                await asyncio.sleep(1)
        except asyncio.CancelledError as e:
            log("runner sees", msg(e))
            raise

    r = asyncio.create_task(runner())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    r.cancel("stop")
    await asyncio.gather(r, return_exceptions=True)
    log(state(r), r.cancelling())


async def scenario_shielded_work_of_cancelled_child_survives():
    loop = asyncio.get_running_loop()
    gate = loop.create_future()

    async def work():
        await gate
        log("shielded work finished")
        return "w"

    w = asyncio.create_task(work())

    async def child():
        try:
            await asyncio.shield(w)
        except asyncio.CancelledError:
            log("child cancelled, work", state(w))
            raise

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child())
            tg.create_task(failer("f", 0, Boom))
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    gate.set_result(None)
    log("work", await w)


async def scenario_finished_children_keep_results_after_failure():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.TaskGroup() as tg:
            a = tg.create_task(sleeper("a", 0, "ra"))
            await asyncio.sleep(0.002)
            b = tg.create_task(failer("b", 0, Boom))
            c = tg.create_task(sleeper("c", 1))
    except ExceptionGroup as eg:
        log("caught", group_errors(eg), state(a), state(b), state(c))


async def scenario_body_error_while_child_blocks_on_semaphore():
    sem = asyncio.Semaphore(0)

    async def sem_waiter(name):
        try:
            await sem.acquire()
        except asyncio.CancelledError:
            log(name, "cancelled")
            raise
        log(name, "acquired")

    o = asyncio.create_task(sem_waiter("o"))
    await asyncio.sleep(0)
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(sem_waiter("a"))
            await asyncio.sleep(0)
            sem.release()
            raise Boom()
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    await o
    log(state(o), sem.locked())


async def gated(gate, name):
    await gate
    log(name, "finished")


async def scenario_parent_cancelled_while_exit_waits_for_the_last_child():
    gate = asyncio.get_running_loop().create_future()

    async def runner():
        try:
            async with asyncio.TaskGroup() as tg:
                c = tg.create_task(gated(gate, "child"))
            log("group exited normally")
        except asyncio.CancelledError as e:
            log("group raised CancelledError", msg(e), state(c))
            raise

    r = asyncio.create_task(runner())
    await asyncio.sleep(0)
    gate.set_result(None)
    await asyncio.sleep(0)  # the child finishes; the group's exit is woken
    r.cancel("late")
    await asyncio.gather(r, return_exceptions=True)
    log(state(r), r.cancelling())


@since("3.13")
async def scenario_parent_cancelled_and_uncancelled_while_exit_waits():
    gate = asyncio.get_running_loop().create_future()

    async def runner():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(gated(gate, "child"))
        log("group exited normally", asyncio.current_task().cancelling())
        return "ok"

    r = asyncio.create_task(runner())
    await asyncio.sleep(0)
    gate.set_result(None)
    await asyncio.sleep(0)
    r.cancel()
    r.uncancel()
    await asyncio.gather(r, return_exceptions=True)
    log(state(r))


async def exit_woken_then(action):
    gate = asyncio.get_running_loop().create_future()

    async def runner():
        try:
            async with asyncio.TaskGroup() as tg:
                c = tg.create_task(gated(gate, "child"))
            log("group exited normally", asyncio.current_task().cancelling())
        except asyncio.CancelledError as e:
            log("group raised CancelledError", msg(e), state(c))
            raise
        return "ok"

    r = asyncio.create_task(runner())
    await asyncio.sleep(0)
    gate.set_result(None)
    await asyncio.sleep(0)  # the child finishes
    await asyncio.sleep(0)  # the group sees it: its exit is woken
    action(r)
    await asyncio.gather(r, return_exceptions=True)
    log(state(r), r.cancelling())


async def scenario_parent_cancelled_after_exit_was_woken():
    await exit_woken_then(lambda r: r.cancel("late"))


@since("3.13")
async def scenario_parent_cancelled_and_uncancelled_after_exit_was_woken():
    await exit_woken_then(lambda r: (r.cancel("late"), r.uncancel()))
