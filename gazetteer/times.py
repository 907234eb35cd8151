"""Clock times in running text ("At 7 AM", "7.30 p.m.", "at noon", "0630 hrs"), as "HH:MM".

A diary or a ship's log tells several moves on one day; the time of day orders them. Forms:

==============================  =======  ============================================================
text                            time     rule
==============================  =======  ============================================================
7 AM, 7 a.m., 7.30 p.m., 7pm    07:00    an hour (1-12) with a.m./p.m.; minutes after ``.`` ``:``
at 10.25, at 10:25, at 10,,25   10:25    a 24-hour time needs "at" (or about, by, till, until, from,
                                         before, after) before it; OCR often reads the dot as commas
at 7 in the evening             19:00    the part of the day makes it a.m. or p.m.
7 o'clock                       07:00
0630 hrs, 1415 hours, 2100h     06:30    four digits with hrs/hours/h
noon, midday; midnight          12:00    midnight is ``24:00`` (the end of the day, as ISO 8601
                                         allows), so that it orders after the evening
==============================  =======  ============================================================

A number with a unit after it ("at 10.25 miles", "at 7.30 knots") is no time, and "at 10 miles" has
no separator or a.m./p.m., so it is none either. Four digits with "hrs" are a time, never a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time of day found in a text; offsets are into the text ``find_times`` was given."""

    start: int
    end: int
    text: str
    time: str  # "HH:MM", 00:00-24:00


_MERIDIEM = r"(?P<ap>[ap])(?:\.\s?m\b\.?|\s?m\b)"  # the last dot only after a first: "a.m.", not "am."
_PART_OF_DAY = r"(?:\s+in\s+the\s+(?P<part>morning|forenoon|afternoon|evening|night))?"
_UNIT = re.compile(
    r"\s*(?:miles?|mi\b|km|kilomet|metres?|meters?|yards?|yds|feet|ft\b|fathoms?|knots?|kts?\b|inches|in\.|"
    r"per\b|%|°|degrees?|lbs?\b|tons?|cwt|rupees|pounds|dollars|men\b|hours?\b|minutes?\b|days?\b)",
    re.I,
)
# Each pattern says first which characters it can open on ("(?=\d)"), so the scan skips to them.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "meridiem",
        re.compile(
            r"(?=\d)(?<![\d.,:])(?P<h>1[0-2]|0?[1-9])(?:(?:[.:]|,{1,2})(?P<m>[0-5]\d))?\s?" + _MERIDIEM, re.I
        ),
    ),
    (
        "military",
        re.compile(r"(?=\d)(?<![\d.,:])(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)\s?(?:hrs|hours|h)\b", re.I),
    ),
    (
        "clock",
        re.compile(
            r"(?=[abftu])\b(?:at|about|by|till|until|from|before|after|towards?)\s+(?:about\s+)?"
            r"(?P<h>[01]?\d|2[0-4])(?:[.:]|,{1,2})(?P<m>[0-5]\d)(?![\d.,:]\d)" + _PART_OF_DAY,
            re.I,
        ),
    ),
    (
        "oclock",
        re.compile(r"(?=\d)(?<![\d.,:])(?P<h>1[0-2]|0?[1-9])\s*o'?\s?clock\b" + _PART_OF_DAY, re.I),
    ),
    (
        "hour",
        re.compile(
            r"(?=[abtu])\b(?:at|about|by|till|until|towards?)\s+(?:about\s+)?(?P<h>1[0-2]|0?[1-9])"
            r"\s+in\s+the\s+(?P<part>morning|forenoon|afternoon|evening|night)\b",
            re.I,
        ),
    ),
    ("named", re.compile(r"(?=[nm])\b(?P<named>noon|mid-?day|midnight)\b", re.I)),
]


def find_times(text: str) -> list[TimeMention]:
    """Every clock time of ``text`` in text order (see the module doc for the forms)."""
    out: list[TimeMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            if kind in ("clock", "meridiem") and _UNIT.match(text, b):
                continue
            value = _time(kind, m)
            if value is None:
                continue
            if kind in ("clock", "hour"):
                a = m.start("h")  # the preposition is not part of the time
            taken.append((a, b))
            out.append(TimeMention(a, b, text[a:b], value))
    out.sort(key=lambda t: t.start)
    return out


def _time(kind: str, m: re.Match[str]) -> str | None:
    """The "HH:MM" of a match, or ``None`` when it is no possible time (25:00, 24:30)."""
    groups = m.groupdict()
    if kind == "named":
        return "24:00" if groups["named"].lower() == "midnight" else "12:00"
    hour, minute = int(m.group("h")), int(groups.get("m") or 0)
    if kind == "meridiem":
        pm = m.group("ap").lower() == "p"
        hour = hour % 12 + (12 if pm else 0)
    elif groups.get("part"):
        part = groups["part"].lower()
        if part == "night":  # "at 2 in the night" is early morning, "at 10 in the night" evening
            hour = 24 if hour == 12 else hour + 12 if hour >= 6 else hour
        elif part in ("afternoon", "evening") and hour < 12:
            hour += 12
    if hour > 24 or (hour == 24 and minute):
        return None
    return f"{hour:02d}:{minute:02d}"
