"""Pausing Python's cyclic garbage collector around allocation-heavy, cycle-free work.

Parsing a long text or exporting 100,000 events makes hundreds of thousands of small tuples, dicts
and lists and no reference cycles. The collections their allocation triggers walk the whole heap
(the gazetteer and the events included) for nothing: about half an export's time, and a third of
a parse's, varying from call to call. Reference counting still frees everything as usual; one
young-generation pass over what the call created runs before returning, so the call pays for it
rather than whatever allocates next.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def without_gc(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():  # nested, or the caller paused it already
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()
            gc.collect(0)

    return run
