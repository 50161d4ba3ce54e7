"""asyncio.wait: the three return_when modes, timeouts, and which sets it returns."""

import asyncio

from _trace import log, names, since, state


class Boom(Exception):
    pass


async def sleeper(delay, value=None):
    await asyncio.sleep(delay)
    return value


async def failer(delay):
    await asyncio.sleep(delay)
    raise Boom()


async def gated(gate):
    await gate
    return "gated"


def task(coro, name):
    return asyncio.create_task(coro, name=name)


async def scenario_all_completed_waits_for_all():
    ts = [task(sleeper(0.003, 1), "a"), task(failer(0.001), "b"), task(sleeper(0, 3), "c")]
    done, pending = await asyncio.wait(ts)
    log(names(done), names(pending))
    log([state(t) for t in ts])


async def scenario_first_completed_returns_at_the_first():
    gate = asyncio.get_running_loop().create_future()
    slow = task(gated(gate), "slow")
    fast = task(sleeper(0.001, "f"), "fast")
    done, pending = await asyncio.wait([slow, fast], return_when=asyncio.FIRST_COMPLETED)
    log(names(done), names(pending), state(slow))
    gate.set_result(None)
    await slow


async def scenario_first_exception_returns_at_the_failure():
    gate = asyncio.get_running_loop().create_future()
    ok = task(sleeper(0.001, "ok"), "ok")
    bad = task(failer(0.003), "bad")
    slow = task(gated(gate), "slow")
    done, pending = await asyncio.wait([ok, bad, slow], return_when=asyncio.FIRST_EXCEPTION)
    log(names(done), names(pending), state(bad))
    gate.set_result(None)
    await slow


async def scenario_first_exception_without_failure_waits_for_all():
    ts = [task(sleeper(0.001), "a"), task(sleeper(0.002), "b")]
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_EXCEPTION)
    log(names(done), names(pending))


async def scenario_first_exception_ignores_cancellation():
    gate = asyncio.get_running_loop().create_future()
    a = task(gated(gate), "a")
    b = task(sleeper(10), "b")
    loop = asyncio.get_running_loop()
    loop.call_soon(b.cancel)

    async def opener():
        await asyncio.sleep(0.002)
        gate.set_result(None)

    o = task(opener(), "opener")
    done, pending = await asyncio.wait([a, b], return_when=asyncio.FIRST_EXCEPTION)
    log(names(done), names(pending), state(a), state(b))
    await o


async def scenario_timeout_returns_what_is_done_and_cancels_nothing():
    gate = asyncio.get_running_loop().create_future()
    fast = task(sleeper(0.001, 1), "fast")
    slow = task(gated(gate), "slow")
    done, pending = await asyncio.wait([fast, slow], timeout=0.1)
    log(names(done), names(pending), state(slow))
    gate.set_result(None)
    await slow


async def scenario_timeout_with_nothing_done():
    gate = asyncio.get_running_loop().create_future()
    t = task(gated(gate), "t")
    done, pending = await asyncio.wait([t], timeout=0.001)
    log(names(done), names(pending), state(t))
    gate.set_result(None)
    await t


async def scenario_zero_timeout_still_yields_once():
    gate = asyncio.get_running_loop().create_future()
    quick = task(sleeper(0, "q"), "quick")
    t = task(gated(gate), "t")
    done, pending = await asyncio.wait([quick, t], timeout=0)
    log(names(done), names(pending))
    gate.set_result(None)
    await t


async def scenario_already_done_first_completed_sees_tasks_finishing_meanwhile():
    loop = asyncio.get_running_loop()
    finished = task(sleeper(0, "x"), "finished")
    await finished

    async def instant():
        return "instant"

    quick = task(instant(), "quick")
    gate = loop.create_future()
    slow = task(gated(gate), "slow")
    done, pending = await asyncio.wait([finished, quick, slow], return_when=asyncio.FIRST_COMPLETED)
    log(names(done), names(pending))
    gate.set_result(None)
    await slow


async def scenario_all_done_already_still_yields():
    loop = asyncio.get_running_loop()
    t = task(sleeper(0, 1), "t")
    await t
    loop.call_soon(log, "soon")
    done, pending = await asyncio.wait([t])
    log("wait returned", names(done), names(pending))


async def scenario_failures_stay_in_the_tasks():
    ts = [task(failer(0.001), "a"), task(failer(0.002), "b")]
    done, pending = await asyncio.wait(ts)
    log(names(done), [state(t) for t in ts])


async def scenario_duplicates_count_once():
    t = task(sleeper(0.001, 1), "t")
    done, pending = await asyncio.wait([t, t, t])
    log(len(done), len(pending), names(done))


async def scenario_empty_raises_value_error():
    try:
        await asyncio.wait([])
    except ValueError as e:
        log("raised", e)


async def scenario_plain_futures():
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    f2 = loop.create_future()
    loop.call_later(0.001, f1.set_result, 1)
    done, pending = await asyncio.wait([f1, f2], return_when=asyncio.FIRST_COMPLETED)
    log(len(done), len(pending), f1 in done, f2 in pending)


async def scenario_cancelling_the_waiter_cancels_nothing_else():
    gate = asyncio.get_running_loop().create_future()
    t = task(gated(gate), "t")

    async def waiter():
        try:
            await asyncio.wait([t])
        except asyncio.CancelledError:
            log("waiter cancelled")
            raise

    w = task(waiter(), "w")
    await asyncio.sleep(0)
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        log("w raised")
    log(state(w), state(t))
    gate.set_result(None)
    await t
    log(state(t))


async def scenario_two_finish_in_the_same_pass():
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    f2 = loop.create_future()
    gate = loop.create_future()
    t3 = task(gated(gate), "t3")

    def finish_both():
        f1.set_result(1)
        f2.set_result(2)

    loop.call_soon(finish_both)
    done, pending = await asyncio.wait([f1, f2, t3], return_when=asyncio.FIRST_COMPLETED)
    log(len(done), names(pending))
    gate.set_result(None)
    await t3


async def scenario_wait_then_read_results():
    ts = [task(sleeper(0.002, "x"), "x"), task(sleeper(0.001, "y"), "y")]
    done, _ = await asyncio.wait(ts)
    log(sorted(t.result() for t in done))


async def scenario_first_completed_by_failure():
    gate = asyncio.get_running_loop().create_future()
    bad = task(failer(0.001), "bad")
    slow = task(gated(gate), "slow")
    done, pending = await asyncio.wait([bad, slow], return_when=asyncio.FIRST_COMPLETED)
    log(names(done), names(pending), state(bad))
    gate.set_result(None)
    await slow


async def scenario_timeout_and_completion_in_order():
    loop = asyncio.get_running_loop()
    gate = loop.create_future()
    t = task(gated(gate), "t")
    loop.call_later(0.001, gate.set_result, None)
    done, pending = await asyncio.wait([t], timeout=5)
    log(names(done), names(pending))


async def scenario_coroutines_are_refused():
    c = sleeper(0, "c")
    try:
        done, pending = await asyncio.wait([c])
        log("accepted", len(done))
    except TypeError as e:
        log("raised", e)
        c.close()
