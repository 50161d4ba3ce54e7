"""TaskGroup: children that finish, fail, get cancelled; the body failing or cancelled; the
parent cancelled from outside or by a child; nested groups; create_task at the wrong time; the
parent's cancel count (cancelling/uncancel) afterwards. Follows Python 3.13 where 3.11 differs
(marked @since)."""

import asyncio

from _trace import chain, log, msg, since, state


class Boom(Exception):
    pass


class Bang(Exception):
    pass


async def sleeper(name, delay, result=None):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        log(name, "cancelled")
        raise
    log(name, "done")
    return result


async def failer(name, delay, exc):
    await asyncio.sleep(delay)
    log(name, "fails")
    raise exc()


def group_errors(eg):
    return [type(e).__name__ for e in eg.exceptions]


async def scenario_children_complete_body_waits():
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(sleeper("a", 0.004, 1))
        b = tg.create_task(sleeper("b", 0.002, 2))
        log("body ends")
    log("group exits", state(a), state(b))


async def scenario_empty_group():
    async with asyncio.TaskGroup():
        log("body")
    log("after", asyncio.current_task().cancelling())


@since("3.13")
async def scenario_child_fails_cancels_sleeping_siblings():
    try:
        async with asyncio.TaskGroup() as tg:
            a = tg.create_task(failer("a", 0.002, ZeroDivisionError))
            b = tg.create_task(sleeper("b", 1))
            c = tg.create_task(asyncio.sleep(1))  # silent: the group cancels in no set order
            log("body ends")
    except ExceptionGroup as eg:
        log("caught", eg, group_errors(eg))
    log(state(a), state(b), state(c))
    log("cancelling", asyncio.current_task().cancelling())


async def scenario_child_fails_cancels_body():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(failer("a", 0.002, Boom))
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                log("body cancelled")
                raise
            log("body not cancelled")
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log("cancelling", asyncio.current_task().cancelling())


async def scenario_body_swallows_cancel_of_failure():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(failer("a", 0.002, Boom))
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                log("body swallows the cancellation")
            log("body ends")
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log("cancelling", asyncio.current_task().cancelling())
    await asyncio.sleep(0)
    log("not cancelled again")


async def scenario_two_children_fail_same_pass():
    gate = asyncio.Event()

    async def fail_at_gate(name, exc):
        await gate.wait()
        log(name, "fails")
        raise exc()

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail_at_gate("a", Boom))
            tg.create_task(fail_at_gate("b", Bang))
            tg.create_task(sleeper("c", 1))
            await asyncio.sleep(0)
            gate.set()  # both wake in the same pass, before the group hears of either failure
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))


async def scenario_children_fail_one_after_another_in_order():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(failer("a", 0.002, Boom))

            async def late():
                try:
                    await asyncio.sleep(1)
                except asyncio.CancelledError:
                    log("b cancelled, fails instead")
                    raise Bang()

            tg.create_task(late())
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))


async def scenario_sibling_ignores_cancel_and_finishes():
    async def stubborn():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log("stubborn cancelled, keeps going")
        await asyncio.sleep(0.003)
        log("stubborn finishes")
        return "kept"

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(failer("a", 0.002, Boom))
            s = tg.create_task(stubborn())
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log(state(s))


async def scenario_body_raises_cancels_children():
    try:
        async with asyncio.TaskGroup() as tg:
            c = tg.create_task(sleeper("c", 1))
            await asyncio.sleep(0)
            log("body raises")
            raise Boom()
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log(state(c))


async def scenario_body_raises_before_children_start():
    try:
        async with asyncio.TaskGroup() as tg:
            c = tg.create_task(sleeper("c", 1))
            raise Boom()
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log(state(c))


async def scenario_body_raises_after_children_done():
    try:
        async with asyncio.TaskGroup() as tg:
            c = tg.create_task(sleeper("c", 0.001, 5))
            await c
            raise Boom()
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log(state(c))


async def scenario_child_fails_then_body_raises_in_handler():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(failer("a", 0.002, Boom))
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                log("body cancelled, raises Bang")
                raise Bang()
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log("cancelling", asyncio.current_task().cancelling())


async def scenario_parent_cancelled_from_outside_during_body():
    async def runner():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(sleeper("a", 1))
            tg.create_task(asyncio.sleep(1))  # silent: the group cancels in no set order
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                log("body cancelled")
                raise

    r = asyncio.create_task(runner())
    await asyncio.sleep(0.002)
    r.cancel()
    try:
        await r
    except asyncio.CancelledError:
        log("runner raised CancelledError")
    log(state(r))


async def scenario_parent_cancelled_from_outside_while_exiting():
    async def runner():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(sleeper("a", 1))
            log("body ends")
        log("never here")

    r = asyncio.create_task(runner())
    await asyncio.sleep(0.002)
    r.cancel()
    await asyncio.sleep(0)
    log("after one pass", state(r))
    try:
        await r
    except asyncio.CancelledError:
        log("runner raised CancelledError")
    log(state(r))


async def scenario_parent_cancelled_outside_child_fails_in_cleanup():
    async def child():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log("child cancelled, fails")
            raise Boom()

    async def runner():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child())
            await asyncio.sleep(1)

    r = asyncio.create_task(runner())
    await asyncio.sleep(0.002)
    r.cancel()
    try:
        await r
    except ExceptionGroup as eg:
        log("runner raised", group_errors(eg))
    log(state(r))


@since("3.13")
async def scenario_outside_cancel_survives_group_errors():
    async def child():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            raise Boom()

    async def runner():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child())
                await asyncio.sleep(1)
        except ExceptionGroup as eg:
            log("caught", group_errors(eg), asyncio.current_task().cancelling())
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log("the outside cancellation is delivered again")
            raise

    r = asyncio.create_task(runner())
    await asyncio.sleep(0.002)
    r.cancel()
    try:
        await r
    except asyncio.CancelledError:
        log("runner cancelled")
    log(state(r))


@since("3.13")
async def scenario_outside_cancel_message_after_group_errors():
    # the group re-requests the outside cancellation with uncancel() + cancel(): the message the
    # body saw is not carried into the re-request (taskgroups.py calls cancel() without one)
    async def child():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            raise Boom()

    async def runner():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child())
                try:
                    await asyncio.sleep(1)
                except asyncio.CancelledError as e:
                    log("body sees", msg(e))
                    raise
        except ExceptionGroup as eg:
            log("caught", group_errors(eg), asyncio.current_task().cancelling())
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError as e:
            log("delivered again with", msg(e))
            raise

    r = asyncio.create_task(runner())
    await asyncio.sleep(0.002)
    r.cancel("stop")
    try:
        await r
    except asyncio.CancelledError as e:
        log("runner cancelled with", msg(e))
    log(state(r))


async def scenario_parent_cancelled_twice_from_outside():
    async def runner():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(sleeper("a", 1))
            await asyncio.sleep(1)

    r = asyncio.create_task(runner())
    await asyncio.sleep(0.002)
    r.cancel()
    r.cancel()
    log("cancelling", r.cancelling())
    try:
        await r
    except asyncio.CancelledError:
        log("runner cancelled")
    log(state(r), r.cancelling())


async def scenario_child_cancels_parent():
    parent = asyncio.current_task()

    async def rebel():
        await asyncio.sleep(0.002)
        log("rebel cancels the parent")
        parent.cancel()

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(rebel())
            tg.create_task(sleeper("s", 1))
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                log("body cancelled")
                raise
    except asyncio.CancelledError:
        log("group raised CancelledError", parent.cancelling())
        parent.uncancel()
    log("cancelling", parent.cancelling())


async def scenario_child_cancelled_individually_is_not_an_error():
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(sleeper("a", 1))
        b = tg.create_task(sleeper("b", 0.002, "b"))
        await asyncio.sleep(0)
        a.cancel()
    log("group ok", state(a), state(b))


async def scenario_child_raises_cancelled_error_itself():
    async def quitter():
        await asyncio.sleep(0)
        raise asyncio.CancelledError()

    async with asyncio.TaskGroup() as tg:
        q = tg.create_task(quitter())
        s = tg.create_task(sleeper("s", 0.002, 1))
    log("group ok", state(q), state(s))


async def scenario_create_task_after_finished():
    async with asyncio.TaskGroup() as tg:
        pass

    async def never():
        log("never runs")

    c = never()
    try:
        tg.create_task(c)
    except RuntimeError as e:
        log("refused", e)
    c.close()


async def scenario_create_task_while_shutting_down():
    async def never():
        log("never runs")

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(failer("a", 0.002, Boom))
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                c = never()
                try:
                    tg.create_task(c)
                except RuntimeError as e:
                    log("refused", e)
                c.close()
                raise
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))


async def scenario_child_creates_sibling_while_group_exits():
    async def spawner(tg):
        await asyncio.sleep(0.002)
        log("spawner adds a task")
        tg.create_task(sleeper("late", 0.002))

    async with asyncio.TaskGroup() as tg:
        tg.create_task(spawner(tg))
        log("body ends")
    log("group waited for the late task")


async def scenario_task_names_and_results():
    async with asyncio.TaskGroup() as tg:
        t1 = tg.create_task(sleeper("x", 0.001, 10), name="first")
        t2 = tg.create_task(sleeper("y", 0.002, 20))
        log(t1.get_name())
    log(t1.result(), t2.result(), state(t1))


async def scenario_nested_inner_failure_reaches_outer():
    try:
        async with asyncio.TaskGroup() as outer:
            o = outer.create_task(sleeper("outer child", 1))
            async with asyncio.TaskGroup() as inner:
                inner.create_task(failer("inner child", 0.002, Boom))
                i = inner.create_task(sleeper("inner sibling", 1))
            log("never here")
    except ExceptionGroup as eg:
        log("caught", eg, group_errors(eg), group_errors(eg.exceptions[0]))
    log(state(o), state(i))


async def scenario_nested_outer_failure_cancels_inner():
    try:
        async with asyncio.TaskGroup() as outer:
            outer.create_task(failer("outer child", 0.002, Boom))
            try:
                async with asyncio.TaskGroup() as inner:
                    i = inner.create_task(sleeper("inner child", 1))
                    await asyncio.sleep(1)
            except asyncio.CancelledError:
                log("inner group raised CancelledError")
                raise
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log(state(i), asyncio.current_task().cancelling())


@since("3.13")
async def scenario_nested_groups_both_cancelled_counts():
    try:
        async with asyncio.TaskGroup() as outer:
            try:
                async with asyncio.TaskGroup() as inner:
                    inner.create_task(failer("inner", 0, Boom))
                    outer.create_task(failer("outer", 0, Bang))
            except ExceptionGroup as eg:
                log("inner caught", group_errors(eg))
            log("between", asyncio.current_task().cancelling())
    except ExceptionGroup as eg:
        log("outer caught", group_errors(eg))
    log("after", asyncio.current_task().cancelling())


@since("3.13")
async def scenario_cancelling_level_preserved():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(failer("a", 0, Boom))
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log("cancelling", asyncio.current_task().cancelling())


@since("3.13")
async def scenario_error_and_outside_cancel():
    event = asyncio.Event()

    async def raise_error():
        event.set()
        await asyncio.sleep(0)
        raise Boom()

    async def inner():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(raise_error())
                await asyncio.sleep(1)
                log("never: sleep in the group is cancelled")
        except ExceptionGroup as eg:
            log("inner caught", group_errors(eg), asyncio.current_task().cancelling())
        log("inner after group", asyncio.current_task().cancelling())
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log("sleep after the group cancelled")
            raise

    t = asyncio.create_task(inner())
    await event.wait()
    log("outer", t.cancelling())
    t.cancel()
    log("outer", t.cancelling())
    try:
        await t
    except asyncio.CancelledError:
        log("inner cancelled")
    log(state(t))


async def scenario_group_waits_for_hydras():
    count = 0

    async def hydra(tg, depth):
        nonlocal count
        count += 1
        await asyncio.sleep(0)
        if depth < 3:
            tg.create_task(hydra(tg, depth + 1))
            tg.create_task(hydra(tg, depth + 1))

    async with asyncio.TaskGroup() as tg:
        tg.create_task(hydra(tg, 0))
    log("hydras", count)


@since("3.13")
async def scenario_failure_after_body_while_exit_waits():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(failer("a", 0.002, Boom))
            s = tg.create_task(sleeper("s", 1))
            log("body ends")
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log(state(s), asyncio.current_task().cancelling())


async def scenario_child_failing_without_await():
    async def instant():
        raise Boom()

    try:
        async with asyncio.TaskGroup() as tg:
            t = tg.create_task(instant())
            s = tg.create_task(sleeper("s", 1))
            log("body created both", state(t))
            await asyncio.sleep(0)
            log("body after one pass", state(t))
            await asyncio.sleep(1)
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log(state(s))


async def scenario_group_in_task_result():
    async def runner():
        async with asyncio.TaskGroup() as tg:
            t = tg.create_task(sleeper("a", 0.001, 7))
        return t.result() * 6

    log("result", await asyncio.create_task(runner()))


async def scenario_failed_group_exception_is_not_chained():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(failer("a", 0, Boom))
    except ExceptionGroup as eg:
        log("caught", chain(eg), len(eg.exceptions))


async def scenario_body_awaits_failing_child():
    try:
        async with asyncio.TaskGroup() as tg:
            t = tg.create_task(failer("a", 0.002, Boom))
            try:
                await t
            except BaseException as e:
                log("body's await raised", e)
                raise
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log("cancelling", asyncio.current_task().cancelling())


async def scenario_body_awaits_successful_child():
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(sleeper("a", 0.001, 5))
        log("body got", await t)
        u = tg.create_task(sleeper("b", 0.001, 6))
    log("after", state(u))


async def scenario_named_parent_and_children():
    async def runner():
        async with asyncio.TaskGroup() as tg:
            c = tg.create_task(sleeper("c", 0), name="child")
            log(asyncio.current_task().get_name(), c.get_name())

    await asyncio.create_task(runner(), name="parent")


@since("3.12")
async def scenario_eager_children_finish_or_fail_at_creation():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)

    async def instant(v):
        log("instant runs", v)
        return v

    async def instant_fail():
        log("instant_fail runs")
        raise Boom()

    try:
        async with asyncio.TaskGroup() as tg:
            t = tg.create_task(instant(1))
            log("after create", state(t))
            s = tg.create_task(sleeper("s", 1))
            f = tg.create_task(instant_fail())
            log("after failing create", state(f), s.done())
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                log("body cancelled at its next await")
                raise
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log(state(s), asyncio.current_task().cancelling())


async def scenario_timeout_around_group_cancels_children():
    try:
        async with asyncio.timeout(0.002):
            async with asyncio.TaskGroup() as tg:
                a = tg.create_task(sleeper("a", 1))
                await asyncio.sleep(1)
    except TimeoutError as e:
        log("timed out", state(a), asyncio.current_task().cancelling())


async def scenario_timeout_inside_child_is_the_childs_error():
    async def impatient():
        async with asyncio.timeout(0.002):
            await asyncio.sleep(1)

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(impatient())
            s = tg.create_task(sleeper("s", 1))
    except ExceptionGroup as eg:
        log("caught", group_errors(eg))
    log(state(s))


async def scenario_wait_for_around_group_body():
    async def body():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(sleeper("a", 1))
            tg.create_task(sleeper("b", 0.001, "b"))

    try:
        await asyncio.wait_for(body(), 0.01)
    except TimeoutError:
        log("wait_for timed out", asyncio.current_task().cancelling())
