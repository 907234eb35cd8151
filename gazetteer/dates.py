"""Date expressions in running text, as EDTF values with their precision.

What we produce for each form (``tests/test_dates.py`` checks that the ``edtf`` library accepts each value
and gives it the bounds we give it):

============================  =========================  ==============
text                          EDTF                       precision
============================  =========================  ==============
in 1948                       ``1948``                   year
July 1942                     ``1942-07``                month
July 22, 1942 / 22 July 1942  ``1942-07-22``             day
the summer of 1942            ``1942-22``                season
mid-November 1942             ``1942-11-11/1942-11-20``  part-of-month
early / late July 1942        ``-01/-10``, ``-21/-31``   part-of-month
the beginning of 1943         ``1943-01/1943-03``        part-of-year
the end of 1943               ``1943-10/1943-12``        part-of-year
the 1930s                     ``193X``                   decade
the first half of the 1940s   ``1940/1944``              part-of-decade
the early 1930s               ``1930/1933``              part-of-decade
from 1929 to 1930             ``1929/1930``              range
Showa 19 (1944), Showa 19     ``1944``                   year
around 1942 / about July 1942 ``1942~`` / ``1942-07~``   (qualified)
============================  =========================  ==============

Old abbreviations (Jany, Feby, Mch, Apl, Augt, Sepr, Septr, Octr, Octor, Novr, Decr, with or without
a dot) are months in all of these. Diary headings ("March 3rd, 1916.", "4 Thursd. 1897 Novr",
"Tuesday 5th."), month-only ("In July", "in early August") and day-only ("on the 26th") dates take
what they lack from the running date (see "diary headings" below); ``date_from_filename`` reads
``12_1897_Novr_15_Mon.txt`` or ``1916-03-09.txt``; clock times are ``gazetteer.times``'.

Seasons are EDTF codes 21-24 (spring, summer, autumn, winter). Parts of months and years are written
as explicit intervals rather than with ``~``: ``1942-11~`` would say "November, roughly", while the text
says "the middle ten days of November", which an interval states exactly and a timeline can draw.
"Around" adds ``~`` where the library accepts it (not on seasons).

Relative expressions ("last summer", "the following day", "that day", "towards the end of last year",
"in the summer of that year", "later", "in those days", "three days later") are anchored to the nearest
date before them in the same scope, else to ``document_date``. The scope matters for quotations: a
quoted report speaks from its own date, given in the citation right after the closing mark (a police
report dated February 21, Showa 19 (1944) that says "last summer" means summer 1943). So inside a
quotation, deictic expressions ("last", "this", "next" summer/year, "two years ago": counted from the
speaker's now) take the citation's date first, and anaphoric ones ("the following day", "that year",
"later") the nearest date earlier in the same quotation first, each falling back to the other. Dates
inside such citations date the document, not the narrative, so the narrative after them does not
anchor to them. Vague relatives ("later", "in those days") never serve as anchors themselves.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .text import Layout, layout
from .times import TimeMention, find_times  # noqa: F401  (dates and times of day are read together)
from .timespan import EDTFError, span

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
OLD_MONTHS = {
    "jany": 1,
    "feby": 2,
    "mch": 3,
    "apl": 4,
    "augt": 8,
    "sepr": 9,
    "septr": 9,
    "octr": 10,
    "octor": 10,
    "novr": 11,
    "decr": 12,
}
r"""Abbreviations of 18th-20th century hands (a superscript ending written on the line: Nov\ :sup:`r`)."""
MONTHS |= OLD_MONTHS
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2)}
_SEASON_CODE = re.compile(r"\d{4}-2[1-4]")
ERAS = {
    "meiji": 1867,
    "taisho": 1911,
    "taishō": 1911,
    "showa": 1925,
    "shōwa": 1925,
    "heisei": 1988,
    "reiwa": 2018,
}

_OLD_MONTH = r"Jany\.?|Feby\.?|Mch\.?|Apl\.?|Augt\.?|Sept?r\.?|Octo?r\.?|Novr\.?|Decr\.?"
_MONTH = (
    r"(?P<{g}>January|February|March|April|May|June|July|August|September|October|November|December|"
    + _OLD_MONTH
    + r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_YEAR_OR_ERA = (
    r"(?:(?P<{g}era>Meiji|Taish[oō]|Sh[oō]wa|Heisei|Reiwa)\s+(?P<{g}eranum>\d{{1,2}})"
    r"(?:\s*\((?P<{g}erayear>\d{{4}})\))?"
    r"|(?<![\d.,/:+-])(?P<{g}year>1[0-9]{{3}}|20[0-9]{{2}})(?![\d]|,\d|\.\d|\s*(?:km|kilomet|miles?\b|metres|"
    r"meters|people|men\b|persons|soldiers|troops|rifles|yen|roubles|dollars|%|m\b|feet|ft\b|tons|hrs\b|hours\b)))"
)


def _m(g: str) -> str:
    return _MONTH.format(g=g)


def _y(g: str) -> str:
    return _YEAR_OR_ERA.format(g=g)


_APPROX = r"(?P<approx>(?:around|about|approximately|circa|c\.|ca\.|roughly|towards|toward)\s+)?"
_PART_MONTH = r"(?P<pm>early|mid|late|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+end\s+of)"
_PART_YEAR = (
    r"(?P<py>the\s+(?:very\s+)?(?:beginning|start|middle|end|first\s+half|second\s+half|latter\s+half|"
    r"early\s+part|latter\s+part|first\s+months?|last\s+months?)\s+of|early|mid|late)"
)
_DECADE = r"(?P<decade>1[0-9]{2}0|20[0-9]0)'?s\b"
_PART_DECADE = (
    r"(?P<pd>the\s+(?:first|second|latter)\s+half\s+of\s+the|the\s+(?:early|mid|late)|early|mid|late)"
)

# Absolute forms, longest first; each is matched case-insensitively where the words allow it.
_ABSOLUTE: list[tuple[str, re.Pattern[str]]] = [
    (
        "year-range",
        re.compile(
            _APPROX + r"(?:(?P<opener>from|between)\s+)?(?<![\d.,/:+-])(?P<y1>1[0-9]{3}|20[0-9]{2})\s*[-–]\s*"
            r"(?P<y2>1[0-9]{3}|20[0-9]{2}|[0-9]{2})(?![\d-])",
            re.I,
        ),
    ),
    ("day", re.compile(_APPROX + _m("month") + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _y("y"), re.I)),
    (
        "day",
        re.compile(
            _APPROX + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _m("month") + r",?\s+" + _y("y"),
            re.I,
        ),
    ),
    (
        "part-of-month",
        re.compile(_APPROX + _PART_MONTH + r"[-\s]+" + _m("month") + r",?\s+(?:of\s+)?" + _y("y"), re.I),
    ),
    ("month", re.compile(_APPROX + _m("month") + r",?\s+(?:of\s+)?" + _y("y"), re.I)),
    (
        "season",
        re.compile(
            _APPROX + r"(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?" + _y("y"), re.I
        ),
    ),
    ("part-of-decade", re.compile(_APPROX + _PART_DECADE + r"[-\s]+" + _DECADE, re.I)),
    ("decade", re.compile(_APPROX + r"(?:the\s+)?" + _DECADE, re.I)),
    ("part-of-year", re.compile(_APPROX + _PART_YEAR + r"[-\s]+" + _y("y"), re.I)),
    ("year", re.compile(_APPROX + _y("y"), re.I)),
]

_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_REL_ANCHOR = (
    r"(?P<which>last|this|next|that|the\s+same|the\s+following|the\s+next|the\s+previous|the\s+preceding)"
)
_DEICTIC = {"last", "this", "next"}  # counted from the speaker's "now", not from the last date told
_RELATIVE: list[tuple[str, re.Pattern[str]]] = [
    (
        "part-of-rel-year",
        re.compile(
            r"(?P<approx>(?:towards?|toward|at|by|near|around)\s+)?the\s+(?:very\s+)?"
            r"(?P<part>beginning|start|middle|end|first\s+half|second\s+half)\s+of\s+"
            + _REL_ANCHOR
            + r"\s+year\b",
            re.I,
        ),
    ),
    (
        "season-of-rel-year",
        re.compile(
            r"the\s+(?P<season>spring|summer|autumn|fall|winter)\s+of\s+" + _REL_ANCHOR + r"\s+year\b",
            re.I,
        ),
    ),
    ("rel-season", re.compile(_REL_ANCHOR + r"\s+(?P<season>spring|summer|autumn|fall|winter)\b", re.I)),
    ("weekday-on", re.compile(r"(?:(?<=\b[Oo]n )|\b[Nn]ext\s+)" + _WEEKDAY + r"\b")),
    ("weekday-last", re.compile(r"\b(?P<which>[Ll]ast)\s+" + _WEEKDAY + r"\b")),
    ("deictic-day", re.compile(r"\b(?P<word>to-?day|yesterday|to-?morrow|to-?night)\b", re.I)),
    (
        "rel-unit",
        re.compile(_REL_ANCHOR + r"\s+(?:very\s+)?(?P<unit>day|morning|evening|night|month|year)\b", re.I),
    ),
    (
        "day-before-after",
        re.compile(
            r"the\s+(?P<unit>day|month|year)\s+(?P<dir>before|after)\b(?!\s+(?:the|that|his|her|their|our))",
            re.I,
        ),
    ),
    (
        "n-later",
        re.compile(
            r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several)\s+"
            r"(?P<unit>days?|weeks?|months?|years?)\s+(?P<dir>later|after(?:wards)?|earlier|before|ago)\b(?!\s+(?:the|that|his|her|their|our|\d))",
            re.I,
        ),
    ),
    (
        "vague",
        re.compile(
            r"\b(?:in\s+those\s+days|at\s+that\s+time|at\s+the\s+time(?!\s+(?:when|of|that))|in\s+that\s+period|by\s+then)\b",
            re.I,
        ),
    ),
    (
        "later",
        re.compile(
            r"(?<!sooner or )\b(?:later(?:\s+on)?|afterwards)\b"
            r"(?!\s+(?:than|become|became|years?|life|stage|date|period))",
            re.I,
        ),
    ),
]
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NUMBERS |= {"eight": 8, "nine": 9, "ten": 10, "a few": 3, "several": 3}


@dataclass(frozen=True, slots=True)
class DateValue:
    """An EDTF value with the first and last day it may mean."""

    edtf: str
    lower: date
    upper: date
    precision: str


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in a text; offsets are into the text ``find_dates`` was given.

    ``edtf`` is ``None`` for a relative expression with nothing to anchor to. ``anchor`` is the EDTF
    value a relative one was computed from and ``anchor_source`` where it came from (``preceding``,
    ``citation``, ``document``, ``filename``). ``role`` is ``citation`` for a date inside a quotation's
    citation. ``basis`` says where the value comes from: ``heading`` (a diary entry's heading, complete
    or completed from the running date), ``sentence`` (a complete date in the running text),
    ``running`` (completed from the dates before it: "In July", "on the 26th", "the following day"),
    ``citation``, ``document`` or ``filename`` (from the date given for the document or in its file
    name); ``None`` when there is no value.
    """

    start: int
    end: int
    text: str
    edtf: str | None
    precision: str
    kind: str  # absolute | relative
    lower: date | None = None
    upper: date | None = None
    approximate: bool = False
    anchor: str | None = None
    anchor_source: str | None = None
    in_quotation: bool = False
    role: str = "narrative"  # narrative | citation
    basis: str | None = None  # heading | sentence | running | citation | document | filename

    @property
    def value(self) -> DateValue | None:
        if self.edtf is None or self.lower is None or self.upper is None:
            return None
        return DateValue(self.edtf, self.lower, self.upper, self.precision)


# --- EDTF helpers ---------------------------------------------------------------------------------


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def year_value(y: int) -> DateValue:
    return DateValue(f"{y:04d}", date(y, 1, 1), date(y, 12, 31), "year")


def month_value(y: int, m: int) -> DateValue:
    return DateValue(f"{y:04d}-{m:02d}", date(y, m, 1), date(y, m, _last_day(y, m)), "month")


def day_value(d: date) -> DateValue:
    return DateValue(d.isoformat(), d, d, "day")


def season_value(y: int, code: int) -> DateValue:
    a, b = _SEASON_MONTHS[code]
    end_year = y + 1 if code == 24 else y
    return DateValue(f"{y:04d}-{code}", date(y, a, 1), date(end_year, b, _last_day(end_year, b)), "season")


def interval(lo: DateValue, hi: DateValue, precision: str) -> DateValue:
    left = lo.edtf.split("/")[0]
    right = hi.edtf.split("/")[-1]
    if left == right:
        return replace(lo, precision=precision)
    return DateValue(f"{left}/{right}", lo.lower, hi.upper, precision)


def month_range(y: int, m1: int, m2: int, precision: str) -> DateValue:
    return interval(month_value(y, m1), month_value(y, m2), precision)


def _approximate(v: DateValue) -> DateValue:
    """``~`` on each end of the value, but not on a season (the library refuses ``1942-22~``)."""
    parts = v.edtf.split("/")
    if any(_SEASON_CODE.fullmatch(p) for p in parts):
        return v
    return replace(v, edtf="/".join(p if p in ("", "..") else p + "~" for p in parts))


def edtf_value(edtf: str) -> DateValue | None:
    """A ``DateValue`` from an EDTF string the caller gives (``document_date``); ``None`` if invalid."""
    try:
        s = span(edtf)
    except EDTFError:
        return None
    prec = "range" if s.precision == "interval" else s.precision
    return DateValue(edtf.strip(), s.start, s.end, prec)


# --- absolute expressions -------------------------------------------------------------------------


def _year_from(m: re.Match[str], g: str = "y") -> tuple[int | None, bool]:
    """(year, is_era) from a year-or-era group; an era year's parenthesised Western year is checked."""
    if m.group(g + "year"):
        return int(m.group(g + "year")), False
    era = m.group(g + "era")
    if era:
        base = ERAS[era.lower()]
        y = base + int(m.group(g + "eranum"))
        given = m.group(g + "erayear")
        if given and abs(int(given) - y) <= 1:
            y = int(given)  # trust the author's own conversion (era years start mid-year)
        return y, True
    return None, False


def _absolute(kind: str, m: re.Match[str]) -> DateValue | None:
    if kind == "year-range":
        y1, y2 = int(m.group("y1")), m.group("y2")
        y2n = int(y2) if len(y2) == 4 else y1 // 100 * 100 + int(y2)
        return interval(year_value(y1), year_value(y2n), "range") if y2n > y1 else None
    y, _ = _year_from(m) if kind not in ("decade", "part-of-decade", "year-range") else (None, False)
    if kind == "day":
        mo = MONTHS[m.group("month").lower().rstrip(".")]
        d = int(m.group("day"))
        if y is None or not 1 <= d <= _last_day(y, mo):
            return None
        return day_value(date(y, mo, d))
    if kind == "month":
        return month_value(y, MONTHS[m.group("month").lower().rstrip(".")]) if y else None
    if kind == "part-of-month":
        if y is None:
            return None
        return part_of_month(y, MONTHS[m.group("month").lower().rstrip(".")], m.group("pm"))
    if kind == "season":
        return season_value(y, SEASONS[m.group("season").lower()]) if y else None
    if kind == "part-of-year":
        if y is None:
            return None
        return _part_of_year(y, m.group("py"))
    if kind == "decade":
        d = int(m.group("decade"))
        return DateValue(f"{str(d)[:3]}X", date(d, 1, 1), date(d + 9, 12, 31), "decade")
    if kind == "part-of-decade":
        d = int(m.group("decade"))
        part = re.sub(r"\s+", " ", m.group("pd").lower())
        part = re.sub(r"^the |\s+of\s+the$", "", part)
        a, b = {
            "first half": (0, 4),
            "second half": (5, 9),
            "latter half": (5, 9),
            "early": (0, 3),
            "mid": (4, 6),
            "late": (7, 9),
        }[part]
        return interval(year_value(d + a), year_value(d + b), "part-of-decade")
    if kind == "year":
        return year_value(y) if y else None
    return None


def part_of_month(y: int, mo: int, part: str) -> DateValue:
    """Early (1-10), mid (11-20) or late (21-end) ``mo`` of ``y``, as an interval of days."""
    last = _last_day(y, mo)
    a, b = {
        "early": (1, 10),
        "the beginning of": (1, 10),
        "the start of": (1, 10),
        "mid": (11, 20),
        "the middle of": (11, 20),
        "late": (21, last),
        "the end of": (21, last),
    }[re.sub(r"\s+", " ", part.lower())]
    return DateValue(
        f"{y:04d}-{mo:02d}-{a:02d}/{y:04d}-{mo:02d}-{b:02d}", date(y, mo, a), date(y, mo, b), "part-of-month"
    )


def _part_of_year(y: int, part: str) -> DateValue:
    p = re.sub(r"\s+", " ", part.lower()).replace("the ", "").replace(" of", "").replace("very ", "")
    a, b = {
        "beginning": (1, 3),
        "start": (1, 3),
        "early": (1, 3),
        "early part": (1, 4),
        "first months": (1, 3),
        "first month": (1, 1),
        "middle": (5, 8),
        "mid": (5, 8),
        "end": (10, 12),
        "late": (10, 12),
        "latter part": (9, 12),
        "last months": (10, 12),
        "last month": (12, 12),
        "first half": (1, 6),
        "second half": (7, 12),
        "latter half": (7, 12),
    }[p]
    return month_range(y, a, b, "part-of-year")


# --- relative expressions -------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?]\s|\n\s*\n")
# "was", "arrived", "went" (not "need", "proceed", "indeed")
_PAST_WORD = re.compile(r"\b(?:was|were|had|did|[a-z]{2,}[a-df-z]ed)\b|\b([a-z]+)\b")


def _told_as_past(text: str, at: int) -> bool:
    """Whether the sentence before ``at`` has a verb in the past ("we arrived here on Tuesday")."""
    from .geoparse.verbs import IRREGULAR_PAST

    lo = max(0, at - 150)
    ends = list(_SENTENCE_END.finditer(text, lo, at))
    start = ends[-1].end() if ends else lo
    past = set(IRREGULAR_PAST.values())
    return any(w.group(1) is None or w.group(1) in past for w in _PAST_WORD.finditer(text, start, at))


def _relative(kind: str, m: re.Match[str], anchor: DateValue) -> DateValue | None:
    """The value of a relative expression given its anchor; ``None`` when it cannot be computed."""
    which = re.sub(r"\s+", " ", (m.groupdict().get("which") or "").lower())
    ay = anchor.lower.year
    year_offset = {
        "last": -1,
        "the previous": -1,
        "the preceding": -1,
        "the following": 1,
        "the next": 1,
        "next": 1,
    }.get(which, 0)
    if kind == "part-of-rel-year":
        return _part_of_year(ay + year_offset, m.group("part"))
    if kind == "season-of-rel-year":
        return season_value(ay + year_offset, SEASONS[m.group("season").lower()])
    if kind == "rel-season":
        code = SEASONS[m.group("season").lower()]
        if which in ("last", "the previous", "the preceding"):
            # the most recent such season that had ended before the anchor began
            y = ay if season_value(ay, code).upper < anchor.lower else ay - 1
            return season_value(y, code)
        if which in ("the following", "the next", "next"):
            y = ay if season_value(ay, code).lower > anchor.upper else ay + 1
            return season_value(y, code)
        return season_value(ay, code)  # this / that / the same summer
    if kind == "rel-unit":
        unit = m.group("unit").lower()
        if unit == "year":
            return year_value(ay + year_offset)
        if unit == "month":
            if anchor.precision in ("day", "month") or anchor.lower.month == anchor.upper.month:
                y, mo = anchor.lower.year, anchor.lower.month + year_offset
                y, mo = y + (mo - 1) // 12, (mo - 1) % 12 + 1
                return month_value(y, mo)
            return anchor
        # day / morning / night: a day after (or the same as) the anchor
        if anchor.precision == "day" and year_offset:
            return day_value(anchor.lower + timedelta(days=year_offset))
        if anchor.precision == "day" or not year_offset:
            return anchor
        return _fuzzy_shift(anchor, timedelta(days=year_offset))
    if kind == "day-before-after":
        delta = timedelta(days=1 if m.group("dir").lower() == "after" else -1)
        unit = m.group("unit").lower()
        if unit == "year":
            return year_value(ay + (1 if delta.days > 0 else -1))
        return day_value(anchor.lower + delta) if anchor.precision == "day" else _fuzzy_shift(anchor, delta)
    if kind == "n-later":
        n = _NUMBERS.get(re.sub(r"\s+", " ", m.group("n").lower()))
        n = int(m.group("n")) if n is None else n
        sign = -1 if m.group("dir").lower() in ("earlier", "before", "ago") else 1
        unit = m.group("unit").lower().rstrip("s")
        if unit == "year":
            return year_value(ay + sign * n)
        days = {"day": 1, "week": 7, "month": 30}[unit] * n * sign
        if anchor.precision == "day" and unit in ("day", "week"):
            return day_value(anchor.lower + timedelta(days=days))
        return _fuzzy_shift(anchor, timedelta(days=days))
    if kind in ("weekday-on", "weekday-last"):
        # "on Tuesday" in a running narrative is the next Tuesday after the running day, unless its
        # sentence tells it in the past; "last Tuesday" the one before it
        if anchor.precision != "day":
            return None
        target = WEEKDAYS.index(m.group("weekday").lower())
        if kind == "weekday-on":
            if not m.group(0).lower().startswith("next") and _told_as_past(m.string, m.start()):
                # "we arrived here on Tuesday", in a letter: the Tuesday on or before its date
                return day_value(anchor.lower - timedelta(days=(anchor.lower.weekday() - target) % 7))
            return day_value(anchor.lower + timedelta(days=(target - anchor.lower.weekday() - 1) % 7 + 1))
        return day_value(anchor.lower - timedelta(days=(anchor.lower.weekday() - target - 1) % 7 + 1))
    if kind == "deictic-day":
        # a diary's "today" is its entry's day; never an anchor itself ("Yesterday we marched. Today
        # we rest.": both count from the entry)
        shift = {"yesterday": -1, "tomorrow": 1, "to-morrow": 1}.get(m.group("word").lower(), 0)
        if not shift:
            return anchor
        return day_value(anchor.lower + timedelta(days=shift)) if anchor.precision == "day" else None
    if kind == "vague":
        return anchor
    if kind == "later":
        left = anchor.edtf.split("/")[0]
        return DateValue(f"{left}/..", anchor.lower, date.max, "open")
    return None


def _fuzzy_shift(anchor: DateValue, delta: timedelta) -> DateValue:
    """An imprecise anchor moved by ``delta``: the interval of days it may now cover."""
    lo, hi = anchor.lower + delta, anchor.upper + delta
    if lo == hi:
        return day_value(lo)
    return DateValue(f"{lo.isoformat()}/{hi.isoformat()}", lo, hi, "range")


# --- diary headings and dates completed from the running date --------------------------------------
#
# A diary names its day in a heading: "March 3rd, 1916.", "4 Thursd. 1897 Novr", or only "Tuesday 5th."
# under the month and year of the entries before it. Running text does the same with "In July",
# "in early August", "on the 26th", "the 3rd of March". Each of these takes what it lacks from the
# running date (the latest definite date before it, else the document's date), on the rule that a
# narrative goes forward:
#
# - a day alone (with or without a weekday) is in the running month when it is not before the running
#   day, else in the next month; a weekday, when given, picks whichever of the two months it fits;
# - a month without a year is in the running year when it is not before the running month, else in the
#   next year ("In March" after December 1916 is March 1917);
# - a heading is a line (or paragraph) that starts with two to five date words (day, weekday, month,
#   year), or with a place and a comma before them ("Camp near Kut, March 3rd."), and ends there or at
#   a stop (".", ",", ":", a dash). A day number needs a weekday or a month beside it, so a numbered
#   list ("4. We left") is no heading; an ordinal alone is one ("10th. Left camp"). A weekday's full
#   name alone on a line ("Sunday.") is the first such day after the running day;
# - the old "the 3rd inst." is in the running month, "ult." the month before, "prox." the month after.
#
# A bare ordinal ("the 26th") is a day only when a stop, a line end or a function word follows it: "the
# 3rd Division" and "the 3rd floor" are not dates, and neither is "May 3 men" (a month and a plain
# number need the same). Month names without a year must be capitalised ("in march", "we may"), and
# only full names serve after "in"/"during" ("In May" is a date, "May I" and "Mar Elias" are not).

_CAP_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
    + _OLD_MONTH
    + r"|Jan\.|Jan\b|Feb\.|Feb\b|Mar\.|Mar\b|Apr\.|Apr\b|Jun\.|Jun\b|Jul\.|Jul\b|Aug\.|Aug\b|Sept?\.|Sept?\b"
    r"|Oct\.|Oct\b|Nov\.|Nov\b|Dec\.|Dec\b)"
)
_FULL_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
_ORDINAL = r"(?P<day>[0-3]?\d)(?P<suffix>st|nd|rd|th|d)\b"
_HEADING_WORD = (
    r"(?:[A-Z](?:[a-z]{2,8}|[A-Z]{2,8})\b\.?|[0-3]?\d(?:st|nd|rd|th|d|ST|ND|RD|TH|D)?\b|1\d{3}\b|20\d{2}\b)"
)
_HEADING_WORDS = _HEADING_WORD + r"(?:[ \t]*(?:,[ \t]*)?(?:(?:the|of)[ \t]+)?" + _HEADING_WORD + r"){1,4}"
_HEADING_END = r"(?=[ \t]*(?:[.,:;]|[—–-][ \t]|$))"
_HEADING = re.compile(r"(?m)^[ \t]*(?P<h>" + _HEADING_WORDS + ")" + _HEADING_END)
_PLACE_HEADING = re.compile(  # a letter's or an entry's "Basra, 5 June 1916." / "Camp near Kut, March 3rd."
    r"(?m)^[ \t]*[A-Z][^\n.,;:!?]{0,40},[ \t]*(?P<h>" + _HEADING_WORDS + ")" + _HEADING_END
)
_WEEKDAY_HEADING = re.compile(
    r"(?m)^[ \t]*(?P<h>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?=[ \t]*[.:]?[ \t]*$)"
)
_HEADING_TOKEN = re.compile(r"[A-Za-z]+\.?|\d+(?:st|nd|rd|th|d|ST|ND|RD|TH|D)?")
_MONTH_ONLY = re.compile(
    r"\b(?:(?P<pre>[Ee]arly|[Ll]ate)\s+in|[Ii]n|[Dd]uring|[Bb]y|[Ss]ince|[Uu]ntil|[Tt]ill|[Tt]hrough|[Tt]hroughout)"
    r"\s+(?:(?P<pm>early|mid|late|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+end\s+of)"
    r"[-\s]+)?" + _FULL_MONTH + r"(?![-\s]*(?:,\s*)?(?:\d|of\s+\d|Meiji|Taish|Sh[oō]wa|Heisei|Reiwa))"
)
_DAY_MONTH = re.compile(r"\b(?:[Tt]he\s+)?" + _ORDINAL + r"\s+(?:of\s+)?" + _CAP_MONTH)
_DAY_MONTH_PLAIN = re.compile(r"\b(?P<day>[0-3]?\d)\s+" + _CAP_MONTH)
_MONTH_DAY = re.compile(r"\b" + _CAP_MONTH + r"\s+(?P<day>[0-3]?\d)(?P<suffix>st|nd|rd|th|d)?\b(?![.,:]\d)")
_OLD_STYLE = re.compile(
    r"\b(?:[Tt]he\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th|d)?\s+(?P<rel>inst|instant|ult|ultimo|prox|proximo)\b\.?"
)
_ORDINAL_HEADING = re.compile(r"(?m)^[ \t]*(?P<h>[0-3]?\d(?:st|nd|rd|th|d))(?=[ \t]*(?:[.,:;]|[—–-]))")
_DAY_ONLY = re.compile(
    r"\b(?:(?P<on>[Oo]n)\s+)?(?P<phrase>(?P<the>[Tt]he\s+)?" + _ORDINAL + r")(?!\s+(?:of\s+)?[A-Z])"
)
_FUNCTION_WORDS_TEXT = (  # pronouns, articles, prepositions, conjunctions, auxiliaries, motion verbs
    "i we he she they it you one all both some most many at in on to from for by with and or but then when "
    "while as after before until till about of the a an this that there our my his her their its was were "
    "had have has is are did went came left arrived"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
_NEXT_WORD = re.compile(r"\s*([A-Za-z']+)")


def _ends_date(text: str, end: int) -> bool:
    """Whether what follows ``end`` lets a bare number or ordinal be a day: a stop, a line end, or a
    function word ("on the 26th we", "the 3rd, when") rather than a noun ("the 3rd Division")."""
    rest = text[end : end + 1]
    if rest == "" or rest in "\n.,;:!?)—–-\"'”’":
        return True
    m = _NEXT_WORD.match(text, end)
    return m is not None and m.group(1).lower() in _FUNCTION_WORDS


def _weekday(word: str) -> int | None:
    """Monday = 0 for a weekday or its abbreviation ("Thursd", "Wed.", "Thursy"); else ``None``."""
    w = word.rstrip(".").lower()
    if len(w) < 3:
        return None
    for i, name in enumerate(WEEKDAYS):
        if name.startswith(w) or (w.endswith("y") and len(w) > 3 and name.startswith(w[:-1])):
            return i
    return None


@dataclass(frozen=True, slots=True)
class _Parts:
    """What a heading or an incomplete date states; the rest comes from the running date."""

    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    part: str | None = None  # early | mid | late ... of the month
    months_on: int | None = None  # the month stated against the running one: inst. 0, ult. -1, prox. 1


def _heading_parts(words: str) -> _Parts | None:
    """The day, month, year and weekday of a heading's words, or ``None`` when a word is none of them
    or the words do not make a date (a day needs a weekday or a month beside it)."""
    tokens = _HEADING_TOKEN.findall(words)
    day = month = year = weekday = None
    days: list[tuple[int, int]] = []  # (position, value)
    month_at = -1
    for i, tok in enumerate(tokens):
        low = tok.lower()
        if low in ("the", "of"):
            continue
        if tok[0].isdigit():
            digits = re.sub(r"\D+$", "", tok)
            if len(digits) == 4:
                if year is not None:
                    return None
                year = int(digits)
            elif 1 <= int(digits) <= 31:
                days.append((i, int(digits)))
            else:
                return None
        elif low.rstrip(".") in MONTHS and tok[0].isupper():
            if month is not None:
                return None
            month, month_at = MONTHS[low.rstrip(".")], i
        elif _weekday(tok) is not None and tok[0].isupper():
            weekday = _weekday(tok)
        else:
            return None
    if len(days) == 1:
        day = days[0][1]
    elif len(days) == 2 and month is not None:  # an entry number beside the day: the day is by the month
        day = min(days, key=lambda d: abs(d[0] - month_at))[1]
    elif days:
        return None
    if day is not None and weekday is None and month is None:
        return None
    if day is None and not (month is not None and year is not None):
        return None
    return _Parts(day, month, year, weekday)


def _complete(parts: _Parts, anchor: DateValue) -> DateValue | None:
    """The date ``parts`` name, the rest taken from ``anchor`` going forward (see above)."""
    ref = anchor.lower
    if parts.month is not None:
        year = parts.year
        if year is None:
            forward = parts.month >= ref.month or anchor.precision in ("year", "decade")
            year = ref.year if forward else ref.year + 1
        if parts.day is None:
            if parts.part:
                return part_of_month(year, parts.month, parts.part)
            return month_value(year, parts.month)
        if parts.day > _last_day(year, parts.month):
            return None
        return day_value(date(year, parts.month, parts.day))
    if parts.day is None and parts.weekday is not None and anchor.precision == "day":
        ahead = (parts.weekday - ref.weekday() - 1) % 7 + 1  # 1 to 7 days on
        return day_value(ref + timedelta(days=ahead))
    if parts.day is None or anchor.precision not in ("day", "month", "part-of-month"):
        return None
    if parts.months_on is not None:
        y, mo = divmod(ref.year * 12 + ref.month - 1 + parts.months_on, 12)
        return day_value(date(y, mo + 1, parts.day)) if parts.day <= _last_day(y, mo + 1) else None
    this_month = (ref.year, ref.month)
    next_month = (ref.year + ref.month // 12, ref.month % 12 + 1)
    candidates = [date(y, m, parts.day) for y, m in (this_month, next_month) if parts.day <= _last_day(y, m)]
    if parts.weekday is not None:
        fits = [d for d in candidates if d.weekday() == parts.weekday and d >= ref]
        if fits:
            return day_value(fits[0])
    forward = [d for d in candidates if d >= ref or anchor.precision != "day"]
    return day_value(forward[0]) if forward else None


def _anchored_forms(text: str) -> list[tuple[int, int, str, _Parts]]:
    """(start, end, kind, parts) of every heading and incomplete date in ``text`` (overlaps included:
    the finder keeps the first that claims a stretch)."""
    out: list[tuple[int, int, str, _Parts]] = []
    for m in _HEADING.finditer(text):
        parts = _heading_parts(m.group("h"))
        if parts is not None:
            out.append((m.start("h"), m.end("h"), "heading", parts))
    for m in _PLACE_HEADING.finditer(text):
        parts = _heading_parts(m.group("h"))
        if parts is not None:
            out.append((m.start("h"), m.end("h"), "heading", parts))
    for m in _WEEKDAY_HEADING.finditer(text):
        weekday = WEEKDAYS.index(m.group("h").lower())
        out.append((m.start("h"), m.end("h"), "heading", _Parts(weekday=weekday)))
    for m in _MONTH_ONLY.finditer(text):
        pm = m.group("pm") or (m.group("pre") and m.group("pre").lower())  # "early in July": early July
        start = m.start("pm") if m.group("pm") else m.start("pre") if m.group("pre") else m.start("month")
        out.append((start, m.end(), "month-only", _Parts(month=MONTHS[m.group("month").lower()], part=pm)))
    for pattern, needs_stop in ((_DAY_MONTH, False), (_DAY_MONTH_PLAIN, True), (_MONTH_DAY, None)):
        for m in pattern.finditer(text):
            plain = needs_stop or (needs_stop is None and not m.group("suffix"))
            if plain and not _ends_date(text, m.end()):
                continue
            day, month = int(m.group("day")), MONTHS[m.group("month").lower().rstrip(".")]
            if 1 <= day <= 31:
                out.append((m.start(), m.end(), "day-month", _Parts(day=day, month=month)))
    for m in _ORDINAL_HEADING.finditer(text):  # "10th. Left camp": an ordinal, unlike "4. We left"
        day = int(m.group("h").rstrip("stndrh"))
        if 1 <= day <= 31:
            out.append((m.start("h"), m.end("h"), "heading", _Parts(day=day)))
    for m in _OLD_STYLE.finditer(text):
        months_on = {"in": 0, "ul": -1, "pr": 1}[m.group("rel")[:2]]
        out.append((m.start(), m.end(), "inst-ult", _Parts(day=int(m.group("day")), months_on=months_on)))
    for m in _DAY_ONLY.finditer(text):
        day = int(m.group("day"))
        if (m.group("on") or m.group("the")) and 1 <= day <= 31 and _ends_date(text, m.end()):
            out.append((m.start("phrase"), m.end(), "day-only", _Parts(day=day)))
    return out


_NAME_TOKEN = re.compile(r"[A-Za-z]+|\d+")


def date_from_filename(name: str) -> DateValue | None:
    """The date a file's name gives (``12_1897_Novr_15_Mon.txt``, ``1916-03-09.txt``,
    ``diary_1916_03_09.txt``, ``19160309.txt``, ``1916_March.txt``), or ``None``.

    The year is the four-digit number from 1000 to 2099; the month a month's name or abbreviation, or
    else the number right after the year (year-month-day order); the day the number of 1 to 31 next to
    the month, after it first (an entry's number often stands before the year). A weekday is ignored.
    """
    stem = re.split(r"[\\/]", name)[-1]
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem)
    compact = re.search(r"(?<!\d)(1\d{3}|20\d{2})(0[1-9]|1[0-2])([0-3]\d)(?!\d)", stem)
    if compact:
        y, mo, d = (int(g) for g in compact.groups())
        return day_value(date(y, mo, d)) if 1 <= d <= _last_day(y, mo) else None
    tokens = _NAME_TOKEN.findall(stem)
    years = [i for i, t in enumerate(tokens) if t.isdigit() and len(t) == 4 and 1000 <= int(t) <= 2099]
    if len(years) != 1:
        return None
    y_at = years[0]
    year = int(tokens[y_at])
    month_at = next((i for i, t in enumerate(tokens) if t.lower() in MONTHS and len(t) > 2), None)
    if month_at is not None:
        month = MONTHS[tokens[month_at].lower()]
    elif y_at + 1 < len(tokens) and tokens[y_at + 1].isdigit() and 1 <= int(tokens[y_at + 1]) <= 12:
        month_at, month = y_at + 1, int(tokens[y_at + 1])
    else:
        return year_value(year)
    for i in (month_at + 1, month_at - 1):
        if 0 <= i < len(tokens) and i != y_at and tokens[i].isdigit() and len(tokens[i]) <= 2:
            day = int(tokens[i])
            if 1 <= day <= _last_day(year, month):
                return day_value(date(year, month, day))
    return month_value(year, month)


# --- the finder -----------------------------------------------------------------------------------

_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|until|till|through|and)\s*$", re.I)
_RANGE_OPEN = re.compile(r"(?:from|between)\s+$", re.I)
_DEFINITE_RELATIVE = {
    "weekday-on",
    "part-of-rel-year",
    "season-of-rel-year",
    "rel-season",
    "rel-unit",
    "day-before-after",
    "n-later",
}


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    kind: str
    match: re.Match[str] | None
    value: DateValue | None
    relative: bool
    approx: bool
    parts: _Parts | None = None  # what a heading or an incomplete date states (completed when anchored)


def find_dates(
    text: str,
    *,
    document_date: str | None = None,
    file_name: str | None = None,
    structure: Layout | None = None,
) -> list[DateMention]:
    """Every date expression of ``text`` with its EDTF value, relative ones anchored (see module doc).

    Diary headings set the running date; month-only, day-only and weekday headings are completed from
    it (see "diary headings" above). ``document_date`` (EDTF) anchors what nothing before it anchors;
    without it, a date in ``file_name`` (``date_from_filename``) does. ``structure`` (paragraphs and
    quotations from ``text.layout``) is computed when not given.
    """
    structure = structure or layout(text)
    found: list[_Found] = []
    taken = bytearray(len(text) + 1)

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    anchored = _anchored_forms(text)
    for a, b, kind, parts in anchored:
        if kind != "heading" or not free(a, b):
            continue
        if parts.year is not None and parts.month is not None:
            value = _complete(parts, year_value(parts.year))
            if value is None:
                continue
            found.append(_Found(a, b, kind, None, value, False, False, parts))
        else:
            found.append(_Found(a, b, kind, None, None, True, False, parts))
        taken[a:b] = b"\x01" * (b - a)

    # ASCII-lowered bytes of the same length (non-ASCII -> "?"): fast keyword tests and anchors
    low = text.encode("ascii", "replace").lower()
    windows = _windows(text)
    for kind, pattern in _ABSOLUTE:
        needs = _NEEDS.get(kind)
        spans = windows if needs is None else [(lo, hi) for lo, hi in windows if needs.search(low, lo, hi)]
        for m in (m for lo, hi in spans for m in pattern.finditer(text, lo, hi)):
            a, b = m.span()
            if not free(a, b) or not _word_edges(text, a, b):
                continue
            value = _absolute(kind, m)
            if value is None:
                continue
            approx = bool(m.groupdict().get("approx"))
            found.append(_Found(a, b, kind, m, value, False, approx))
            taken[a:b] = b"\x01" * (b - a)
    for a, b, kind, parts in anchored:
        if kind != "heading" and free(a, b):
            found.append(_Found(a, b, kind, None, None, True, False, parts))
            taken[a:b] = b"\x01" * (b - a)
    rel_windows = _windows(low, _REL_ANCHORS, 60, 16)
    for kind, pattern in _RELATIVE:
        for m in (m for lo, hi in rel_windows for m in pattern.finditer(text, lo, hi)):
            a, b = m.span()
            if not free(a, b) or not _word_edges(text, a, b):
                continue
            found.append(_Found(a, b, kind, m, None, True, bool(m.groupdict().get("approx"))))
            taken[a:b] = b"\x01" * (b - a)
    found.sort(key=lambda f: f.start)
    found = _join_ranges(text, found)

    doc, doc_source = (edtf_value(document_date), "document") if document_date else (None, "document")
    if doc is None and file_name:
        doc, doc_source = date_from_filename(file_name), "filename"
    mentions: list[DateMention] = []
    narrative_anchor: DateValue | None = None
    quote_anchor: dict[int, DateValue] = {}
    for f in found:
        quote = structure.quotation_at(f.start)
        citing = structure.citation_at(f.start)
        anchor_source = None
        anchor = None
        if f.relative:
            deictic = _is_deictic(f)
            options: list[tuple[DateValue | None, str]] = []
            if quote is not None:
                cited = _citation_date(quote, found) if quote.citation_start is not None else None
                inner = quote_anchor.get(quote.start)
                if deictic:
                    options += [(cited, "citation"), (inner, "preceding")]
                else:
                    options += [(inner, "preceding"), (cited, "citation")]
            if citing is None:
                options.append((narrative_anchor, "preceding"))
            options.append((doc, doc_source))
            anchor, anchor_source = next(((a, s) for a, s in options if a is not None), (None, None))
            if anchor is None:
                value = None
            elif f.parts is not None:
                value = _complete(f.parts, anchor)
            else:
                value = _relative(f.kind, f.match, anchor)
        else:
            value = f.value
        if value is not None and f.approx and f.kind not in ("part-of-rel-year",):
            value = _approximate(value)
        mentions.append(
            DateMention(
                start=f.start,
                end=f.end,
                text=text[f.start : f.end],
                edtf=value.edtf if value else None,
                precision=value.precision if value else _REL_PRECISION.get(f.kind, "relative"),
                kind="relative" if f.relative else "absolute",
                lower=value.lower if value else None,
                upper=value.upper if value else None,
                approximate=f.approx,
                anchor=anchor.edtf if (f.relative and anchor) else None,
                anchor_source=anchor_source if f.relative else None,
                in_quotation=quote is not None,
                role="citation" if citing is not None else "narrative",
                basis=_basis(f, anchor_source, value),
            )
        )
        definite = value is not None and (
            not f.relative or f.kind in _DEFINITE_RELATIVE or (f.parts is not None and f.kind != "inst-ult")
        )
        if definite:
            if quote is not None:
                quote_anchor[quote.start] = value
            elif citing is None:
                narrative_anchor = value
    return mentions


_REL_PRECISION = {"later": "open", "vague": "relative"}
_BASIS = {"preceding": "running", "citation": "citation", "document": "document", "filename": "filename"}


def _basis(f: _Found, anchor_source: str | None, value: DateValue | None) -> str | None:
    """Where a date's value comes from (``DateMention.basis``)."""
    if value is None:
        return None
    if f.kind == "heading":
        return "heading"
    if not f.relative:
        return "sentence"
    return _BASIS.get(anchor_source or "", "running")


# Four digits (a year, or a decade's first four: "1930s") or an era name. Two regexes, each of which
# ``re`` scans for quickly; one alternation of both tried every alternative at every character.
_ANCHORS = (
    re.compile(r"\d{4}"),
    re.compile(r"Meiji|Taish|Sh[oō]wa|Heisei|Reiwa|MEIJI|TAISH|SH[OŌ]WA"),
)
# every relative form ends with (or, for "later", is) one of these words; matched in lowered bytes
_REL_ANCHORS = re.compile(
    rb"(?:days?|morning|evening|night|months?|years?|weeks?|spring|summer|autumn|fall|winter|later|"
    rb"afterwards|ago|earlier|before|after|time|period|then|tomorrow)\b"
)
# a word an absolute form of this kind must contain, to skip windows that cannot hold one
_MONTH_WORD = re.compile(rb"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mch|apl")
_NEEDS: dict[str, re.Pattern[bytes]] = {
    "year-range": re.compile(rb"\d\s*(?:-|\?)\s*\d"),
    "day": _MONTH_WORD,
    "part-of-month": _MONTH_WORD,
    "month": _MONTH_WORD,
    "season": re.compile(rb"spring|summer|autumn|fall|winter"),
    "part-of-decade": re.compile(rb"0'?s"),
    "decade": re.compile(rb"0'?s"),
    "part-of-year": re.compile(rb"beginning|start|middle|end|half|part|month|early|mid|late"),
}


def _windows(
    text, anchors: re.Pattern | tuple[re.Pattern, ...] = _ANCHORS, before: int = 70, after: int = 40
) -> list[tuple[int, int]]:
    """Stretches of text around the words a date form must hold (a year, a decade, an era name; for
    relative forms a word such as "summer" or "later"), so the slow many-alternative patterns only run
    there. Windows start at a space far enough back for the longest prefix ("approximately the first
    half of the")."""
    out: list[tuple[int, int]] = []
    if isinstance(anchors, tuple):
        import heapq

        found = heapq.merge(*(p.finditer(text) for p in anchors), key=re.Match.start)
    else:
        found = anchors.finditer(text)
    for m in found:
        lo = max(0, m.start() - before)
        if lo:
            space = text.rfind(b" " if isinstance(text, bytes) else " ", 0, lo)
            lo = space + 1 if space >= 0 else 0
        hi = min(len(text), m.end() + after)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _word_edges(text: str, a: int, b: int) -> bool:
    before = text[a - 1 : a]
    after = text[b : b + 1]
    return not (before.isalnum() or after.isalnum())


def _is_deictic(f: _Found) -> bool:
    if f.kind in ("deictic-day", "inst-ult"):  # counted from the writer's day, not the last date told
        return True
    if f.match is None:
        return False
    which = re.sub(r"\s+", " ", (f.match.groupdict().get("which") or "").lower())
    return which in _DEICTIC or (f.kind == "n-later" and f.match.group("dir").lower() == "ago")


def _citation_date(quote, found: list[_Found]) -> DateValue | None:
    """The most precise absolute date inside a quotation's citation (the report's date)."""
    best: DateValue | None = None
    order = ["year", "season", "month", "part-of-month", "day"]
    for f in found:
        if f.relative or f.value is None:
            continue
        if quote.citation_start <= f.start < quote.citation_end:
            rank = order.index(f.value.precision) if f.value.precision in order else -1
            if best is None or rank >= (order.index(best.precision) if best.precision in order else -1):
                best = f.value
    return best


def _join_ranges(text: str, found: list[_Found]) -> list[_Found]:
    """``from 1929 to 1930``, ``1929-1930``, ``between July and ... 1943``: two absolute dates joined."""
    out: list[_Found] = []
    i = 0
    while i < len(found):
        f = found[i]
        if i + 1 < len(found) and not f.relative and not found[i + 1].relative:
            g = found[i + 1]
            gap = text[f.end : g.start]
            join = _RANGE_JOIN.match(gap) if len(gap) <= 12 else None
            opener = _RANGE_OPEN.search(text[max(0, f.start - 10) : f.start])
            word = join.group().strip().lower() if join else ""
            ok = join is not None and (word != "and" or opener is not None) and f.value and g.value
            if ok and f.value.lower <= g.value.lower:
                start = f.start - len(opener.group()) if opener else f.start
                v = interval(f.value, g.value, "range")
                out.append(_Found(start, g.end, "range", f.match, v, False, f.approx))
                i += 2
                continue
        out.append(f)
        i += 1
    return out
