"""EDTF dates as spans of days, and the time window that keeps events whose span overlaps it.

An event dated ``1942-22`` (summer 1942) did not happen on one day: it happened some time between
1942-06-01 and 1942-08-31, so it belongs in any window that overlaps those months. Parsing is the
``edtf`` library's (``parse_edtf``, ``lower_strict``/``upper_strict``); three things are ours:

- **Seasons.** Codes 21-24 are spring, summer, autumn, winter of the northern hemisphere (all our
  places are north of the equator); Level 2 adds 25-28 (north) and 29-32 (south), quarters 33-36,
  quadrimesters 37-39 and semesters 40-41. edtf 5.0.2 maps winter (24, 28) and southern summer (30)
  to December alone; we stretch them to the end of February of the next year, so ``1942-24`` is
  1942-12-01..1943-02-28.
- **Open intervals.** edtf 5.0.2 raises ``TypeError`` on ``lower_strict()`` of ``1942/..``; we take
  the two ends apart and read an open (``..``) or unknown (empty) end as unbounded
  (``date.min``/``date.max``).
- **Fuzzy spans.** A qualified date (``1943-11~`` approximate, ``1944?`` uncertain, ``%`` both) has
  its strict span (November 1943) by default. ``fuzzy=True`` widens it by one unit of its precision
  (a day-precision date by a week), so ``1943-11~`` becomes October-December 1943. We do not use the
  library's ``lower_fuzzy``/``upper_fuzzy``: for a month it pads by a year *and* a month
  (``1943-11~`` -> 1942-10-01..1944-12-30), too wide to place an event on a slider.

``193X`` (some year of the 1930s) is 1930-01-01..1939-12-31; ``1929/1930`` is 1929-01-01..1930-12-31.

The library's pyparsing grammar costs 3-15 ms a date (minutes for 100,000 events), so plain years, months,
days and seasons 21-24 take a short path (``_plain_bounds``) that a test proves gives the library's
bounds and refusals; everything else (``~ ? %``, ``X``, intervals, open ends) goes through the library.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, TypeVar

from dateutil.relativedelta import relativedelta
from edtf import EDTFParseException, parse_edtf, struct_time_to_date
from pyparsing import ParserElement

OPEN_START = date.min
OPEN_END = date.max

_QUALIFIERS = re.compile(r"[~?%]")
_SEASON = re.compile(r"^-?\d{4}-(2[1-9]|3\d|4[01])$")
_WRAPPING_SEASONS = {24, 28, 30}  # December to February of the next year

T = TypeVar("T")


class EDTFError(ValueError):
    """A string is not a valid EDTF date (``1942-13``, ``1942-02-30``, ``1930s``) or its interval runs
    backwards; the message says which."""


@dataclass(frozen=True, slots=True)
class Span:
    """The days an EDTF date may cover. ``start``/``end`` are inclusive; an open end is
    ``date.min``/``date.max``. ``qualified`` is true when the date carries ``~``, ``?`` or ``%``, or
    has unspecified digits (``193X``)."""

    start: date
    end: date
    precision: str  # day | month | season | year | unspecified | interval
    qualified: bool

    @property
    def open_start(self) -> bool:
        return self.start == OPEN_START

    @property
    def open_end(self) -> bool:
        return self.end == OPEN_END

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and start <= self.end


def check_edtf(value: str) -> str | None:
    """``None`` when ``value`` is a usable EDTF date (or empty), else a message saying what is wrong."""
    if not value or not value.strip():
        return None
    try:
        span(value)
    except EDTFError as exc:
        return str(exc)
    return None


def edtf_span(value: str | None, *, fuzzy: bool = False) -> tuple[date, date] | None:
    """(earliest, latest) day of an EDTF date; ``None`` for an empty one. Raises ``EDTFError``."""
    if not value or not value.strip():
        return None
    s = span(value, fuzzy=fuzzy)
    return s.start, s.end


@lru_cache(maxsize=65536)
def span(value: str, *, fuzzy: bool = False) -> Span:
    """The ``Span`` of a non-empty EDTF string (cached: parsing costs milliseconds)."""
    text = value.strip()
    if "/" in text:
        # each end parsed alone: edtf 5.0.2 prints to stdout on some valid open intervals (``../193X``)
        left, _, right = text.partition("/")
        if left in ("", "..") and right in ("", ".."):
            raise EDTFError(f"{text!r}: an interval needs at least one known end")
        start = _side(left, fuzzy=fuzzy)[0] if left not in ("", "..") else OPEN_START
        end = _side(right, fuzzy=fuzzy)[1] if right not in ("", "..") else OPEN_END
        if start > end:
            raise EDTFError(f"{text!r}: the interval ends before it starts")
        return Span(start, end, "interval", bool(_QUALIFIERS.search(text) or "X" in text))
    start, end = _side(text, fuzzy=fuzzy)
    return Span(start, end, _precision(text), bool(_QUALIFIERS.search(text) or "X" in text))


_PLAIN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # fullmatch: ASCII digits, nothing after
_SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 12)}  # as edtf 5.0.2's strict bounds


def _plain_bounds(text: str) -> tuple[date, date] | None:
    """Strict bounds of a plain year, month, day or season 21-24 (``1942``, ``1942-07``,
    ``1942-07-22``, ``1942-22``), exactly as the library gives them (``test_timespan`` compares the
    two on hundreds of strings, impossible dates included). ``None`` for anything else (a qualifier,
    an ``X``, an interval, an impossible date), which the library then parses or refuses."""
    m = _PLAIN.fullmatch(text)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day is not None:
            d = date(year, int(month), int(day))
            return d, d
        if month is not None:
            mo = int(month)
            if 1 <= mo <= 12:
                return date(year, mo, 1), date(year, mo, monthrange(year, mo)[1])
            if mo in _SEASON_MONTHS:
                a, b = _SEASON_MONTHS[mo]
                return date(year, a, 1), date(year, b, monthrange(year, b)[1])
            return None
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


@lru_cache(maxsize=65536)  # route segments join the same ends over and over
def _side(text: str, *, fuzzy: bool) -> tuple[date, date]:
    plain = _plain_bounds(text)
    try:
        if plain is not None:
            start, end = plain
        else:
            start, end = _library_bounds(text)
    except EDTFParseException as exc:
        hint = f" (a decade is written {text[:3]}X)" if re.fullmatch(r"\d{3}0s", text) else ""
        raise EDTFError(f"{text!r} is not a valid EDTF date{hint}") from exc
    except Exception as exc:  # the parser raises assorted errors on odd input
        raise EDTFError(f"{text!r} is not a valid EDTF date ({exc})") from exc
    if _SEASON.match(text) and int(text[-2:]) in _WRAPPING_SEASONS:
        end = date(start.year + 1, 3, 1) - timedelta(days=1)
    if fuzzy and _QUALIFIERS.search(text):
        pad = _padding(_precision(text))
        start, end = start - pad, end + pad
        if _precision(text) in ("month", "season"):
            end = date(end.year, end.month, 1) + relativedelta(months=1) - timedelta(days=1)
    return start, end


@lru_cache(maxsize=16384)  # shared by the strict and the fuzzy span of a date
def _library_bounds(text: str) -> tuple[date, date]:
    """The ``edtf`` library's strict bounds. Its pyparsing grammar keeps a packrat cache of the last
    parse, whose exceptions' tracebacks hold every caller's frame: an export's half-built features
    (a million objects at 100,000 events) stayed alive until the next parse. The cache is emptied."""
    try:
        obj = parse_edtf(text)
        return struct_time_to_date(obj.lower_strict()), struct_time_to_date(obj.upper_strict())
    finally:
        ParserElement.reset_cache()


def _precision(text: str) -> str:
    bare = _QUALIFIERS.sub("", text).lstrip("-")
    if "X" in bare:
        return "unspecified"
    if _SEASON.match(bare):
        return "season"
    return {1: "year", 2: "month", 3: "day"}.get(len(bare.split("-")), "day")


def _padding(precision: str) -> relativedelta:
    return {
        "day": relativedelta(days=7),
        "month": relativedelta(months=1),
        "season": relativedelta(months=1),
    }.get(precision, relativedelta(years=1))


# --- windows over events ---------------------------------------------------------------------------


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
