"""Outside tester's additions: Barrier parties cancelled after being released, reset and abort
while parties drain or block (CPython's test_locks.py BarrierTests, with names in the trace)."""

import asyncio

from _trace import log, since, state


async def scenario_released_party_cancelled_before_it_runs():
    b = asyncio.Barrier(3)

    async def party(name):
        try:
            i = await b.wait()
            log(name, "passes", i)
        except asyncio.CancelledError:
            log(name, "cancelled after release", b.n_waiting, b.broken)
            raise

    ta = asyncio.create_task(party("a"))
    tb = asyncio.create_task(party("b"))
    await asyncio.sleep(0)
    tc = asyncio.create_task(party("c"))
    await asyncio.sleep(0)
    log("released", ta.done(), tb.done(), tc.done())
    ta.cancel()
    await asyncio.gather(ta, tb, tc, return_exceptions=True)
    log(state(ta), state(tb), state(tc), b.n_waiting, b.broken)
    r = await asyncio.gather(b.wait(), b.wait(), b.wait())
    log("next round", sorted(r))


async def scenario_reset_while_tasks_draining():
    b = asyncio.Barrier(3)
    box = {"count": 0}

    async def party(name):
        await b.wait()
        box["count"] += 1
        if box["count"] == 3:
            log(name, "last out, resets")
            await b.reset()
            await b.wait()
        else:
            try:
                await b.wait()
                log(name, "second wait passed")
            except asyncio.BrokenBarrierError:
                log(name, "broken")
        await b.wait()
        log(name, "third wait passed")

    await asyncio.gather(*[party(n) for n in ["a", "b", "c"]])
    log("end", b.n_waiting, b.broken)


async def scenario_reset_while_waiting_then_waiting_again():
    b = asyncio.Barrier(3)

    async def party(name):
        try:
            await b.wait()
        except asyncio.BrokenBarrierError:
            log(name, "broken by reset")
        finally:
            await b.wait()
            log(name, "passed after reset")

    async def late():
        async with b as i:
            log("late passes", i)

    tasks = [asyncio.create_task(party(n)) for n in ["a", "b"]]
    await asyncio.sleep(0)
    asyncio.create_task(b.reset())
    await asyncio.sleep(0)
    last = asyncio.create_task(late())
    await asyncio.gather(*tasks, last)
    log("end", b.n_waiting, b.broken)


async def scenario_abort_while_half_draining_half_blocking():
    b = asyncio.Barrier(4)
    box = {"count": 0}

    async def party(name):
        try:
            await b.wait()
        except asyncio.BrokenBarrierError:
            log(name, "broken while draining")
        else:
            box["count"] += 1
            if box["count"] > 2:
                log(name, "aborts")
                await b.abort()
            else:
                try:
                    await b.wait()
                except asyncio.BrokenBarrierError:
                    log(name, "broken while blocked")

    await asyncio.gather(*[party(n) for n in ["a", "b", "c", "d"]])
    log("end", b.n_waiting, b.broken)


async def scenario_abort_on_error_then_reset_and_reuse():
    b1 = asyncio.Barrier(3)
    b2 = asyncio.Barrier(3)

    async def party(name):
        try:
            i = await b1.wait()
            if i == 1:
                raise RuntimeError()
            await b1.wait()
            log(name, "never")
        except asyncio.BrokenBarrierError:
            log(name, "broken")
        except RuntimeError:
            log(name, "failed, aborts")
            await b1.abort()
        i = await b2.wait()
        if i == 1:
            await b1.reset()
            log(name, "reset b1")
        await b2.wait()
        await b1.wait()
        log(name, "passed b1 again")

    await asyncio.gather(*[party(n) for n in ["a", "b", "c"]])
    log("end", b1.broken, b1.n_waiting)


async def scenario_waiting_party_cancelled_while_others_block():
    b = asyncio.Barrier(3)

    async def party(name):
        try:
            i = await b.wait()
            log(name, "passes", i)
        except asyncio.CancelledError:
            log(name, "cancelled", b.n_waiting)
            raise

    ta = asyncio.create_task(party("a"))
    tb = asyncio.create_task(party("b"))
    await asyncio.sleep(0)
    tb.cancel()
    await asyncio.sleep(0)
    log("after cancel", b.n_waiting)
    tc = asyncio.create_task(party("c"))
    td = asyncio.create_task(party("d"))
    await asyncio.gather(ta, tb, tc, td, return_exceptions=True)
    log(state(tb), b.n_waiting)


@since("3.13")
async def scenario_cancelled_party_reorders_the_waiters():
    b = asyncio.Barrier(4)

    async def party(name):
        try:
            i = await b.wait()
            log(name, "passes", i)
        except asyncio.CancelledError:
            log(name, "cancelled", b.n_waiting)
            raise

    ta = asyncio.create_task(party("a"))
    tb = asyncio.create_task(party("b"))
    tc = asyncio.create_task(party("c"))
    await asyncio.sleep(0)
    ta.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log("after cancel", b.n_waiting)
    td = asyncio.create_task(party("d"))
    await asyncio.sleep(0)
    te = asyncio.create_task(party("e"))
    await asyncio.gather(ta, tb, tc, td, te, return_exceptions=True)
    log(b.n_waiting)


@since("3.13")
async def scenario_cancelled_arrival_while_draining_leaves_the_others():
    b = asyncio.Barrier(2)

    async def party(name):
        try:
            i = await b.wait()
            log(name, "passes", i)
        except asyncio.CancelledError:
            log(name, "cancelled")
            raise

    h1 = asyncio.create_task(party("h1"))
    h2 = asyncio.create_task(party("h2"))
    x = asyncio.create_task(party("x"))
    y = asyncio.create_task(party("y"))
    z = asyncio.create_task(party("z"))
    await asyncio.sleep(0)
    log("draining, three blocked", b.n_waiting, h1.done(), h2.done())
    x.cancel()
    await asyncio.gather(h1, h2, x, y, z, return_exceptions=True)
    log("end", b.n_waiting)
