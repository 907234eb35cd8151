"""Routes: per actor, the ordered movement segments (from, to, when) the events imply.

A segment comes from a ``move`` (any event with a from-place; its own place is where it ends), or from
two consecutive located events of the same actor in different places (stays, bases, meetings, ...), in
the order of their EDTF spans. ``claim`` and ``context`` events do not place an actor, so they make no
route. By default each source tells its own route (``group_by="source"``): the police reports' Khabarovsk
-> Yanan -> Khabarovsk is their story, not to be spliced into the memoir's.

Events are ordered by the middle of their spans (an open span by its closed end), ties in file order.
Two places closer than the larger of their uncertainty radii (Manchuria and a town in it) are the same
place at the precision we have, so no segment joins them by inference; the actor's position just
sharpens to the smaller one. A place known only within more than 1,000 km (the Soviet Union, Siberia)
does not locate an actor well enough to infer a journey from it: only a stated move draws a line
there. A segment says when its ends are uncertain, and why: an implied place
or date, a qualified date (``~ ? % X``), a low certainty, an end known only within more than 50 km, or
two events whose dates overlap so their order is a guess.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .models import Event
from .timespan import EDTFError, Span, check_edtf, span

NON_LOCATING_KINDS = frozenset({"claim", "context"})
WIDE_RADIUS_KM = 50.0
VAGUE_RADIUS_KM = 1000.0
CERTAINTY_ORDER = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True, slots=True)
class Segment:
    """One directed leg of an actor's route: ``from_place`` -> ``to_place`` (``gazetteer.places.Place``)."""

    id: str
    actor: str
    from_place: Any
    to_place: Any
    via_place: Any | None
    edtf: str
    date_phrase: str
    event_ids: tuple[str, ...]
    source_ids: tuple[str, ...]
    attribution: str
    certainty: str
    basis: str  # "move" (a stated journey) | "sequence" (inferred from consecutive events)
    uncertain: bool
    reasons: tuple[str, ...]
    summary: str

    @property
    def from_id(self) -> str:
        return self.from_place.id

    @property
    def to_id(self) -> str:
        return self.to_place.id


def distance_km(a: Any, b: Any) -> float:
    """Great-circle distance between two places' representative points."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _same_area(a: Any, b: Any) -> bool:
    return a.id == b.id or distance_km(a, b) <= max(a.uncertainty_km, b.uncertainty_km)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def default_places() -> dict[str, Any]:
    """The curated gazetteer's places by id (``data/places.lpf.json``)."""
    from gazetteer.sources.curated import CuratedSource

    return {p.id: p for p in CuratedSource().places()}


def _joined_edtf(first: Event, last: Event) -> str:
    """An EDTF interval from the start of ``first``'s date to the end of ``last``'s."""
    left = first.edtf.split("/")[0]
    right = last.edtf.split("/")[-1]
    if left == right:
        return left
    candidate = f"{left}/{right}"
    return candidate if check_edtf(candidate) is None else ""


def _spans_overlap(a: Span, b: Span) -> bool:
    return a.start <= b.end and b.start <= a.end


def _sort_key(s: Span) -> date:
    if s.open_start and s.open_end:
        return date.max
    if s.open_start:
        return s.end
    if s.open_end:
        return s.start
    return s.start + (s.end - s.start) / 2


def _reasons(events: Sequence[Event], ends: Sequence[Any], spans: Sequence[Span]) -> list[str]:
    reasons: list[str] = []
    for e in events:
        if e.place_implied:
            reasons.append(f"place implied ({e.id})")
        if e.date_implied:
            reasons.append(f"date implied ({e.id})")
        if e.certainty == "low":
            reasons.append(f"low certainty ({e.id})")
    for e, s in zip(events, spans, strict=False):
        if s.qualified:
            reasons.append(f"date uncertain: {e.edtf} ({e.id})")
    for place in ends:
        if place.uncertainty_km > WIDE_RADIUS_KM:
            reasons.append(f"{place.name} located only within {place.uncertainty_km:g} km")
    return list(dict.fromkeys(reasons))


def _ordered(events: Iterable[tuple[int, Event]]) -> list[tuple[Span, int, Event]]:
    dated = []
    for order, e in events:
        try:
            s = span(e.edtf) if e.edtf else None
        except EDTFError:
            s = None
        if s is not None:
            dated.append((s, order, e))
    dated.sort(key=lambda t: (_sort_key(t[0]), t[0].start, t[0].end, t[1]))
    return dated


def _route(actor: str, items: list[tuple[Span, int, Event]], places: Mapping[str, Any]) -> list[Segment]:
    segments: list[Segment] = []
    here: tuple[Any, Event, Span] | None = None  # where the actor was last placed, and on what evidence

    def add(basis: str, start: Any, end: Any, via: Any | None, evs: list[Event], spans: list[Span]) -> None:
        last = evs[-1]
        edtf = last.edtf if basis == "move" else _joined_edtf(evs[0], last)
        reasons = _reasons(evs, [p for p in (start, via, end) if p is not None], spans)
        if basis == "sequence" and len(spans) == 2 and _spans_overlap(spans[0], spans[1]):
            reasons.append("dates overlap: the order is a guess")
        certainty = min((e.certainty for e in evs), key=lambda c: CERTAINTY_ORDER.get(c, 1))
        n = len(segments) + 1
        segments.append(
            Segment(
                id=f"route:{_slug(actor)}:{_slug(last.source_id)}:{n}",
                actor=actor,
                from_place=start,
                to_place=end,
                via_place=via,
                edtf=edtf,
                date_phrase=last.date_phrase,
                event_ids=tuple(dict.fromkeys(e.id for e in evs)),
                source_ids=tuple(dict.fromkeys(e.source_id for e in evs)),
                attribution=last.attribution,
                certainty=certainty,
                basis=basis,
                uncertain=bool(reasons),
                reasons=tuple(reasons),
                summary=f"{actor}: {start.name} to {end.name}"
                + (f" by way of {via.name}" if via is not None else ""),
            )
        )

    for s, _, event in items:
        place = places.get(event.place_id)
        if place is None:
            continue
        start = places.get(event.from_place_id) if event.from_place_id else None
        via = places.get(event.via_place_id) if event.via_place_id else None
        is_move = event.kind == "move" or start is not None
        if not is_move and place.uncertainty_km > VAGUE_RADIUS_KM:
            continue
        if start is not None and start.id != place.id:
            add("move", start, place, via, [event], [s])
        elif here is not None and not _same_area(here[0], place):
            basis = "move" if is_move else "sequence"
            evs = [event] if basis == "move" else [here[1], event]
            spans = [s] if basis == "move" else [here[2], s]
            add(basis, here[0], place, via, evs, spans)
        elif here is not None and place.uncertainty_km > here[0].uncertainty_km:
            continue  # a wider area around where the actor already is: keep the sharper position
        here = (place, event, s)
    return segments


def build_routes(
    events: Iterable[Event], places: Mapping[str, Any] | None = None, *, group_by: str = "source"
) -> list[Segment]:
    """Every actor's route segments, in time order within each actor (and source, by default).

    ``group_by="actor"`` merges all sources into one route per actor. Undated events, events whose
    place is unknown, and ``claim``/``context`` events make no segment.
    """
    if group_by not in ("source", "actor"):
        raise ValueError("group_by is 'source' or 'actor'")
    if places is None:
        places = default_places()
    groups: dict[tuple[str, str], list[tuple[int, Event]]] = {}
    for order, event in enumerate(events):
        if event.kind in NON_LOCATING_KINDS:
            continue
        for actor in event.actors:
            key = (actor, event.source_id if group_by == "source" else "")
            groups.setdefault(key, []).append((order, event))
    segments: list[Segment] = []
    for (actor, _), items in groups.items():
        segments.extend(_route(actor, _ordered(items), places))
    return segments


def routes_by_actor(segments: Iterable[Segment]) -> dict[str, list[Segment]]:
    out: dict[str, list[Segment]] = {}
    for seg in segments:
        out.setdefault(seg.actor, []).append(seg)
    return out
