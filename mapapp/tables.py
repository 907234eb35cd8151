"""What the dashboard shows as tables and charts: the events table, the timeline, the comparison
of sources, captions, and markdown-safe text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from .index import EventIndex
from .models import Event, Source
from .timespan import EDTFError, span


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


def window_caption(window: tuple[date, date], shown: int, total: int, undated: int) -> str:
    a, b = window
    period = f"in {a:%B %Y}" if (a.year, a.month) == (b.year, b.month) else f"between {a:%B %Y} and {b:%B %Y}"
    txt = f"{shown} of {total} events {period}"
    if undated:
        txt += f"; {undated} undated event{'s' if undated != 1 else ''} listed apart"
    return txt


def problems_frame(problems: list[dict[str, Any]]) -> pd.DataFrame:
    """Problems as a table; row numbers stay whole numbers (blank for a problem with the whole file)."""
    frame = pd.DataFrame(problems)
    if "row" in frame.columns:
        frame["row"] = frame["row"].astype("Int64")
    return frame


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
