"""Events indexed once for the dashboard, filters over them, and the time window.

The index holds the events' spans as day ordinals in numpy arrays, so moving the time window filters
100,000 events with a few vectorised comparisons instead of re-reading EDTF strings on every rerun.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .models import Event
from .timespan import EDTFError, month_end, month_start, month_steps, span

MONTH_FORMAT = "%Y-%m"


@dataclass
class EventIndex:
    """Events with their spans precomputed; ``start``/``end`` are day ordinals, -1 when undated."""

    events: list[Event]
    start: np.ndarray
    end: np.ndarray
    precision: list[str]
    by_id: dict[str, int]
    contested: np.ndarray
    kinds: np.ndarray
    sources: np.ndarray
    attributions: np.ndarray
    certainties: np.ndarray
    actor_sets: list[frozenset[str]]
    contradicts: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, events: Sequence[Event]) -> EventIndex:
        events = list(events)
        n = len(events)
        start = np.full(n, -1, dtype=np.int64)
        end = np.full(n, -1, dtype=np.int64)
        precision = [""] * n
        for i, e in enumerate(events):
            if not e.edtf.strip():
                continue
            try:
                s = span(e.edtf)
            except EDTFError:
                continue
            start[i] = s.start.toordinal()
            end[i] = s.end.toordinal()
            precision[i] = s.precision
        contradicts: dict[str, list[str]] = {}
        for e in events:
            for other in e.contested_by:
                contradicts.setdefault(other, []).append(e.id)
        return cls(
            events=events,
            start=start,
            end=end,
            precision=precision,
            by_id={e.id: i for i, e in enumerate(events)},
            contested=np.array([bool(e.contested_by) for e in events], dtype=bool),
            kinds=np.array([e.kind for e in events], dtype=object),
            sources=np.array([e.source_id for e in events], dtype=object),
            attributions=np.array([e.attribution for e in events], dtype=object),
            certainties=np.array([e.certainty for e in events], dtype=object),
            actor_sets=[frozenset(e.actors) for e in events],
            contradicts=contradicts,
        )

    def __len__(self) -> int:
        return len(self.events)

    @property
    def dated(self) -> np.ndarray:
        return self.start >= 0

    def date_range(self) -> tuple[date, date] | None:
        """First and last day of the dated events; open interval ends do not stretch it."""
        lows = self.start[(self.start > 1)]
        highs = self.end[(self.end >= 0) & (self.end < date.max.toordinal())]
        if not len(lows) or not len(highs):
            return None
        return date.fromordinal(int(lows.min())), date.fromordinal(int(highs.max()))

    def event(self, event_id: str) -> Event | None:
        i = self.by_id.get(event_id)
        return None if i is None else self.events[i]


def facet_values(index: EventIndex) -> dict[str, list[str]]:
    """The choices each filter offers, most frequent first for actors, in model order for the rest."""
    actors: dict[str, int] = {}
    for s in index.actor_sets:
        for a in s:
            actors[a] = actors.get(a, 0) + 1
    from .models import CERTAINTIES, EVENT_KINDS

    kinds = set(index.kinds.tolist())
    return {
        "actors": sorted(actors, key=lambda a: (-actors[a], a)),
        "sources": sorted(set(index.sources.tolist())),
        "attributions": sorted({a for a in index.attributions.tolist() if a}),
        "kinds": [k for k in EVENT_KINDS if k in kinds],
        "certainties": [c for c in CERTAINTIES if c in set(index.certainties.tolist())],
    }


@dataclass(frozen=True)
class Filters:
    """What the reader chose. ``None`` for a facet means no filter on it (everything passes)."""

    start: date | None = None
    end: date | None = None
    actors: frozenset[str] | None = None
    sources: frozenset[str] | None = None
    attributions: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    certainties: frozenset[str] | None = None
    show_contested: bool = True
    include_undated: bool = False


def _isin(values: np.ndarray, chosen: frozenset[str] | None) -> np.ndarray:
    if chosen is None:
        return np.ones(len(values), dtype=bool)
    return np.fromiter((v in chosen for v in values), dtype=bool, count=len(values))


def filter_mask(index: EventIndex, f: Filters, *, ignore_window: bool = False) -> np.ndarray:
    """A boolean mask over ``index.events``: the events every chosen filter keeps.

    The window keeps events whose span overlaps it (an event of summer 1942 stays in a window of
    July 1942). Undated events have no place in a window: they pass only with ``include_undated``.
    """
    mask = np.ones(len(index), dtype=bool)
    if not ignore_window and (f.start is not None or f.end is not None):
        lo = f.start.toordinal() if f.start else 0
        hi = f.end.toordinal() if f.end else date.max.toordinal()
        in_win = index.dated & (index.start <= hi) & (index.end >= lo)
        mask &= in_win | (~index.dated & f.include_undated)
    elif not f.include_undated:
        mask &= index.dated
    mask &= _isin(index.kinds, f.kinds)
    mask &= _isin(index.sources, f.sources)
    mask &= _isin(index.attributions, f.attributions)
    mask &= _isin(index.certainties, f.certainties)
    if f.actors is not None:
        mask &= np.fromiter(
            (not f.actors.isdisjoint(s) for s in index.actor_sets), dtype=bool, count=len(index)
        )
    if not f.show_contested:
        mask &= ~index.contested
    return mask


def apply_filters(index: EventIndex, f: Filters) -> list[Event]:
    mask = filter_mask(index, f)
    return [index.events[i] for i in np.flatnonzero(mask)]


def undated_events(index: EventIndex) -> list[Event]:
    return [index.events[i] for i in np.flatnonzero(~index.dated)]


def month_options(first: date, last: date) -> list[str]:
    """The slider's stops: one ``YYYY-MM`` label per month from ``first`` to ``last``."""
    return [d.strftime(MONTH_FORMAT) for d in month_steps(first, last)]


def window_from_months(start_label: str, end_label: str) -> tuple[date, date]:
    """``("1942-07", "1942-11")`` -> 1942-07-01 .. 1942-11-30 (the end month counts in full)."""
    a = _parse_month(start_label)
    b = _parse_month(end_label)
    if b < a:
        a, b = b, a
    return month_start(a), month_end(b)


def _parse_month(label: str) -> date:
    year, _, month = label.partition("-")
    return date(int(year), int(month or 1), 1)


def step_window(options: Sequence[str], window: tuple[str, str], step: int = 1) -> tuple[str, str]:
    """The window moved ``step`` months, same width; at the end it starts again from the beginning
    (what the play button does)."""
    i, j = options.index(window[0]), options.index(window[1])
    width = j - i
    ni = i + step
    if ni + width > len(options) - 1 or ni < 0:
        ni = 0 if step > 0 else max(0, len(options) - 1 - width)
    return options[ni], options[min(ni + width, len(options) - 1)]


def default_window(options: Sequence[str]) -> tuple[str, str]:
    """The whole corpus: a reader first sees everything, then narrows."""
    return options[0], options[-1]


def span_label(index: EventIndex, i: int) -> str:
    if index.start[i] < 0:
        return "undated"
    a = index.start[i]
    b = index.end[i]
    left = "…" if a <= 1 else date.fromordinal(int(a)).isoformat()
    right = "…" if b >= date.max.toordinal() else date.fromordinal(int(b)).isoformat()
    return left if a == b else f"{left} – {right}"


def widest_range(span_: tuple[date, date] | None, months: tuple[str, str] | None) -> tuple[date, date] | None:
    """The slider's range: the loaded events' days widened to the months of the reader's texts."""
    if months is None:
        return span_
    a, b = window_from_months(*months)
    if span_ is None:
        return a, b
    return min(span_[0], a), max(span_[1], b)


def fit_window(options: Sequence[str], months: tuple[str, str]) -> tuple[str, str]:
    """The window on the months of new events (clipped to the slider's stops)."""
    a = max(months[0], options[0])
    b = min(months[1], options[-1])
    if a > b or a not in options or b not in options:
        return default_window(options)
    return a, b
