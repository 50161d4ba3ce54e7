"""The harness itself: both trace formatters print the same values the same way."""

import asyncio

from _trace import chain, log, msg


class Boom(Exception):
    pass


async def scenario_scalars():
    log(True, False, None, 0, -7, 12345678901234, "text", "")


async def scenario_floats():
    log(1.5, 2.0, 0.1, 1e-7, -0.0, 100.0, 1 / 3, 2.5e6, -3.25)


async def scenario_collections():
    log([], [1, [2, [3, None]]], ("a", True), {"k": 1, "n": [None]}, {})


async def scenario_newlines_are_escaped():
    log("two\nlines")


async def scenario_exception_names_and_chains():
    e = TimeoutError()
    e.__cause__ = asyncio.CancelledError()
    log(Boom(), ValueError(), asyncio.InvalidStateError(), ZeroDivisionError(), chain(e))
    log(msg(Boom("m")), msg(Boom()))
