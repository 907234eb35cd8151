"""Events and route segments as GeoJSON Features: the one property contract the exports, the
dashboard's download and our own checks share.

An event Feature's geometry is its place's representative point (``[lon, lat]``, RFC 7946 order), or
``null`` when the place is unknown; a route segment is a directed LineString (first coordinate = where
the actor came from). Every contract property is always present, with a fixed type, so a consumer
never has to test for a missing key:

============== ============ ===============================================================
property       type         meaning
============== ============ ===============================================================
event_id       str
kind           str          stay, base, move, meeting, ... (``mapapp.models.EVENT_KINDS``)
actors         list[str]
place_id       str          curated ``itinera:<slug>`` or ``geonames:<id>``
place_name     str          the gazetteer's preferred name ("" when the place is unknown)
edtf           str          "" only for an undated event
date_phrase    str          the text's own short dating phrase, if any
source_id      str
source_file    str          the text file the offsets count in ("" for a source without text)
passage_start  int | null   character offsets into that text as read with UTF-8
passage_end    int | null
attribution    str          who asserts it (the narrator, the article, a quoted police report)
certainty      str          high | medium | low
implied        bool         the place or the date is implied rather than stated
contested_by   list[str]    ids of the events that contradict this one
summary        str          our own one-line wording
uncertainty_km float | null the place's radius
============== ============ ===============================================================

Extras: ``contest_note``, ``from_place_id``, ``via_place_id``, ``place_implied``, ``date_implied``,
``date_start``/``date_end`` (ISO days of the EDTF span; ``null`` when undated or open), ``source_title``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from .models import Event, Source
from .timespan import OPEN_END, OPEN_START, EDTFError, edtf_span

CONTRACT_PROPERTIES: dict[str, tuple[type, ...]] = {
    "event_id": (str,),
    "kind": (str,),
    "actors": (list,),
    "place_id": (str,),
    "place_name": (str,),
    "edtf": (str,),
    "date_phrase": (str,),
    "source_id": (str,),
    "source_file": (str,),
    "passage_start": (int, type(None)),
    "passage_end": (int, type(None)),
    "attribution": (str,),
    "certainty": (str,),
    "implied": (bool,),
    "contested_by": (list,),
    "summary": (str,),
    "uncertainty_km": (float, type(None)),
}


def _iso(d: date, open_value: date) -> str | None:
    return None if d == open_value else d.isoformat()


def date_bounds(edtf: str) -> tuple[str | None, str | None]:
    """ISO first and last day of an EDTF date (``None`` for undated, unreadable or open ends)."""
    try:
        bounds = edtf_span(edtf)
    except EDTFError:
        return None, None
    if bounds is None:
        return None, None
    return _iso(bounds[0], OPEN_START), _iso(bounds[1], OPEN_END)


def event_feature(event: Event, place: Any | None, source: Source | None) -> dict[str, Any]:
    """One GeoJSON Feature for ``event`` at ``place`` (a ``gazetteer.places.Place`` or ``None``)."""
    date_start, date_end = date_bounds(event.edtf)
    geometry = (
        {"type": "Point", "coordinates": [float(place.lon), float(place.lat)]} if place is not None else None
    )
    properties: dict[str, Any] = {
        "event_id": event.id,
        "kind": event.kind,
        "actors": list(event.actors),
        "place_id": event.place_id,
        "place_name": place.name if place is not None else "",
        "edtf": event.edtf,
        "date_phrase": event.date_phrase,
        "source_id": event.source_id,
        "source_file": source.text_file if source is not None else "",
        "passage_start": event.passage_start,
        "passage_end": event.passage_end,
        "attribution": event.attribution,
        "certainty": event.certainty,
        "implied": event.implied,
        "contested_by": list(event.contested_by),
        "summary": event.summary,
        "uncertainty_km": float(place.uncertainty_km) if place is not None else None,
        "contest_note": event.contest_note,
        "from_place_id": event.from_place_id,
        "via_place_id": event.via_place_id,
        "place_implied": event.place_implied,
        "date_implied": event.date_implied,
        "date_start": date_start,
        "date_end": date_end,
        "source_title": source.title if source is not None else "",
    }
    return {"type": "Feature", "id": event.id, "geometry": geometry, "properties": properties}


def event_features(
    events: Iterable[Event], places: Mapping[str, Any], sources: Mapping[str, Source]
) -> list[dict[str, Any]]:
    return [event_feature(e, places.get(e.place_id), sources.get(e.source_id)) for e in events]


def route_feature(segment: Any) -> dict[str, Any]:
    """A ``mapapp.routes.Segment`` as a directed LineString Feature (from -> to).

    Properties: ``kind`` ("route"), ``actor``, ``from_place_id``, ``to_place_id``, ``from_name``,
    ``to_name``, ``edtf`` (when the actor set out, as far as known), ``date_start``, ``date_end``,
    ``event_ids``, ``source_ids``, ``basis`` ("move" for a stated journey, "sequence" for one inferred
    from consecutive stays), ``uncertain`` and ``reasons``, ``uncertainty_km`` (the larger end radius).
    """
    start = segment.from_place
    end = segment.to_place
    coordinates = [[float(start.lon), float(start.lat)]]
    if segment.via_place is not None:
        coordinates.append([float(segment.via_place.lon), float(segment.via_place.lat)])
    coordinates.append([float(end.lon), float(end.lat)])
    date_start, date_end = date_bounds(segment.edtf)
    properties = {
        "kind": "route",
        "route_id": segment.id,
        "actor": segment.actor,
        "from_place_id": start.id,
        "to_place_id": end.id,
        "via_place_id": segment.via_place.id if segment.via_place is not None else "",
        "from_name": start.name,
        "to_name": end.name,
        "edtf": segment.edtf,
        "date_phrase": segment.date_phrase,
        "date_start": date_start,
        "date_end": date_end,
        "event_ids": list(segment.event_ids),
        "source_ids": list(segment.source_ids),
        "attribution": segment.attribution,
        "certainty": segment.certainty,
        "basis": segment.basis,
        "uncertain": bool(segment.uncertain),
        "reasons": list(segment.reasons),
        "uncertainty_km": float(max(start.uncertainty_km, end.uncertainty_km)),
        "summary": segment.summary,
    }
    return {
        "type": "Feature",
        "id": segment.id,
        "geometry": {"type": "LineString", "coordinates": coordinates},
        "properties": properties,
    }
