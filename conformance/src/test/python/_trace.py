"""The Python half of the conformance suite's trace format (the Java half is Trace.java).

A scenario logs events with log(*values); each call is one trace line, the values formatted
canonically and joined by single spaces, so the Java twin can print the same line:

  str                  as is (newlines escaped as \\n)
  bool                 true / false
  None                 null
  int                  decimal
  float                at most 6 decimals, trailing zeros dropped (1.5, 2, 0.001)
  list, tuple          [a, b]        (elements formatted recursively)
  dict                 {k: v, ...}   (insertion order)
  BaseException        its class name (CancelledError, TimeoutError, ValueError, Boom)

state(fut) describes a future or task without repr():  pending | cancelled | result=<v> |
exception=<Name>. chain(exc) gives an exception and its causes: TimeoutError<-CancelledError.
msg(exc) is its message or None; names(futures) the sorted names of tasks (for wait()'s sets).
"""

import asyncio
import sys

_lines = []


def fmt(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, BaseException):
        return type(v).__name__
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        s = "%.6f" % v
        s = s.rstrip("0").rstrip(".")
        return "0" if s in ("-0", "") else s
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(fmt(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(fmt(k) + ": " + fmt(x) for k, x in v.items()) + "}"
    if isinstance(v, str):
        return v.replace("\n", "\\n")
    if hasattr(v, "done") and hasattr(v, "cancelled"):
        raise TypeError("log a future or task through state(f), not as a value: %r" % (v,))
    return str(v).replace("\n", "\\n")


def log(*values):
    """Appends one trace line: the values formatted and joined by spaces."""
    _lines.append(" ".join(fmt(v) for v in values))


def state(fut):
    """pending | cancelled | result=<v> | exception=<Name>, without retrieving anything twice."""
    if not fut.done():
        return "pending"
    if fut.cancelled():
        return "cancelled"
    e = fut.exception()
    if e is not None:
        return "exception=" + fmt(e)
    return "result=" + fmt(fut.result())


def chain(exc):
    """The exception and its explicit causes (__cause__), outermost first: A<-B<-C."""
    names = []
    while exc is not None and len(names) < 10:
        names.append(fmt(exc))
        exc = exc.__cause__
    return "<-".join(names)


def msg(exc):
    """The message an exception carries, or None when it has none (CancelledError() and
    CancelledError('') both give None, as Java's null message)."""
    return str(exc) or None


def names(futures):
    """The names of tasks (a plain future counts as "future"), sorted: sets have no order."""
    return sorted(f.get_name() if isinstance(f, asyncio.Task) else "future" for f in futures)


def since(version):
    """Marks a scenario that follows the behaviour of Python `version` (e.g. "3.12") or later:
    on an older interpreter it is skipped, and counted as skipped."""
    wanted = tuple(int(p) for p in version.split("."))

    def mark(fn):
        fn.since = version
        fn.since_tuple = wanted
        return fn

    return mark


def take_lines():
    global _lines
    out = _lines
    _lines = []
    return out
