"""Runs every conformance scenario in this folder in ONE interpreter and prints the traces.

Each module here whose name does not start with "_" is an area; each coroutine function in it
named scenario_<name> is a scenario with id <area>/<name>. Each runs in its own asyncio.run()
(a fresh event loop). Output, read by ConformanceTest.java (lines of other forms are errors):

  @@ python 3.11.7
  @@ scenario <area>/<name>       then its trace lines, each prefixed "> "
  @@ skip <area>/<name> <version> a scenario that follows Python <version>, newer than this one
  @@ end

Arguments: optional id filters (fnmatch patterns such as "callbacks/*"); none runs all.
"""

import asyncio
import faulthandler
import fnmatch
import importlib
import inspect
import os
import sys

import _trace

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO_TIMEOUT_S = 20


def areas():
    for f in sorted(os.listdir(HERE)):
        if f.endswith(".py") and not f.startswith("_"):
            yield f[:-3]


def scenarios(module):
    found = []
    for name, fn in vars(module).items():
        if name.startswith("scenario_") and inspect.iscoroutinefunction(fn):
            found.append((fn.__code__.co_firstlineno, name[len("scenario_"):], fn))
    found.sort(key=lambda t: t[0])
    return [(n, fn) for _, n, fn in found]


def run_one(fn):
    _trace.take_lines()
    faulthandler.dump_traceback_later(SCENARIO_TIMEOUT_S, exit=True)
    try:
        result = asyncio.run(fn())
        if result is not None:
            _trace.log("returned", result)
    except BaseException as e:  # the scenario's main ended with an exception: part of the trace
        _trace.log("raised", e)
    finally:
        faulthandler.cancel_dump_traceback_later()
    return _trace.take_lines()


def main(filters):
    out = sys.stdout
    out.write("@@ python %s\n" % sys.version.split()[0])
    for area in areas():
        module = importlib.import_module(area)
        for name, fn in scenarios(module):
            sid = area + "/" + name
            if filters and not any(fnmatch.fnmatchcase(sid, f) for f in filters):
                continue
            since = getattr(fn, "since_tuple", None)
            if since is not None and sys.version_info[: len(since)] < since:
                out.write("@@ skip %s %s\n" % (sid, fn.since))
                continue
            lines = run_one(fn)
            out.write("@@ scenario %s\n" % sid)
            for line in lines:
                out.write("> " + line + "\n")
            out.flush()
    out.write("@@ end\n")
    out.flush()


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    main([a for a in sys.argv[1:] if a])
