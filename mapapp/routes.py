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

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from gazetteer.distance import distance_km as geodesic_km

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
    """Geodesic distance between two places' representative points (``gazetteer.distance``)."""
    return geodesic_km(a.lat, a.lon, b.lat, b.lon)


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


class _Routing:
    """One ``build_routes`` call's caches: spans and sort keys per EDTF string, evidence per event and
    per place, slugs, joined dates and distances. At 100,000 events the same few thousand dates and
    places recur, so each is worked out once rather than once per event or segment."""

    def __init__(self, places: Mapping[str, Any]) -> None:
        self.places = places
        self.dates: dict[str, tuple[Span, tuple[date, date, date]] | None] = {}
        self.place_reasons: dict[str, tuple[str, ...]] = {}
        self.slugs: dict[str, str] = {}
        self.joined: dict[tuple[str, str], str] = {}

    def date(self, edtf: str) -> tuple[Span, tuple[date, date, date]] | None:
        """The span of an event's date and its sort key; ``None`` for undated or unreadable dates."""
        try:
            return self.dates[edtf]
        except KeyError:
            pass
        try:
            s = span(edtf) if edtf else None
        except EDTFError:
            s = None
        out = (s, (_sort_key(s), s.start, s.end)) if s is not None else None
        self.dates[edtf] = out
        return out

    def wide(self, place: Any) -> tuple[str, ...]:
        got = self.place_reasons.get(place.id)
        if got is None:
            km = place.uncertainty_km
            got = (f"{place.name} located only within {km:g} km",) if km > WIDE_RADIUS_KM else ()
            self.place_reasons[place.id] = got
        return got

    def slug(self, text: str) -> str:
        got = self.slugs.get(text)
        if got is None:
            got = self.slugs[text] = _slug(text)
        return got

    def joined_edtf(self, first: Event, last: Event) -> str:
        key = (first.edtf, last.edtf)
        got = self.joined.get(key)
        if got is None:
            got = self.joined[key] = _joined_edtf(first, last)
        return got

    def same_area(self, a: Any, b: Any) -> bool:
        """Same place at our precision: ``distance_km`` within the larger radius."""
        if a.id == b.id:
            return True
        d = geodesic_km(a.lat, a.lon, b.lat, b.lon)
        ka, kb = a.uncertainty_km, b.uncertainty_km
        return d <= (kb if kb > ka else ka)  # max(ka, kb)


def _event_reasons(e: Event, s: Span) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(implied and low-certainty reasons, qualified-date reason) of one event."""
    own = []
    if e.place_implied:
        own.append(f"place implied ({e.id})")
    if e.date_implied:
        own.append(f"date implied ({e.id})")
    if e.certainty == "low":
        own.append(f"low certainty ({e.id})")
    return tuple(own), ((f"date uncertain: {e.edtf} ({e.id})",) if s.qualified else ())


def _route(
    actor: str, items: list[tuple[Span, Event, tuple[tuple[str, ...], tuple[str, ...]]]], r: _Routing
) -> list[Segment]:
    segments: list[Segment] = []
    places = r.places
    actor_slug = r.slug(actor)
    here: tuple[Any, Event, Span, Any] | None = None  # where the actor was last placed, on what evidence

    def add(
        basis: str, start: Any, end: Any, via: Any | None, last: Event, s: Span, why: Any, prev: Any
    ) -> None:
        """A segment ending with ``last``; ``prev`` is the ``here`` it starts from for a sequence."""
        if prev is None:
            found = why[0] + why[1]
            certainty = last.certainty
            event_ids: tuple[str, ...] = (last.id,)
            source_ids: tuple[str, ...] = (last.source_id,)
            edtf = last.edtf
        else:
            first, pwhy = prev[1], prev[3]
            found = pwhy[0] + why[0] + pwhy[1] + why[1]
            c1, c2 = first.certainty, last.certainty
            certainty = c2 if CERTAINTY_ORDER.get(c2, 1) < CERTAINTY_ORDER.get(c1, 1) else c1
            event_ids = (first.id,) if first.id == last.id else (first.id, last.id)
            sid1, sid2 = first.source_id, last.source_id
            source_ids = (sid1,) if sid1 == sid2 else (sid1, sid2)
            edtf = r.joined_edtf(first, last)
        if start.uncertainty_km > WIDE_RADIUS_KM:
            found += r.wide(start)
        if via is not None and via.uncertainty_km > WIDE_RADIUS_KM:
            found += r.wide(via)
        if end.uncertainty_km > WIDE_RADIUS_KM:
            found += r.wide(end)
        reasons = list(dict.fromkeys(found)) if len(found) > 1 else list(found)
        if prev is not None and _spans_overlap(prev[2], s):
            reasons.append("dates overlap: the order is a guess")
        summary = f"{actor}: {start.name} to {end.name}"
        if via is not None:
            summary += f" by way of {via.name}"
        segments.append(
            Segment(
                id=f"route:{actor_slug}:{r.slug(last.source_id)}:{len(segments) + 1}",
                actor=actor,
                from_place=start,
                to_place=end,
                via_place=via,
                edtf=edtf,
                date_phrase=last.date_phrase,
                event_ids=event_ids,
                source_ids=source_ids,
                attribution=last.attribution,
                certainty=certainty,
                basis=basis,
                uncertain=bool(reasons),
                reasons=tuple(reasons),
                summary=summary,
            )
        )

    for s, event, why in items:
        place = places.get(event.place_id)
        if place is None:
            continue
        start = places.get(event.from_place_id) if event.from_place_id else None
        via = places.get(event.via_place_id) if event.via_place_id else None
        is_move = event.kind == "move" or start is not None
        if not is_move and place.uncertainty_km > VAGUE_RADIUS_KM:
            continue
        if start is not None and start.id != place.id:
            add("move", start, place, via, event, s, why, None)
        elif here is not None and not r.same_area(here[0], place):
            if is_move:
                add("move", here[0], place, via, event, s, why, None)
            else:
                add("sequence", here[0], place, via, event, s, why, here)
        elif here is not None and place.uncertainty_km > here[0].uncertainty_km:
            continue  # a wider area around where the actor already is: keep the sharper position
        here = (place, event, s, why)
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
    r = _Routing(places)
    by_source = group_by == "source"
    groups: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for order, event in enumerate(events):
        if event.kind in NON_LOCATING_KINDS:
            continue
        dated = r.date(event.edtf)
        source = event.source_id if by_source else ""
        if dated is None:  # an undated event places no one in time, but its group keeps its turn
            for actor in event.actors:
                groups.setdefault((actor, source), [])
            continue
        s, key = dated
        item = (key, order, s, event, _event_reasons(event, s))
        for actor in event.actors:
            group = groups.get((actor, source))
            if group is None:
                groups[(actor, source)] = [item]
            else:
                group.append(item)
    segments: list[Segment] = []
    for (actor, _), items in groups.items():
        items.sort(key=_by_time)
        segments.extend(_route(actor, [(s, e, why) for _, _, s, e, why in items], r))
    return segments


def _by_time(item: tuple[Any, ...]) -> tuple[Any, int]:
    """Middle of the span (an open span by its closed end), then start, end, file order."""
    return item[0], item[1]


def routes_by_actor(segments: Iterable[Segment]) -> dict[str, list[Segment]]:
    out: dict[str, list[Segment]] = {}
    for seg in segments:
        out.setdefault(seg.actor, []).append(seg)
    return out
