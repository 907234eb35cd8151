"""The time window over events: which events a window keeps, the corpus's range, a slider's stops.

What an EDTF date means as days (seasons, open ends, fuzzy spans) is ``gazetteer.timespan``'s, the one
module that reads EDTF; its names are re-exported here for the map's callers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from dateutil.relativedelta import relativedelta

from gazetteer.timespan import OPEN_END, OPEN_START, EDTFError, Span, check_edtf, edtf_span, span

__all__ = [
    "OPEN_END",
    "OPEN_START",
    "EDTFError",
    "Span",
    "check_edtf",
    "corpus_range",
    "edtf_of",
    "edtf_span",
    "in_window",
    "month_end",
    "month_start",
    "month_steps",
    "span",
    "undated",
]

T = TypeVar("T")


def edtf_of(item: Any) -> str:
    """The EDTF string of an event (an ``Event``, anything with ``.edtf``, or a mapping)."""
    if isinstance(item, Mapping):
        return str(item.get("edtf") or "")
    return str(getattr(item, "edtf", "") or "")


def _item_span(item: Any, fuzzy: bool) -> Span | None:
    value = edtf_of(item)
    if not value.strip():
        return None
    try:
        return span(value, fuzzy=fuzzy)
    except EDTFError:
        return None


def _as_date(value: date | str | None, *, end: bool) -> date:
    if value is None:
        return OPEN_END if end else OPEN_START
    if isinstance(value, date):
        return value
    bounds = edtf_span(value)
    if bounds is None:
        return OPEN_END if end else OPEN_START
    return bounds[1] if end else bounds[0]


def in_window(
    events: Iterable[T], start: date | str | None, end: date | str | None, *, fuzzy: bool = False
) -> list[T]:
    """Events whose span overlaps ``[start, end]`` (inclusive; EDTF strings allowed: ``"1942"`` as an
    end means through 1942-12-31; ``None`` is unbounded). Undated and undatable events are left out:
    ``undated()`` lists them apart."""
    lo, hi = _as_date(start, end=False), _as_date(end, end=True)
    kept = []
    for item in events:
        s = _item_span(item, fuzzy)
        if s is not None and s.overlaps(lo, hi):
            kept.append(item)
    return kept


def undated(events: Iterable[T]) -> list[T]:
    """Events with no EDTF date (or one that cannot be read): shown in a list beside the map."""
    return [item for item in events if _item_span(item, False) is None]


def corpus_range(events: Iterable[Any]) -> tuple[date, date] | None:
    """First and last day any dated event may cover; open interval ends do not stretch the range."""
    lows, highs = [], []
    for item in events:
        s = _item_span(item, False)
        if s is None:
            continue
        lows.append(s.start if not s.open_start else s.end)
        highs.append(s.end if not s.open_end else s.start)
    lows = [d for d in lows if d not in (OPEN_START, OPEN_END)]
    highs = [d for d in highs if d not in (OPEN_START, OPEN_END)]
    if not lows or not highs:
        return None
    return min(lows), max(highs)


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def month_end(d: date) -> date:
    return month_start(d) + relativedelta(months=1) - timedelta(days=1)


def month_steps(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s month to ``end``'s month: a slider's stops."""
    steps, cur = [], month_start(start)
    last = month_start(end)
    while cur <= last:
        steps.append(cur)
        cur = cur + relativedelta(months=1)
    return steps
