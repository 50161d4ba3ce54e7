"""Callback order: call_soon, call_later, call_at (negative and equal delays), handles."""

import asyncio

from _trace import log


class Boom(Exception):
    pass


async def scenario_call_soon_order():
    loop = asyncio.get_running_loop()
    for i in range(3):
        loop.call_soon(log, "cb", i)
    log("scheduled")
    await asyncio.sleep(0)
    log("after sleep(0)")


async def scenario_call_soon_from_callback_runs_next_pass():
    loop = asyncio.get_running_loop()

    def first():
        log("first")
        loop.call_soon(log, "scheduled by first")

    loop.call_soon(first)
    loop.call_soon(log, "second")
    await asyncio.sleep(0)
    log("main resumed")
    await asyncio.sleep(0)
    log("main again")


async def scenario_call_later_equal_delays_fifo():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    for name in ["a", "b", "c", "d"]:
        loop.call_later(0.005, log, name)
    loop.call_later(0.005, done.set_result, None)
    await done
    log("end")


async def scenario_call_later_negative_delays_by_deadline():
    loop = asyncio.get_running_loop()
    loop.call_later(-1, log, "minus 1")
    loop.call_later(-2, log, "minus 2")
    loop.call_later(0, log, "zero")
    loop.call_later(-3, log, "minus 3")
    await asyncio.sleep(0.005)
    log("end")


async def scenario_call_later_negative_runs_after_call_soon():
    loop = asyncio.get_running_loop()
    loop.call_soon(log, "soon 1")
    loop.call_later(-1, log, "later -1")
    loop.call_soon(log, "soon 2")
    await asyncio.sleep(0)
    log("after one pass")
    await asyncio.sleep(0.005)
    log("end")


async def scenario_call_at_past_and_future():
    loop = asyncio.get_running_loop()
    now = loop.time()
    loop.call_at(now + 0.010, log, "at +10ms")
    loop.call_at(now - 5, log, "at -5s")
    loop.call_at(now + 0.002, log, "at +2ms")
    await asyncio.sleep(0.020)
    log("end")


async def scenario_cancelled_handle_never_runs():
    loop = asyncio.get_running_loop()
    h1 = loop.call_soon(log, "soon cancelled")
    h2 = loop.call_later(0.001, log, "later cancelled")
    loop.call_soon(log, "soon kept")
    h1.cancel()
    h2.cancel()
    h2.cancel()
    log("cancelled", h1.cancelled(), h2.cancelled())
    await asyncio.sleep(0.005)
    log("end")


async def scenario_timer_cancels_later_timer_of_same_pass():
    loop = asyncio.get_running_loop()
    handles = {}

    def a():
        log("a")
        handles["b"].cancel()

    when = loop.time() + 0.002
    loop.call_at(when, a)
    handles["b"] = loop.call_at(when, log, "b")
    loop.call_at(when, log, "c")
    await asyncio.sleep(0.010)
    log("end", handles["b"].cancelled())


async def scenario_call_soon_from_timer_runs_after_due_timers():
    loop = asyncio.get_running_loop()

    def a():
        log("a")
        loop.call_soon(log, "soon from a")

    when = loop.time() + 0.002
    loop.call_at(when, a)
    loop.call_at(when, log, "b")
    await asyncio.sleep(0.010)
    log("end")


async def scenario_callback_error_goes_to_handler_and_loop_goes_on():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, ctx: log("handler", ctx["exception"]))

    def bad():
        log("bad runs")
        raise ZeroDivisionError()

    loop.call_soon(bad)
    loop.call_soon(log, "next")
    await asyncio.sleep(0)
    log("end")


async def scenario_task_step_and_callbacks_interleave():
    loop = asyncio.get_running_loop()

    async def child():
        log("child starts")
        await asyncio.sleep(0)
        log("child resumes")

    loop.call_soon(log, "cb 1")
    t = asyncio.create_task(child())
    loop.call_soon(log, "cb 2")
    await asyncio.sleep(0)
    log("main 1")
    await asyncio.sleep(0)
    log("main 2")
    await t
    log("end")


async def scenario_call_later_zero_runs_after_call_soon():
    loop = asyncio.get_running_loop()
    loop.call_later(0, log, "later 0")
    loop.call_soon(log, "soon")
    await asyncio.sleep(0.005)
    log("end")


async def scenario_timers_run_by_deadline_not_registration():
    loop = asyncio.get_running_loop()
    now = loop.time()  # one base: a pause between registrations cannot reorder them
    loop.call_at(now + 0.006, log, "6 ms")
    loop.call_at(now + 0.002, log, "2 ms")
    loop.call_at(now + 0.004, log, "4 ms")
    await asyncio.sleep(0.015)
    log("end")


async def scenario_cancel_after_run_marks_handle_cancelled():
    loop = asyncio.get_running_loop()
    h = loop.call_soon(log, "ran")
    await asyncio.sleep(0)
    log("before cancel", h.cancelled())
    h.cancel()
    log("after cancel", h.cancelled())


async def scenario_handle_cancels_itself_while_running():
    loop = asyncio.get_running_loop()
    box = {}

    def cb():
        box["h"].cancel()
        log("running, cancelled", box["h"].cancelled())

    box["h"] = loop.call_soon(cb)
    await asyncio.sleep(0)
    log("end", box["h"].cancelled())


async def scenario_past_timer_and_call_soon_from_one_callback():
    loop = asyncio.get_running_loop()

    def cb():
        loop.call_later(-1, log, "past timer")
        loop.call_soon(log, "soon")

    loop.call_soon(cb)
    await asyncio.sleep(0.005)
    log("end")


async def scenario_callback_chain_across_passes():
    loop = asyncio.get_running_loop()

    def step(n):
        log("step", n)
        if n < 3:
            loop.call_soon(step, n + 1)

    loop.call_soon(step, 1)
    for i in range(4):
        await asyncio.sleep(0)
        log("main pass", i)


async def scenario_timer_error_goes_to_handler_and_loop_goes_on():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda l, ctx: log("handler", ctx["exception"]))

    def bad():
        raise Boom()

    loop.call_later(0.001, bad)
    loop.call_later(0.003, log, "later timer")
    await asyncio.sleep(0.01)
    log("end")


async def scenario_negative_sleep_yields_once():
    loop = asyncio.get_running_loop()
    loop.call_soon(log, "soon")
    await asyncio.sleep(-1)
    log("after sleep(-1)")


async def scenario_two_tasks_yield_in_turn():
    async def player(name):
        for i in range(3):
            log(name, i)
            await asyncio.sleep(0)

    await asyncio.gather(player("ping"), player("pong"))
    log("end")


async def scenario_call_soon_threadsafe_runs_on_the_loop():
    import threading
    loop = asyncio.get_running_loop()
    loop_thread = threading.current_thread()
    f = loop.create_future()

    def cb():
        log("on the loop thread", threading.current_thread() is loop_thread)
        f.set_result("done")

    t = threading.Thread(target=lambda: loop.call_soon_threadsafe(cb))
    t.start()
    t.join()
    log(await f)


async def scenario_loop_time_is_monotonic():
    loop = asyncio.get_running_loop()
    t1 = loop.time()
    await asyncio.sleep(0.002)
    t2 = loop.time()
    log(t2 >= t1 + 0.002, t2 > t1)
