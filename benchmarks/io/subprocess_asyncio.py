"""P1, asyncio: the twin of dev.coroutine.bench.io.SubprocessEcho.

`processes` concurrent `cat` subprocesses made by asyncio.create_subprocess_exec, each sent `bytes`
through communicate() and checked to echo them, in one loop. Per round it prints the wall time and
the peak number of OS threads of this process (sampled from /proc/self/status every millisecond by
one extra thread) beside the count before the round. Then the spawn rate: SPAWNS short `cat`s, ten
at a time, each sent 16 bytes through communicate().

    python3 benchmarks/io/subprocess_asyncio.py [processes=100] [bytes=1048576] [rounds=3]
"""
import asyncio
import random
import sys
import threading
import time


def os_threads():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return -1


async def echo_once(data):
    p = await asyncio.create_subprocess_exec(
        "cat", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, _ = await p.communicate(data)
    if p.returncode != 0 or out != data:
        raise RuntimeError(f"cat {p.pid} did not echo its input: {p.returncode}")


SPAWNS = 200


async def spawn_many(total, concurrency):
    small = b"sixteen bytes!!\n"
    for i in range(0, total, concurrency):
        await asyncio.gather(*(echo_once(small) for _ in range(min(concurrency, total - i))))


async def one_round(processes, data):
    await asyncio.gather(*(echo_once(data) for _ in range(processes)))


def main():
    processes = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    data = random.Random(1).randbytes(size)
    asyncio.run(one_round(4, data))  # warm-up, as the Java side
    peak = [0]
    lock = threading.Lock()

    def sample():
        while True:
            n = os_threads()
            with lock:
                peak[0] = max(peak[0], n)
            time.sleep(0.001)

    threading.Thread(target=sample, daemon=True, name="thread-sampler").start()
    for r in range(rounds):
        time.sleep(0.2)
        before = os_threads()
        with lock:
            peak[0] = before
        t0 = time.perf_counter()
        asyncio.run(one_round(processes, data))
        secs = time.perf_counter() - t0
        with lock:
            p = peak[0]
        print(f"RESULT kind=echo round={r} seconds={secs:.3f} peak_threads={p} "
              f"threads_before={before}", flush=True)
    for r in range(rounds):
        t0 = time.perf_counter()
        asyncio.run(spawn_many(SPAWNS, 10))
        secs = time.perf_counter() - t0
        print(f"RESULT kind=spawn round={r} seconds={secs:.3f} per_second={SPAWNS / secs:.1f}",
              flush=True)


if __name__ == "__main__":
    main()
