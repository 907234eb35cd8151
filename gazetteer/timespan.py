"""EDTF dates as spans of days: the one place where Itinera reads an EDTF string.

Every reader of a date (the geocoder's period hints, the geoparser's ``document_date``, the map's time
window, routes, exports) asks ``span()``: the ``edtf`` library parses (``parse_edtf``) and gives the
strict bounds (``lower_strict``/``upper_strict``). Three things are ours:

- **Seasons.** Codes 21-24 are spring, summer, autumn, winter of the northern hemisphere (all our
  places are north of the equator); Level 2 adds 25-28 (north) and 29-32 (south), quarters 33-36,
  quadrimesters 37-39 and semesters 40-41. edtf 5.0.2 maps winter (24, 28) and southern summer (30)
  to December alone; we stretch them to the end of February of the next year, so ``1942-24`` is
  1942-12-01..1943-02-28.
- **Intervals** are taken apart and each end parsed alone: edtf 5.0.2 raises ``TypeError`` on
  ``lower_strict()`` of ``1942/..`` and prints a debugging line on ``../193X``. An open (``..``) or
  unknown (empty) end is unbounded (``date.min``/``date.max``).
- **Fuzzy spans.** A qualified date (``1943-11~`` approximate, ``1944?`` uncertain, ``%`` both) has
  its strict span (November 1943) by default. ``fuzzy=True`` widens it by one unit of its precision
  (a day-precision date by a week), so ``1943-11~`` becomes October-December 1943. We do not use the
  library's ``lower_fuzzy``/``upper_fuzzy``: for a month it pads by a year *and* a month
  (``1943-11~`` -> 1942-10-01..1944-12-30), too wide to place an event on a slider.

``193X`` (some year of the 1930s) is 1930-01-01..1939-12-31; ``1929/1930`` is 1929-01-01..1930-12-31.

Parsing costs about 1 ms a plain date with the library's Level 0 grammar, which is tried first, and
3 ms with its whole grammar, which decides the rest (the Level 0 parse of a plain date is the same
object as ``parse_edtf``'s: a test compares their bounds on hundreds of dates). One bounded cache keeps
the library's bounds of a single date, as a corpus names the same dates again and again (every stage of
an export reads each event's date; route segments join the same ends in ever new pairs):
``bench/bench_export.py``'s 100,000 synthetic events hold 7,170 distinct dates, parsed once each.
"""

from __future__ import annotations

import re
import threading
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from edtf import EDTFParseException, parse_edtf, struct_time_to_date
from edtf.parser import grammar
from pyparsing import ParseException

OPEN_START = date.min
OPEN_END = date.max

_QUALIFIERS = re.compile(r"[~?%]")
_SEASON = re.compile(r"^-?\d{4}-(2[1-9]|3\d|4[01])$")
# The library's Level 0 grammar (plain dates and intervals, most of any corpus) on its own costs a
# third of its whole grammar, which tries every level's alternatives on every date.
_LEVEL0 = getattr(grammar, "level0Expression", None)
_WRAPPING_SEASONS = {24, 28, 30}  # December to February of the next year
_PADDING = {"day": relativedelta(days=7), "month": relativedelta(months=1), "season": relativedelta(months=1)}


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


def check_edtf(value: str | None) -> str | None:
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


def span(value: str, *, fuzzy: bool = False) -> Span:
    """The ``Span`` of a non-empty EDTF string. Raises ``EDTFError`` naming the string."""
    text = value.strip()
    if "/" not in text:
        return _fuzzy(_one(text), text) if fuzzy else _one(text)
    left, _, right = text.partition("/")
    if left in ("", "..") and right in ("", ".."):
        raise EDTFError(f"{text!r}: an interval needs at least one known end")
    lo = _one(left) if left not in ("", "..") else None
    hi = _one(right) if right not in ("", "..") else None
    if fuzzy:
        lo, hi = lo and _fuzzy(lo, left), hi and _fuzzy(hi, right)
    start = lo.start if lo else OPEN_START
    end = hi.end if hi else OPEN_END
    if start > end:
        raise EDTFError(f"{text!r}: the interval ends before it starts")
    return Span(start, end, "interval", bool((lo and lo.qualified) or (hi and hi.qualified)))


def precision(text: str) -> str:
    """``day``, ``month``, ``season``, ``year`` or ``unspecified`` (``193X``) of one EDTF date."""
    bare = _QUALIFIERS.sub("", text).lstrip("-")
    if "X" in bare:
        return "unspecified"
    if _SEASON.match(bare):
        return "season"
    return {1: "year", 2: "month", 3: "day"}.get(len(bare.split("-")), "day")


def _one(text: str) -> Span:
    got = _single(text)
    if isinstance(got, str):
        raise EDTFError(got)
    return got


def _fuzzy(s: Span, text: str) -> Span:
    """``s`` widened by one unit of its precision when ``text`` carries a qualifier."""
    if not _QUALIFIERS.search(text):
        return s
    pad = _PADDING.get(s.precision, relativedelta(years=1))
    start, end = s.start - pad, s.end + pad
    if s.precision in ("month", "season"):
        end = date(end.year, end.month, 1) + relativedelta(months=1) - timedelta(days=1)
    return Span(start, end, s.precision, s.qualified)


@lru_cache(maxsize=16384)
def _single(text: str) -> Span | str:
    """The strict ``Span`` of one date (not an interval), winters stretched, or the message refusing
    it. The one cache: a corpus's dates recur, and so do the ends that route segments join in ever new
    pairs."""
    try:
        start, end = _library_bounds(text)
    except EDTFParseException:
        hint = f" (a decade is written {text[:3]}X)" if re.fullmatch(r"\d{3}0s", text) else ""
        return f"{text!r} is not a valid EDTF date{hint}"
    except Exception as exc:  # the library raises assorted errors on odd input (ValueError for 1900-02-29)
        return f"{text!r} is not a valid EDTF date ({exc})"
    if _SEASON.match(text) and int(text[-2:]) in _WRAPPING_SEASONS:
        end = date(start.year + 1, 3, 1) - timedelta(days=1)
    return Span(start, end, precision(text), bool(_QUALIFIERS.search(text) or "X" in text))


def _library_bounds(text: str) -> tuple[date, date]:
    """The ``edtf`` library's strict bounds, or the exception it refuses ``text`` with.

    The parse runs on a thread of its own. The library switches on pyparsing's packrat cache, which
    keeps the last parse's failures; a failure re-raised from that cache carries a traceback whose
    frames link back, through ``f_back``, to every caller of the parse, with their locals (an export's
    half-built features stayed alive that way). A thread's frames end at the thread, so the cache can
    only hold that. We never empty pyparsing's cache: it belongs to every user of pyparsing.
    """
    out: list = []

    def parse() -> None:
        try:
            obj = None
            if _LEVEL0 is not None:
                with suppress(ParseException):  # not Level 0: the whole grammar decides
                    obj = _LEVEL0.parse_string(text, parse_all=True)[0]
            if obj is None:
                obj = parse_edtf(text)
            out.append((struct_time_to_date(obj.lower_strict()), struct_time_to_date(obj.upper_strict())))
        except Exception as exc:  # handed to the caller below
            out.append(exc)

    worker = threading.Thread(target=parse, name="edtf-parse", daemon=True)
    try:
        worker.start()
    except RuntimeError:  # no thread to be had (a thread limit, the interpreter exiting): parse here
        parse()
    else:
        worker.join()
    result = out.pop()  # the list outlives this call in the thread's frame: leave nothing in it
    if isinstance(result, Exception):
        raise result
    return result
