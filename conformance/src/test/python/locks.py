"""Lock, Event, Condition, Semaphore, BoundedSemaphore: laziness of their coroutines, FIFO
fairness, cancelled waiters (a wakeup is never lost), notify counts, errors."""

import asyncio

from _trace import log, since, state


class Boom(Exception):
    pass


# ---- Lock -----------------------------------------------------------------------------------


async def scenario_lock_acquire_does_nothing_until_awaited():
    lock = asyncio.Lock()
    c = lock.acquire()
    log("called", lock.locked())
    await c
    log("awaited", lock.locked())
    lock.release()
    log("released", lock.locked())


async def scenario_lock_acquire_in_task_acts_when_task_runs():
    lock = asyncio.Lock()
    t = asyncio.create_task(lock.acquire())
    log("task created", lock.locked())
    await asyncio.sleep(0)
    log("task ran", lock.locked(), state(t))


async def lock_user(lock, name, hold=0):
    log(name, "acquiring")
    await lock.acquire()
    log(name, "acquired")
    try:
        await asyncio.sleep(hold)
    finally:
        lock.release()
        log(name, "released")


async def scenario_lock_fifo_order():
    lock = asyncio.Lock()
    await lock.acquire()
    tasks = [asyncio.create_task(lock_user(lock, n)) for n in ["a", "b", "c"]]
    await asyncio.sleep(0)
    log("main releases")
    lock.release()
    await asyncio.gather(*tasks)
    log("end", lock.locked())


async def scenario_lock_newcomer_waits_behind_woken_waiter():
    lock = asyncio.Lock()
    await lock.acquire()
    a = asyncio.create_task(lock_user(lock, "a"))
    await asyncio.sleep(0)
    lock.release()
    log("released; locked", lock.locked())
    b = asyncio.create_task(lock_user(lock, "newcomer"))
    await asyncio.gather(a, b)


async def scenario_lock_acquire_cancelled_while_waiting():
    lock = asyncio.Lock()
    await lock.acquire()
    t = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.sleep(0)
    log(state(t), lock.locked())
    lock.release()
    log("released", lock.locked())
    await lock.acquire()
    log("acquired again", lock.locked())
    lock.release()


async def scenario_lock_cancel_race():
    lock = asyncio.Lock()
    fa = asyncio.get_running_loop().create_future()

    async def lockit(name, blocker):
        await lock.acquire()
        log(name, "has the lock")
        try:
            if blocker is not None:
                await blocker
        finally:
            lock.release()

    ta = asyncio.create_task(lockit("A", fa))
    await asyncio.sleep(0)
    tb = asyncio.create_task(lockit("B", None))
    await asyncio.sleep(0)
    tc = asyncio.create_task(lockit("C", None))
    await asyncio.sleep(0)
    fa.set_result(None)
    tb.cancel()
    await asyncio.sleep(0)
    log(lock.locked(), state(ta), state(tb))
    await tc
    log(state(tc), lock.locked())


async def scenario_lock_cancel_release_race():
    loop = asyncio.get_running_loop()
    lock = asyncio.Lock()
    counts = {"calls": 0, "locks": 0}

    async def lockit():
        counts["calls"] += 1
        await lock.acquire()
        counts["locks"] += 1

    await lock.acquire()
    t1 = asyncio.create_task(lockit())
    t2 = asyncio.create_task(lockit())
    t3 = asyncio.create_task(lockit())
    await asyncio.sleep(0)

    def trigger():
        t1.cancel()
        lock.release()

    loop.call_soon(trigger)
    try:
        await t1
    except asyncio.CancelledError:
        log("t1 cancelled")
    log(counts, state(t1), t2.done(), t3.done())
    t3.cancel()
    await asyncio.sleep(0)
    log(state(t3))


async def scenario_lock_woken_waiter_cancelled_passes_the_lock_on():
    lock = asyncio.Lock()
    await lock.acquire()
    tb = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    tc = asyncio.create_task(lock.acquire())
    tb.cancel()
    lock.release()
    await asyncio.sleep(0)
    log(lock.locked(), state(tb))
    await tc
    log(state(tc), lock.locked())


async def scenario_lock_release_unlocked_raises():
    lock = asyncio.Lock()
    try:
        lock.release()
    except RuntimeError as e:
        log("release", e)


async def scenario_lock_context_releases_on_error():
    lock = asyncio.Lock()
    try:
        async with lock:
            log("inside", lock.locked())
            raise Boom()
    except Boom:
        log("caught Boom", lock.locked())


# ---- Event ----------------------------------------------------------------------------------


async def scenario_event_wait_checks_the_flag_when_awaited():
    ev = asyncio.Event()
    ev.set()
    c = ev.wait()
    ev.clear()
    t = asyncio.create_task(c)
    await asyncio.sleep(0)
    log("after clear", t.done())
    ev.set()
    await asyncio.sleep(0)
    log("after set", t.done())


async def event_waiter(ev, name):
    await ev.wait()
    log(name, "woke", ev.is_set())


async def scenario_event_set_wakes_every_waiter_in_order():
    ev = asyncio.Event()
    tasks = [asyncio.create_task(event_waiter(ev, n)) for n in ["a", "b", "c"]]
    await asyncio.sleep(0)
    log("setting", ev.is_set())
    ev.set()
    ev.set()
    await asyncio.gather(*tasks)
    log("end", ev.is_set())


async def scenario_event_clear_after_set_still_wakes_waiters():
    ev = asyncio.Event()
    tasks = [asyncio.create_task(event_waiter(ev, n)) for n in ["a", "b"]]
    await asyncio.sleep(0)
    ev.set()
    ev.clear()
    log("set and cleared", ev.is_set())
    await asyncio.gather(*tasks)


async def scenario_event_wait_on_set_returns_without_suspending():
    ev = asyncio.Event()
    ev.set()
    loop = asyncio.get_running_loop()
    loop.call_soon(log, "callback")
    await ev.wait()
    log("main after wait")
    await asyncio.sleep(0)


async def scenario_event_waiter_cancelled():
    ev = asyncio.Event()
    a = asyncio.create_task(event_waiter(ev, "a"))
    b = asyncio.create_task(event_waiter(ev, "b"))
    await asyncio.sleep(0)
    a.cancel()
    await asyncio.sleep(0)
    ev.set()
    await b
    log(state(a), state(b))


# ---- Condition ------------------------------------------------------------------------------


async def scenario_condition_wait_without_lock_raises():
    cond = asyncio.Condition()
    try:
        await cond.wait()
    except RuntimeError as e:
        log("wait", e)
    try:
        cond.notify()
    except RuntimeError as e:
        log("notify", e)
    try:
        cond.notify_all()
    except RuntimeError as e:
        log("notify_all", e)


async def cond_waiter(cond, name):
    async with cond:
        log(name, "waits")
        await cond.wait()
        log(name, "woken, holds the lock", cond.locked())


async def scenario_condition_notify_counts():
    cond = asyncio.Condition()
    tasks = [asyncio.create_task(cond_waiter(cond, n)) for n in ["a", "b", "c", "d"]]
    await asyncio.sleep(0)
    async with cond:
        log("notify(1)")
        cond.notify(1)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    async with cond:
        log("notify(2)")
        cond.notify(2)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log("done", [t.done() for t in tasks])
    async with cond:
        log("notify_all")
        cond.notify_all()
    await asyncio.gather(*tasks)


async def scenario_condition_notify_more_than_waiting():
    cond = asyncio.Condition()
    tasks = [asyncio.create_task(cond_waiter(cond, n)) for n in ["a", "b"]]
    await asyncio.sleep(0)
    async with cond:
        cond.notify(5)
        log("notified 5, waiters still blocked on the lock")
    await asyncio.gather(*tasks)
    async with cond:
        cond.notify(1)
        cond.notify_all()
    log("notify with nobody waiting is fine")


async def scenario_condition_wait_for_checks_predicate_first():
    cond = asyncio.Condition()
    loop = asyncio.get_running_loop()
    loop.call_soon(log, "callback")
    async with cond:
        r = await cond.wait_for(lambda: True)
        log("wait_for on a true predicate", r)
    await asyncio.sleep(0)


async def scenario_condition_wait_for_predicate_with_notifies():
    cond = asyncio.Condition()
    box = {"n": 0}
    checks = []

    def predicate():
        checks.append(box["n"])
        return box["n"] >= 3

    async def consumer():
        async with cond:
            await cond.wait_for(predicate)
            log("consumer sees", box["n"])

    t = asyncio.create_task(consumer())
    for _ in range(3):
        await asyncio.sleep(0)
        async with cond:
            box["n"] += 1
            cond.notify()
    await t
    log("predicate saw", checks)


async def scenario_condition_wait_cancelled_reacquires_lock():
    cond = asyncio.Condition()

    async def waiter():
        async with cond:
            try:
                await cond.wait()
            except asyncio.CancelledError:
                log("cancelled, holds the lock", cond.locked())
                raise

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.sleep(0)
    log(state(t), cond.locked())


async def scenario_condition_wait_cancelled_while_lock_held_elsewhere():
    cond = asyncio.Condition()

    async def waiter():
        async with cond:
            try:
                await cond.wait()
            except asyncio.CancelledError:
                log("waiter cancelled, got the lock back", cond.locked())
                raise

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    await cond.acquire()
    t.cancel()
    await asyncio.sleep(0)
    log("main still holds the lock", t.done(), cond.locked())
    cond.release()
    try:
        await t
    except asyncio.CancelledError:
        log("waiter raised CancelledError")
    log(state(t), cond.locked())


@since("3.13")
async def scenario_condition_cancel_after_notify():
    cond = asyncio.Condition()

    async def waiter(name):
        async with cond:
            try:
                await cond.wait()
                log(name, "woken")
            except asyncio.CancelledError:
                log(name, "cancelled")
                raise

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(0)
    async with cond:
        cond.notify(1)
        a.cancel()
    await asyncio.sleep(0.001)
    log(state(a), b.done())
    async with cond:
        cond.notify_all()
    await b
    log(state(b))


async def cond_consumer(cond, box, name):
    async with cond:
        while True:
            await cond.wait_for(lambda: box["state"] != 0)
            if box["state"] < 0:
                log(name, "leaves")
                return
            box["state"] -= 1
            log(name, "consumed")


@since("3.13")
async def scenario_condition_cancelled_wakeup_is_not_lost():
    cond = asyncio.Condition()
    box = {"state": 0}
    c = [asyncio.create_task(cond_consumer(cond, box, n)) for n in ["c0", "c1"]]
    await asyncio.sleep(0)
    async with cond:
        box["state"] += 1
        cond.notify(1)
        c[0].cancel()
        try:
            await asyncio.wait_for(cond.wait_for(lambda: box["state"] == 0), 1)
        except TimeoutError:
            log("timed out")
        log("state", box["state"])
        box["state"] = -1
        cond.notify_all()
    await c[1]
    log(state(c[0]), state(c[1]))


@since("3.13")
async def scenario_condition_cancelled_while_relocking_is_not_lost():
    cond = asyncio.Condition()
    box = {"state": 0}
    c = [asyncio.create_task(cond_consumer(cond, box, n)) for n in ["c0", "c1"]]
    await asyncio.sleep(0)
    async with cond:
        box["state"] += 1
        cond.notify(1)
        await asyncio.sleep(0)
        c[0].cancel()
        try:
            await asyncio.wait_for(cond.wait_for(lambda: box["state"] == 0), 1)
        except TimeoutError:
            log("timed out")
        log("state", box["state"])
        box["state"] = -1
        cond.notify_all()
    await c[1]
    log(state(c[0]), state(c[1]))


async def scenario_condition_over_shared_lock():
    lock = asyncio.Lock()
    cond = asyncio.Condition(lock)
    await lock.acquire()
    log("cond sees the lock", cond.locked())
    lock.release()
    async with cond:
        log("lock sees the cond", lock.locked())
    log("after", lock.locked(), cond.locked())


# ---- Semaphore ------------------------------------------------------------------------------


async def scenario_semaphore_acquire_does_nothing_until_awaited():
    sem = asyncio.Semaphore(1)
    c = sem.acquire()
    log("called", sem.locked())
    await c
    log("awaited", sem.locked())
    sem.release()
    log("released", sem.locked())


async def sem_user(sem, name):
    await sem.acquire()
    log(name, "acquired")
    await asyncio.sleep(0)
    sem.release()


async def scenario_semaphore_fifo_order():
    sem = asyncio.Semaphore(1)
    await sem.acquire()
    tasks = [asyncio.create_task(sem_user(sem, n)) for n in ["a", "b", "c", "d"]]
    await asyncio.sleep(0)
    log("locked", sem.locked())
    sem.release()
    await asyncio.gather(*tasks)
    log("end", sem.locked())


async def scenario_semaphore_two_permits_fifo():
    sem = asyncio.Semaphore(2)
    tasks = [asyncio.create_task(sem_user(sem, n)) for n in ["a", "b", "c", "d", "e"]]
    await asyncio.gather(*tasks)
    log("end", sem.locked())


async def scenario_semaphore_newcomer_waits_behind_waiters():
    sem = asyncio.Semaphore(0)
    a = asyncio.create_task(sem_user(sem, "a"))
    await asyncio.sleep(0)
    sem.release()
    log("released, locked", sem.locked())
    b = asyncio.create_task(sem_user(sem, "newcomer"))
    await asyncio.gather(a, b)


async def scenario_semaphore_acquire_cancelled_while_waiting():
    sem = asyncio.Semaphore(0)
    t = asyncio.create_task(sem.acquire())
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.sleep(0)
    log(state(t), sem.locked())
    sem.release()
    log("released", sem.locked())


async def scenario_semaphore_cancelled_before_awoken_keeps_permit():
    sem = asyncio.Semaphore(0)
    t1 = asyncio.create_task(sem.acquire())
    t2 = asyncio.create_task(sem.acquire())
    t3 = asyncio.create_task(sem.acquire())
    t4 = asyncio.create_task(sem.acquire())
    await asyncio.sleep(0)
    t1.cancel()
    t2.cancel()
    sem.release()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log(state(t1), state(t2), state(t3), state(t4))
    t4.cancel()
    await asyncio.sleep(0)
    log(state(t4), sem.locked())


async def scenario_semaphore_woken_waiter_cancelled_passes_permit_on():
    sem = asyncio.Semaphore(0)
    a = asyncio.create_task(sem.acquire())
    b = asyncio.create_task(sem.acquire())
    await asyncio.sleep(0)
    sem.release()
    a.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log(state(a), state(b), sem.locked())


async def scenario_semaphore_acquire_does_not_hang_after_cancel():
    sem = asyncio.Semaphore(0)
    t1 = asyncio.create_task(sem.acquire())
    t2 = asyncio.create_task(sem.acquire())
    await asyncio.sleep(0)
    t1.cancel()
    sem.release()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log(state(t1), state(t2), sem.locked())


async def scenario_semaphore_release_without_waiters_grows():
    sem = asyncio.Semaphore(0)
    sem.release()
    sem.release()
    log("locked", sem.locked())
    await sem.acquire()
    await sem.acquire()
    log("locked", sem.locked())


async def scenario_semaphore_negative_value_refused():
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        log("refused", e)


async def scenario_semaphore_context_releases_on_error():
    sem = asyncio.Semaphore(1)
    try:
        async with sem:
            log("inside", sem.locked())
            raise Boom()
    except Boom:
        log("caught Boom", sem.locked())


async def scenario_semaphore_releases_burst_wake_in_order():
    sem = asyncio.Semaphore(0)
    tasks = [asyncio.create_task(sem_user(sem, n)) for n in ["a", "b", "c"]]
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    sem.release()
    await asyncio.gather(*tasks)
    log("end", sem.locked())


async def scenario_bounded_semaphore_release_over_bound():
    sem = asyncio.BoundedSemaphore(2)
    await sem.acquire()
    sem.release()
    try:
        sem.release()
    except ValueError as e:
        log("refused", e)
    log("locked", sem.locked())


async def scenario_bounded_semaphore_waiters_and_bound():
    sem = asyncio.BoundedSemaphore(1)
    await sem.acquire()
    t = asyncio.create_task(sem_user(sem, "a"))
    await asyncio.sleep(0)
    sem.release()
    await t
    try:
        sem.release()
    except ValueError as e:
        log("refused", e)
    log("locked", sem.locked())


async def scenario_lock_acquire_timeout_does_not_take_the_lock():
    lock = asyncio.Lock()
    await lock.acquire()
    try:
        await asyncio.wait_for(lock.acquire(), 0.002)
    except TimeoutError:
        log("acquire timed out", lock.locked())
    lock.release()
    log("released", lock.locked())
    await asyncio.sleep(0)
    log("nobody took it", lock.locked())


async def scenario_semaphore_acquire_timeout_keeps_the_permit_count():
    sem = asyncio.Semaphore(1)
    await sem.acquire()
    try:
        await asyncio.wait_for(sem.acquire(), 0.002)
    except TimeoutError:
        log("acquire timed out", sem.locked())
    sem.release()
    await asyncio.sleep(0)
    log("permit free", sem.locked())
    await sem.acquire()
    log("taken again", sem.locked())


async def scenario_condition_wait_for_predicate_raises():
    cond = asyncio.Condition()

    def bad():
        raise Boom()

    async with cond:
        try:
            await cond.wait_for(bad)
        except Boom:
            log("predicate raised, lock held", cond.locked())
    log("after", cond.locked())


async def scenario_event_wait_timeout_then_set():
    ev = asyncio.Event()
    try:
        await asyncio.wait_for(ev.wait(), 0.002)
    except TimeoutError:
        log("wait timed out", ev.is_set())
    t = asyncio.create_task(event_waiter(ev, "later"))
    await asyncio.sleep(0)
    ev.set()
    await t


async def scenario_lock_waiter_cancelled_before_it_ever_ran():
    lock = asyncio.Lock()
    await lock.acquire()
    t = asyncio.create_task(lock_user(lock, "never"))
    t.cancel()
    await asyncio.sleep(0)
    log(state(t), lock.locked())
    lock.release()
    log("released", lock.locked())


async def scenario_acquire_task_cancelled_before_start_leaves_lock_free():
    lock = asyncio.Lock()
    sem = asyncio.Semaphore(1)
    t1 = asyncio.create_task(lock.acquire())
    t2 = asyncio.create_task(sem.acquire())
    t1.cancel()
    t2.cancel()
    await asyncio.sleep(0)
    log(state(t1), state(t2), lock.locked(), sem.locked())
