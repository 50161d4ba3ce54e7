"""Outside tester's additions: sleeping tasks and timer callbacks that fall due in the same pass
(the loop was busy): callbacks run in the timers' pass in deadline order; a sleeping task wakes a
pass later, in the order its timer fell due, among the callbacks those timers scheduled."""

import asyncio
import time

from _trace import log, names, since, state


async def sleeper(name, delay):
    await asyncio.sleep(delay)
    log(name, "woke")


async def scenario_sleepers_and_callbacks_due_together_run_by_deadline():
    loop = asyncio.get_running_loop()
    tasks = []
    for name, delay in [("s4", 0.004), ("s2", 0.002), ("s6", 0.006), ("s3", 0.003)]:
        tasks.append(asyncio.create_task(sleeper(name, delay)))
    await asyncio.sleep(0)  # all four sleeps start, one after the other
    loop.call_later(0.001, log, "cb1")
    loop.call_later(0.005, log, "cb5")
    time.sleep(0.03)  # everything is due
    log("main yields")
    await asyncio.sleep(0)
    log("main runs again")
    await asyncio.gather(*tasks)


async def scenario_callback_scheduled_by_a_timer_vs_sleeper_wakeup():
    loop = asyncio.get_running_loop()

    def early():
        log("early timer")
        loop.call_soon(log, "soon from early")

    def late():
        log("late timer")
        loop.call_soon(log, "soon from late")

    t = asyncio.create_task(sleeper("s2", 0.002))
    await asyncio.sleep(0)
    loop.call_later(0.001, early)
    loop.call_later(0.003, late)
    time.sleep(0.02)
    await t
    log("end")


async def scenario_sleeper_cancelled_by_an_earlier_timer_of_the_same_pass():
    loop = asyncio.get_running_loop()

    async def s(name, delay):
        try:
            await asyncio.sleep(delay)
            log(name, "woke")
        except asyncio.CancelledError:
            log(name, "cancelled")
            raise

    a = asyncio.create_task(s("a", 0.003))
    b = asyncio.create_task(s("b", 0.001))
    await asyncio.sleep(0)
    loop.call_later(0.002, lambda: (log("timer cancels a and b"), a.cancel(), b.cancel()))
    time.sleep(0.02)
    await asyncio.gather(a, b, return_exceptions=True)
    log("end")


async def scenario_many_sleepers_in_reverse_order_of_delay():
    tasks = [asyncio.create_task(sleeper("s%d" % d, d / 1000)) for d in [8, 7, 6, 5, 4, 3, 2, 1]]
    await asyncio.sleep(0)
    time.sleep(0.03)
    await asyncio.gather(*tasks)


async def scenario_sleeper_registered_from_a_timer_callback():
    loop = asyncio.get_running_loop()
    box = []

    def start():
        log("timer starts a sleeper")
        box.append(asyncio.create_task(sleeper("late", 0)))

    loop.call_later(0.001, start)
    t = asyncio.create_task(sleeper("early", 0.002))
    await asyncio.sleep(0)
    time.sleep(0.02)
    await t
    await box[0]
    log("end")


async def scenario_wait_timeout_and_inner_sleep_due_in_same_pass():
    inner = asyncio.create_task(sleeper("inner", 0.001), name="inner")
    other = asyncio.create_task(sleeper("other", 1), name="other")
    await asyncio.sleep(0)

    async def blocker():
        await asyncio.sleep(0)
        time.sleep(0.02)  # the inner sleep and the wait's timeout are due together

    b = asyncio.create_task(blocker())
    done, pending = await asyncio.wait([inner, other], timeout=0.004)
    log("done", names(done), "pending", names(pending))
    other.cancel()
    await b


@since("3.12")
async def scenario_wait_for_deadline_and_inner_sleep_due_in_same_pass():
    async def inner():
        try:
            await asyncio.sleep(0.001)
            log("inner finished its sleep")
            return "result"
        except asyncio.CancelledError:
            log("inner cancelled after its sleep was due")
            raise

    t = asyncio.create_task(inner())
    await asyncio.sleep(0)

    async def blocker():
        await asyncio.sleep(0)
        time.sleep(0.02)

    b = asyncio.create_task(blocker())
    try:
        log("got", await asyncio.wait_for(t, 0.004))
    except TimeoutError:
        log("timed out", state(t))
    await b


async def scenario_timeout_scope_and_inner_sleep_due_in_same_pass():
    async def blocker():
        await asyncio.sleep(0)
        time.sleep(0.02)

    b = asyncio.create_task(blocker())
    try:
        async with asyncio.timeout(0.004):
            await asyncio.sleep(0.001)
            log("body's sleep ended first")
            await asyncio.sleep(0)
            log("body goes on")
    except TimeoutError:
        log("timed out")
    await b
