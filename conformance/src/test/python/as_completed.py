"""asyncio.as_completed: results in finishing order, failures at their turn, the timeout."""

import asyncio

from _trace import log, state


class Boom(Exception):
    pass


async def sleeper(delay, value):
    await asyncio.sleep(delay)
    return value


async def failer(delay):
    await asyncio.sleep(delay)
    raise Boom()


async def gated(gate, value):
    await gate
    return value


async def scenario_results_in_finishing_order():
    ts = [asyncio.create_task(sleeper(d, v)) for d, v in ((0.006, "a"), (0.002, "b"), (0.004, "c"))]
    for next_one in asyncio.as_completed(ts):
        log(await next_one)


async def scenario_failure_raised_at_its_turn():
    ts = [asyncio.create_task(sleeper(0.001, "a")), asyncio.create_task(failer(0.003)),
          asyncio.create_task(sleeper(0.005, "c"))]
    for next_one in asyncio.as_completed(ts):
        try:
            log(await next_one)
        except Boom as e:
            log("raised", e)


async def scenario_timeout_raises_for_the_rest_and_cancels_nothing():
    gate = asyncio.get_running_loop().create_future()
    fast = asyncio.create_task(sleeper(0, "fast"))
    slow = asyncio.create_task(gated(gate, "slow"))
    slow2 = asyncio.create_task(gated(gate, "slow2"))
    count = 0
    for next_one in asyncio.as_completed([fast, slow, slow2], timeout=0.1):
        count += 1
        try:
            log(await next_one)
        except TimeoutError as e:
            log("raised", e)
    log(count, state(slow), state(slow2))
    gate.set_result(None)
    log(await slow, await slow2)


async def scenario_duplicates_collapse():
    t = asyncio.create_task(sleeper(0.001, "t"))
    its = list(asyncio.as_completed([t, t, t]))
    log(len(its))
    for c in its:
        log(await c)


async def scenario_empty_yields_nothing():
    log(len(list(asyncio.as_completed([]))))


async def scenario_done_future_comes_first():
    loop = asyncio.get_running_loop()
    done_f = loop.create_future()
    done_f.set_result("already")
    t = asyncio.create_task(sleeper(0.001, "later"))
    for c in asyncio.as_completed([t, done_f]):
        log(await c)


async def scenario_cancelled_asker_loses_no_result():
    loop = asyncio.get_running_loop()
    gate = loop.create_future()
    t1 = asyncio.create_task(gated(gate, "one"))
    t2 = asyncio.create_task(sleeper(0.002, "two"))
    its = list(asyncio.as_completed([t1, t2]))
    asker = asyncio.create_task(its[0])
    await asyncio.sleep(0)
    asker.cancel()
    try:
        await asker
    except asyncio.CancelledError:
        log("asker cancelled")
    log(await its[1])
    gate.set_result(None)


async def scenario_awaiting_out_of_order_gets_finishing_order():
    ts = [asyncio.create_task(sleeper(0.004, "slow")), asyncio.create_task(sleeper(0.001, "fast"))]
    its = list(asyncio.as_completed(ts))
    log("second asked first:", await its[1])
    log("then the first:", await its[0])


async def scenario_cancelled_input_raises_cancelled():
    gate = asyncio.get_running_loop().create_future()
    t = asyncio.create_task(gated(gate, "never"))
    u = asyncio.create_task(sleeper(0.003, "u"))
    asyncio.get_running_loop().call_soon(t.cancel)
    for c in asyncio.as_completed([t, u]):
        try:
            log(await c)
        except asyncio.CancelledError:
            log("raised CancelledError")


async def scenario_results_then_timeout():
    gate = asyncio.get_running_loop().create_future()
    ts = [asyncio.create_task(sleeper(0.001, "a")), asyncio.create_task(sleeper(0.002, "b")),
          asyncio.create_task(gated(gate, "c"))]
    got = []
    try:
        for c in asyncio.as_completed(ts, timeout=0.1):
            got.append(await c)
    except TimeoutError:
        log("timed out after", got)
    gate.set_result(None)
    await ts[2]
