"""The dashboard's logic, apart from its widgets: filters, the time window, tables, the timeline, uploads.

``mapapp/app.py`` only arranges widgets and calls these functions, so everything here is plain Python
that tests call directly. Events are indexed once (``EventIndex``: their spans as day ordinals in numpy
arrays) so that moving the time window filters 100,000 events with a few vectorised comparisons instead
of re-reading EDTF strings on every rerun.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from .models import Event, Source
from .timespan import EDTFError, month_end, month_start, month_steps, span

MONTH_FORMAT = "%Y-%m"


# --- the index of events ---------------------------------------------------------------------------


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


# --- filters ---------------------------------------------------------------------------------------


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


# --- the time window -------------------------------------------------------------------------------


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


# --- labels ------------------------------------------------------------------------------------------


def place_label(place_id: str, places: Mapping[str, Any]) -> str:
    if not place_id:
        return ""
    p = places.get(place_id)
    return p.name if p is not None else place_id


def source_label(source_id: str, sources: Mapping[str, Source]) -> str:
    s = sources.get(source_id)
    if s is None:
        return source_id
    return f"{s.title} ({s.kind})" if s.kind else s.title


def source_short(source_id: str, sources: Mapping[str, Source]) -> str:
    """A column heading for a source: its id, with its kind when the id does not say it."""
    s = sources.get(source_id)
    if s is None or s.kind.lower() in source_id.lower():
        return source_id
    return f"{source_id} ({s.kind})"


def span_label(index: EventIndex, i: int) -> str:
    if index.start[i] < 0:
        return "undated"
    a = index.start[i]
    b = index.end[i]
    left = "…" if a <= 1 else date.fromordinal(int(a)).isoformat()
    right = "…" if b >= date.max.toordinal() else date.fromordinal(int(b)).isoformat()
    return left if a == b else f"{left} – {right}"


# --- the events table --------------------------------------------------------------------------------

TABLE_COLUMNS = [
    "date",
    "when",
    "actors",
    "kind",
    "place",
    "summary",
    "source",
    "attribution",
    "certainty",
    "contested",
    "event_id",
]


def events_frame(
    index: EventIndex,
    places: Mapping[str, Any],
    sources: Mapping[str, Source],
) -> pd.DataFrame:
    """One display row per event, in index order (built once; a window then picks rows by mask)."""
    rows = []
    for i, e in enumerate(index.events):
        rows.append(
            {
                "date": e.edtf or "undated",
                "when": e.date_phrase,
                "actors": ", ".join(e.actors),
                "kind": e.kind,
                "place": place_label(e.place_id, places) + (" (implied)" if e.place_implied else ""),
                "summary": e.summary,
                "source": source_label(e.source_id, sources),
                "attribution": e.attribution,
                "certainty": e.certainty,
                "contested": bool(e.contested_by),
                "event_id": e.id,
                "_start": int(index.start[i]),
            }
        )
    frame = pd.DataFrame(rows, columns=[*TABLE_COLUMNS, "_start"])
    return frame


def table_view(frame: pd.DataFrame, mask: np.ndarray, limit: int = 2000) -> tuple[pd.DataFrame, int]:
    """The rows the filters keep, in time order, at most ``limit`` (the download has them all)."""
    view = frame[mask]
    total = len(view)
    view = view.sort_values("_start", kind="stable").head(limit)
    return view[TABLE_COLUMNS].reset_index(drop=True), total


def undated_view(frame: pd.DataFrame) -> pd.DataFrame:
    """The events with no date (listed apart: no time window holds them)."""
    return frame[frame["_start"] < 0][TABLE_COLUMNS].reset_index(drop=True)


# --- the timeline ------------------------------------------------------------------------------------


def kind_colours() -> dict[str, str]:
    """The map's colour for each kind (its fill, or its outline where the fill is white), so the
    timeline and the map agree."""
    from .build import KIND_COLOURS

    return {
        kind: (fill if fill.lower() != "#ffffff" else stroke) for kind, (stroke, fill) in KIND_COLOURS.items()
    }


def timeline_frame(index: EventIndex, mask: np.ndarray, window: tuple[date, date] | None) -> pd.DataFrame:
    """One row per (event, actor): its span clipped to the window, and whether it is a single day."""
    lo = window[0].toordinal() if window else None
    hi = window[1].toordinal() if window else None
    rows = []
    for i in np.flatnonzero(mask & index.dated):
        e = index.events[i]
        a, b = int(index.start[i]), int(index.end[i])
        if lo is not None:
            a = max(a, lo)
            b = min(b, hi)
        a = max(a, 1)
        b = min(b, date.max.toordinal() - 1)
        for actor in e.actors:
            rows.append(
                {
                    "event_id": e.id,
                    "actor": actor,
                    "kind": e.kind,
                    "start": date.fromordinal(a).isoformat(),
                    # bars end at the end of their last day
                    "end": date.fromordinal(b + 1).isoformat(),
                    "day": index.precision[i] == "day",
                    "edtf": e.edtf,
                    "when": e.date_phrase,
                    "summary": e.summary,
                    "contested": bool(e.contested_by),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["event_id", "actor", "kind", "start", "end", "day", "edtf", "when", "summary", "contested"],
    )


TIMELINE_MAX_ROWS = 3000


def timeline_counts(index: EventIndex, mask: np.ndarray, window: tuple[date, date] | None) -> pd.DataFrame:
    """Events per month (of their first day in the window) and kind, counted with numpy: what the
    timeline draws when there are too many events to draw one by one."""
    rows = np.flatnonzero(mask & index.dated)
    starts = index.start[rows]
    if window is not None:
        starts = np.maximum(starts, window[0].toordinal())
    starts = np.maximum(starts, 1)
    days = np.array(starts, dtype="int64") - date(1970, 1, 1).toordinal()
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(str)
    frame = pd.DataFrame({"month": np.char.add(months.astype(str), "-01"), "kind": index.kinds[rows]})
    return frame.groupby(["month", "kind"], as_index=False).size()


def timeline_chart(
    frame: pd.DataFrame, window: tuple[date, date] | None = None, max_rows: int = TIMELINE_MAX_ROWS
):
    """Events by actor and kind: a bar over the days an event may cover, a point for a known day.

    Beyond ``max_rows`` (Altair embeds its data in the page), or given ``timeline_counts``, the chart
    counts events per month and kind instead of drawing each one.
    """
    import altair as alt

    colours = kind_colours()
    domain = list(colours)
    color = alt.Color(
        "kind:N",
        scale=alt.Scale(domain=domain, range=[colours[k] for k in domain]),
        legend=alt.Legend(title="kind", orient="bottom", columns=6),
    )
    x_scale = alt.Scale(domain=[window[0].isoformat(), window[1].isoformat()]) if window else alt.Undefined
    if "size" in frame.columns or len(frame) > max_rows:
        if "size" in frame.columns:
            counts = frame
        else:
            counts = frame.assign(month=frame["start"].str.slice(0, 7) + "-01")
            counts = counts.groupby(["month", "kind"], as_index=False).size()
        total = int(counts["size"].sum())
        return (
            alt.Chart(counts)
            .mark_bar()
            .encode(
                x=alt.X("month:T", title="month", scale=x_scale),
                y=alt.Y("size:Q", title="events"),
                color=color,
                tooltip=["month:T", "kind:N", alt.Tooltip("size:Q", title="events")],
            )
            .properties(height=220, title=f"{total:,} events by month and kind")
        )
    tooltip = [
        alt.Tooltip("summary:N"),
        alt.Tooltip("edtf:N", title="EDTF"),
        alt.Tooltip("when:N", title="as dated"),
        alt.Tooltip("actor:N"),
        alt.Tooltip("kind:N"),
        alt.Tooltip("event_id:N", title="event"),
    ]
    y = alt.Y("actor:N", title=None, sort="ascending")
    x = alt.X("start:T", title=None, scale=x_scale)
    base = alt.Chart(frame)
    bars = (
        base.transform_filter("!datum.day")
        .mark_bar(opacity=0.55, height=10, cornerRadius=2)
        .encode(x=x, x2="end:T", y=y, color=color, tooltip=tooltip)
    )
    points = (
        base.transform_filter("datum.day")
        .mark_point(filled=True, size=70, opacity=0.9)
        .encode(x=x, y=y, color=color, shape=alt.value("diamond"), tooltip=tooltip)
    )
    n_actors = max(1, frame["actor"].nunique()) if len(frame) else 1
    return alt.layer(bars, points).properties(height=max(120, 28 * n_actors))


# --- comparing sources -------------------------------------------------------------------------------


def compare_sources(
    events: Iterable[Event],
    sources: Mapping[str, Source],
    places: Mapping[str, Any],
    per_cell: int = 12,
) -> pd.DataFrame:
    """The same years as each source tells them: one row per year, one column per source (at most
    ``per_cell`` events a cell, then how many more)."""
    cells: dict[tuple[str, str], list[str]] = {}
    columns: list[str] = []
    for e in sorted(events, key=lambda e: (span_start(e), e.id)):
        year = _year_label(e)
        col = source_short(e.source_id, sources)
        if col not in columns:
            columns.append(col)
        where = place_label(e.place_id, places)
        text = e.summary or e.kind
        mark = " [contested]" if e.contested_by else ""
        cells.setdefault((year, col), []).append(f"{text}{f' ({where})' if where else ''}{mark}")
    years = sorted({y for y, _ in cells}, key=lambda y: (y == "undated", y.lstrip("…")))
    data = {col: [_cell(cells.get((y, col), []), per_cell) for y in years] for col in columns}
    return pd.DataFrame(data, index=pd.Index(years, name="period"))


def _cell(items: list[str], limit: int) -> str:
    more = len(items) - limit
    return " · ".join(items[:limit]) + (f" · … and {more} more" if more > 0 else "")


def span_start(e: Event) -> date:
    try:
        s = span(e.edtf) if e.edtf.strip() else None
    except EDTFError:
        s = None
    return s.start if s else date.max


def _year_label(e: Event) -> str:
    try:
        s = span(e.edtf) if e.edtf.strip() else None
    except EDTFError:
        s = None
    if s is None:
        return "undated"
    if s.open_start:
        return f"…{s.end.year}"
    if s.open_end or s.start.year == s.end.year:
        return str(s.start.year)
    return f"{s.start.year}–{s.end.year}"


def disagreements(
    shown: Iterable[Event],
    index: EventIndex,
    sources: Mapping[str, Source],
    places: Mapping[str, Any],
    limit: int = 500,
) -> pd.DataFrame:
    """Each contested claim among ``shown`` beside what contradicts it, with our note on why (at most
    ``limit`` rows)."""
    rows = []
    for e in shown:
        if len(rows) >= limit:
            break
        for other_id in e.contested_by:
            other = index.event(other_id)
            rows.append(
                {
                    "claim": e.summary,
                    "claimed by": _who(e, sources),
                    "place": place_label(e.place_id, places),
                    "contradicted by": other.summary if other else f"(unknown event {other_id})",
                    "according to": _who(other, sources) if other else "",
                    "note": e.contest_note,
                    "event_id": e.id,
                    "contradicting_id": other_id,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "claim",
            "claimed by",
            "place",
            "contradicted by",
            "according to",
            "note",
            "event_id",
            "contradicting_id",
        ],
    )


def _who(e: Event, sources: Mapping[str, Source]) -> str:
    src = source_label(e.source_id, sources)
    return f"{e.attribution} in {src}" if e.attribution else src


# --- one event, read in full -------------------------------------------------------------------------


@dataclass(frozen=True)
class EventDetail:
    """What the reader sees after clicking a point or a row (``passage_html`` is already escaped)."""

    event: Event
    title: str
    dates: str
    place: str
    says_so: list[str]
    contradicted_by: list[tuple[str, str]]  # (event id, summary) of events contradicting this one
    contradicts: list[tuple[str, str]]  # (event id, summary) of events this one contradicts
    contest_note: str
    passage_html: str | None
    passage_problem: str | None
    reliability: str = ""


def event_detail(
    event: Event,
    index: EventIndex,
    sources: Mapping[str, Source],
    places: Mapping[str, Any],
    text: str | None = None,
    text_problem: str | None = None,
) -> EventDetail:
    i = index.by_id.get(event.id)
    dates = event.edtf or "undated"
    if event.date_phrase:
        dates += f" — “{event.date_phrase}”"
    if (
        i is not None
        and index.start[i] >= 0
        and index.start[i] != index.end[i]
        and index.precision[i] != "interval"
    ):
        dates += f" (some time between {span_label(index, i)})"
    src = sources.get(event.source_id)
    says = [source_label(event.source_id, sources)]
    if event.attribution:
        says.insert(0, event.attribution)
    chain = src
    seen: set[str] = set()
    while chain is not None and chain.quoted_in and chain.quoted_in not in seen:
        seen.add(chain.quoted_in)
        says.append(f"quoted in {source_label(chain.quoted_in, sources)}")
        chain = sources.get(chain.quoted_in)
    place = place_label(event.place_id, places) or "no place"
    if event.place_implied:
        place += " (implied, not named in the text)"
    if event.from_place_id:
        place = f"{place_label(event.from_place_id, places)} → {place}"
    against = [(oid, _summary_of(index, oid)) for oid in event.contested_by]
    # links are often recorded both ways; what already contradicts this event is not listed twice
    contradicts = [
        (oid, _summary_of(index, oid))
        for oid in index.contradicts.get(event.id, [])
        if oid not in event.contested_by
    ]
    passage = None
    problem = text_problem
    if text is not None and event.passage_start is not None and event.passage_end is not None:
        place_obj = places.get(event.place_id)
        names = [n.name for n in place_obj.all_names()] if place_obj is not None else []
        try:
            passage = passage_html(text, event.passage_start, event.passage_end, names)
        except ValueError as exc:
            problem = str(exc)
    elif event.passage_start is None:
        problem = problem or "this event has no passage recorded"
    return EventDetail(
        event=event,
        title=event.summary or f"{event.kind} ({event.id})",
        dates=dates,
        place=place,
        says_so=says,
        contradicted_by=against,
        contradicts=contradicts,
        contest_note=event.contest_note,
        passage_html=passage,
        passage_problem=problem,
        reliability=src.reliability if src is not None else "",
    )


def _summary_of(index: EventIndex, event_id: str) -> str:
    e = index.event(event_id)
    return e.summary if e is not None else "(not in the loaded events)"


def name_pattern(name: str) -> re.Pattern[str] | None:
    """A name as texts write it: any case, any run of spaces, no-break spaces or stray backslashes
    between its words, and straight or curly apostrophes."""
    words = [w for w in re.split(r"[\s\\]+", name.strip()) if w]
    if not words:
        return None
    parts = [re.escape(w).replace("'", "['’]").replace("’", "['’]") for w in words]
    return re.compile(r"(?<!\w)" + r"[\s\\\u00a0]+".join(parts) + r"(?!\w)", re.IGNORECASE)


def passage_html(text: str, start: int, end: int, names: Iterable[str] = (), context: int = 160) -> str:
    """The passage (with a little context) as escaped HTML, the place's names marked.

    Offsets count characters of the text as read with UTF-8; a span outside the text raises
    ``ValueError`` rather than show the wrong words.
    """
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"the passage {start}-{end} lies outside the text ({len(text)} characters)")
    a = max(0, start - context)
    b = min(len(text), end + context)
    # snap the context to word boundaries so it does not start mid-word
    if a > 0:
        sp = text.find(" ", a, start)
        a = sp + 1 if sp != -1 else a
    if b < len(text):
        sp = text.rfind(" ", end, b)
        b = sp if sp != -1 else b
    marks: list[tuple[int, int]] = []
    for name in sorted(set(names), key=len, reverse=True):
        pat = name_pattern(name)
        if pat is None:
            continue
        for m in pat.finditer(text, start, end):
            if not any(m.start() < y and x < m.end() for x, y in marks):
                marks.append((m.start(), m.end()))
    marks.sort()

    def esc(s: str) -> str:
        return html.escape(s).replace("\n", "<br>")

    out = ['<div class="itinera-passage">']
    if a > 0:
        out.append("… ")
    out.append(f'<span class="context">{esc(text[a:start])}</span>')
    cur = start
    out.append("<strong>")
    for x, y in marks:
        out.append(esc(text[cur:x]))
        out.append(f"<mark>{esc(text[x:y])}</mark>")
        cur = y
    out.append(esc(text[cur:end]))
    out.append("</strong>")
    out.append(f'<span class="context">{esc(text[end:b])}</span>')
    if b < len(text):
        out.append(" …")
    out.append("</div>")
    return "".join(out)


def window_caption(window: tuple[date, date], shown: int, total: int, undated: int) -> str:
    a, b = window
    period = f"in {a:%B %Y}" if (a.year, a.month) == (b.year, b.month) else f"between {a:%B %Y} and {b:%B %Y}"
    txt = f"{shown} of {total} events {period}"
    if undated:
        txt += f"; {undated} undated event{'s' if undated != 1 else ''} listed apart"
    return txt


# --- what the reader brings: uploads -----------------------------------------------------------------

MAX_TEXT_BYTES = 5_000_000
MAX_DATA_BYTES = 20_000_000


class UploadError(ValueError):
    """An uploaded file cannot be used; the message names the file and says what to do."""


def _size(n: int) -> str:
    if n < 10_000:
        return f"{n:,} bytes"
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} kB"


def decode_upload(name: str, data: bytes, *, max_bytes: int = MAX_TEXT_BYTES) -> tuple[str, list[str]]:
    """(text, warnings) of an uploaded file, read as the geoparser reads files (``gazetteer.text``).

    UTF-8 and UTF-16/32 with a BOM are read as such; other 8-bit text as cp1252 with a warning.
    Empty, too large and binary files are refused with a message naming the file.
    """
    from gazetteer.errors import TextInputError
    from gazetteer.text import decode_bytes

    if len(data) > max_bytes:
        raise UploadError(f"{name}: {_size(len(data))} is too large (the limit is {_size(max_bytes)})")
    try:
        text, _encoding, notes = decode_bytes(data, name=name)
    except TextInputError as exc:
        raise UploadError(str(exc)) from exc
    return text, list(notes)


def parse_json_upload(name: str, data: bytes) -> Any:
    text, _ = decode_upload(name, data, max_bytes=MAX_DATA_BYTES)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise UploadError(f"{name}: not valid JSON ({where}: {exc.msg})") from exc


def places_from_upload(name: str, data: bytes) -> tuple[list[Any], list[str]]:
    """Places from an uploaded Linked Places (LPF) or plain GeoJSON file, and a problem per bad feature.

    Plain GeoJSON has no ``@id`` or ``title``: a feature's ``id`` or ``properties.name`` stands in, and
    its id becomes ``upload:<name>`` so it never shadows a curated place.
    """
    from gazetteer.errors import GazetteerDataError
    from gazetteer.places import place_from_lpf

    doc = parse_json_upload(name, data)
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
        raise UploadError(f"{name}: expected a GeoJSON FeatureCollection (or LPF), found no 'type' of one")
    features = doc.get("features") if doc["type"] == "FeatureCollection" else [doc]
    if not isinstance(features, list):
        raise UploadError(f"{name}: 'features' is not a list")
    places, problems = [], []
    for i, feature in enumerate(features, start=1):
        where = f"{name}, feature {i}"
        if not isinstance(feature, dict):
            problems.append(f"{where}: not a JSON object")
            continue
        feature = dict(feature)
        props = dict(feature.get("properties") or {})
        title = props.get("title") or props.get("name") or props.get("toponym")
        if title and not props.get("title"):
            props["title"] = str(title)
        feature["properties"] = props
        if not (feature.get("@id") or feature.get("id")):
            if not title:
                problems.append(f"{where}: no id and no name (give properties.name)")
                continue
            feature["@id"] = "upload:" + re.sub(r"[^a-z0-9]+", "-", str(title).lower()).strip("-")
        geom = feature.get("geometry")
        if not geom and not props.get("representative_point"):
            problems.append(f"{where} ({title}): no geometry")
            continue
        try:
            places.append(place_from_lpf(feature, where=where, source="upload"))
        except GazetteerDataError as exc:
            problems.append(str(exc))
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            problems.append(f"{where}: malformed feature ({exc})")
    if not places and not problems:
        problems.append(f"{name}: the collection has no features")
    return places, problems


# --- the workspace: corpus, places, texts ------------------------------------------------------------


class PlaceLookup(Mapping[str, Any]):
    """Places by id: the reader's additions, then the curated gazetteer, then the full one (GeoNames).

    Iterating lists only the first two; the full gazetteer is asked one id at a time, and its answers
    are remembered.
    """

    def __init__(
        self, curated: Mapping[str, Any], gazetteer: Any = None, extra: Mapping[str, Any] | None = None
    ):
        self.curated = dict(curated)
        self.gazetteer = gazetteer
        self.extra = dict(extra or {})
        self._looked_up: dict[str, Any] = {}

    def with_extra(self, places: Iterable[Any]) -> PlaceLookup:
        new = PlaceLookup(self.curated, self.gazetteer, {**self.extra, **{p.id: p for p in places}})
        new._looked_up = self._looked_up
        return new

    def __getitem__(self, place_id: str) -> Any:
        for table in (self.extra, self.curated, self._looked_up):
            if place_id in table:
                return table[place_id]
        found = None
        if self.gazetteer is not None and place_id:
            try:
                found = self.gazetteer.get(place_id)
            except Exception:  # a malformed id is simply unknown
                found = None
        if found is None:
            raise KeyError(place_id)
        self._looked_up[place_id] = found
        return found

    def __contains__(self, place_id: object) -> bool:
        try:
            self[place_id]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __iter__(self):
        yield from self.extra
        yield from (k for k in self.curated if k not in self.extra)

    def __len__(self) -> int:
        return len(set(self.extra) | set(self.curated))


@dataclass
class Workspace:
    """What the app shows before the reader adds anything: the corpus (or ``ITINERA_EVENTS``)."""

    sources: dict[str, Source]
    events: list[Event]
    places: PlaceLookup
    texts: dict[str, Any]  # source id -> corpus.SourceText
    problems: list[str]
    events_label: str
    gazetteer: Any = None


def load_workspace(
    events_path: str | None = None,
    texts_dir: str | None = None,
    *,
    gazetteer: Any = None,
) -> Workspace:
    """The curated corpus, or the events of ``events_path`` with the corpus's sources and places."""
    from .corpus import load_corpus, load_events

    corpus = load_corpus(texts_dir=texts_dir)
    places = PlaceLookup(corpus.places, gazetteer)
    problems = [str(p) for p in corpus.problems]
    events = corpus.events
    label = "the first corpus (data/events.csv)"
    if events_path:
        loaded = load_events(events_path, places=places.__contains__, sources=corpus.sources)
        problems = [str(p) for p in loaded.problems]
        events = loaded.items
        label = str(events_path)
    return Workspace(corpus.sources, events, places, corpus.texts, problems, label, gazetteer)


def text_for(
    event: Event, sources: Mapping[str, Source], texts: Mapping[str, Any], uploaded: Mapping[str, str]
) -> dict[str, str | None]:
    """The verified text an event's offsets count in, or why there is none (as ``event_detail`` takes).

    ``texts`` are the corpus's texts verified by checksum; ``uploaded`` maps the SHA-256 of texts the
    reader uploaded to their text, so uploading the memoir itself makes its passages appear.
    """
    source = sources.get(event.source_id)
    found = texts.get(event.source_id)
    if found is not None and found.verified:
        return {"text": found.text, "text_problem": None}
    if source is not None and source.sha256 and source.sha256.lower() in uploaded:
        return {"text": uploaded[source.sha256.lower()], "text_problem": None}
    if source is None or not source.text_file:
        return {"text": None, "text_problem": "its source has no text file"}
    if found is not None and found.status == "mismatch":
        return {"text": None, "text_problem": found.message}
    return {
        "text": None,
        "text_problem": f"the text {source.text_file} was not given: start the app with "
        "itinera app --texts DIR, or upload the text under Your material",
    }


# --- uploads into the session's state ---------------------------------------------------------------
# Each ``take_*`` turns one upload into data in ``state`` (the Streamlit session state, or any dict in
# tests) and leaves a report under ``upload_<kind>_report``: ``error`` (the file was refused),
# ``warnings``, ``problems`` (rows of a table) and ``ok`` (what was taken). The same upload seen again
# on a rerun is not processed twice.


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _seen(state: MutableMapping[str, Any], kind: str, name: str, data: bytes) -> bool:
    key = f"{name}:{_digest(data)}"
    if state.get(f"upload_{kind}_key") == key:
        return True
    state[f"upload_{kind}_key"] = key
    return False


def take_text_upload(
    state: MutableMapping[str, Any],
    name: str,
    data: bytes,
    sources: Mapping[str, Source],
    gazetteer: Any = None,
) -> None:
    """A text the reader gave: remembered by checksum (so a corpus text shows its passages) and
    geoparsed; its mentions and candidate events go to ``state["user_parse"]``."""
    if _seen(state, "text", name, data):
        return
    state.pop("user_parse", None)
    try:
        text, warnings = decode_upload(name, data)
    except UploadError as exc:
        state["upload_text_report"] = {"error": str(exc)}
        return
    digest = _digest(data)
    texts = dict(state.get("user_texts", {}))
    texts[digest] = text
    state["user_texts"] = texts
    notes = list(warnings)
    matched = [s for s in sources.values() if s.sha256 and s.sha256.lower() == digest]
    ok = f"{name}: {len(text):,} characters read."
    if matched:
        outer = [s for s in matched if not s.quoted_in] or matched
        quoted = len(matched) - len(outer)
        ok += f" It is the text of {', '.join(s.title for s in outer)}"
        ok += f" (and of {quoted} source{'s' if quoted != 1 else ''} quoted in it)" if quoted else ""
        ok += ": its passages now show beside the events."
    try:
        state["user_parse"] = geoparse(name, text, gazetteer)
    except Exception as exc:  # the geoparser's failure is reported, the text is still kept
        notes.append(f"{name}: the geoparser failed ({exc}); the text is kept for passages")
    else:
        n = len(state["user_parse"]["mentions"])
        ok += f" {n} place mention{'s' if n != 1 else ''} found."
    state["upload_text_report"] = {"warnings": notes, "ok": ok}


def take_events_upload(
    state: MutableMapping[str, Any], name: str, data: bytes, places: Mapping[str, Any], ws: Workspace
) -> None:
    """An events file: every problem listed by row and field; the good rows join the map.

    Sources the corpus does not know are allowed (the reader's own); event ids already in the corpus
    are refused, so an upload never silently replaces a curated event.
    """
    from .corpus import load_events

    if _seen(state, "events", name, data):
        return
    loaded = load_events(data, places=places.__contains__, sources=None, name=name)
    problems = [{"row": p.row, "field": p.field, "problem": p.message} for p in loaded.problems]
    known = {e.id for e in ws.events}
    good = []
    for e in loaded.items:
        if e.id in known:
            problems.append(
                {"row": None, "field": "id", "problem": f"event id {e.id!r} is already in the corpus"}
            )
        else:
            good.append(e)
    state["user_events"] = good
    state["user_events_key"] = _digest(data)
    report: dict[str, Any] = {"problems": problems}
    if good:
        report["ok"] = f"{name}: {len(good)} event{'s' if len(good) != 1 else ''} added to the map and table."
    elif not problems:
        report["error"] = f"{name}: no events in the file"
    state["upload_events_report"] = report


def take_places_upload(state: MutableMapping[str, Any], name: str, data: bytes) -> None:
    """Places from GeoJSON/LPF, added to this session's gazetteer (events may then use their ids)."""
    if _seen(state, "places", name, data):
        return
    try:
        found, problems = places_from_upload(name, data)
    except UploadError as exc:
        state["upload_places_report"] = {"error": str(exc)}
        return
    state["user_places"] = found
    report: dict[str, Any] = {"problems": [{"problem": p} for p in problems]}
    if found:
        ids = ", ".join(p.id for p in found[:5]) + (" …" if len(found) > 5 else "")
        report["ok"] = f"{name}: {len(found)} place{'s' if len(found) != 1 else ''} added ({ids})."
    state["upload_places_report"] = report


def geoparse(name: str, text: str, gazetteer: Any = None) -> dict[str, Any]:
    """A text's place mentions and candidate events as tables, via ``gazetteer.parse``.

    Each mention is keyed ``<name>:<start>-<end>`` (``corrections.mention_key``), the key a
    correction of its place is saved under.
    """
    from gazetteer.geoparser import parse

    from .corrections import mention_key

    result = parse(text, gazetteer=gazetteer)
    mentions = pd.DataFrame(
        [
            {
                "as written": m.text,
                "place": m.place_name or "(not identified)",
                "type": m.feature_type or "",
                "score": round(m.score, 2),
                "lat": m.lat,
                "lon": m.lon,
                "place_id": m.place_id or "",
                "other candidates": ", ".join(dict.fromkeys(a.name for a in m.alternatives)),
                "mention": mention_key(name, m.start, m.end),
            }
            for m in result.mentions
        ],
        columns=[
            "as written",
            "place",
            "type",
            "score",
            "lat",
            "lon",
            "place_id",
            "other candidates",
            "mention",
        ],
    )
    candidates = pd.DataFrame(
        [
            {
                "place": e.place_name or e.text,
                "kind": e.kind,
                "cue": e.cue or "",
                "date (EDTF)": e.edtf or "",
                "as dated": e.date_phrase or "",
                "from": e.from_place_id or "",
                "in a quotation": e.in_quotation,
                "passage": f"{e.passage_start}-{e.passage_end}",
            }
            for e in result.events
        ],
        columns=["place", "kind", "cue", "date (EDTF)", "as dated", "from", "in a quotation", "passage"],
    )
    return {"name": name, "mentions": mentions, "candidates": candidates}


def with_mention_fixes(
    mentions: pd.DataFrame, fixes: Mapping[str, Any], places: Mapping[str, Any]
) -> pd.DataFrame:
    """The mentions table with the reader's corrections in place (marked in a ``corrected`` column)."""
    out = mentions.copy()
    out["corrected"] = False
    for i, key in enumerate(out["mention"].tolist()):
        fix = fixes.get(key)
        place = places.get(fix.place_id) if fix is not None else None
        if place is None:
            continue
        out.iloc[i, out.columns.get_loc("place")] = place.name
        out.iloc[i, out.columns.get_loc("place_id")] = place.id
        out.iloc[i, out.columns.get_loc("type")] = place.feature_type
        out.iloc[i, out.columns.get_loc("lat")] = place.lat
        out.iloc[i, out.columns.get_loc("lon")] = place.lon
        out.iloc[i, out.columns.get_loc("corrected")] = True
    return out


def map_mentions(mentions: pd.DataFrame) -> list[dict[str, Any]]:
    """Resolved mentions as ``build_map(mentions=...)`` takes them."""
    rows = mentions.dropna(subset=["lat", "lon"])
    return [
        {"lat": float(r.lat), "lon": float(r.lon), "text": r[0], "name": r.place}
        for r in rows[["as written", "lat", "lon", "place"]].itertuples(index=False)
    ]


def place_choices(
    query: str, places: PlaceLookup, gazetteer: Any = None, limit: int = 25
) -> list[tuple[str, str]]:
    """(place id, label) pairs for a place picker: the gazetteer's candidates for ``query``, or with no
    query the curated places and the reader's own, by name."""
    query = (query or "").strip()
    out: dict[str, str] = {}

    def label(p: Any) -> str:
        return f"{p.name} ({p.feature_type}, {p.id})"

    if query and gazetteer is not None:
        try:
            for c in gazetteer.candidates(query, limit=limit):
                out[c.place.id] = label(c.place)
        except Exception:  # an odd query is simply one without candidates
            pass
    if query:
        q = query.lower()
        for pid in places:
            p = places[pid]
            if q in p.name.lower() or any(q in a.name.lower() for a in p.alternate_names):
                out.setdefault(pid, label(p))
    else:
        for pid in sorted(places, key=lambda k: places[k].name):
            out[pid] = label(places[pid])
    return list(out.items())[: max(limit, 1) if query else None]


# --- the map: a steady base and the layers that change -------------------------------------------------
# streamlit-folium re-mounts its iframe (a full redraw, and the reader's pan and zoom lost) whenever the
# map's own script changes, but swaps the layers passed as ``feature_group_to_add`` in place. So the map
# is split: the base (offline basemap, legend, the view on all events) depends only on the events
# file and stays the same while the window moves; the overlays of ``build_map`` for the window go into
# one FeatureGroup.

MAP_LIMIT = 20_000
"""Events drawn on the dashboard's map at most (the page's data grows with them; a window with more
says so and draws the earliest); the downloads and the standalone HTML have them all."""

MAP_LAYERS = {
    "bases": "Bases and stays",
    "events": "Other events",
    "routes": "Routes",
    "mentions": "All place mentions",
    "uncertainty": "Uncertainty",
    "polities": "Polities of the period",
}
DEFAULT_MAP_LAYERS = ("bases", "events", "routes", "polities")


def build_layers(chosen: Iterable[str], show_contested: bool) -> set[str]:
    """The sidebar's layer choices as ``build_map`` layer keys (contested claims follow their toggle)."""
    keys = set(chosen) & set(MAP_LAYERS)
    if show_contested and keys & {"bases", "events"}:
        keys.add("contested")
    return keys


def base_map(
    events: Sequence[Event],
    places: Mapping[str, Any],
    sources: Mapping[str, Source],
    tiles: str | None = None,
):
    """The steady part of the map: basemap, legend and the view fitted to every event (one per place).
    ``tiles="osm"`` adds OpenStreetMap tiles, for a reader who is online and asks for them."""
    from .build import build_map

    one_per_place: dict[str, Event] = {}
    kinds: dict[str, Event] = {}
    for e in events:
        if e.place_id in places:
            one_per_place.setdefault(e.place_id, e)
            kinds.setdefault(e.kind, e)
    sample = list({id(e): e for e in [*one_per_place.values(), *kinds.values()]}.values())
    m = build_map(
        sample,
        places_for(sample, places),
        sources=sources,
        layers=("bases", "events", "contested"),
        height=560,
        tiles=tiles,
    )
    strip_overlays(m)
    return m


def strip_overlays(m: Any) -> list[Any]:
    """Take the overlay layers (and the layer control, which would list them) out of a map."""
    import folium
    from folium.map import Layer

    taken = []
    for name, child in list(m._children.items()):
        if isinstance(child, Layer) and child.overlay:
            taken.append(child)
            del m._children[name]
        elif isinstance(child, folium.LayerControl):
            del m._children[name]
    return taken


def overlay_group(m: Any) -> Any:
    """The overlays of a ``build_map`` map, in one FeatureGroup for ``st_folium(feature_group_to_add=)``."""
    import folium

    group = folium.FeatureGroup(name="Itinera layers", control=False)
    for layer in strip_overlays(m):
        group.add_child(layer)
    return group


def events_near(
    lat: float, lon: float, events: Iterable[Event], places: Mapping[str, Any], tolerance: float = 0.05
) -> list[Event]:
    """The events drawn at the point a reader clicked (a circle marker reports its own centre): those at
    the nearest place within ``tolerance`` degrees, so a city is not confused with the region whose
    point lies beside it."""
    scored = []
    for e in events:
        p = places.get(e.place_id)
        if p is not None and abs(p.lat - lat) <= tolerance and abs(p.lon - lon) <= tolerance:
            scored.append((abs(p.lat - lat) + abs(p.lon - lon), e))
    if not scored:
        return []
    best = min(d for d, _ in scored)
    return [e for d, e in scored if d <= best + 1e-6]


def places_for(events: Iterable[Event], places: Mapping[str, Any]) -> dict[str, Any]:
    """The places the events name, resolved (builders copy a mapping by iterating it, which a
    ``PlaceLookup`` cannot do for the full gazetteer)."""
    out: dict[str, Any] = {}
    for e in events:
        for pid in (e.place_id, e.from_place_id, e.via_place_id):
            if pid and pid not in out:
                p = places.get(pid)
                if p is not None:
                    out[pid] = p
    # the period's polities come from the curated gazetteer, whatever the events name
    if isinstance(places, PlaceLookup):
        for pid, p in places.curated.items():
            out.setdefault(pid, p)
    return out


UPLOAD_KEYS = {
    "text": ("user_parse",),
    "events": ("user_events", "user_events_key"),
    "places": ("user_places",),
}


def forget_upload(state: MutableMapping[str, Any], kind: str) -> None:
    """The reader removed an upload: its data and report go too (a text stays known by checksum)."""
    for key in (f"upload_{kind}_key", f"upload_{kind}_report", *UPLOAD_KEYS[kind]):
        state.pop(key, None)


def problems_frame(problems: list[dict[str, Any]]) -> pd.DataFrame:
    """Problems as a table; row numbers stay whole numbers (blank for a problem with the whole file)."""
    frame = pd.DataFrame(problems)
    if "row" in frame.columns:
        frame["row"] = frame["row"].astype("Int64")
    return frame


def home_view(events: Iterable[Event], places: Mapping[str, Any]) -> tuple[tuple[float, float], int] | None:
    """Where the map first looks: the median event's point (a far-off battle or two does not pull the
    view out to half the globe), at a zoom that holds the central half of the events."""
    pts = [(p.lat, p.lon) for e in events if (p := places.get(e.place_id)) is not None]
    if not pts:
        return None
    lats = np.array([p[0] for p in pts])
    lons = np.array([p[1] for p in pts])
    lat_lo, lat_hi = np.percentile(lats, [25, 75])
    lon_lo, lon_hi = np.percentile(lons, [25, 75])
    spread = max(lon_hi - lon_lo, (lat_hi - lat_lo) * 1.5, 2.0)
    zoom = int(np.clip(np.floor(np.log2(360.0 / spread)) + 1, 2, 8))
    return (round(float(np.median(lats)), 3), round(float(np.median(lons)), 3)), zoom


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#!|<>~$])")


def md_escape(text: str) -> str:
    """Text safe inside Streamlit markdown: no emphasis, link, image, heading, table, maths or HTML
    (with ``[`` escaped no link or ``:color[...]`` can form, so ``(``, ``-`` and ``.`` stay as they are)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def places_summary(mentions: pd.DataFrame, limit: int = 30) -> str:
    """The places a text names, most named first, with how often: a line to read before the table."""
    named = mentions[mentions["place_id"] != ""]["place"].value_counts()
    if not len(named):
        return "No place identified."
    parts = [f"{md_escape(str(name))} ({n})" for name, n in named.head(limit).items()]
    more = len(named) - limit
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def map_events(index: EventIndex, mask: np.ndarray, limit: int = MAP_LIMIT) -> list[Event]:
    """The events the filters keep, the earliest first, at most ``limit`` of them."""
    rows = np.flatnonzero(mask)
    if len(rows) > limit:
        rows = rows[np.argsort(index.start[rows], kind="stable")[:limit]]
    return [index.events[i] for i in rows]


def known_texts(
    sources: Mapping[str, Source], texts: Mapping[str, Any], uploaded: Mapping[str, str]
) -> dict[str, str]:
    """source id -> verified text, from the texts folder or from the reader's uploads (by checksum),
    for the passages in the map's popups and in the HTML download."""
    out = {sid: t.text for sid, t in texts.items() if getattr(t, "verified", False) and t.text is not None}
    for sid, source in sources.items():
        if sid not in out and source.sha256 and source.sha256.lower() in uploaded:
            out[sid] = uploaded[source.sha256.lower()]
    return out
