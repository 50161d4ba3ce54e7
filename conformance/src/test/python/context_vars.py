"""Context variables across tasks and callbacks: a task runs in a copy of its creator's context,
a child's change is not seen by its parent, callbacks run in the context current when they were
scheduled (or the one passed), gather and TaskGroup children get copies, to_thread carries the
context to the worker, and reset refuses a token of another variable, one used twice, or one
made in another context."""

import asyncio
import contextvars

from _trace import log

VAR = contextvars.ContextVar("var", default="unset")


async def reader(name):
    log(name, "sees", VAR.get())
    await asyncio.sleep(0)
    log(name, "still sees", VAR.get())


async def setter(name):
    log(name, "sees", VAR.get())
    VAR.set(name)
    await asyncio.sleep(0)
    log(name, "after await", VAR.get())
    return VAR.get()


async def scenario_task_copies_context():
    VAR.set("parent-1")
    t = asyncio.create_task(reader("child"))
    VAR.set("parent-2")  # after the child was created: not in its copy
    await t
    log("parent", VAR.get())


async def scenario_child_change_invisible_to_parent():
    VAR.set("parent")
    r = await asyncio.create_task(setter("child"))
    log("parent", VAR.get(), "child returned", r)
    await setter("inline")  # awaited in the same task: the same context
    log("parent after inline await", VAR.get())


async def scenario_sibling_changes_are_separate():
    VAR.set("parent")
    a = asyncio.create_task(setter("a"))
    b = asyncio.create_task(reader("b"))
    await a
    await b
    log("parent", VAR.get())


async def scenario_call_soon_context():
    loop = asyncio.get_running_loop()
    fired = loop.create_future()

    def cb(tag):
        log(tag, "sees", VAR.get())
        VAR.set("set by " + tag)

    def last(tag):
        cb(tag)
        fired.set_result(None)

    VAR.set("first")
    loop.call_soon(cb, "cb1")
    VAR.set("second")
    loop.call_soon(cb, "cb2")
    ctx = contextvars.copy_context()
    loop.call_soon(cb, "cb3 in ctx", context=ctx)
    VAR.set("third")
    loop.call_later(0.001, last, "timer")
    await fired
    log("task", VAR.get(), "ctx now", ctx[VAR])


async def scenario_done_callback_context():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    VAR.set("when added")
    fut.add_done_callback(lambda f: log("done callback sees", VAR.get()))
    ctx = contextvars.Context()
    fut.add_done_callback(lambda f: VAR.set("in ctx"), context=ctx)
    VAR.set("when completed")
    fut.set_result(1)
    await asyncio.sleep(0)
    log("task", VAR.get(), "ctx", ctx.get(VAR, "absent"))


async def scenario_gather_children():
    VAR.set("parent")
    r = await asyncio.gather(setter("a"), setter("b"))
    log("results", r, "parent", VAR.get())


async def scenario_task_group_children():
    VAR.set("parent")
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(setter("a"))
        tg.create_task(reader("b"))
        VAR.set("body")  # after the children were created
    log("a returned", a.result(), "parent", VAR.get())


async def scenario_create_task_with_context():
    ctx = contextvars.Context()
    ctx.run(VAR.set, "from ctx")
    t = asyncio.create_task(setter("child"), context=ctx)
    await t
    log("ctx now", ctx[VAR], "parent", VAR.get())


async def scenario_to_thread_carries_context():
    VAR.set("caller")

    def work():
        seen = VAR.get()
        VAR.set("worker")
        return seen

    r = await asyncio.to_thread(work)
    log("worker saw", r, "caller", VAR.get())


async def make_token():
    return VAR.set("child")


async def scenario_reset_token_errors():
    other = contextvars.ContextVar("other")
    t = VAR.set("x")
    try:
        other.reset(t)
    except ValueError as e:
        log("wrong var", e)
    VAR.reset(t)
    log("after reset", VAR.get())
    try:
        VAR.reset(t)
    except RuntimeError as e:
        log("used twice", e)
    tok = await asyncio.create_task(make_token())
    try:
        VAR.reset(tok)
    except ValueError as e:
        log("token of a child task", e)
    ctx = contextvars.Context()
    tok2 = ctx.run(VAR.set, "in ctx")
    try:
        VAR.reset(tok2)
    except ValueError as e:
        log("token of another context", e)
    ctx.run(VAR.reset, tok2)
    log("ctx has var", VAR in ctx)
    try:
        other.get()
    except LookupError as e:
        log("unset without default", e)
    log("fallback", other.get("fb"), VAR.get("fb"))


async def scenario_context_run_twice_refused():
    ctx = contextvars.Context()

    def inner():
        try:
            ctx.run(lambda: None)
        except RuntimeError as e:
            log("nested run", e)
        VAR.set("inside")

    ctx.run(inner)
    log("ctx", ctx[VAR], "task", VAR.get())
