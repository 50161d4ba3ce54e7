#!/usr/bin/env python3
"""The benchmark workloads (see benchmarks/README.md) in Python's asyncio.

Run by dev.coroutine.bench.harness.Compare; prints `RESULT key=value ...` lines, the last one
with the peak RSS (VmHWM of /proc/self/status), like the Java child.

  w1 N REPS                     yield cycle: ns per `await asyncio.sleep(0)`
  w2 ROUND_TRIPS REPS           ping-pong through two Queue(maxsize=1): ns per hand-off
  w5 N REPS                     await an already finished future: ns per await
  w6 CHAINS DEPTH REPS          nested coroutine calls, the innermost yields: ns per level
  w3 SYSTEM N MILLIS time|heap  N sleepers: wall time, or (sleeping 10 minutes, exiting once
                                measured) the RSS growth per sleeping task
  w4 SYSTEM N WARMUPS REPS      gather N children that yield once and return their index
"""

import asyncio
import gc
import os
import sys
import time


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def result(**kv):
    print("RESULT " + " ".join(f"{k}={v}" for k, v in kv.items()), flush=True)


# ---- W1 --------------------------------------------------------------------------------------

async def yields(n):
    for _ in range(n):
        await asyncio.sleep(0)
    return n


# ---- W2 --------------------------------------------------------------------------------------

async def pinger(ping, pong, n):
    total = 0
    for i in range(n):
        await ping.put(i)
        total += await pong.get()
    return total


async def ponger(ping, pong, n):
    for _ in range(n):
        v = await ping.get()
        await pong.put(v + 1)


async def ping_pong(n):
    ping = asyncio.Queue(maxsize=1)
    pong = asyncio.Queue(maxsize=1)
    b = asyncio.create_task(ponger(ping, pong, n))
    total = await pinger(ping, pong, n)
    await b
    return total


# ---- W3 --------------------------------------------------------------------------------------

class Sleepers:
    def __init__(self, total, all_done):
        self.total = total
        self.woken = 0
        self.all_done = all_done


async def sleeper(s, seconds):
    await asyncio.sleep(seconds)
    s.woken += 1
    if s.woken == s.total:
        s.all_done.set_result(None)


async def sleepers(n, seconds, heap):
    s = Sleepers(n, asyncio.get_running_loop().create_future())
    if heap:
        gc.collect()
        before = status_kb("VmRSS")
    tasks = [asyncio.create_task(sleeper(s, seconds)) for _ in range(n)]  # asyncio keeps weak refs
    await asyncio.sleep(0)  # every task runs to its sleep before this resumes
    if heap:
        gc.collect()
        after = status_kb("VmRSS")
        result(rss_per_task_b=(after - before) * 1024 / n, woken_at_probe=s.woken)
        result(peak_rss_kb=status_kb("VmHWM"))
        os._exit(0)  # the sleepers of a heap run never wake: measured, done
    await s.all_done
    del tasks
    return s.woken


# ---- W4 --------------------------------------------------------------------------------------

async def child(i):
    await asyncio.sleep(0)
    return i


async def fan_out(n):
    return sum(await asyncio.gather(*[child(i) for i in range(n)]))


# ---- W5 --------------------------------------------------------------------------------------

async def fast_path(n):
    loop = asyncio.get_running_loop()
    fs = [loop.create_future() for _ in range(8)]
    for f in fs:
        f.set_result(1)
    total = 0
    for i in range(n):
        total += await fs[i & 7]
    return total


# ---- W6 --------------------------------------------------------------------------------------

async def nest(depth):
    if depth == 0:
        await asyncio.sleep(0)
        return 0
    return await nest(depth - 1) + 1


async def chains(reps, depth):
    total = 0
    for _ in range(reps):
        total += await nest(depth)
    return total


# ---- driver ----------------------------------------------------------------------------------

def timed(main, ops, expected, reps):
    """Runs main() on a fresh loop reps times; prints ns per op of each run."""
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        got = asyncio.run(main())
        t1 = time.perf_counter_ns()
        if got != expected:
            raise SystemExit(f"wrong result {got}, expected {expected}")
        result(ns_per_op=(t1 - t0) / ops)


def main(argv):
    sys.setrecursionlimit(100_000)
    w = argv[0]
    if w == "w1":
        n, reps = int(argv[1]), int(argv[2])
        timed(lambda: yields(n), n, n, reps)
    elif w == "w2":
        n, reps = int(argv[1]), int(argv[2])
        timed(lambda: ping_pong(n), 2 * n, n * (n + 1) // 2, reps)
    elif w == "w5":
        n, reps = int(argv[1]), int(argv[2])
        timed(lambda: fast_path(n), n, n, reps)
    elif w == "w6":
        c, d, reps = int(argv[1]), int(argv[2]), int(argv[3])
        timed(lambda: chains(c, d), c * d, c * d, reps)
    elif w == "w3":
        n, millis, mode = int(argv[2]), int(argv[3]), argv[4]
        if mode == "heap":
            millis = max(millis, 600_000)  # never wake before the measurement, which exits
        t0 = time.perf_counter_ns()
        got = asyncio.run(sleepers(n, millis / 1000, mode == "heap"))
        t1 = time.perf_counter_ns()
        if got != n:
            raise SystemExit(f"W3: {got} of {n} woke")
        if mode != "heap":
            result(wall_ms=(t1 - t0) / 1e6)
    elif w == "w4":
        n, warm, reps = int(argv[2]), int(argv[3]), int(argv[4])
        for r in range(warm + reps):
            t0 = time.perf_counter_ns()
            got = asyncio.run(fan_out(n))
            t1 = time.perf_counter_ns()
            if got != n * (n - 1) // 2:
                raise SystemExit(f"W4: sum {got}")
            if r >= warm:
                result(wall_ms=(t1 - t0) / 1e6)
    else:
        raise SystemExit(f"unknown workload {w}")
    result(peak_rss_kb=status_kb("VmHWM"))


if __name__ == "__main__":
    main(sys.argv[1:])
