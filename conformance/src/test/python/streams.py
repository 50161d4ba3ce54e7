"""StreamReader fed by hand (read, readexactly, readuntil, readline; limits, EOF, exceptions
with buffered data, at_eof, one waiter at a time) and streams over a real loopback socket."""

import asyncio

from _trace import log


class Reset(Exception):
    pass


def txt(b):
    return None if b is None else b.decode()


def reader(limit=2 ** 16):
    return asyncio.StreamReader(limit=limit)


async def scenario_read_takes_what_is_buffered():
    r = reader()
    r.feed_data(b"hello world")
    log(txt(await r.read(5)), txt(await r.read(100)))
    r.feed_eof()
    log("at eof", txt(await r.read(10)), r.at_eof())


async def scenario_read_waits_for_data():
    r = reader()
    t = asyncio.create_task(r.read(10))
    await asyncio.sleep(0)
    log("waiting", t.done())
    r.feed_data(b"abc")
    r.feed_data(b"def")
    log("read", txt(await t))


async def scenario_read_all_until_eof():
    r = reader()
    t = asyncio.create_task(r.read(-1))
    for piece in [b"ab", b"cd", b"ef"]:
        await asyncio.sleep(0)
        r.feed_data(piece)
    await asyncio.sleep(0)
    log("before eof", t.done())
    r.feed_eof()
    log("all", txt(await t), r.at_eof())


async def scenario_read_zero_returns_at_once():
    r = reader()
    log("empty read(0)", txt(await r.read(0)))
    r.feed_data(b"x")
    log("read(0) with data", txt(await r.read(0)), txt(await r.read(1)))


async def scenario_readexactly_across_feeds():
    r = reader()
    t = asyncio.create_task(r.readexactly(6))
    await asyncio.sleep(0)
    r.feed_data(b"abc")
    await asyncio.sleep(0)
    log("after 3 bytes", t.done())
    r.feed_data(b"defg")
    log("exactly", txt(await t), txt(await r.read(10)))


async def scenario_readexactly_eof_gives_partial():
    r = reader()
    r.feed_data(b"abc")
    r.feed_eof()
    try:
        await r.readexactly(5)
    except asyncio.IncompleteReadError as e:
        log("incomplete", txt(e.partial), e.expected, r.at_eof())


async def scenario_readexactly_zero_and_negative():
    r = reader()
    log("zero", txt(await r.readexactly(0)))
    try:
        await r.readexactly(-1)
    except ValueError as e:
        log("negative", e)


async def scenario_readuntil_separator_across_feeds():
    r = reader()
    t = asyncio.create_task(r.readuntil(b"\r\n"))
    await asyncio.sleep(0)
    r.feed_data(b"ab\r")
    await asyncio.sleep(0)
    log("half separator", t.done())
    r.feed_data(b"\ncd\r\n")
    log("until", txt(await t).replace("\r\n", "<CRLF>"))
    log("next", txt(await r.readuntil(b"\r\n")).replace("\r\n", "<CRLF>"))


async def scenario_readuntil_eof_gives_partial():
    r = reader()
    r.feed_data(b"no separator")
    r.feed_eof()
    try:
        await r.readuntil(b"\n")
    except asyncio.IncompleteReadError as e:
        log("incomplete", txt(e.partial), e.expected, r.at_eof())
    try:
        await r.readuntil(b"\n")
    except asyncio.IncompleteReadError as e:
        log("again", txt(e.partial), e.expected)


async def scenario_readuntil_empty_separator_refused():
    r = reader()
    try:
        await r.readuntil(b"")
    except ValueError as e:
        log("empty separator", e)


async def scenario_readuntil_limit_separator_found_late():
    r = reader(limit=5)
    r.feed_data(b"0123456789\nrest")
    try:
        await r.readuntil(b"\n")
    except asyncio.LimitOverrunError as e:
        log("overrun", e.consumed)
    log("data kept", txt(await r.read(100)))


async def scenario_readuntil_limit_separator_not_found():
    r = reader(limit=4)
    r.feed_data(b"abcdefgh")
    try:
        await r.readuntil(b"\n")
    except asyncio.LimitOverrunError as e:
        log("overrun", e.consumed)
    log("data kept", txt(await r.read(100)))


async def scenario_readuntil_within_limit():
    r = reader(limit=5)
    r.feed_data(b"0123\n")
    log("fits", txt(await r.readuntil(b"\n")).strip())


async def scenario_readline_lines_then_eof():
    r = reader()
    r.feed_data(b"line1\nline2\r\nrest")
    r.feed_eof()
    out = []
    for _ in range(4):
        out.append(txt(await r.readline()))
    log([x.replace("\r", "<CR>").replace("\n", "<LF>") for x in out])


async def scenario_readline_longer_than_limit():
    r = reader(limit=4)
    r.feed_data(b"toolongline\nok\n")
    try:
        await r.readline()
    except (ValueError, asyncio.LimitOverrunError) as e:
        log("long line", e)
    log("next", txt(await r.readline()).strip())


async def scenario_exception_with_buffered_data():
    r = reader()
    r.feed_data(b"abc")
    r.set_exception(Reset())
    log("exception()", r.exception())
    try:
        log("read", txt(await r.read(10)))
    except Reset as e:
        log("raised", e)
    try:
        await r.read(10)
    except Reset as e:
        log("raised again", e)


async def scenario_exception_wakes_waiting_read():
    r = reader()
    t = asyncio.create_task(r.readexactly(4))
    await asyncio.sleep(0)
    r.set_exception(Reset())
    try:
        await t
    except Reset as e:
        log("waiting read raised", e)


async def scenario_feed_eof_wakes_waiting_read():
    r = reader()
    t = asyncio.create_task(r.read(10))
    await asyncio.sleep(0)
    r.feed_eof()
    log("read at eof", txt(await t), r.at_eof())


async def scenario_at_eof_only_when_drained():
    r = reader()
    log("fresh", r.at_eof())
    r.feed_data(b"ab")
    r.feed_eof()
    log("eof fed, data left", r.at_eof())
    await r.read(1)
    log("one byte left", r.at_eof())
    await r.read(1)
    log("drained", r.at_eof())
    log("read after eof", txt(await r.read(5)), txt(await r.read(-1)))


async def scenario_second_waiting_reader_refused():
    r = reader()
    t1 = asyncio.create_task(r.read(5))
    await asyncio.sleep(0)
    try:
        await r.readexactly(2)
    except RuntimeError as e:
        log("second reader", e)
    r.feed_data(b"xy")
    log("first reader", txt(await t1))


async def scenario_cancelled_read_loses_no_data():
    r = reader()
    t = asyncio.create_task(r.readexactly(3))
    await asyncio.sleep(0)
    r.feed_data(b"ab")
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log("read cancelled")
    r.feed_data(b"c")
    log("data kept", txt(await r.readexactly(3)))


# ---- over a real loopback connection ------------------------------------------------------


async def serve(handler):
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def scenario_socket_request_response_lines():
    async def upper(reader, writer):
        while True:
            try:
                line = await reader.readuntil(b"\n")
            except asyncio.IncompleteReadError as e:
                log("server: client ended", len(e.partial))
                break
            writer.write(line.upper())
            await writer.drain()
        writer.close()

    server, port = await serve(upper)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for word in ["one", "two", "three"]:
        writer.write(word.encode() + b"\n")
        log("client got", txt(await reader.readuntil(b"\n")).strip())
    writer.write_eof()
    log("client sees eof", txt(await reader.read()), reader.at_eof())
    writer.close()
    server.close()
    await server.wait_closed()


async def scenario_socket_peer_closes_mid_readexactly():
    async def short(reader, writer):
        writer.write(b"abc")
        await writer.drain()
        writer.close()

    server, port = await serve(short)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        await reader.readexactly(10)
    except asyncio.IncompleteReadError as e:
        log("incomplete", txt(e.partial), e.expected)
    log("at eof", reader.at_eof())
    writer.close()
    server.close()
    await server.wait_closed()


async def scenario_socket_read_until_eof_then_reply():
    async def counter(reader, writer):
        data = await reader.read()
        writer.write(str(len(data)).encode())
        writer.close()

    server, port = await serve(counter)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"x" * 1000)
    writer.write(b"y" * 24)
    writer.write_eof()
    log("server counted", txt(await reader.read()))
    writer.close()
    server.close()
    await server.wait_closed()


async def scenario_socket_connection_limit():
    async def long_line(reader, writer):
        writer.write(b"0123456789ABCDEF\nend\n")
        await writer.drain()
        writer.close()

    server, port = await serve(long_line)
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=8)
    try:
        await reader.readuntil(b"\n")
    except asyncio.LimitOverrunError as e:
        log("overrun", e.consumed)
    log("line kept", txt(await reader.readexactly(17)).strip())
    log("then", txt(await reader.readuntil(b"\n")).strip())
    writer.close()
    server.close()
    await server.wait_closed()


async def scenario_readuntil_separator_at_start_and_empty_feed():
    r = reader()
    r.feed_data(b"")
    r.feed_data(b";a;")
    log(txt(await r.readuntil(b";")), txt(await r.readuntil(b";")))


async def scenario_readexactly_more_than_limit_is_fine():
    r = reader(limit=4)
    r.feed_data(b"0123456789")
    log("exactly", txt(await r.readexactly(10)))


async def scenario_socket_client_close_is_eof_for_the_server():
    seen = asyncio.get_running_loop().create_future()

    async def reader_to_eof(reader, writer):
        data = await reader.read()
        seen.set_result((len(data), reader.at_eof()))
        writer.close()

    server, port = await serve(reader_to_eof)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"bye")
    log("closing", writer.is_closing())
    writer.close()
    log("closing", writer.is_closing())
    await writer.wait_closed()
    log("server read", await seen)
    server.close()
    await server.wait_closed()


async def scenario_socket_connect_after_server_closed_is_refused():
    async def nothing(reader, writer):
        writer.close()

    server, port = await serve(nothing)
    server.close()
    await server.wait_closed()
    try:
        await asyncio.open_connection("127.0.0.1", port)
        log("connected?")
    except OSError as e:
        log("refused", isinstance(e, OSError))


async def scenario_socket_write_after_close_is_dropped_and_drain_raises():
    async def nothing(reader, writer):
        writer.close()

    server, port = await serve(nothing)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()
    writer.write(b"x")
    log("write after close", "dropped")
    try:
        await writer.drain()
        log("drain returned")
    except ConnectionResetError as e:
        log("drain raised", str(e))
    await writer.wait_closed()
    writer.write(b"y")
    try:
        await writer.drain()
        log("drain returned")
    except ConnectionResetError as e:
        log("drain raised again", str(e))
    server.close()
    await server.wait_closed()


async def scenario_socket_serve_forever_ends_cancelled_when_closed():
    async def nothing(reader, writer):
        writer.close()

    server, port = await serve(nothing)
    serving = asyncio.create_task(server.serve_forever())
    await asyncio.sleep(0)
    try:
        await server.serve_forever()
    except RuntimeError:
        log("second serve_forever refused")
    server.close()
    try:
        await serving
        log("serve_forever returned")
    except asyncio.CancelledError:
        log("serve_forever cancelled", serving.cancelled())
    try:
        await server.serve_forever()
    except RuntimeError:
        log("serve_forever on a closed server refused")


async def scenario_socket_failing_handler_output_is_sent():
    async def failing(reader, writer):
        writer.write(b"x" * 300_000)
        raise Reset()

    asyncio.get_running_loop().set_exception_handler(
        lambda loop, context: log("loop error", type(context["exception"]).__name__))
    server, port = await serve(failing)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    data = await reader.read()
    log("client got", len(data), reader.at_eof())
    writer.close()
    server.close()
    await server.wait_closed()
