"""Barrier (Python 3.11): parties released together with their arrival index, n_waiting,
reuse over rounds, newcomers blocked while it drains, cancelled waiters, reset, abort, broken."""

import asyncio

from _trace import log, state


async def party(barrier, name):
    log(name, "arrives", barrier.n_waiting)
    i = await barrier.wait()
    log(name, "passes with index", i)
    return i


async def scenario_releases_all_parties_together():
    b = asyncio.Barrier(3)
    log("parties", b.parties, b.n_waiting, b.broken)
    tasks = [asyncio.create_task(party(b, n)) for n in ["a", "b", "c"]]
    r = await asyncio.gather(*tasks)
    log("indices", r, b.n_waiting, b.broken)


async def scenario_one_party_passes_at_once():
    b = asyncio.Barrier(1)
    loop = asyncio.get_running_loop()
    loop.call_soon(log, "callback")
    log("first", await b.wait())
    log("second", await b.wait())
    await asyncio.sleep(0)


async def scenario_n_waiting_counts_arrivals():
    b = asyncio.Barrier(3)
    t1 = asyncio.create_task(b.wait())
    await asyncio.sleep(0)
    log("one", b.n_waiting)
    t2 = asyncio.create_task(b.wait())
    await asyncio.sleep(0)
    log("two", b.n_waiting)
    t3 = asyncio.create_task(b.wait())
    await asyncio.sleep(0)
    log("three", b.n_waiting, [t.done() for t in [t1, t2, t3]])
    await asyncio.gather(t1, t2, t3)
    log("after", b.n_waiting, [t.result() for t in [t1, t2, t3]])


async def scenario_reused_for_several_rounds():
    b = asyncio.Barrier(2)

    async def rounds(name):
        out = []
        for _ in range(3):
            out.append(await b.wait())
        log(name, "rounds", len(out))

    await asyncio.gather(rounds("a"), rounds("b"))
    log("n_waiting", b.n_waiting, b.broken)


async def scenario_cancelled_waiter_leaves_the_count():
    b = asyncio.Barrier(3)
    t1 = asyncio.create_task(b.wait())
    await asyncio.sleep(0)
    t2 = asyncio.create_task(b.wait())
    await asyncio.sleep(0)
    log("waiting", b.n_waiting)
    t1.cancel()
    await asyncio.sleep(0)
    log("after cancel", b.n_waiting, state(t1))
    t3 = asyncio.create_task(b.wait())
    await asyncio.sleep(0)
    log("refilled", b.n_waiting)
    t4 = asyncio.create_task(b.wait())
    r = await asyncio.gather(t2, t3, t4)
    log("released", r, b.n_waiting, b.broken)


async def broken_party(barrier, name):
    try:
        await barrier.wait()
        log(name, "passed")
    except asyncio.BrokenBarrierError as e:
        log(name, "got", e)


async def scenario_reset_breaks_current_waiters():
    b = asyncio.Barrier(3)
    tasks = [asyncio.create_task(broken_party(b, n)) for n in ["a", "b"]]
    await asyncio.sleep(0)
    log("waiting", b.n_waiting)
    await b.reset()
    log("reset", b.n_waiting, b.broken)
    await asyncio.gather(*tasks)
    log("after", b.n_waiting, b.broken)
    tasks = [asyncio.create_task(broken_party(b, n)) for n in ["c", "d", "e"]]
    await asyncio.gather(*tasks)
    log("reused", b.n_waiting)


async def scenario_reset_of_empty_barrier():
    b = asyncio.Barrier(2)
    await b.reset()
    log("reset", b.n_waiting, b.broken)
    tasks = [asyncio.create_task(broken_party(b, n)) for n in ["a", "b"]]
    await asyncio.gather(*tasks)


async def scenario_abort_breaks_waiters_and_later_waits():
    b = asyncio.Barrier(3)
    tasks = [asyncio.create_task(broken_party(b, n)) for n in ["a", "b"]]
    await asyncio.sleep(0)
    await b.abort()
    log("aborted", b.broken, b.n_waiting)
    await asyncio.gather(*tasks)
    await broken_party(b, "late")
    log("still broken", b.broken)


async def scenario_reset_after_abort_restores():
    b = asyncio.Barrier(2)
    await b.abort()
    await broken_party(b, "x")
    await b.reset()
    log("reset", b.broken, b.n_waiting)
    await asyncio.gather(broken_party(b, "a"), broken_party(b, "b"))


async def scenario_abort_when_a_party_fails():
    b = asyncio.Barrier(3)

    async def worker(name, fail):
        try:
            await b.wait()
            if fail:
                raise ZeroDivisionError()
            await b.wait()
            log(name, "passed twice")
        except ZeroDivisionError:
            log(name, "failed, aborts")
            await b.abort()
        except asyncio.BrokenBarrierError:
            log(name, "broken")

    await asyncio.gather(worker("a", False), worker("b", True), worker("c", False))
    log("broken", b.broken)


async def scenario_invalid_parties():
    for n in [0, -1]:
        try:
            asyncio.Barrier(n)
        except ValueError as e:
            log("parties", n, e)


async def scenario_arrival_while_draining_waits_for_next_round():
    b = asyncio.Barrier(2)
    ta = asyncio.create_task(party(b, "a"))
    tb = asyncio.create_task(party(b, "b"))
    tc = asyncio.create_task(party(b, "c"))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log("after the round", b.n_waiting, ta.done(), tb.done(), tc.done())
    td = asyncio.create_task(party(b, "d"))
    r = await asyncio.gather(ta, tb, tc, td)
    log("indices", r, b.n_waiting)


async def scenario_abort_while_draining():
    b = asyncio.Barrier(2)
    ta = asyncio.create_task(party(b, "a"))
    tb = asyncio.create_task(party(b, "b"))
    await asyncio.sleep(0)
    log("released, draining", b.n_waiting, ta.done(), tb.done())
    await b.abort()
    r = await asyncio.gather(ta, tb, return_exceptions=True)
    log("results", r, b.broken)
