"""Async generators and async for: laziness, the hand-over order, early break with aclose (the
producer's finally runs), a dropped generator closed by a task, exceptions arriving at the
consumer, cancelling the consumer cancels the producer, queues and as_completed iterated."""

import asyncio

from _trace import log, since, state


class Boom(Exception):
    pass


async def numbers(n):
    log("start")
    try:
        for i in range(n):
            log("yield", i)
            yield i
            log("resumed", i)
    except GeneratorExit:
        log("exit at the yield")
        raise
    finally:
        log("finally")


async def scenario_lazy_and_taking_turns():
    g = numbers(2)
    log("created")
    async for v in g:
        log("got", v)
    log("done")


async def scenario_early_break_then_aclose_runs_finally():
    g = numbers(5)
    async for v in g:
        log("got", v)
        if v == 1:
            break
    log("broke")
    await g.aclose()
    log("closed")
    async for v in g:
        log("never", v)
    log("nothing after aclose")
    await g.aclose()
    log("aclose again is harmless")


async def scenario_aclose_before_start_runs_nothing():
    g = numbers(3)
    await g.aclose()
    async for v in g:
        log("never", v)
    log("closed before start")


async def scenario_dropped_generator_is_closed_by_a_task():
    g = numbers(5)
    async for v in g:
        log("got", v)
        break
    del g  # the loop's finalizer hook closes it in a task
    log("dropped")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log("after two passes")


KEPT = []  # keeps a generator referenced, so that asyncio.run's shutdown_asyncgens closes it


async def scenario_run_closes_a_suspended_generator_at_its_end():
    g = numbers(3)
    KEPT.append(g)
    log("got", await g.__anext__())
    log("main returns")


async def failing():
    yield 1
    await asyncio.sleep(0.001)
    raise Boom()


async def scenario_exception_arrives_at_the_consumer():
    g = failing()
    try:
        async for v in g:
            log("got", v)
    except Boom as e:
        log("raised", e)
    async for v in g:
        log("never", v)
    log("ended")


async def cleanup_that_fails():
    try:
        yield 1
    finally:
        await asyncio.sleep(0)
        log("cleanup awaited")
        raise Boom()


async def scenario_aclose_raises_what_the_cleanup_raises():
    g = cleanup_that_fails()
    async for v in g:
        log("got", v)
        break
    try:
        await g.aclose()
    except Boom as e:
        log("aclose raised", e)


async def slow_numbers():
    try:
        i = 0
        while True:
            yield i
            i += 1
            await asyncio.sleep(3600)
    except asyncio.CancelledError as e:
        log("producer got", e)
        raise
    finally:
        log("producer finally")


async def scenario_cancelling_the_consumer_cancels_the_producer():
    gate = asyncio.get_running_loop().create_future()

    async def consumer():
        async for v in slow_numbers():
            log("got", v)
            if not gate.done():
                gate.set_result(None)

    t = asyncio.create_task(consumer())
    await gate
    log("cancel")
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log("consumer", state(t))


async def scenario_generator_over_a_queue():
    q = asyncio.Queue(2)

    async def items():
        while True:
            item = await q.get()
            if item is None:
                return
            yield item

    async def producer():
        for i in range(5):
            await q.put(i)
            log("put", i)
        await q.put(None)

    t = asyncio.create_task(producer())
    out = []
    async for v in items():
        out.append(v)
    await t
    log(out)


async def scenario_a_generator_consuming_another():
    async def doubled(src):
        async for v in src:
            yield v * 2

    out = [v async for v in doubled(numbers(3))]
    log(out)


async def scenario_anext_twice_at_once_is_an_error():
    async def slow():
        await asyncio.sleep(0.001)
        yield 1

    g = slow()
    first = asyncio.ensure_future(g.__anext__())
    second = asyncio.ensure_future(g.__anext__())
    log(await first)
    try:
        await second
    except RuntimeError as e:
        log("second", type(e).__name__)


@since("3.13")
async def scenario_queue_iterated_until_shut_down():
    q = asyncio.Queue()
    for i in range(3):
        q.put_nowait(i)
    q.shutdown()

    async def items():
        while True:
            try:
                item = await q.get()
            except asyncio.QueueShutDown:
                return
            yield item

    log([v async for v in items()])


@since("3.13")
async def scenario_as_completed_iterated_yields_the_tasks():
    async def sleeper(delay, value):
        await asyncio.sleep(delay)
        return value

    ts = [asyncio.create_task(sleeper(d, v)) for d, v in ((0.006, "a"), (0.002, "b"), (0.004, "c"))]
    async for t in asyncio.as_completed(ts):
        log(t in ts, await t)
