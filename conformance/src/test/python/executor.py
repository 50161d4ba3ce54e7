"""executor: blocking work handed to threads (run_in_executor, to_thread) and its cancellation."""

import asyncio
import concurrent.futures
import threading
import time

from _trace import log, state


async def scenario_cancelling_a_queued_job_keeps_it_from_running():
    loop = asyncio.get_running_loop()
    ex = concurrent.futures.ThreadPoolExecutor(1)
    gate = threading.Event()
    ran = []

    def first_job():
        gate.wait()
        return 1

    def queued_job():
        ran.append(2)
        return 2

    first = loop.run_in_executor(ex, first_job)
    queued = loop.run_in_executor(ex, queued_job)  # behind first_job on the one thread
    log("cancel", queued.cancel(), state(queued))
    await asyncio.sleep(0)  # the cancelled future's done-callbacks run
    gate.set()
    log("first", await first)
    ex.shutdown(wait=True)
    log("queued job ran", bool(ran))


async def scenario_cancelling_a_running_job_lets_it_finish_unheard():
    loop = asyncio.get_running_loop()
    ex = concurrent.futures.ThreadPoolExecutor(1)
    started = threading.Event()
    gate = threading.Event()
    finished = []

    def job():
        started.set()
        gate.wait()
        finished.append(1)
        return 1

    f = loop.run_in_executor(ex, job)
    await asyncio.to_thread(started.wait)
    log("cancel", f.cancel(), state(f))
    await asyncio.sleep(0)
    gate.set()
    ex.shutdown(wait=True)
    await asyncio.sleep(0)  # the job's result reaches the loop, for a cancelled future
    log("job finished", bool(finished), state(f))


async def scenario_a_task_cancelled_before_its_to_thread_job_starts():
    loop = asyncio.get_running_loop()
    ex = concurrent.futures.ThreadPoolExecutor(1)
    gate = threading.Event()
    ran = []

    def blocker():
        gate.wait()

    def job():
        ran.append(1)
        return 1

    async def worker():
        try:
            return await loop.run_in_executor(ex, job)
        except asyncio.CancelledError:
            log("worker cancelled")
            raise

    blocked = loop.run_in_executor(ex, blocker)
    t = asyncio.create_task(worker())
    await asyncio.sleep(0)  # the worker submits its job, queued behind blocker
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log("task", state(t))
    gate.set()
    await blocked
    ex.shutdown(wait=True)
    log("job ran", bool(ran))


async def scenario_run_waits_for_the_default_executors_jobs():
    started = threading.Event()

    def job():
        started.set()
        time.sleep(0.05)
        log("job finished")  # after main returned: asyncio.run waits for it

    asyncio.create_task(asyncio.to_thread(job))
    await asyncio.to_thread(started.wait)
    log("main returns")
