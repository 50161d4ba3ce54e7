"""Outside tester's additions: Lock, Condition, Semaphore and Event when waiters are cancelled
while being woken, fairness after cancellation (CPython's test_locks.py)."""

import asyncio

from _trace import log, since, state


class Boom(Exception):
    pass


async def scenario_event_set_then_waiter_cancelled_before_it_runs():
    ev = asyncio.Event()

    async def waiter(name):
        try:
            await ev.wait()
            log(name, "woke")
        except asyncio.CancelledError:
            log(name, "cancelled, flag", ev.is_set())
            raise

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(0)
    ev.set()
    log("cancel a", a.cancel())
    await asyncio.sleep(0)
    log(state(a), state(b))


async def lock_user(lock, name):
    try:
        await lock.acquire()
    except asyncio.CancelledError:
        log(name, "cancelled while waiting")
        raise
    log(name, "acquired")
    await asyncio.sleep(0)
    lock.release()
    log(name, "released")


async def scenario_lock_two_first_waiters_cancelled_then_release():
    lock = asyncio.Lock()
    await lock.acquire()
    tasks = [asyncio.create_task(lock_user(lock, n)) for n in ["a", "b", "c"]]
    await asyncio.sleep(0)
    tasks[0].cancel()
    tasks[1].cancel()
    lock.release()
    log("released", lock.locked())
    await asyncio.gather(*tasks, return_exceptions=True)
    log([state(t) for t in tasks], lock.locked())


async def scenario_lock_woken_and_next_waiter_cancelled_third_gets_it():
    lock = asyncio.Lock()
    await lock.acquire()
    tasks = [asyncio.create_task(lock_user(lock, n)) for n in ["a", "b", "c"]]
    await asyncio.sleep(0)
    lock.release()
    tasks[0].cancel()
    tasks[1].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    log([state(t) for t in tasks], lock.locked())


async def scenario_lock_released_by_another_task():
    lock = asyncio.Lock()
    gate = asyncio.Event()

    async def holder():
        await lock.acquire()
        log("holder acquired")
        await gate.wait()
        log("holder goes on, locked", lock.locked())

    t = asyncio.create_task(holder())
    await asyncio.sleep(0)
    lock.release()
    log("main released it", lock.locked())
    await lock.acquire()
    log("main acquired", lock.locked())
    gate.set()
    await t
    lock.release()
    log("end", lock.locked())


async def scenario_lock_context_body_cancelled_passes_lock_on():
    lock = asyncio.Lock()

    async def holder():
        async with lock:
            log("holder in")
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                log("holder cancelled, locked", lock.locked())
                raise

    h = asyncio.create_task(holder())
    await asyncio.sleep(0)
    w = asyncio.create_task(lock_user(lock, "w"))
    await asyncio.sleep(0)
    h.cancel()
    await asyncio.sleep(0)
    log("holder", state(h), "locked", lock.locked())
    await w
    log(state(w), lock.locked())


async def scenario_lock_cancelled_waiter_in_the_middle_keeps_order():
    lock = asyncio.Lock()
    await lock.acquire()
    tasks = [asyncio.create_task(lock_user(lock, n)) for n in ["a", "b", "c", "d"]]
    await asyncio.sleep(0)
    tasks[1].cancel()
    tasks[2].cancel()
    await asyncio.sleep(0)
    log("cancelled two", [state(t) for t in tasks])
    lock.release()
    await asyncio.gather(*tasks, return_exceptions=True)
    log("end", lock.locked())


async def cond_waiter(cond, name):
    async with cond:
        try:
            await cond.wait()
        except asyncio.CancelledError:
            log(name, "cancelled, holds the lock", cond.locked())
            raise
        log(name, "woken")


@since("3.13")
async def scenario_condition_notify_skips_a_cancelled_waiter():
    cond = asyncio.Condition()
    a = asyncio.create_task(cond_waiter(cond, "a"))
    b = asyncio.create_task(cond_waiter(cond, "b"))
    c = asyncio.create_task(cond_waiter(cond, "c"))
    await asyncio.sleep(0)
    a.cancel()
    async with cond:
        cond.notify(1)
        log("notified one")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log(state(a), state(b), state(c))
    async with cond:
        cond.notify()
    await c
    log(state(c))


async def scenario_condition_wait_timeout_inside_block_keeps_lock():
    cond = asyncio.Condition()
    async with cond:
        try:
            await asyncio.wait_for(cond.wait(), 0.002)
        except TimeoutError:
            log("timed out, holds the lock", cond.locked())
    log("after the block", cond.locked())


async def scenario_condition_notifier_keeps_lock_while_waiters_queue():
    cond = asyncio.Condition()
    a = asyncio.create_task(cond_waiter(cond, "a"))
    b = asyncio.create_task(cond_waiter(cond, "b"))
    await asyncio.sleep(0)
    async with cond:
        cond.notify_all()
        log("notified all, keeps the lock")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        log("still held", a.done(), b.done())
    log("released")
    await asyncio.gather(a, b)
    log("end", cond.locked())


async def scenario_condition_waiter_cancelled_while_relocking_behind_holder():
    cond = asyncio.Condition()

    async def waiter(name):
        async with cond:
            try:
                await cond.wait()
                log(name, "woken")
            except asyncio.CancelledError:
                log(name, "cancelled, holds the lock", cond.locked())
                raise

    a = asyncio.create_task(waiter("a"))
    await asyncio.sleep(0)
    await cond.acquire()
    cond.notify()
    await asyncio.sleep(0)
    log("a waits for the lock", a.done())
    a.cancel()
    await asyncio.sleep(0)
    log("a still blocked", a.done())
    cond.release()
    r = await asyncio.gather(a, return_exceptions=True)
    log(r, cond.locked())


async def sem_user(sem, name, result):
    try:
        await sem.acquire()
    except asyncio.CancelledError:
        log(name, "cancelled")
        raise
    result.append(name)
    log(name, "acquired")


async def scenario_semaphore_releaser_reacquires_behind_waiters():
    sem = asyncio.Semaphore(1)
    result = []

    async def c2():
        await sem.acquire()
        result.append(2)
        sem.release()
        await sem.acquire()
        result.append(4)

    async def c(n):
        await sem.acquire()
        result.append(n)

    t1 = asyncio.create_task(c(1))
    t2 = asyncio.create_task(c2())
    t3 = asyncio.create_task(c(3))
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    await asyncio.gather(t1, t2, t3)
    log(result, sem.locked())


async def scenario_semaphore_first_waiter_cancelled_then_two_releases():
    sem = asyncio.Semaphore(0)
    result = []
    tasks = [asyncio.create_task(sem_user(sem, n, result)) for n in ["a", "b", "c"]]
    await asyncio.sleep(0)
    tasks[0].cancel()
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    await asyncio.gather(*tasks, return_exceptions=True)
    log(result, [state(t) for t in tasks], sem.locked())


@since("3.13")
async def scenario_semaphore_burst_release_then_newcomer_runs_last():
    sem = asyncio.Semaphore(0)
    result = []
    box = {}

    async def c1():
        await sem.acquire()
        box["t4"] = asyncio.create_task(c4())
        result.append(1)

    async def c2():
        sem.release()
        sem.release()
        sem.release()
        log("c2 released three, locked", sem.locked())
        await sem.acquire()
        result.append(2)

    async def c3():
        await sem.acquire()
        log("c3 acquired, locked", sem.locked())
        result.append(3)

    async def c4():
        result.append(4)

    t1 = asyncio.create_task(c1())
    t2 = asyncio.create_task(c2())
    t3 = asyncio.create_task(c3())
    await asyncio.sleep(0)
    log("queued, locked", sem.locked())
    await asyncio.gather(t1, t2, t3)
    await box["t4"]
    log(result, sem.locked())


async def scenario_semaphore_release_after_waiter_cancelled_lets_newcomer_in():
    sem = asyncio.Semaphore(0)
    result = []
    a = asyncio.create_task(sem_user(sem, "a", result))
    await asyncio.sleep(0)
    a.cancel()
    sem.release()
    log("released, locked", sem.locked())
    loop = asyncio.get_running_loop()
    loop.call_soon(log, "callback")
    await sem.acquire()
    log("main acquired without waiting")
    await asyncio.sleep(0)
    log(state(a), sem.locked())


async def scenario_semaphore_context_body_cancelled_passes_permit_on():
    sem = asyncio.Semaphore(1)
    result = []

    async def holder():
        async with sem:
            log("holder in")
            await asyncio.sleep(10)

    h = asyncio.create_task(holder())
    await asyncio.sleep(0)
    w = asyncio.create_task(sem_user(sem, "w", result))
    await asyncio.sleep(0)
    h.cancel()
    await asyncio.gather(h, w, return_exceptions=True)
    log(state(h), state(w), sem.locked())


async def scenario_semaphore_waiter_cancelled_after_release_with_two_permits():
    sem = asyncio.Semaphore(0)
    result = []
    tasks = [asyncio.create_task(sem_user(sem, n, result)) for n in ["a", "b", "c"]]
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    tasks[1].cancel()
    await asyncio.gather(*tasks[:2], return_exceptions=True)
    await asyncio.sleep(0)
    log(result, [state(t) for t in tasks], sem.locked())
    sem.release()
    await tasks[2]
    log(result, sem.locked())


async def scenario_bounded_semaphore_cancelled_waiter_does_not_count():
    sem = asyncio.BoundedSemaphore(1)
    await sem.acquire()
    result = []
    a = asyncio.create_task(sem_user(sem, "a", result))
    await asyncio.sleep(0)
    a.cancel()
    await asyncio.sleep(0)
    sem.release()
    log("released", sem.locked(), state(a))
    try:
        sem.release()
    except ValueError:
        log("second release refused")
    log("locked", sem.locked())


async def scenario_event_wait_cancelled_after_clear_others_still_woken():
    ev = asyncio.Event()
    woke = []

    async def waiter(name):
        try:
            await ev.wait()
            woke.append(name)
        except asyncio.CancelledError:
            log(name, "cancelled")
            raise

    tasks = [asyncio.create_task(waiter(n)) for n in ["a", "b", "c"]]
    await asyncio.sleep(0)
    ev.set()
    ev.clear()
    tasks[1].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    log(woke, [state(t) for t in tasks], ev.is_set())


@since("3.13")
async def scenario_condition_cancelled_waiter_wakes_another_spuriously():
    cond = asyncio.Condition()
    box = {"ready": False}

    def predicate(name):
        def p():
            log(name, "checks")
            return box["ready"]

        return p

    async def waiter(name):
        async with cond:
            try:
                await cond.wait_for(predicate(name))
                log(name, "done")
            except asyncio.CancelledError:
                log(name, "cancelled")
                raise

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    c = asyncio.create_task(waiter("c"))
    await asyncio.sleep(0)
    a.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log("now notify one")
    async with cond:
        box["ready"] = True
        cond.notify(1)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log(state(a), state(b), state(c))
    async with cond:
        cond.notify_all()
    await asyncio.gather(b, c)
