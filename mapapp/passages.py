"""An event read in full: its dates, who says so, what contradicts it, and its passage highlighted."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .highlight import find_names, mark, name_pattern  # noqa: F401 (name_pattern: public here too)
from .index import EventIndex, span_label
from .models import Event, Source
from .tables import place_label, source_label


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

    def esc(s: str) -> str:
        return html.escape(s).replace("\n", "<br>")

    out = ['<div class="itinera-passage">']
    if a > 0:
        out.append("… ")
    out.append(f'<span class="context">{esc(text[a:start])}</span>')
    out.append(f"<strong>{mark(text, find_names(text, names, start, end), start, end, esc)}</strong>")
    out.append(f'<span class="context">{esc(text[end:b])}</span>')
    if b < len(text):
        out.append(" …")
    out.append("</div>")
    return "".join(out)


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
