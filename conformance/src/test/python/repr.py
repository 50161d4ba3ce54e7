"""repr() of futures and tasks. Python's repr and Java's toString differ in form, so each side
parses its own text into what is meaningful: the class, the state word, the task's name, whether
a result or an exception is shown. Also names (default Task-N numbering, set_name), and
results that contain the future itself (reprlib's recursion guard: '...')."""

import asyncio
import re

from _trace import log


def describe(f):
    r = repr(f)
    m = re.match(r"<(\w+) (pending|finished|cancelled|cancelling)\b", r)
    name = re.search(r"name='([^']*)'", r)
    return [
        m.group(1),
        m.group(2),
        name.group(1) if name else None,
        "result=" in r,
        "exception=" in r,
    ]


async def scenario_future_states():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    log(describe(f))
    f.set_result(42)
    log(describe(f), "result=42" in repr(f))
    g = loop.create_future()
    g.set_exception(ValueError("bad"))
    log(describe(g))
    g.exception()
    h = loop.create_future()
    h.cancel()
    log(describe(h))


async def scenario_future_result_none_is_shown():
    f = asyncio.get_running_loop().create_future()
    f.set_result(None)
    log(describe(f))


async def work(result, delay=0):
    await asyncio.sleep(delay)
    return result


async def fail():
    await asyncio.sleep(0)
    raise ValueError("bad")


async def scenario_task_states():
    t = asyncio.create_task(work("done"), name="worker")
    log(describe(t))
    await t
    log(describe(t), "result=" in repr(t))
    e = asyncio.create_task(fail(), name="failing")
    try:
        await e
    except ValueError:
        pass
    log(describe(e))
    c = asyncio.create_task(work(1, 1), name="sleeper")
    await asyncio.sleep(0)
    c.cancel()
    await asyncio.sleep(0)
    log(describe(c))


async def scenario_task_cancel_requested_before_it_runs():
    t = asyncio.create_task(work(1), name="early")
    t.cancel()
    log(describe(t))
    await asyncio.sleep(0)
    log(describe(t))


async def scenario_current_task_is_pending_while_running():
    log(describe(asyncio.current_task())[1])


async def scenario_task_names():
    a = asyncio.create_task(work(1))
    b = asyncio.create_task(work(2))
    na, nb = a.get_name(), b.get_name()
    log("default names", re.fullmatch(r"Task-\d+", na) is not None, int(nb[5:]) - int(na[5:]))
    b.set_name("renamed")
    log(b.get_name(), describe(b)[2])
    c = asyncio.create_task(work(3), name="given")
    log(c.get_name())
    await asyncio.gather(a, b, c)
    log(describe(c)[2], describe(c)[1])


async def scenario_task_result_containing_itself():
    async def selfish():
        await asyncio.sleep(0)
        return [asyncio.current_task()]

    t = asyncio.create_task(selfish(), name="selfish")
    await t
    r = repr(t)
    log(describe(t), "..." in r)


async def scenario_future_result_containing_itself():
    f = asyncio.get_running_loop().create_future()
    f.set_result([f, "x"])
    log(describe(f), "..." in repr(f))


async def scenario_futures_containing_each_other():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    g = loop.create_future()
    f.set_result([g])
    g.set_result([f])
    log(describe(f), describe(g), len(repr(f)) < 500)


async def scenario_long_result_is_abbreviated():
    f = asyncio.get_running_loop().create_future()
    f.set_result("x" * 10000)
    log(describe(f), len(repr(f)) < 200)
