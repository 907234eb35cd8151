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
``automatic`` (found by the geoparser, not written by a person),
``date_start``/``date_end`` (ISO days of the EDTF span; ``null`` when undated or open), ``source_title``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from .models import Event, Source
from .timespan import OPEN_END, OPEN_START, EDTFError, span

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


@lru_cache(maxsize=1 << 17)
def date_bounds(edtf: str) -> tuple[str | None, str | None]:
    """ISO first and last day of an EDTF date (``None`` for undated, unreadable or open ends).

    Cached: 100,000 events share a few thousand dates, and route segments repeat their joined ones."""
    if not edtf or not edtf.strip():
        return None, None
    try:
        s = span(edtf)  # what ``edtf_span`` reads, sharing the cache entry routes made when they checked it
    except EDTFError:
        return None, None
    return _iso(s.start, OPEN_START), _iso(s.end, OPEN_END)


_NO_PLACE: tuple[str, None, None, None] = ("", None, None, None)
_NO_SOURCE: tuple[str, str] = ("", "")


def _place_info(place: Any | None) -> tuple[str, float | None, float | None, float | None]:
    """(name, lon, lat, uncertainty_km) of a place, as floats: worked out once per place."""
    if place is None:
        return _NO_PLACE
    return place.name, float(place.lon), float(place.lat), float(place.uncertainty_km)


def _source_info(source: Source | None) -> tuple[str, str]:
    return (source.text_file, source.title) if source is not None else _NO_SOURCE


def _event_feature(
    event: Event,
    place: tuple[str, float | None, float | None, float | None],
    source: tuple[str, str],
) -> dict[str, Any]:
    date_start, date_end = date_bounds(event.edtf)
    name, lon, lat, radius = place
    place_implied, date_implied = event.place_implied, event.date_implied
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": {"type": "Point", "coordinates": [lon, lat]} if lon is not None else None,
        "properties": {
            "event_id": event.id,
            "kind": event.kind,
            "actors": list(event.actors),
            "place_id": event.place_id,
            "place_name": name,
            "edtf": event.edtf,
            "date_phrase": event.date_phrase,
            "source_id": event.source_id,
            "source_file": source[0],
            "passage_start": event.passage_start,
            "passage_end": event.passage_end,
            "attribution": event.attribution,
            "certainty": event.certainty,
            "implied": place_implied or date_implied,
            "contested_by": list(event.contested_by),
            "summary": event.summary,
            "uncertainty_km": radius,
            "contest_note": event.contest_note,
            "from_place_id": event.from_place_id,
            "via_place_id": event.via_place_id,
            "place_implied": place_implied,
            "date_implied": date_implied,
            "automatic": event.automatic,
            "date_start": date_start,
            "date_end": date_end,
            "source_title": source[1],
        },
    }


def event_feature(event: Event, place: Any | None, source: Source | None) -> dict[str, Any]:
    """One GeoJSON Feature for ``event`` at ``place`` (a ``gazetteer.places.Place`` or ``None``)."""
    return _event_feature(event, _place_info(place), _source_info(source))


def event_features(
    events: Iterable[Event], places: Mapping[str, Any], sources: Mapping[str, Source]
) -> list[dict[str, Any]]:
    """``event_feature`` of every event, each place's and source's values looked up once."""
    place_info: dict[str, tuple[str, float | None, float | None, float | None]] = {}
    source_info: dict[str, tuple[str, str]] = {}
    features = []
    for e in events:
        pid, sid = e.place_id, e.source_id
        p = place_info.get(pid)
        if p is None:
            p = place_info[pid] = _place_info(places.get(pid))
        s = source_info.get(sid)
        if s is None:
            s = source_info[sid] = _source_info(sources.get(sid))
        features.append(_event_feature(e, p, s))
    return features


_End = tuple[str, str, float, float, float]  # id, name, lon, lat, uncertainty_km


def _end(place: Any) -> _End:
    """(id, name, lon, lat, uncertainty_km) of a route's end."""
    return place.id, place.name, float(place.lon), float(place.lat), place.uncertainty_km


def route_feature(segment: Any) -> dict[str, Any]:
    """A ``mapapp.routes.Segment`` as a directed LineString Feature (from -> to).

    Properties: ``kind`` ("route"), ``actor``, ``from_place_id``, ``to_place_id``, ``from_name``,
    ``to_name``, ``edtf`` (when the actor set out, as far as known), ``date_start``, ``date_end``,
    ``event_ids``, ``source_ids``, ``basis`` ("move" for a stated journey, "sequence" for one inferred
    from consecutive stays), ``uncertain`` and ``reasons``, ``uncertainty_km`` (the larger end radius).
    """
    return _route_feature(segment, {})


def _route_feature(segment: Any, ends: dict[int, _End]) -> dict[str, Any]:
    """``route_feature`` with ``ends`` caching each place's values by object identity (the caller keeps
    the segments, hence their places, alive meanwhile)."""
    start, via, end = segment.from_place, segment.via_place, segment.to_place
    a = ends.get(id(start))
    if a is None:
        a = ends[id(start)] = _end(start)
    b = ends.get(id(end))
    if b is None:
        b = ends[id(end)] = _end(end)
    if via is not None:
        v = ends.get(id(via))
        if v is None:
            v = ends[id(via)] = _end(via)
        coordinates = [[a[2], a[3]], [v[2], v[3]], [b[2], b[3]]]
        via_id = v[0]
    else:
        coordinates = [[a[2], a[3]], [b[2], b[3]]]
        via_id = ""
    date_start, date_end = date_bounds(segment.edtf)
    return {
        "type": "Feature",
        "id": segment.id,
        "geometry": {"type": "LineString", "coordinates": coordinates},
        "properties": {
            "kind": "route",
            "route_id": segment.id,
            "actor": segment.actor,
            "from_place_id": a[0],
            "to_place_id": b[0],
            "via_place_id": via_id,
            "from_name": a[1],
            "to_name": b[1],
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
            "uncertainty_km": float(max(a[4], b[4])),
            "summary": segment.summary,
        },
    }


def route_features(segments: Iterable[Any]) -> list[dict[str, Any]]:
    """``route_feature`` of every segment, each end place's values worked out once."""
    segments = list(segments)
    ends: dict[int, _End] = {}
    return [_route_feature(seg, ends) for seg in segments]
