"""Echo round trips per second with asyncio streams: the twin of dev.coroutine.bench.io.EchoBench.

A 32-byte line sent and its echo read back, by 1, 100 and 1,000 concurrent connections; server and
clients share one loop (one thread), as Python has no cheaper option. Each point may first run for
`warmup` seconds uncounted, then prints `RESULT mode=asyncio connections=N round_trips_per_s=R`.

    python3 benchmarks/io/echo_asyncio.py [seconds=3] [connections=1,100,1000] [warmup=0] [size=32]

`size` is the bytes per message, newline included (the harness also runs 16 KiB for throughput).
"""
import asyncio
import sys
import time

CHARS = b"0123456789abcdefghijklmnopqrstuvwxyz"
LINE = b""


def make_line(size):
    return bytes(CHARS[i % len(CHARS)] for i in range(size - 1)) + b"\n"


async def echo(reader, writer):
    try:
        while line := await reader.readuntil(b"\n"):
            writer.write(line)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    writer.close()


async def client(port, stop, counts):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    n = 0
    while not stop[0]:
        writer.write(LINE)
        await writer.drain()
        await reader.readuntil(b"\n")
        n += 1
    counts.append(n)
    writer.close()


async def run(connections, seconds):
    server = await asyncio.start_server(echo, "127.0.0.1", 0, backlog=2048)
    port = server.sockets[0].getsockname()[1]
    stop, counts = [False], []
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(client(port, stop, counts)) for _ in range(connections)]
    await asyncio.sleep(seconds)
    stop[0] = True
    await asyncio.gather(*tasks)
    secs = time.perf_counter() - t0
    server.close()
    return sum(counts) / secs


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3
    conns = [int(c) for c in (sys.argv[2] if len(sys.argv) > 2 else "1,100,1000").split(",")]
    warmup = float(sys.argv[3]) if len(sys.argv) > 3 else 0
    global LINE
    LINE = make_line(int(sys.argv[4]) if len(sys.argv) > 4 else 32)
    for n in conns:
        if warmup > 0:
            asyncio.run(run(n, warmup))
        rate = asyncio.run(run(n, seconds))
        print(f"RESULT mode=asyncio connections={n} round_trips_per_s={rate:.0f}", flush=True)


if __name__ == "__main__":
    main()
